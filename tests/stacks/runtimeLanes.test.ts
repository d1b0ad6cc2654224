/**
 * The runtime layer's lanes (EKS lane, stream processing, orchestration, spine services) as `npm run plan` sees it: core, streaming and runtime planned in child
 * processes into a temp dir, then runtime alone again with the learning role pinned and with the spine switch on
 * (reusing the upstream outputs of the first run). Asserts the EKS settings, the Kubernetes objects through the
 * cluster's provider, IRSA, the learning-lane blocker, the state machines, Flink/EMR/ECS, and the lanes' rules.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PlanResult, runPlan } from "../../src/plan/engine";
import { LayerPlan, RecordedResource } from "../../src/plan/previewDocument";
import { PROJECT_ROOT, loadRegistry } from "../../src/registry/registry";
import { aslProblems, hasReadyCommitPath } from "../../src/orchestration/asl";
import { copyPlanDir, sharedPlan } from "../helpers/sharedPlan";
import { ENTRYPOINT_PINS, LEARNING_PIN } from "../helpers/pins";
import { EXIT, exitCodeOf } from "../../src/cli/exitCodes";

const registry = loadRegistry();
/** The rules of the lanes (all mandatory). */
const LANES_RULES = /^da-(19|50|54|55|57|61|63|93|100)-/;

let outDir: string;
let base: PlanResult;
let pinned: PlanResult;
let runtime: LayerPlan;
let withLearning: LayerPlan;

/** A copy of the project's stack files whose runtime layer file overrides the runtime lanes' ECS section. */
function projectWithEcs(ecs: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "proj-lanes-"));
  for (const f of fs.readdirSync(PROJECT_ROOT).filter((f) => /^Pulumi\..*yaml$/.test(f))) fs.copyFileSync(path.join(PROJECT_ROOT, f), path.join(dir, f));
  fs.appendFileSync(path.join(dir, "Pulumi.dev-full-runtime.yaml"), `  fraud-platform:runtimeLanes:\n    ecs: ${JSON.stringify(ecs)}\n`);
  return dir;
}
const runtimePlan = (r: PlanResult): LayerPlan => {
  const plan = r.outcomes.find((o) => o.layer === "runtime")?.plan;
  if (!plan) throw new Error(`runtime not planned: ${JSON.stringify(r.outcomes.map((o) => [o.layer, o.status, o.failure?.message]))}`);
  return plan;
};

beforeAll(async () => {
  const shared = await sharedPlan(["core", "streaming", "runtime"]);
  base = shared.result;
  outDir = copyPlanDir(shared.outDir);
  runtime = runtimePlan(base);
  pinned = await runPlan({ env: "dev-full", layers: ["runtime"], outDir, pins: LEARNING_PIN });
  withLearning = runtimePlan(pinned);
}, 300_000);

