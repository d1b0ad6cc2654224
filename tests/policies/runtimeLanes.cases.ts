/** Runtime lanes rules (DA-19, 50, 54, 55, 57, 61, 63, 93, 100): each fires on one mutated field and stays quiet on compliant fixtures. */
import { PreviewDocument, PropertyMap, ResourceState } from "../../src/plan/previewDocument";
import { loadRegistry } from "../../src/registry/registry";
import { admissionTags } from "../../src/runtime/admission";
import { finalVerdictDefinition, learningGateDefinition, OrchestrationContext, orchestrationContext, platformRunDefinition } from "../../src/orchestration/asl";
import { ecsServicesOnFargate, eksAdmissionRecord, eksEndpointRestricted, eksLaneIsolation } from "../../policies/rules/eksExceptionLane";
import { flinkFallbackApproved, flinkOnMsf } from "../../policies/rules/flinkPlacement";
import { emrServerlessImageImmutable, lambdaImageImmutable, taskDefinitionImagesImmutable } from "../../policies/rules/imageReferences";
import { pinnedStateMachines, streamSortOnEmrServerless, wspOnFargate } from "../../policies/rules/orchestration";
import { taskDefinitionRunId } from "../../policies/rules/runIdEnv";
import { ecsServicesDesiredZero, emrServerlessAutoStop, nodeGroupsScaleToZero } from "../../policies/rules/scaleToZero";
import { TAGS, check, mutate } from "../helpers/policyFixtures";

const RUNTIME = "dev-full-runtime";
const r = loadRegistry();
const TODAY = "2026-11-25";
const ADMISSION = admissionTags({
  reason: "exception lane",
  capabilityGap: "k8s-native operator",
  sloGain: "fallback keeps lag in SLO",
  costFit: "nodes scale to 0",
  rollbackPath: "scale to 0 then destroy",
  reviewedOn: TODAY,
  reviewBy: "2026-12-20",
});
const RT_TAGS = { ...TAGS, fp_stack: "runtime" };
const IMAGE = "123456789012.dkr.ecr.eu-west-2.amazonaws.com/fraud-platform-dev-full:git-0123abc-run-42";

function res(type: string, name: string, inputs: PropertyMap): ResourceState {
  return {
    urn: `urn:pulumi:${RUNTIME}::fraud-platform::${type}::${name}`,
    type,
    custom: true,
    protect: false,
    retainOnDelete: false,
    dependencies: [],
    inputs,
  };
}
function rdoc(...states: ResourceState[]): PreviewDocument {
  return { stack: RUNTIME, steps: states.map((s) => ({ op: "create", urn: s.urn, newState: s })), changeSummary: { create: states.length } };
}
const ctx: OrchestrationContext = orchestrationContext(r, "fraud-platform-dev-full-evidence");

