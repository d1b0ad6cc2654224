/**
 * The residual scan against aws-sdk-client-mock fakes: a clean account after teardown (only retained surfaces),
 * a dirty one (every costly service left, lists paginated) in teardown and idle mode, a failing call (fail closed),
 * and the retained-surface readability check.
 */
import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";
import { DescribeServicesCommand, ListServicesCommand } from "@aws-sdk/client-ecs";
import { DescribeNodegroupCommand, ListClustersCommand } from "@aws-sdk/client-eks";
import { DescribeDBClustersCommand } from "@aws-sdk/client-rds";
import { GetResourcesCommand } from "@aws-sdk/client-resource-groups-tagging-api";
import { ListEndpointsCommand } from "@aws-sdk/client-sagemaker";
import { loadRegistry } from "../../src/registry/registry";
import { checkRetainedSurfaces } from "../../src/teardown/readability";
import { ResidualScanResult, RetainedSet, costNoteOf, parseArn, residualScan, retainedSetOf } from "../../src/teardown/residualScan";
import { ARN, REGION, ScanMocks, cleanAccount, dirtyAccount, readabilityMocks } from "./fakes";

const registry = loadRegistry();
const NOW = new Date("2026-03-01T10:30:00Z");
const retained: RetainedSet = retainedSetOf(registry, { kmsKeyArns: [ARN.kmsKey] });

const scan = (m: ScanMocks, mode: "teardown" | "idle"): Promise<ResidualScanResult> =>
  residualScan({ clients: m.clients, registry, mode, region: REGION, retained, now: NOW });
const arns = (items: ReadonlyArray<{ arn: string }>) => items.map((i) => i.arn).sort();

describe("ARNs and the retained set", () => {
  it("parses the resource part of every ARN form the scan meets", () => {
    expect(parseArn(ARN.evidenceBucket)).toMatchObject({ service: "s3", resourceType: "bucket", resourceId: "fraud-platform-dev-full-evidence" });
    expect(parseArn(`${ARN.logGroup}:*`)).toMatchObject({
      service: "logs",
      resourceType: "log-group",
      resourceId: "/fraud-platform/dev_full/lambda/ig-handler",
    });
    expect(parseArn(ARN.aurora)).toMatchObject({ service: "rds", resourceType: "cluster", resourceId: "fraud-platform-dev-full-aurora" });
    expect(parseArn(ARN.ecsServiceRunning)).toMatchObject({
      service: "ecs",
      resourceType: "service",
      resourceId: "fraud-platform-dev-full-wsp/fraud-platform-dev-full-df",
      account: "123456789012",
    });
    expect(parseArn("not-an-arn")).toBeUndefined();
  });

  it("keeps the registry's persistent surfaces, the platform key, log groups and SSM parameters, and nothing else", () => {
    for (const arn of [
      ARN.evidenceBucket,
      ARN.objectStore,
      ARN.ecrRepo,
      ARN.glueRegistry,
      ARN.glueSchema,
      ARN.kmsKey,
      ARN.logGroup,
      ARN.ssmParameter,
      "arn:aws:s3:::fraud-platform-dev-full-tfstate",
    ]) {
      expect([arn, retained.find(arn) !== undefined]).toEqual([arn, true]);
    }
    for (const arn of [
      "arn:aws:s3:::fraud-platform-dev-full-artifacts",
      ARN.eksCluster,
      ARN.msk,
      `arn:aws:kms:${REGION}:123456789012:key/ffffffff-0000-0000-0000-000000000000`,
      ARN.securityGroup,
    ]) {
      expect([arn, retained.find(arn)]).toEqual([arn, undefined]);
    }
    // Without the key's ARN (DescribeKey failed) no key is retained: it shows up as a residual.
    expect(retainedSetOf(registry).find(ARN.kmsKey)).toBeUndefined();
  });

  it("says why each kind of leftover costs", () => {
    expect(costNoteOf("kafka", "cluster")).toMatchObject({ costly: true, reason: expect.stringMatching(/cluster-hours/) });
    expect(costNoteOf("ec2", "natgateway").reason).toMatch(/per hour/);
    expect(costNoteOf("ec2", "security-group")).toMatchObject({ costly: false, reason: expect.stringMatching(/not in the retained set/) });
  });
});

