/**
 * Every private workload whose role grants S3 or DynamoDB (or that needs S3 intrinsically: EMR Serverless job code,
 * ECR image layers for ECS and EKS) can reach the gateway endpoints through its security groups' egress. Checked on
 * a plan of core, streaming and runtime with the spine services switched on, so Flink, EMR Serverless, the ECS
 * services, the ingress Lambda and the EKS nodes are all in it; and on synthetic resources (fire and quiet).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PlanResult, runPlan } from "../../src/plan/engine";
import { PROJECT_ROOT } from "../../src/registry/registry";
import { PlannedResource, WorkloadKind, gatewayReach } from "../../src/network/reachability";
import { workloadEgressSpecs } from "../../src/network/workloadEgress";
import { ENTRYPOINT_PINS, LEARNING_PIN } from "../helpers/pins";

const PL = { s3: "pl-s3", dynamodb: "pl-ddb" };

describe("gatewayReach on synthetic resources", () => {
  const role = (name: string, actions: string[]): PlannedResource[] => [
    { type: "aws:iam/role:Role", name, inputs: { name } },
    {
      type: "aws:iam/rolePolicy:RolePolicy",
      name: `${name}-p`,
      inputs: { role: name, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] }) },
    },
  ];
  const fn = (sg: string, roleName: string): PlannedResource => ({
    type: "aws:lambda/function:Function",
    name: "fn",
    inputs: { role: `arn:aws:iam::123456789012:role/${roleName}`, vpcConfig: { securityGroupIds: [sg], subnetIds: ["subnet-1"] } },
  });
  const sg = (id: string): PlannedResource => ({ type: "aws:ec2/securityGroup:SecurityGroup", name: id, id, inputs: { name: id } });
  const egress = (sgId: string, to: Record<string, string>, port = 443): PlannedResource => ({
    type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    name: `${sgId}-${Object.values(to)[0]}`,
    inputs: { securityGroupId: sgId, ipProtocol: "tcp", fromPort: port, toPort: port, ...to },
  });

  it("stays quiet when the group's egress reaches each prefix list the role needs", () => {
    const reach = gatewayReach(
      [
        ...role("r", ["s3:GetObject", "dynamodb:PutItem"]),
        fn("sg-1", "r"),
        sg("sg-1"),
        egress("sg-1", { prefixListId: "pl-s3" }),
        egress("sg-1", { prefixListId: "pl-ddb" }),
      ],
      PL,
    );
    expect(reach).toEqual([expect.objectContaining({ needs: ["s3", "dynamodb"], reaches: ["s3", "dynamodb"], problems: [] })]);
  });

  it("fires on a role with S3 access behind a group whose egress stays in the VPC (the MSK group's shape)", () => {
    const reach = gatewayReach([...role("r", ["s3:GetObject"]), fn("sg-1", "r"), sg("sg-1"), egress("sg-1", { cidrIpv4: "10.70.0.0/16" }, 9098)], PL);
    expect(reach[0].problems).toEqual(["needs s3 but no security group allows TCP 443 egress to its gateway prefix list pl-s3"]);
  });

  it("fires on a prefix-list rule on the wrong port, and on DynamoDB access without the DynamoDB prefix list", () => {
    const reach = gatewayReach(
      [...role("r", ["s3:PutObject", "dynamodb:GetItem"]), fn("sg-1", "r"), sg("sg-1"), egress("sg-1", { prefixListId: "pl-s3" }, 80)],
      PL,
    );
    expect(reach[0].problems).toEqual([
      "needs s3 but no security group allows TCP 443 egress to its gateway prefix list pl-s3",
      "needs dynamodb but no security group allows TCP 443 egress to its gateway prefix list pl-ddb",
    ]);
  });

  it("fails closed on a group or a role the plan does not hold", () => {
    const reach = gatewayReach([fn("sg-unknown", "ghost")], PL);
    expect(reach[0].needs).toEqual([]);
    const undeclared = gatewayReach([...role("r", ["s3:GetObject"]), fn("sg-unknown", "r")], PL);
    expect(undeclared[0].problems).toEqual([
      "needs s3 but no security group allows TCP 443 egress to its gateway prefix list pl-s3 (sg-unknown not declared in the plan, so unknown)",
    ]);
    expect(reach[0].problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^role arn:aws:iam::123456789012:role\/ghost or its policies are not in the plan$/)]),
    );
  });

  it("counts S3 as needed for EKS nodes, ECS services and EMR Serverless whatever their role grants", () => {
    const emr: PlannedResource = {
      type: "aws:emrserverless/application:Application",
      name: "emr",
      inputs: { networkConfiguration: { securityGroupIds: ["sg-1"] } },
    };
    const reach = gatewayReach([emr, sg("sg-1")], PL);
    expect(reach[0]).toMatchObject({ needs: ["s3"], problems: ["needs s3 but no security group allows TCP 443 egress to its gateway prefix list pl-s3"] });
  });

  it("lists the workload group's egress: both prefix lists on 443, endpoints/MSK/Aurora/Redis per private subnet, nothing open", () => {
    const specs = workloadEgressSpecs(["10.70.128.0/20", "10.70.144.0/20"], { msk: 9098, aurora: 5432, redis: 6379 });
    expect(specs.map((s) => [s.port, "gateway" in s.destination ? s.destination.gateway : s.destination.cidrIpv4])).toEqual([
      [443, "s3"],
      [443, "dynamodb"],
      [443, "10.70.128.0/20"],
      [443, "10.70.144.0/20"],
      [9098, "10.70.128.0/20"],
      [9098, "10.70.144.0/20"],
      [5432, "10.70.128.0/20"],
      [5432, "10.70.144.0/20"],
      [6379, "10.70.128.0/20"],
      [6379, "10.70.144.0/20"],
    ]);
    expect(() => workloadEgressSpecs([], {})).toThrow(/at least one private subnet/);
  });
});

describe("gatewayReach on the plan (spine services on)", () => {
  let result: PlanResult;
  let resources: PlannedResource[];
  let prefixLists: { s3: string; dynamodb: string };

  beforeAll(async () => {
    const projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "proj-reach-"));
    for (const f of fs.readdirSync(PROJECT_ROOT).filter((f) => /^Pulumi\..*yaml$/.test(f)))
      fs.copyFileSync(path.join(PROJECT_ROOT, f), path.join(projectDir, f));
    const ecs = { spineServicesEnabled: true, image: "git-0123abc-run-42", platformRunId: "run-20261125-001" };
    fs.appendFileSync(path.join(projectDir, "Pulumi.dev-full-runtime.yaml"), `  fraud-platform:runtimeLanes:\n    ecs: ${JSON.stringify(ecs)}\n`);
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-reach-"));
    result = await runPlan({ env: "dev-full", layers: ["core", "streaming", "runtime"], outDir, projectDir, pins: { ...LEARNING_PIN, ...ENTRYPOINT_PINS } });
    resources = result.outcomes.flatMap((o) => o.plan?.resources ?? []);
    const runtime = result.outcomes.find((o) => o.layer === "runtime")?.plan;
    if (!runtime) throw new Error(`runtime not planned: ${JSON.stringify(result.outcomes.map((o) => [o.layer, o.status, o.failure?.message]))}`);
    prefixLists = runtime.outputs.runtime_gateway_prefix_list_ids as typeof prefixLists;
  }, 300_000);

  it("plans without blockers", () => {
    expect(result.blockers).toEqual([]);
    expect(prefixLists).toEqual({ s3: expect.stringMatching(/^pl-/), dynamodb: expect.stringMatching(/^pl-/) });
  });

  it("covers Flink, EMR Serverless, the ECS services, the ingress Lambda and the EKS nodes", () => {
    const kinds = new Set(gatewayReach(resources, prefixLists).map((r) => r.workload.kind));
    expect([...kinds].sort()).toEqual((["ecs-service", "eks-nodes", "emr-serverless", "flink", "lambda"] satisfies WorkloadKind[]).sort());
    expect(gatewayReach(resources, prefixLists).filter((r) => r.workload.kind === "ecs-service")).toHaveLength(7);
  });

  it("lets every workload with S3 or DynamoDB access reach it through its security groups' egress", () => {
    const reach = gatewayReach(resources, prefixLists);
    expect(reach.filter((r) => r.problems.length > 0).map((r) => ({ workload: `${r.workload.kind} ${r.workload.name}`, problems: r.problems }))).toEqual([]);
    // Each of them does need S3 (their roles or their images): the check is not vacuous.
    for (const r of reach) expect(r.needs).toContain("s3");
    expect(reach.find((r) => r.workload.kind === "lambda")?.needs).toEqual(["s3", "dynamodb"]);
  });

  it("gives no data-tier workload egress to 0.0.0.0/0 or the public subnets", () => {
    const groups = new Set(gatewayReach(resources, prefixLists).flatMap((r) => r.workload.securityGroupIds));
    const rules = resources.filter((r) => r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule" && groups.has(String(r.inputs.securityGroupId)));
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) {
      if (r.inputs.cidrIpv4 !== undefined) expect(["10.70.128.0/20", "10.70.144.0/20"]).toContain(r.inputs.cidrIpv4);
      else expect([prefixLists.s3, prefixLists.dynamodb]).toContain(r.inputs.prefixListId);
    }
  });
});