/** Compliant fixtures of the runtime lanes. */
const ok = {
  eksComponent: (): PropertyMap => ({
    name: "fraud-platform-dev-full",
    endpointPrivateAccess: true,
    endpointPublicAccess: false,
    skipDefaultNodeGroup: true,
    tags: { ...RT_TAGS, ...ADMISSION },
  }),
  eksCluster: (): PropertyMap => ({
    name: "fraud-platform-dev-full",
    vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] },
    tags: { ...RT_TAGS, ...ADMISSION },
  }),
  nodeGroup: (): PropertyMap => ({
    nodeGroupName: "fraud-platform-dev-full-lane-workers",
    scalingConfig: { minSize: 0, desiredSize: 0, maxSize: 2 },
    tags: { ...RT_TAGS, ...ADMISSION },
  }),
  namespace: (name: string): PropertyMap => ({ metadata: { name } }),
  denyAll: (ns: string): PropertyMap => ({
    metadata: { name: "default-deny-all", namespace: ns },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  }),
  serviceAccount: (ns: string): PropertyMap => ({
    metadata: {
      name: "rtdl",
      namespace: ns,
      annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/fraud-platform-dev-full-irsa-rtdl" },
    },
  }),
  machine: (handle: string, def: unknown): PropertyMap => ({ name: r.string(handle), definition: JSON.stringify(def), tags: RT_TAGS }),
  flink: (): PropertyMap => ({
    name: "fraud-platform-dev-full-rtdl-ieg-ofp-v0",
    runtimeEnvironment: "FLINK-1_20",
    applicationConfiguration: {
      flinkApplicationConfiguration: {
        parallelismConfiguration: { configurationType: "CUSTOM", parallelism: 2, autoScalingEnabled: false },
        checkpointConfiguration: { configurationType: "CUSTOM", checkpointingEnabled: true, checkpointInterval: 60000 },
      },
    },
  }),
  emr: (): PropertyMap => ({
    name: "fraud-platform-dev-full-oracle-stream-sort-v0",
    type: "spark",
    releaseLabel: "emr-6.15.0",
    autoStopConfiguration: { enabled: true, idleTimeoutMinutes: 15 },
  }),
  taskDef: (family = "fraud-platform-dev-full-df", image = IMAGE): PropertyMap => ({
    family,
    requiresCompatibilities: ["FARGATE"],
    networkMode: "awsvpc",
    containerDefinitions: JSON.stringify([{ name: family, image, environment: [{ name: "REQUIRED_PLATFORM_RUN_ID", value: "run-1" }] }]),
  }),
  service: (): PropertyMap => ({ name: "fraud-platform-dev-full-df", launchType: "FARGATE", desiredCount: 0 }),
};
const lanesDoc = (skip?: string, extra: ResourceState[] = []) => {
  const namespaces = r.handles.filter((h) => /^EKS_NAMESPACE_/.test(h.name)).map((h) => r.string(h.name));
  return rdoc(
    res("eks:index:Cluster", "lane", ok.eksComponent()),
    ...namespaces.filter((n) => n !== skip).map((n) => res("kubernetes:core/v1:Namespace", n, ok.namespace(n))),
    ...namespaces.map((n) => res("kubernetes:networking.k8s.io/v1:NetworkPolicy", `${n}-deny`, ok.denyAll(n))),
    res("kubernetes:core/v1:ServiceAccount", "rtdl", ok.serviceAccount("fraud-platform-rtdl")),
    ...extra,
  );
};

describe("DA-19 EKS endpoint", () => {
  it("stays quiet on a private endpoint and on a CIDR-restricted one", async () => {
    const rep = await check(
      eksEndpointRestricted,
      rdoc(res("eks:index:Cluster", "a", ok.eksComponent()), res("aws:eks/cluster:Cluster", "b", ok.eksCluster())),
    );
    expect(rep.violations).toEqual([]);
  });
  it.each([
    ["eks:index:Cluster", "endpointPublicAccess", true, /no CIDR restriction/],
    ["eks:index:Cluster", "endpointPublicAccess", undefined, /no CIDR restriction/],
    ["aws:eks/cluster:Cluster", "vpcConfig.publicAccessCidrs", ["0.0.0.0/0"], /admits 0.0.0.0\/0/],
    ["aws:eks/cluster:Cluster", "vpcConfig.publicAccessCidrs", undefined, /no CIDR restriction/],
  ])("fires on %s when %s is %p", async (type, path, value, message) => {
    const base = type === "eks:index:Cluster" ? ok.eksComponent() : ok.eksCluster();
    const rep = await check(eksEndpointRestricted, rdoc(res(type, "c", mutate(base, path, value as PropertyMap[string]))));
    expect(rep.violations).toHaveLength(1);
    expect(rep.violations[0]).toMatchObject({ policy: "da-19-eks-endpoint-private", enforcementLevel: "mandatory" });
    expect(rep.violations[0].message).toMatch(message);
  });
});

describe("DA-19 lane isolation (stack)", () => {
  it("stays quiet with every lane namespace, default-deny policies and IRSA-bound service accounts", async () => {
    expect((await check(eksLaneIsolation, lanesDoc())).violations).toEqual([]);
  });
  it("stays quiet in a stack without EKS", async () => {
    expect((await check(eksLaneIsolation, rdoc(res("kubernetes:core/v1:Namespace", "x", ok.namespace("x"))))).violations).toEqual([]);
  });
  it("fires on a missing lane namespace", async () => {
    const rep = await check(eksLaneIsolation, lanesDoc("fraud-platform-learning"));
    expect(rep.violations.map((v) => v.message)).toEqual([expect.stringContaining("lane namespaces not declared: fraud-platform-learning")]);
  });
  it("fires on a namespace whose only policy allows traffic", async () => {
    const doc = lanesDoc();
    const deny = doc.steps.find((s) => s.newState?.inputs.metadata && (s.newState.inputs.metadata as PropertyMap).namespace === "fraud-platform-obs-gov");
    (deny?.newState?.inputs.spec as PropertyMap).ingress = [{ from: [{ podSelector: {} }] }];
    const rep = await check(eksLaneIsolation, doc);
    expect(rep.violations.map((v) => v.message)).toEqual([expect.stringContaining("without a default-deny NetworkPolicy: fraud-platform-obs-gov")]);
  });
  it("fires on a lane service account without an IRSA role", async () => {
    const bare = res("kubernetes:core/v1:ServiceAccount", "bare", { metadata: { name: "bare", namespace: "fraud-platform-rtdl" } });
    const rep = await check(eksLaneIsolation, lanesDoc(undefined, [bare]));
    expect(rep.violations).toHaveLength(1);
    expect(rep.violations[0]).toMatchObject({ urn: bare.urn });
  });
});