const ofType = (plan: LayerPlan, type: string, pred: (r: RecordedResource) => boolean = () => true) => plan.resources.filter((r) => r.type === type && pred(r));
const one = (plan: LayerPlan, type: string, pred?: (r: RecordedResource) => boolean): RecordedResource => {
  const found = ofType(plan, type, pred);
  expect(found).toHaveLength(1);
  return found[0];
};
type Meta = { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
const meta = (r: RecordedResource) => r.inputs.metadata as Meta;
const lanesViolations = (r: PlanResult) => r.policy.violations.filter((v) => LANES_RULES.test(v.policy) && v.enforcementLevel === "mandatory");
const rolePolicies = (plan: LayerPlan, roleName: string) =>
  ofType(plan, "aws:iam/rolePolicy:RolePolicy", (p) => p.name.startsWith(`${roleName}-`)).flatMap(
    (p) => (JSON.parse(String(p.inputs.policy)) as { Statement: Array<Record<string, unknown>> }).Statement,
  );

describe("runtime lanes: EKS exception lane", () => {
  it("declares the cluster with @pulumi/eks: private endpoint, platform key, API auth with access entries, core role, OIDC", () => {
    const cluster = one(runtime, "eks:index:Cluster");
    expect(cluster.inputs).toMatchObject({
      name: "fraud-platform-dev-full",
      version: "1.35",
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
      authenticationMode: "API",
      skipDefaultNodeGroup: true,
      skipDefaultSecurityGroups: true,
      createOidcProvider: true,
      upgradePolicy: { supportType: "STANDARD" },
      serviceRole: "fraud-platform-dev-full-runtime-platform-base",
      encryptionConfigKeyArn: expect.stringMatching(/^arn:aws:kms:eu-west-2:\d{12}:key\//),
    });
    expect(cluster.inputs.publicAccessCidrs).toBeUndefined();
    // No pre-existing admin role is configured in dev-full; the CI role's entry is granted by ops (tests/stacks/ops.test.ts).
    expect(cluster.inputs.accessEntries).toEqual({});
    expect(cluster.inputs.tags).toMatchObject({
      fp_eks_admission_reason: expect.any(String),
      fp_eks_admission_review_by: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    // The control-plane log group EKS names is declared first, with 14-day retention (never an implicit never-expire group).
    const logs = one(runtime, "aws:cloudwatch/logGroup:LogGroup", (g) => g.inputs.name === "/aws/eks/fraud-platform-dev-full/cluster");
    expect(logs.inputs.retentionInDays).toBe(14);
    expect(cluster.dependencies).toContain(logs.urn);
  });

  it("adds one managed node group that scales to zero with the core node role, on the cost-aware default", () => {
    const ng = one(runtime, "aws:eks/nodeGroup:NodeGroup");
    expect(ng.inputs).toMatchObject({
      clusterName: "fraud-platform-dev-full",
      nodeGroupName: "fraud-platform-dev-full-lane-workers",
      nodeRoleArn: expect.stringMatching(/:role\/fraud-platform-dev-full-eks-nodegroup$/),
      instanceTypes: ["t3.medium"],
      scalingConfig: { minSize: 0, desiredSize: 0, maxSize: 2 },
    });
    expect(Object.keys(ng.inputs.tags as object)).toEqual(expect.arrayContaining(["fp_eks_admission_rollback_path", "fp_eks_admission_cost_fit"]));
    // Nodes boot without NAT: the group waits for the private network's endpoints.
    expect((ng.dependencies ?? []).some((d) => d.includes("aws:ec2/vpcEndpoint:VpcEndpoint"))).toBe(true);
  });

  it("creates every lane namespace, each with a default-deny policy, through the cluster's Kubernetes provider", () => {
    const provider = one(runtime, "pulumi:providers:kubernetes");
    expect(JSON.parse(String(provider.inputs.kubeconfig))).toMatchObject({
      kind: "Config",
      clusters: [{ cluster: { server: expect.stringMatching(/eks\.amazonaws\.com$/) } }],
    });
    const namespaces = ofType(runtime, "kubernetes:core/v1:Namespace");
    const lanes = registry.handles.filter((h) => /^EKS_NAMESPACE_/.test(h.name)).map((h) => registry.string(h.name));
    expect(namespaces.map((n) => meta(n).name).sort()).toEqual([...lanes].sort());
    const k8s = runtime.resources.filter((r) => r.type.startsWith("kubernetes:"));
    for (const r of k8s) expect(r.provider?.startsWith(`${provider.urn}::`)).toBe(true);
    const deny = ofType(runtime, "kubernetes:networking.k8s.io/v1:NetworkPolicy", (p) => meta(p).name === "default-deny-all");
    expect(deny.map((p) => meta(p).namespace).sort()).toEqual([...lanes].sort());
    for (const p of deny) expect(p.inputs.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });

  it("binds each pinned lane's service account to its IRSA role, whose trust pins that exact subject", () => {
    const sas = ofType(runtime, "kubernetes:core/v1:ServiceAccount").map((s) => [
      meta(s).namespace,
      meta(s).name,
      meta(s).annotations?.["eks.amazonaws.com/role-arn"],
    ]);
    expect(sas).toEqual([
      ["fraud-platform-ingress", "ig", "arn:aws:iam::123456789012:role/fraud-platform-dev-full-irsa-ig"],
      ["fraud-platform-rtdl", "rtdl", "arn:aws:iam::123456789012:role/fraud-platform-dev-full-irsa-rtdl"],
      ["fraud-platform-rtdl", "decision-lane", "arn:aws:iam::123456789012:role/fraud-platform-dev-full-irsa-decision-lane"],
      ["fraud-platform-case-labels", "case-labels", "arn:aws:iam::123456789012:role/fraud-platform-dev-full-irsa-case-labels"],
      ["fraud-platform-obs-gov", "obs-gov", "arn:aws:iam::123456789012:role/fraud-platform-dev-full-irsa-obs-gov"],
    ]);
    const role = one(runtime, "aws:iam/role:Role", (r) => r.inputs.name === "fraud-platform-dev-full-irsa-case-labels");
    const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as {
      Statement: Array<{ Action: string; Condition: { StringEquals: Record<string, string> } }>;
    };
    expect(trust.Statement[0].Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(Object.values(trust.Statement[0].Condition.StringEquals).sort()).toEqual([
      "sts.amazonaws.com",
      "system:serviceaccount:fraud-platform-case-labels:case-labels",
    ]);
  });

  it("grants IRSA roles only the SSM paths their lane reads, stream access from streaming, and no deletes", () => {
    const ig = rolePolicies(runtime, "irsa-ig");
    const ssm = ig.find((s) => s.Sid === "IgSsmRead");
    expect(ssm?.Resource).toEqual([
      "arn:aws:ssm:eu-west-2:123456789012:parameter/fraud-platform/dev_full/ig/api_key",
      "arn:aws:ssm:eu-west-2:123456789012:parameter/fraud-platform/dev_full/msk/bootstrap_brokers",
    ]);
    expect(ig.some((s) => s.Sid === "ProduceLaneTopics")).toBe(true);
    for (const role of ["irsa-ig", "irsa-rtdl", "irsa-decision-lane", "irsa-case-labels", "irsa-obs-gov"]) {
      for (const s of rolePolicies(runtime, role)) {
        const actions = ([] as string[]).concat(s.Action as string[]);
        if (s.Effect === "Allow") expect(actions.filter((a) => /^s3:Delete|^\*$|^ssm:\*$/.test(a))).toEqual([]);
        expect(JSON.stringify(s.Resource)).not.toMatch(/parameter\/fraud-platform\/dev_full\/\*/);
      }
    }
  });

  it("fails the learning lane closed until ROLE_EKS_IRSA_LEARNING is pinned, then creates it", () => {
    expect(base.blockers.map((b) => b.code)).toEqual(["TO_PIN:ROLE_EKS_IRSA_LEARNING"]);
    expect(base.exitCode).toBe(1);
    expect(ofType(runtime, "kubernetes:core/v1:ServiceAccount", (s) => meta(s).name === "learning")).toEqual([]);
    expect(ofType(runtime, "fraud-platform:runtime:IrsaServiceAccount", (s) => s.name === "irsa-learning")).toEqual([]);
    expect(pinned.blockers).toEqual([]);
    const sa = one(withLearning, "kubernetes:core/v1:ServiceAccount", (s) => meta(s).name === "learning");
    expect(meta(sa)).toMatchObject({
      namespace: "fraud-platform-learning",
      annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/fraud-platform-dev-full-irsa-learning" },
    });
    expect(withLearning.outputs.ROLE_EKS_IRSA_LEARNING).toBe("arn:aws:iam::123456789012:role/fraud-platform-dev-full-irsa-learning");
    expect(lanesViolations(pinned)).toEqual([]);
    expect(pinned.policy.summary.mandatory).toBe(0);
  });

  it("keeps the EMR-on-EKS Flink fallback off by default", () => {
    expect(ofType(runtime, "aws:emrcontainers/virtualCluster:VirtualCluster")).toEqual([]);
    expect(runtime.outputs.EMR_EKS_VIRTUAL_CLUSTER_ID).toBeNull();
    expect(runtime.outputs.EMR_EKS_VIRTUAL_CLUSTER_NAME).toBe("fraud-platform-dev-full-flink-vc");
  });
});

describe("runtime lanes: orchestration, stream processing, batch", () => {
  it("declares exactly the three pinned state machines with real ASL, READY commit only in platform-run", () => {
    const machines = ofType(runtime, "aws:sfn/stateMachine:StateMachine");
    expect(machines.map((m) => m.inputs.name).sort()).toEqual([
      "fraud-platform-dev-full-final-verdict-v0",
      "fraud-platform-dev-full-learning-gate-v0",
      "fraud-platform-dev-full-platform-run-v0",
    ]);
    for (const m of machines) {
      const def = JSON.parse(String(m.inputs.definition)) as unknown;
      expect(aslProblems(def)).toEqual([]);
      expect(hasReadyCommitPath(def)).toBe(m.inputs.name === "fraud-platform-dev-full-platform-run-v0");
      expect(m.inputs).toMatchObject({
        type: "STANDARD",
        roleArn: "arn:aws:iam::123456789012:role/fraud-platform-dev-full-stepfunctions-orchestrator",
        loggingConfiguration: {
          level: "ERROR",
          includeExecutionData: false,
          logDestination: expect.stringContaining(`log-group:/fraud-platform/dev_full/sfn/${String(m.inputs.name)}:*`),
        },
        encryptionConfiguration: { type: "CUSTOMER_MANAGED_KMS_KEY" },
      });
    }
    const groups = ofType(runtime, "aws:cloudwatch/logGroup:LogGroup", (g) => String(g.inputs.name).startsWith("/fraud-platform/dev_full/sfn/"));
    expect(groups.map((g) => g.inputs.retentionInDays)).toEqual([14, 14, 14]);
  });

  it("gives the orchestrator role evidence read/write without delete and READY publish on the pinned bus", () => {
    const statements = rolePolicies(runtime, "stepfunctions-orchestrator");
    expect(statements.find((s) => s.Sid === "PublishReady")?.Resource).toEqual(["arn:aws:events:eu-west-2:123456789012:event-bus/default"]);
    expect(statements.flatMap((s) => s.Action as string[]).filter((a) => a.startsWith("s3:Delete"))).toEqual([]);
  });

  it("declares the MSF application: parallelism 2, 60 s checkpoints under state/flink/<app>/, stopped, in the VPC", () => {
    const app = one(runtime, "aws:kinesisanalyticsv2/application:Application");
    expect(app.inputs).toMatchObject({
      name: "fraud-platform-dev-full-rtdl-ieg-ofp-v0",
      runtimeEnvironment: "FLINK-1_20",
      startApplication: false,
      serviceExecutionRole: "arn:aws:iam::123456789012:role/fraud-platform-dev-full-flink-execution",
      applicationConfiguration: {
        applicationCodeConfiguration: {
          codeContent: {
            s3ContentLocation: { bucketArn: "arn:aws:s3:::fraud-platform-dev-full-artifacts", fileKey: "artifacts/flink/rtdl-ieg-ofp-v0/rtdl-ieg-ofp-v0.jar" },
          },
        },
        flinkApplicationConfiguration: {
          parallelismConfiguration: { configurationType: "CUSTOM", parallelism: 2, autoScalingEnabled: false },
          checkpointConfiguration: { configurationType: "CUSTOM", checkpointingEnabled: true, checkpointInterval: 60000 },
        },
        environmentProperties: {
          propertyGroups: [
            expect.objectContaining({
              propertyMap: expect.objectContaining({
                "state.checkpoints.dir": "s3://fraud-platform-dev-full-object-store/state/flink/fraud-platform-dev-full-rtdl-ieg-ofp-v0/",
              }),
            }),
          ],
        },
      },
    });
    const flink = rolePolicies(runtime, "flink-execution");
    const writes = flink.filter((s) => s.Effect === "Allow" && (s.Action as string[]).some((a) => /^s3:(Put|Delete)/.test(a)));
    for (const s of writes) expect(JSON.stringify(s.Resource)).not.toContain("oracle-store");
    expect(flink.find((s) => s.Sid === "FlinkDenyTruthViews")).toMatchObject({ Effect: "Deny" });
  });

  it("declares the EMR Serverless stream sort: Spark emr-6.15.0, auto-start and auto-stop, bounded capacity", () => {
    expect(one(runtime, "aws:emrserverless/application:Application").inputs).toMatchObject({
      name: "fraud-platform-dev-full-oracle-stream-sort-v0",
      type: "spark",
      releaseLabel: "emr-6.15.0",
      autoStartConfiguration: { enabled: true },
      autoStopConfiguration: { enabled: true, idleTimeoutMinutes: 15 },
      maximumCapacity: { cpu: "16 vCPU", memory: "64 GB", disk: "200 GB" },
    });
  });

  it("declares the WSP ECS cluster and, with the spine switch off (P0), no task definitions or services", () => {
    expect(one(runtime, "aws:ecs/cluster:Cluster").inputs).toMatchObject({
      name: "fraud-platform-dev-full-wsp-ephemeral",
      settings: [{ name: "containerInsights", value: "disabled" }],
    });
    expect(ofType(runtime, "aws:ecs/taskDefinition:TaskDefinition")).toEqual([]);
    expect(ofType(runtime, "aws:ecs/service:Service")).toEqual([]);
    expect(runtime.outputs.ECS_SERVICE_DF_NAME).toBeNull();
  });
});

describe("runtime lanes: handles and rules", () => {
  it("exports every runtime handle of the registry under its name", () => {
    const names = registry.exportedBy("runtime").map((h) => h.name);
    expect(names.length).toBeGreaterThan(80);
    for (const n of names) expect(Object.keys(runtime.outputs)).toContain(n);
    expect(runtime.outputs).toMatchObject({
      EKS_CLUSTER_NAME: "fraud-platform-dev-full",
      EKS_CLUSTER_ARN: "arn:aws:eks:eu-west-2:123456789012:cluster/fraud-platform-dev-full",
      EKS_NAMESPACE_RTDL: "fraud-platform-rtdl",
      FLINK_EKS_NAMESPACE: "fraud-platform-rtdl",
      SFN_PLATFORM_RUN_ORCHESTRATOR_V0: "fraud-platform-dev-full-platform-run-v0",
      ROLE_FLINK_EXECUTION: "arn:aws:iam::123456789012:role/fraud-platform-dev-full-flink-execution",
      ORACLE_STREAM_SORT_EXECUTION_ROLE_ARN: "arn:aws:iam::123456789012:role/fraud-platform-dev-full-flink-execution",
      WSP_ECS_CLUSTER_NAME: "fraud-platform-dev-full-wsp-ephemeral",
      ARCHIVE_CONNECTOR_SOURCE_TOPIC: "fp.bus.control.v1",
    });
  });

  it("has no mandatory violation of the lanes' rules", () => {
    expect(lanesViolations(base)).toEqual([]);
  });
});

describe("runtime lanes: spine services switch", () => {
  it("fails closed with a blocker per TO_PIN entrypoint and declares nothing that needs one", async () => {
    const projectDir = projectWithEcs({ spineServicesEnabled: true, image: "git-0123abc-run-42", platformRunId: "run-20261125-001" });
    const r = await runPlan({ env: "dev-full", layers: ["runtime"], outDir, projectDir, pins: LEARNING_PIN });
    expect(r.exitCode).toBe(1);
    expect(r.blockers.map((b) => b.code).sort()).toEqual(
      [
        "ENTRYPOINT_CASE_TRIGGER_WORKER",
        "ENTRYPOINT_CM_SERVICE",
        "ENTRYPOINT_DECISION_LANE_WORKER",
        "ENTRYPOINT_LS_SERVICE",
        "ENTRYPOINT_RTDL_CORE_WORKER",
        "ENTRYPOINT_WSP",
      ].map((h) => `TO_PIN:${h}`),
    );
    expect(ofType(runtimePlan(r), "aws:ecs/taskDefinition:TaskDefinition")).toEqual([]);
  }, 120_000);

  it("refuses a mutable image tag with the key, the rule and the fix", async () => {
    const projectDir = projectWithEcs({ spineServicesEnabled: true, image: "dev-full-latest", platformRunId: "run-20261125-001" });
    // Checked with the environment before any layer runs: an InputError (exit 2), nothing planned or written.
    const r = runPlan({ env: "dev-full", layers: ["runtime"], outDir, projectDir, pins: { ...LEARNING_PIN, ...ENTRYPOINT_PINS } });
    await expect(r).rejects.toThrow(
      /fraud-platform:runtimeLanes\.ecs\.image: expected an immutable image pin .*never :latest or :dev-full-latest \(DA-61\), found "dev-full-latest"/,
    );
    await expect(r.catch((e: unknown) => exitCodeOf(e))).resolves.toBe(EXIT.badInput);
  }, 120_000);

  it("declares the WSP task and the seven spine services, private, Fargate, desired 0, run-pinned, once entrypoints and image are pinned", async () => {
    const projectDir = projectWithEcs({ spineServicesEnabled: true, image: "git-0123abc-run-42", platformRunId: "run-20261125-001" });
    const r = await runPlan({ env: "dev-full", layers: ["runtime"], outDir, projectDir, pins: { ...LEARNING_PIN, ...ENTRYPOINT_PINS } });
    expect(r.blockers).toEqual([]);
    expect(lanesViolations(r)).toEqual([]);
    expect(r.policy.summary.mandatory).toBe(0);
    const plan = runtimePlan(r);
    const services = ofType(plan, "aws:ecs/service:Service");
    expect(services.map((s) => s.inputs.name).sort()).toEqual(
      ["al", "archive-sink-v0", "case-trigger", "cm", "df", "dla", "ls"].map((s) => `fraud-platform-dev-full-${s}`),
    );
    for (const s of services) {
      expect(s.inputs).toMatchObject({ launchType: "FARGATE", desiredCount: 0, networkConfiguration: { assignPublicIp: false } });
    }
    const tds = ofType(plan, "aws:ecs/taskDefinition:TaskDefinition");
    expect(tds.map((t) => t.inputs.family)).toContain("fraud-platform-dev-full-wsp-ephemeral");
    const taskRoles = new Set(tds.map((t) => t.inputs.taskRoleArn));
    expect(taskRoles.size).toBe(tds.length);
    const cm = JSON.parse(String(tds.find((t) => t.inputs.family === "fraud-platform-dev-full-cm")?.inputs.containerDefinitions)) as Array<
      Record<string, unknown>
    >;
    expect(cm[0]).toMatchObject({
      image: "123456789012.dkr.ecr.eu-west-2.amazonaws.com/fraud-platform-dev-full:git-0123abc-run-42",
      command: ["python", "-m", "fraud_detection.case_mgmt.worker"],
      environment: expect.arrayContaining([{ name: "REQUIRED_PLATFORM_RUN_ID", value: "run-20261125-001" }]),
      secrets: expect.arrayContaining([
        { name: "AURORA_PASSWORD", valueFrom: "arn:aws:ssm:eu-west-2:123456789012:parameter/fraud-platform/dev_full/aurora/password" },
      ]),
    });
    expect(JSON.stringify(cm[0].environment)).not.toMatch(/password/i);
  }, 120_000);
});