describe("teardown mode", () => {
  it("passes a clean account: only retained surfaces carry the tags", async () => {
    const m = cleanAccount();
    const r = await scan(m, "teardown");
    expect(r).toMatchObject({
      mode: "teardown",
      residual_item_count: 0,
      scan_complete: true,
      overall_pass: true,
      tag_filter: { project: "fraud-platform", env: "dev_full" },
    });
    expect(r.residual_items).toEqual([]);
    expect(r.retained_items.map((i) => i.surface).sort()).toEqual(
      ["ECR repository", "Glue schema registry", "Glue schemas", "SSM parameters", "evidence bucket", "log groups", "object store", "platform KMS key"].sort(),
    );
    expect(r.checks.map((c) => [c.id, c.result])).toEqual([
      ["eks", "PASS"],
      ["ecs", "PASS"],
      ["msk", "PASS"],
      ["rds", "PASS"],
      ["elasticache", "PASS"],
      ["sagemaker", "PASS"],
      ["ec2.nat", "PASS"],
      ["elbv2", "PASS"],
      ["ec2.instances", "PASS"],
      ["tagging", "PASS"],
    ]);
    // The inventory is asked for exactly the mandatory tags.
    expect(m.tagging.commandCalls(GetResourcesCommand)[0].args[0].input.TagFilters).toEqual([
      { Key: "project", Values: ["fraud-platform"] },
      { Key: "env", Values: ["dev_full"] },
    ]);
  });

  it("lists every leftover of a dirty account with its ARN, service and why it costs, across every page", async () => {
    const m = dirtyAccount();
    const r = await scan(m, "teardown");
    expect(r.overall_pass).toBe(false);
    expect(arns(r.residual_items)).toEqual(
      [
        ARN.eksCluster,
        ARN.nodeGroup,
        ARN.ecsServiceRunning,
        ARN.ecsServiceIdle,
        ARN.msk,
        ARN.aurora,
        ARN.redis,
        ARN.endpoint,
        ARN.nat,
        ARN.instance,
        ARN.loadBalancer,
        ARN.securityGroup,
        ARN.runScopedLambda,
      ].sort(),
    );
    expect(r.residual_item_count).toBe(13);
    const byArn = new Map(r.residual_items.map((i) => [i.arn, i]));
    expect(byArn.get(ARN.nodeGroup)).toMatchObject({
      service: "eks",
      resource_type: "nodegroup",
      check: "eks",
      detail: "scaling min 0 / desired 2 / max 2",
      costly: true,
    });
    expect(byArn.get(ARN.msk)).toMatchObject({ service: "kafka", detail: "SERVERLESS cluster, state ACTIVE", reason: expect.stringMatching(/cluster-hours/) });
    expect(byArn.get(ARN.aurora)?.detail).toBe("status available, Serverless v2 0.5-8 ACU, deletion protection on");
    expect(byArn.get(ARN.runScopedLambda)).toMatchObject({ check: "tagging", detail: "run-scoped: fp_run_id=platform_20260301T100000Z" });
    expect(byArn.get(ARN.securityGroup)).toMatchObject({ check: "tagging", costly: false });
    // Other teams' resources are not ours.
    expect(r.residual_items.some((i) => i.arn.includes("another-team"))).toBe(false);
    // Pagination: two pages of the inventory, two of the EKS clusters, two of the ECS services.
    expect(m.tagging.commandCalls(GetResourcesCommand)).toHaveLength(2);
    expect(m.eks.commandCalls(ListClustersCommand)).toHaveLength(2);
    expect(m.ecs.commandCalls(ListServicesCommand)).toHaveLength(2);
    expect(arns(r.retained_items)).toEqual([ARN.evidenceBucket, ARN.kmsKey, ARN.logGroup, ARN.ssmParameter].sort());
  });

  it("fails closed when a call fails: the scan is incomplete and never passes", async () => {
    const m = cleanAccount();
    m.rds
      .on(DescribeDBClustersCommand)
      .rejects(Object.assign(new Error("User is not authorized to perform: rds:DescribeDBClusters"), { name: "AccessDenied" }));
    const r = await scan(m, "teardown");
    expect(r).toMatchObject({ residual_item_count: 0, scan_complete: false, overall_pass: false });
    expect(r.checks.find((c) => c.id === "rds")).toMatchObject({ result: "ERROR", error: expect.stringMatching(/^AccessDenied: User is not authorized/) });
    expect(r.errors).toEqual([expect.stringMatching(/^rds: AccessDenied/)]);
  });
});