describe("DA-54 admission record and Fargate placement", () => {
  const today = { "da-54-eks-admission-record": { today: TODAY } };
  it("stays quiet on a complete record reviewed within 30 days", async () => {
    const rep = await check(
      eksAdmissionRecord,
      rdoc(
        res("eks:index:Cluster", "a", ok.eksComponent()),
        res("aws:eks/cluster:Cluster", "b", ok.eksCluster()),
        res("aws:eks/nodeGroup:NodeGroup", "n", ok.nodeGroup()),
      ),
      today,
    );
    expect(rep.violations).toEqual([]);
  });
  it("fires on a record without a rollback path", async () => {
    const rep = await check(
      eksAdmissionRecord,
      rdoc(res("aws:eks/nodeGroup:NodeGroup", "n", mutate(ok.nodeGroup(), "tags.fp_eks_admission_rollback_path", undefined))),
      today,
    );
    expect(rep.violations.map((v) => v.message)).toEqual([expect.stringContaining("missing fp_eks_admission_rollback_path")]);
  });
  it("fires when the review date lies more than 30 days ahead, or has passed", async () => {
    const far = await check(
      eksAdmissionRecord,
      rdoc(res("eks:index:Cluster", "a", mutate(ok.eksComponent(), "tags.fp_eks_admission_review_by", "2027-02-01"))),
      today,
    );
    expect(far.violations.map((v) => v.message)).toEqual([expect.stringMatching(/68 days ahead/)]);
    const late = await check(eksAdmissionRecord, rdoc(res("eks:index:Cluster", "a", ok.eksComponent())), {
      "da-54-eks-admission-record": { today: "2027-01-05" },
    });
    expect(late.violations.map((v) => v.message)).toEqual([expect.stringMatching(/overdue/)]);
  });
  it("fires on an EC2-backed ECS service and stays quiet on Fargate", async () => {
    expect((await check(ecsServicesOnFargate, rdoc(res("aws:ecs/service:Service", "s", ok.service())))).violations).toEqual([]);
    const rep = await check(ecsServicesOnFargate, rdoc(res("aws:ecs/service:Service", "s", mutate(ok.service(), "launchType", "EC2"))));
    expect(rep.violations).toHaveLength(1);
  });
});

describe("DA-57 state machines (stack)", () => {
  const machines = () => [
    res("aws:sfn/stateMachine:StateMachine", "platform-run", ok.machine("SFN_PLATFORM_RUN_ORCHESTRATOR_V0", platformRunDefinition(ctx))),
    res("aws:sfn/stateMachine:StateMachine", "learning-gate", ok.machine("SFN_LEARNING_PIPELINE_GATE_V0", learningGateDefinition(ctx))),
    res("aws:sfn/stateMachine:StateMachine", "final-verdict", ok.machine("SFN_FINAL_VERDICT_AGGREGATOR_V0", finalVerdictDefinition(ctx))),
  ];
  it("stays quiet on the three pinned machines with READY only in platform-run", async () => {
    expect((await check(pinnedStateMachines, rdoc(...machines()))).violations).toEqual([]);
  });
  it("fires when a pinned machine is missing from a runtime stack", async () => {
    const rep = await check(pinnedStateMachines, rdoc(...machines().slice(0, 2)));
    expect(rep.violations.map((v) => v.message)).toEqual([expect.stringContaining("missing pinned state machines: fraud-platform-dev-full-final-verdict-v0")]);
  });
  it("fires on a fourth machine", async () => {
    const extra = res("aws:sfn/stateMachine:StateMachine", "extra", { name: "fraud-platform-dev-full-extra", definition: "{}" });
    const rep = await check(pinnedStateMachines, rdoc(...machines(), extra));
    expect(rep.violations).toEqual([expect.objectContaining({ urn: extra.urn })]);
  });
  it("fires when READY is committed outside platform-run", async () => {
    const [run, , verdict] = machines();
    const rogue = res("aws:sfn/stateMachine:StateMachine", "learning-gate", ok.machine("SFN_LEARNING_PIPELINE_GATE_V0", platformRunDefinition(ctx)));
    const rep = await check(pinnedStateMachines, rdoc(run, rogue, verdict));
    expect(rep.violations.map((v) => v.message)).toEqual([expect.stringContaining("fraud-platform-dev-full-learning-gate-v0 holds a READY commit path")]);
  });
  it("stays quiet in a stack that is not runtime and has no machines", async () => {
    const rep = await check(pinnedStateMachines, {
      ...rdoc(),
      steps: [
        {
          op: "create",
          urn: "urn:pulumi:dev-full-core::fraud-platform::aws:s3/bucket:Bucket::b",
          newState: { ...res("aws:s3/bucket:Bucket", "b", {}), urn: "urn:pulumi:dev-full-core::fraud-platform::aws:s3/bucket:Bucket::b" },
        },
      ],
    });
    expect(rep.violations).toEqual([]);
  });
});

describe("DA-50 Flink placement", () => {
  it("stays quiet on the pinned MSF application", async () => {
    expect((await check(flinkOnMsf, rdoc(res("aws:kinesisanalyticsv2/application:Application", "f", ok.flink())))).violations).toEqual([]);
  });
  it.each([
    ["name", "fraud-platform-dev-full-other", /only MSF application/],
    ["applicationConfiguration.flinkApplicationConfiguration.parallelismConfiguration.parallelism", 4, /parallelism/],
    ["applicationConfiguration.flinkApplicationConfiguration.checkpointConfiguration.checkpointInterval", 30000, /every 60000 ms/],
    ["applicationConfiguration.flinkApplicationConfiguration.checkpointConfiguration.checkpointingEnabled", false, /checkpointing/],
  ])("fires when %s is %p", async (path, value, message) => {
    const rep = await check(flinkOnMsf, rdoc(res("aws:kinesisanalyticsv2/application:Application", "f", mutate(ok.flink(), path, value))));
    expect(rep.violations).toHaveLength(1);
    expect(rep.violations[0].message).toMatch(message);
  });
  it("admits an EMR-on-EKS virtual cluster only with the fallback record", async () => {
    const vc = (tags: Record<string, string>) =>
      rdoc(res("aws:emrcontainers/virtualCluster:VirtualCluster", "vc", { name: "fraud-platform-dev-full-flink-vc", tags: { ...RT_TAGS, ...tags } }));
    expect((await check(flinkFallbackApproved, vc({ fp_fallback_blocker: "M6P6-B2", fp_fallback_approval: "ADR-7" }))).violations).toEqual([]);
    expect((await check(flinkFallbackApproved, vc({}))).violations).toHaveLength(2);
  });
});

describe("DA-55 stream sort and WSP placement", () => {
  it("stays quiet on the pinned EMR Serverless Spark app and a Fargate WSP task", async () => {
    const rep = await check(
      [streamSortOnEmrServerless, wspOnFargate],
      rdoc(
        res("aws:emrserverless/application:Application", "e", ok.emr()),
        res("aws:ecs/taskDefinition:TaskDefinition", "w", ok.taskDef("fraud-platform-dev-full-wsp-ephemeral")),
      ),
    );
    expect(rep.violations).toEqual([]);
  });
  it("fires on another release label and on an EC2 WSP task", async () => {
    expect(
      (await check(streamSortOnEmrServerless, rdoc(res("aws:emrserverless/application:Application", "e", mutate(ok.emr(), "releaseLabel", "emr-7.0.0")))))
        .violations,
    ).toHaveLength(1);
    const ec2 = mutate(ok.taskDef("fraud-platform-dev-full-wsp-ephemeral"), "requiresCompatibilities", ["EC2"]);
    expect((await check(wspOnFargate, rdoc(res("aws:ecs/taskDefinition:TaskDefinition", "w", ec2)))).violations).toHaveLength(1);
  });
});