describe("idle mode (stacks applied, idle-safe switch on)", () => {
  it("counts only running capacity as residual and lists the persistent cores that bill at idle", async () => {
    const r = await scan(dirtyAccount(), "idle");
    expect(arns(r.residual_items)).toEqual([ARN.nodeGroup, ARN.ecsServiceRunning, ARN.endpoint, ARN.instance].sort());
    expect(arns(r.idle_cost_items)).toEqual([ARN.eksCluster, ARN.msk, ARN.aurora, ARN.redis, ARN.nat, ARN.loadBalancer].sort());
    expect(r.residual_items.find((i) => i.arn === ARN.nodeGroup)?.remedy).toMatch(/fraud-platform:idleSafe true/);
    expect(r.idle_cost_items.find((i) => i.arn === ARN.msk)?.remedy).toMatch(/teardown/);
    expect(r.checks.find((c) => c.id === "msf+emr-serverless")?.result).toBe("NOT_CHECKED");
    expect(r.overall_pass).toBe(false);
  });

  it("passes an idle account: scaled to zero, cores present", async () => {
    const m = dirtyAccount();
    m.eks.on(ListClustersCommand).resolves({ clusters: ["fraud-platform-dev-full"] });
    m.eks
      .on(DescribeNodegroupCommand)
      .resolves({ nodegroup: { nodegroupArn: ARN.nodeGroup, status: "ACTIVE", scalingConfig: { minSize: 0, desiredSize: 0, maxSize: 2 } } });
    m.ecs
      .on(DescribeServicesCommand)
      .resolves({ services: [{ serviceArn: ARN.ecsServiceIdle, serviceName: "al", status: "ACTIVE", desiredCount: 0, runningCount: 0, pendingCount: 0 }] });
    m.sagemaker.on(ListEndpointsCommand).resolves({ Endpoints: [] });
    m.ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const r = await scan(m, "idle");
    expect(r.residual_items).toEqual([]);
    expect(r.overall_pass).toBe(true);
    expect(r.idle_cost_items.length).toBeGreaterThan(0);
  });
});

describe("retained-surface readability", () => {
  it("reads the evidence and object-store buckets and the platform key", async () => {
    const m = readabilityMocks("readable");
    const r = await checkRetainedSurfaces({ clients: m.clients, registry, now: NOW });
    expect(r.overall_pass).toBe(true);
    expect(r.kms_key_arn).toBe(ARN.kmsKey);
    expect(r.surfaces.map((s) => [s.surface, s.target, s.readable])).toEqual([
      ["evidence bucket", "s3://fraud-platform-dev-full-evidence", true],
      ["object store", "s3://fraud-platform-dev-full-object-store", true],
      ["platform KMS key", "alias/fraud-platform-dev-full", true],
    ]);
  });

  it("fails on a key pending deletion and on a bucket that no longer answers", async () => {
    const pending = await checkRetainedSurfaces({ clients: readabilityMocks("key-pending-deletion").clients, registry, now: NOW });
    expect(pending.overall_pass).toBe(false);
    expect(pending.surfaces[2].checks[0].detail).toMatch(/PendingDeletion.*PENDING DELETION/);
    const gone = await checkRetainedSurfaces({ clients: readabilityMocks("bucket-gone").clients, registry, now: NOW });
    expect(gone.surfaces[0]).toMatchObject({
      readable: false,
      checks: [
        { api: "s3:HeadBucket", ok: false, detail: "NotFound (HTTP 404): Not Found" },
        { api: "s3:GetBucketEncryption", ok: false },
      ],
    });
    expect(gone.surfaces[1].readable).toBe(true);
  });
});