describe("DA-61 immutable images", () => {
  it("stays quiet on a git-<sha>-run-<id> task image, a zip Lambda and a release EMR app", async () => {
    const rep = await check(
      [taskDefinitionImagesImmutable, lambdaImageImmutable, emrServerlessImageImmutable],
      rdoc(
        res("aws:ecs/taskDefinition:TaskDefinition", "t", ok.taskDef()),
        res("aws:lambda/function:Function", "l", { name: "fraud-platform-dev-full-ig-handler", packageType: "Zip" }),
        res("aws:emrserverless/application:Application", "e", ok.emr()),
      ),
    );
    expect(rep.violations).toEqual([]);
  });
  it.each([`${IMAGE.split(":")[0]}:latest`, `${IMAGE.split(":")[0]}:dev-full-latest`])(
    "fires on %s in a task definition, a Lambda image and an EMR image",
    async (image) => {
      const rep = await check(
        [taskDefinitionImagesImmutable, lambdaImageImmutable, emrServerlessImageImmutable],
        rdoc(
          res("aws:ecs/taskDefinition:TaskDefinition", "t", ok.taskDef(undefined, image)),
          res("aws:lambda/function:Function", "l", { name: "x", packageType: "Image", imageUri: image }),
          res("aws:emrserverless/application:Application", "e", { ...ok.emr(), imageConfiguration: { imageUri: image } }),
        ),
      );
      expect(rep.violations.map((v) => v.policy).sort()).toEqual([
        "da-61-emr-serverless-image-immutable",
        "da-61-lambda-image-immutable",
        "da-61-task-definition-images-immutable",
      ]);
    },
  );
});

describe("DA-63 run id in task definitions", () => {
  it("stays quiet with REQUIRED_PLATFORM_RUN_ID and fires without it or when empty", async () => {
    expect((await check(taskDefinitionRunId, rdoc(res("aws:ecs/taskDefinition:TaskDefinition", "t", ok.taskDef())))).violations).toEqual([]);
    const none = { ...ok.taskDef(), containerDefinitions: JSON.stringify([{ name: "c", image: IMAGE, environment: [] }]) };
    const empty = {
      ...ok.taskDef(),
      containerDefinitions: JSON.stringify([{ name: "c", image: IMAGE, environment: [{ name: "REQUIRED_PLATFORM_RUN_ID", value: "" }] }]),
    };
    const rep = await check(
      taskDefinitionRunId,
      rdoc(res("aws:ecs/taskDefinition:TaskDefinition", "a", none), res("aws:ecs/taskDefinition:TaskDefinition", "b", empty)),
    );
    expect(rep.violations).toHaveLength(2);
  });
});

describe("DA-93 / DA-100 idle safety", () => {
  it("stays quiet on desired 0, min 0, a component without default nodes, EMR auto-stop", async () => {
    const rep = await check(
      [ecsServicesDesiredZero, nodeGroupsScaleToZero, emrServerlessAutoStop],
      rdoc(
        res("aws:ecs/service:Service", "s", ok.service()),
        res("aws:eks/nodeGroup:NodeGroup", "n", ok.nodeGroup()),
        res("eks:index:Cluster", "c", ok.eksComponent()),
        res("aws:emrserverless/application:Application", "e", ok.emr()),
      ),
    );
    expect(rep.violations).toEqual([]);
  });
  it("fires on desired 2, min 1, a default node group and auto-stop off", async () => {
    const rep = await check(
      [ecsServicesDesiredZero, nodeGroupsScaleToZero, emrServerlessAutoStop],
      rdoc(
        res("aws:ecs/service:Service", "s", mutate(ok.service(), "desiredCount", 2)),
        res("aws:eks/nodeGroup:NodeGroup", "n", mutate(ok.nodeGroup(), "scalingConfig.minSize", 1)),
        res("eks:index:Cluster", "c", mutate(ok.eksComponent(), "skipDefaultNodeGroup", false)),
        res("aws:emrserverless/application:Application", "e", mutate(ok.emr(), "autoStopConfiguration.enabled", false)),
      ),
    );
    expect(rep.violations.map((v) => v.policy).sort()).toEqual([
      "da-100-eks-node-groups-scale-to-zero",
      "da-100-eks-node-groups-scale-to-zero",
      "da-100-emr-serverless-auto-stop",
      "da-93-ecs-services-desired-zero",
    ]);
  });
  it("admits a proof-window desired count through policy config", async () => {
    const rep = await check(ecsServicesDesiredZero, rdoc(res("aws:ecs/service:Service", "s", mutate(ok.service(), "desiredCount", 2))), {
      "da-93-ecs-services-desired-zero": { maxDesiredCount: 2 },
    });
    expect(rep.violations).toEqual([]);
  });
});
