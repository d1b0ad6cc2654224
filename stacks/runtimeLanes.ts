/**
 * runtime, part B: the EKS exception lane and the orchestration/runtime lanes (issue 4). `stacks/runtime.ts`
 * (runtime A) calls {@link runtimeLanes} with the upstream outputs it read ({@link runtimeLanesDepsFrom}) and
 * merges `handles` into its `handleOutputs(...)` map and `outputs` into the stack outputs.
 *
 * - EKS exception lane (DA-19, DA-54): cluster, scale-to-zero node group, one namespace per lane with default-deny
 *   network policies, one IRSA role + service account per lane; the learning lane fails closed until
 *   ROLE_EKS_IRSA_LEARNING is pinned; the EMR-on-EKS Flink fallback only behind its approved switch (DA-50).
 * - Orchestration (DA-55/57): the three pinned state machines, READY commit only in platform-run.
 * - Stream processing and batch: the MSF application of IEG/OFP (DA-50) and the EMR Serverless stream sort (DA-55).
 * - ECS: the WSP cluster; the WSP task and the spine services only behind `spineServicesEnabled` (off for P0),
 *   which fails closed on a TO_PIN entrypoint or a mutable image (DA-61), desired 0 by default (DA-93).
 * Parity target: ../shared/spec/stacks/runtime.md §3.5-3.7, §5, with §6.5 defects fixed.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EksExceptionCluster } from "../components/eksExceptionCluster";
import { EmrServerlessApplication } from "../components/emrServerlessApplication";
import { FargateWorkload } from "../components/fargateWorkload";
import { FlinkApplication } from "../components/flinkApplication";
import { IrsaServiceAccount } from "../components/irsaServiceAccount";
import { LaneNamespace } from "../components/laneNamespace";
import { OrchestratedStateMachine } from "../components/orchestratedStateMachine";
import { WorkloadRole } from "../components/workloadRole";
import { Environment } from "../src/config/environment";
import { RuntimeLanesSettings } from "../src/config/runtimeLanesSettings";
import { PROJECT_NAMESPACE } from "../src/config/settings";
import { InputError } from "../src/errors";
import { denyTruthViewsStatement, s3KmsStatement, vpcAccessStatement } from "../src/iam/laneStatements";
import { S3Access, StatementSpec, s3PrefixStatements, serviceTrust, ssmReadStatements } from "../src/iam/policy";
import { StreamLane, laneAccessFromCatalog } from "../src/iam/streamAccess";
import { PINNED_HANDLE_TAG } from "../policies/lib/pins";
import { finalVerdictDefinition, learningGateDefinition, orchestrationContext, platformRunDefinition } from "../src/orchestration/asl";
import { admissionTags } from "../src/runtime/admission";
import { commandFor } from "../src/runtime/entrypoints";
import { idleSafeDesiredCount, idleSafeNodeGroup, idleSafeStartApplication } from "../src/teardown/idleSafe";
import { imageFromPin } from "../src/runtime/images";
import { Registry } from "../src/registry/registry";
import { tagsFor } from "../src/tags";
import { StackOutputs, deferred } from "./handleOutputs";
import { downReason, surfaceUp } from "../src/window/surfaces";

type Buckets = { object_store: string; evidence: string; artifacts: string };

/** Upstream outputs the lanes need (core and streaming), as runtime A reads them through StackReferences. */
export interface RuntimeLanesDeps {
  core: {
    vpcId: pulumi.Input<string>;
    privateSubnetIds: pulumi.Input<string[]>;
    kmsKeyArn: pulumi.Input<string>;
    bucketNames: pulumi.Input<Buckets>;
    bucketArns: pulumi.Input<Buckets>;
    /** Platform image repository URL (ECR_REPO_URI). */
    ecrRepositoryUrl: pulumi.Input<string>;
    /** ROLE_EKS_RUNTIME_PLATFORM_BASE (cluster role) and ROLE_EKS_NODEGROUP_DEV_FULL (node role) ARNs. */
    clusterRoleArn: pulumi.Input<string>;
    nodeRoleArn: pulumi.Input<string>;
  };
  streaming: {
    mskClusterArn: pulumi.Input<string>;
    /** Lane -> stream access policy JSON (streaming's `stream_access_policies`). */
    streamAccessPolicies: pulumi.Input<Record<string, string>>;
  };
  /** Resources nodes and tasks need before they boot without NAT (runtime A's VPC endpoints), if any. */
  bootDependencies?: pulumi.Resource[];
  /**
   * Runtime A's workload security group: the group of Flink, EMR Serverless, the ECS services and the EKS nodes
   * (egress to the S3/DynamoDB gateway prefix lists and to endpoints, MSK, Aurora and Redis in the private subnets).
   */
  workloadSecurityGroupId: pulumi.Input<string>;
}

/** What the lanes hand back: registry handles (for handleOutputs), other outputs and extra materialization keys. */
export interface RuntimeLanesResult {
  handles: StackOutputs;
  outputs: StackOutputs;
  materialization: StackOutputs;
}

/** The deps from core and streaming StackReferences; a missing output is an error naming it (no fallback). */
export function runtimeLanesDepsFrom(core: pulumi.StackReference, streaming: pulumi.StackReference): Omit<RuntimeLanesDeps, "workloadSecurityGroupId" | "bootDependencies"> {
  const buckets = (name: string) =>
    core.requireOutput(name).apply((v): Buckets => {
      const b = v as Partial<Buckets>;
      if (!b?.object_store || !b.evidence || !b.artifacts) throw new Error(`core output ${name} lacks object_store/evidence/artifacts: ${JSON.stringify(v)}`);
      return { object_store: b.object_store, evidence: b.evidence, artifacts: b.artifacts };
    });
  return {
    core: {
      vpcId: core.requireOutput("vpc_id") as pulumi.Output<string>,
      privateSubnetIds: core.requireOutput("private_subnet_ids") as pulumi.Output<string[]>,
      kmsKeyArn: core.requireOutput("kms_key_arn") as pulumi.Output<string>,
      bucketNames: buckets("s3_bucket_names"),
      bucketArns: buckets("s3_bucket_arns"),
      ecrRepositoryUrl: core.requireOutput("ECR_REPO_URI") as pulumi.Output<string>,
      clusterRoleArn: core.requireOutput("ROLE_EKS_RUNTIME_PLATFORM_BASE") as pulumi.Output<string>,
      nodeRoleArn: core.requireOutput("ROLE_EKS_NODEGROUP_DEV_FULL") as pulumi.Output<string>,
    },
    streaming: {
      mskClusterArn: streaming.requireOutput("MSK_CLUSTER_ARN") as pulumi.Output<string>,
      streamAccessPolicies: streaming.requireOutput("stream_access_policies") as pulumi.Output<Record<string, string>>,
    },
  };
}

/** An S3 grant of a lane: bucket, prefix, access (never delete; oracle-store read-only). */
interface S3Grant {
  bucket: keyof Buckets;
  prefix: string;
  access: S3Access;
}

/** What one EKS lane's workload identity may do. */
interface IrsaLane {
  lane: string;
  roleHandle: string;
  namespaceHandle: string;
  serviceAccount: string;
  /** Stream lane whose access document the role attaches (none: no bus access). */
  stream?: StreamLane;
  /** SSM parameters (handles of secret paths) the lane reads; nothing else under /fraud-platform/dev_full/. */
  ssm: string[];
  s3: S3Grant[];
}

const EVIDENCE_RUNS: S3Grant = { bucket: "evidence", prefix: "evidence/runs/", access: "write" };

/** Namespaces per lane (DA-19): handle -> lane label. */
const NAMESPACES: ReadonlyArray<{ handle: string; lane: string }> = [
  { handle: "EKS_NAMESPACE_PLATFORM", lane: "platform" },
  { handle: "EKS_NAMESPACE_INGRESS", lane: "ingress" },
  { handle: "EKS_NAMESPACE_RTDL", lane: "rtdl" },
  { handle: "EKS_NAMESPACE_CASE_LABELS", lane: "case-labels" },
  { handle: "EKS_NAMESPACE_OBS_GOV", lane: "obs-gov" },
  { handle: "EKS_NAMESPACE_LEARNING", lane: "learning" },
];

/** IRSA lanes (runtime.md §3.7.2, with SSM narrowed to what each lane reads and the missing grants added). */
const IRSA_LANES: readonly IrsaLane[] = [
  { lane: "ig", roleHandle: "ROLE_EKS_IRSA_IG", namespaceHandle: "EKS_NAMESPACE_INGRESS", serviceAccount: "ig", stream: "ig", ssm: ["SSM_IG_API_KEY_PATH", "SSM_MSK_BOOTSTRAP_BROKERS_PATH"], s3: [] },
  {
    lane: "rtdl",
    roleHandle: "ROLE_EKS_IRSA_RTDL",
    namespaceHandle: "EKS_NAMESPACE_RTDL",
    serviceAccount: "rtdl",
    stream: "rtdl",
    ssm: ["SSM_MSK_BOOTSTRAP_BROKERS_PATH", "SSM_REDIS_ENDPOINT_PATH"],
    s3: [{ bucket: "object_store", prefix: "state/rtdl/", access: "readwrite" }, EVIDENCE_RUNS],
  },
  { lane: "decision_lane", roleHandle: "ROLE_EKS_IRSA_DECISION_LANE", namespaceHandle: "EKS_NAMESPACE_RTDL", serviceAccount: "decision-lane", stream: "decision_lane", ssm: ["SSM_MSK_BOOTSTRAP_BROKERS_PATH"], s3: [EVIDENCE_RUNS] },
  {
    lane: "case_labels",
    roleHandle: "ROLE_EKS_IRSA_CASE_LABELS",
    namespaceHandle: "EKS_NAMESPACE_CASE_LABELS",
    serviceAccount: "case-labels",
    stream: "case_labels",
    ssm: ["SSM_MSK_BOOTSTRAP_BROKERS_PATH", "SSM_AURORA_ENDPOINT_PATH", "SSM_AURORA_READER_ENDPOINT_PATH", "SSM_AURORA_USERNAME_PATH", "SSM_AURORA_PASSWORD_PATH"],
    s3: [EVIDENCE_RUNS],
  },
  { lane: "obs_gov", roleHandle: "ROLE_EKS_IRSA_OBS_GOV", namespaceHandle: "EKS_NAMESPACE_OBS_GOV", serviceAccount: "obs-gov", stream: "obs_gov", ssm: ["SSM_MSK_BOOTSTRAP_BROKERS_PATH"], s3: [{ bucket: "evidence", prefix: "evidence/runs/", access: "readwrite" }] },
  {
    lane: "learning",
    roleHandle: "ROLE_EKS_IRSA_LEARNING",
    namespaceHandle: "EKS_NAMESPACE_LEARNING",
    serviceAccount: "learning",
    stream: "learning",
    ssm: ["SSM_MSK_BOOTSTRAP_BROKERS_PATH"],
    s3: [{ bucket: "object_store", prefix: "archive/", access: "read" }, { bucket: "object_store", prefix: "learning/", access: "readwrite" }, EVIDENCE_RUNS],
  },
];

/** A spine workload on ECS Fargate (DA-56), its pinned names and what it may do. */
interface SpineWorkload {
  key: string;
  nameHandle: string;
  taskRoleHandle: string;
  executionRoleHandle: string;
  entrypointHandle: string;
  module: string;
  placementHandle: string;
  stream: StreamLane;
  aurora: boolean;
  s3: S3Grant[];
}

const SPINE: readonly SpineWorkload[] = [
  { key: "df", nameHandle: "ECS_SERVICE_DF_NAME", taskRoleHandle: "ROLE_ECS_DF_TASK_NAME", executionRoleHandle: "ROLE_ECS_DF_EXECUTION_NAME", entrypointHandle: "ENTRYPOINT_DECISION_LANE_WORKER", module: "fraud_detection.decision_fabric.worker", placementHandle: "RUNTIME_WORKLOAD_DF", stream: "decision_lane", aurora: false, s3: [EVIDENCE_RUNS] },
  { key: "al", nameHandle: "ECS_SERVICE_AL_NAME", taskRoleHandle: "ROLE_ECS_AL_TASK_NAME", executionRoleHandle: "ROLE_ECS_AL_EXECUTION_NAME", entrypointHandle: "ENTRYPOINT_DECISION_LANE_WORKER", module: "fraud_detection.action_layer.worker", placementHandle: "RUNTIME_WORKLOAD_AL", stream: "decision_lane", aurora: false, s3: [EVIDENCE_RUNS] },
  { key: "dla", nameHandle: "ECS_SERVICE_DLA_NAME", taskRoleHandle: "ROLE_ECS_DLA_TASK_NAME", executionRoleHandle: "ROLE_ECS_DLA_EXECUTION_NAME", entrypointHandle: "ENTRYPOINT_DECISION_LANE_WORKER", module: "fraud_detection.decision_log_audit.worker", placementHandle: "RUNTIME_WORKLOAD_DLA", stream: "decision_lane", aurora: false, s3: [EVIDENCE_RUNS] },
  { key: "case-trigger", nameHandle: "ECS_SERVICE_CASE_TRIGGER_NAME", taskRoleHandle: "ROLE_ECS_CASE_TRIGGER_TASK_NAME", executionRoleHandle: "ROLE_ECS_CASE_TRIGGER_EXECUTION_NAME", entrypointHandle: "ENTRYPOINT_CASE_TRIGGER_WORKER", module: "fraud_detection.case_trigger.worker", placementHandle: "RUNTIME_WORKLOAD_CASE_TRIGGER", stream: "case_labels", aurora: false, s3: [EVIDENCE_RUNS] },
  { key: "cm", nameHandle: "ECS_SERVICE_CM_NAME", taskRoleHandle: "ROLE_ECS_CM_TASK_NAME", executionRoleHandle: "ROLE_ECS_CM_EXECUTION_NAME", entrypointHandle: "ENTRYPOINT_CM_SERVICE", module: "fraud_detection.case_mgmt.worker", placementHandle: "RUNTIME_WORKLOAD_CM", stream: "case_labels", aurora: true, s3: [EVIDENCE_RUNS] },
  { key: "ls", nameHandle: "ECS_SERVICE_LS_NAME", taskRoleHandle: "ROLE_ECS_LS_TASK_NAME", executionRoleHandle: "ROLE_ECS_LS_EXECUTION_NAME", entrypointHandle: "ENTRYPOINT_LS_SERVICE", module: "fraud_detection.label_store.worker", placementHandle: "RUNTIME_WORKLOAD_LS", stream: "case_labels", aurora: true, s3: [EVIDENCE_RUNS] },
  {
    key: "archive",
    nameHandle: "ARCHIVE_CONNECTOR_FUNCTION_NAME",
    taskRoleHandle: "ARCHIVE_CONNECTOR_IAM_ROLE_NAME",
    executionRoleHandle: "ROLE_ECS_ARCHIVE_EXECUTION_NAME",
    entrypointHandle: "ENTRYPOINT_RTDL_CORE_WORKER",
    module: "fraud_detection.archive_writer.worker",
    placementHandle: "RUNTIME_WORKLOAD_ARCHIVE",
    stream: "archive",
    aurora: false,
    s3: [{ bucket: "object_store", prefix: "archive/", access: "write" }, EVIDENCE_RUNS],
  },
];

/** `{placeholder}` substitution of a registry pattern. */
function fill(pattern: string, key: string, value: string): string {
  if (!pattern.includes(`{${key}}`)) throw new Error(`pattern ${JSON.stringify(pattern)} has no {${key}}`);
  return pattern.replace(`{${key}}`, value);
}

function settingsOf(env: Environment): RuntimeLanesSettings {
  const s = env.settings.runtimeLanes;
  if (!s) {
    throw new InputError(`stack ${env.stackName} needs the runtime lanes settings`, [
      { file: `Pulumi.${env.name}.yaml`, key: `${PROJECT_NAMESPACE}:runtimeLanes`, expected: "the runtime lanes section (src/config/runtimeLanesSettings.ts)", found: "nothing (key missing)", fix: "see docs/runtime-lanes.md" },
    ]);
  }
  return s;
}

/** S3 statements of a lane's grants plus S3 use of the platform key. */
function s3Statements(sid: string, grants: readonly S3Grant[], bucketArns: pulumi.Output<Buckets>, region: string, kmsKeyArn: pulumi.Input<string>): StatementSpec[] {
  if (grants.length === 0) return [];
  const specs = grants.flatMap((g, i) => s3PrefixStatements({ sid: `${sid}S3${i}`, bucketArn: bucketArns.apply((b) => b[g.bucket]), prefix: g.prefix, access: g.access }));
  return [...specs, s3KmsStatement(sid, region, kmsKeyArn)];
}

/** The lane's stream access document, which must exist when the catalog gives the lane access. */
function streamPolicy(policies: pulumi.Input<Record<string, string>>, lane: StreamLane): pulumi.Output<string> {
  return pulumi.output(policies).apply((p) => {
    const doc = p[lane];
    if (typeof doc !== "string") throw new Error(`streaming output stream_access_policies has no document for lane ${lane}`);
    return doc;
  });
}

export function runtimeLanes(env: Environment, deps: RuntimeLanesDeps): RuntimeLanesResult {
  const r = env.registry;
  const settings = settingsOf(env);
  const tags = tagsFor(env);
  const region = env.region;
  const accountId = aws.getCallerIdentityOutput().accountId;
  const bucketArns = pulumi.output(deps.core.bucketArns);
  const bucketNames = pulumi.output(deps.core.bucketNames);
  const retention = r.number("LOG_RETENTION_DAYS");
  const streamLanes = new Set(laneAccessFromCatalog(r.topics()).map((a) => a.lane));
  // Proof window (fraud-platform:window): no bus between windows, so no stream grant either.
  const mskUp = surfaceUp(env, "msk");
  const streamExtra = (lane: StreamLane | undefined): Record<string, pulumi.Input<string>> =>
    lane && streamLanes.has(lane) && mskUp ? { "stream-access": streamPolicy(deps.streaming.streamAccessPolicies, lane) } : {};
  const ssmPaths = (handles: string[]) => handles.map((h) => r.string(h));

  // --- EKS exception lane (admitted by record, DA-54) -------------------------------------------------------------
  const eksSettings = settings.eks;
  const rtdlNamespace = r.string("FLINK_EKS_NAMESPACE");
  const fallback = eksSettings.flinkFallback.enabled;
  // Proof window: the control plane cannot scale to zero, so the lane (cluster, namespaces, IRSA) exists only in a
  // window that names it; its handles are deferred otherwise.
  const eksDown = surfaceUp(env, "eks_lane") ? undefined : deferred(downReason(env, "eks_lane"));
  const cluster = eksDown ? undefined : new EksExceptionCluster("exception-lane", {
    clusterName: r.string("EKS_CLUSTER_NAME"),
    kubernetesVersion: eksSettings.kubernetesVersion,
    vpcId: deps.core.vpcId,
    privateSubnetIds: deps.core.privateSubnetIds,
    publicAccessCidrs: eksSettings.publicAccessCidrs,
    kmsKeyArn: deps.core.kmsKeyArn,
    clusterRoleArn: deps.core.clusterRoleArn,
    nodeRoleArn: deps.core.nodeRoleArn,
    accountId,
    region,
    accessEntries: eksSettings.accessEntries,
    // EMR on EKS reaches its namespace through the service-linked role (the reference mapped it in aws-auth by hand).
    extraAccessEntries: fallback
      ? {
          "emr-containers": {
            principalArn: pulumi.interpolate`arn:aws:iam::${accountId}:role/aws-service-role/emr-containers.amazonaws.com/AWSServiceRoleForAmazonEMRContainers`,
            policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEMRJobPolicy",
            namespaces: [rtdlNamespace],
          },
        }
      : undefined,
    enabledLogTypes: eksSettings.enabledLogTypes,
    controlPlaneLogGroup: { name: r.string("EKS_CONTROL_PLANE_LOG_GROUP_NAME"), retentionInDays: retention },
    nodeGroup: { name: r.string("EKS_NODEGROUP_LANES_NAME"), ...idleSafeNodeGroup(env.settings.idleSafe, eksSettings.nodeGroup) },
    bootDependencies: deps.bootDependencies,
    workloadSecurityGroupId: deps.workloadSecurityGroupId,
    admission: eksSettings.admission,
    tags,
  });

  const namespaces = Object.fromEntries(
    cluster ? NAMESPACES.map(({ handle, lane }) => [handle, new LaneNamespace(`ns-${lane}`, { namespace: r.string(handle), lane, provider: cluster.provider })]) : [],
  ) as Record<string, LaneNamespace>;

  // Role ARN per IRSA handle. ROLE_EKS_IRSA_LEARNING is TO_PIN: a real run stops at env.pinnedRoleName until it is
  // pinned; the offline plan records the blocker, declares nothing that needs the role, and exports it as unknown.
  const irsaRoleArns: Record<string, pulumi.Output<string>> = {};
  const irsa = Object.fromEntries(
    IRSA_LANES.flatMap((l) => {
      if (!cluster) return [];
      if (!r.isPinned(l.roleHandle)) {
        irsaRoleArns[l.roleHandle] = env.pinnedRoleName(l.roleHandle).apply((): string => {
          throw new Error(`${l.roleHandle} resolved without being pinned`);
        });
        return [];
      }
      const roleName = r.roleName(l.roleHandle);
      const sid = l.lane.replace(/_(.)/g, (_m, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toUpperCase());
      const statements = [
        ...ssmReadStatements({ sid, region, accountId, parameterPaths: ssmPaths(l.ssm), kmsKeyArn: deps.core.kmsKeyArn }),
        ...s3Statements(sid, l.s3, bucketArns, region, deps.core.kmsKeyArn),
        ...(l.s3.some((g) => g.bucket === "object_store") ? [denyTruthViewsStatement(sid, bucketArns.apply((b) => b.object_store))] : []),
      ];
      const sa = new IrsaServiceAccount(`irsa-${l.lane.replace(/_/g, "-")}`, {
        roleName,
        namespace: namespaces[l.namespaceHandle].namespaceName,
        serviceAccount: l.serviceAccount,
        lane: l.lane,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcIssuer: cluster.oidcIssuer,
        accountId,
        statements,
        extraPolicyJson: streamExtra(l.stream),
        provider: cluster.provider,
        // A role named by the stack config's pin says which TO_PIN handle it pins (DA-06 and DA-25 read it).
        tags: r.pinnedByConfig(l.roleHandle) ? { ...tags, [PINNED_HANDLE_TAG]: l.roleHandle } : tags,
      });
      irsaRoleArns[l.roleHandle] = sa.roleArn;
      return [[l.roleHandle, sa] as const];
    }),
  ) as Record<string, IrsaServiceAccount | undefined>;

  // --- Stream processing: Flink on MSF (DA-50) and its execution role (also the stream sort's and EMR on EKS's) -----
  const flinkAppName = r.string("FLINK_APP_RTDL_IEG_OFP_V0");
  const flinkLogGroup = fill(r.string("FLINK_LOG_GROUP_PATTERN"), "application_name", flinkAppName);
  // The EKS cluster's OIDC values enter the trust only with the EMR-on-EKS fallback (they are unknown until the
  // cluster exists); without it the trust is known at preview.
  const eksOidc = fallback && cluster ? [cluster.oidcProviderArn, cluster.oidcIssuer] : ["", ""];
  const flinkTrust = pulumi.all([accountId, ...eksOidc]).apply(([account, oidcArn, issuer]): aws.iam.PolicyDocument => ({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: ["kinesisanalytics.amazonaws.com", "emr-serverless.amazonaws.com"] },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": account } },
      },
      ...(fallback && cluster
        ? [
            {
              Effect: "Allow" as const,
              Principal: { Federated: oidcArn },
              Action: "sts:AssumeRoleWithWebIdentity",
              Condition: { StringEquals: { [`${issuer}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${issuer}:sub`]: `system:serviceaccount:${rtdlNamespace}:emr-containers-sa-*` } },
            },
          ]
        : []),
    ],
  }));
  const flinkRole = new WorkloadRole("flink-execution", {
    roleName: r.roleName("ROLE_FLINK_EXECUTION"),
    trust: flinkTrust,
    statements: [
      ...ssmReadStatements({ sid: "Flink", region, accountId, parameterPaths: ssmPaths(["SSM_MSK_BOOTSTRAP_BROKERS_PATH"]), kmsKeyArn: deps.core.kmsKeyArn }),
      ...s3Statements(
        "Flink",
        [
          { bucket: "artifacts", prefix: "artifacts/flink/", access: "read" },
          { bucket: "artifacts", prefix: "artifacts/emr/", access: "read" },
          { bucket: "object_store", prefix: fill(r.string("FLINK_CHECKPOINT_S3_PREFIX_PATTERN"), "application_name", flinkAppName), access: "readwrite" },
          // The stream sort reads raw oracle inputs only (never truth views, never writes: DA-28/29).
          { bucket: "object_store", prefix: "oracle-store/*/*/input/", access: "read" },
          { bucket: "evidence", prefix: "evidence/dev_full/run_control/", access: "write" },
          EVIDENCE_RUNS,
        ],
        bucketArns,
        region,
        deps.core.kmsKeyArn,
      ),
      denyTruthViewsStatement("Flink", bucketArns.apply((b) => b.object_store)),
      {
        sid: "FlinkStateKey",
        actions: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        resources: [deps.core.kmsKeyArn],
        conditions: { StringEquals: { "kms:ViaService": `kinesisanalytics.${region}.amazonaws.com` } },
      },
      {
        sid: "FlinkLogs",
        actions: ["logs:PutLogEvents", "logs:DescribeLogStreams", "logs:DescribeLogGroups"],
        resources: [pulumi.interpolate`arn:aws:logs:${region}:${accountId}:log-group:${flinkLogGroup}:*`],
      },
      vpcAccessStatement("Flink"),
    ],
    extraPolicyJson: streamExtra("rtdl"),
    tags,
  });
  const flink = new FlinkApplication("rtdl-ieg-ofp", {
    applicationName: flinkAppName,
    runtimeEnvironment: settings.flink.runtimeEnvironment,
    executionRoleArn: flinkRole.roleArn,
    codeBucketArn: bucketArns.apply((b) => b.artifacts),
    codeKey: settings.flink.codeArtifactKey,
    parallelism: r.number("FLINK_PARALLELISM_DEFAULT"),
    checkpointIntervalMs: r.number("FLINK_CHECKPOINT_INTERVAL_MS"),
    checkpointLocation: pulumi.interpolate`s3://${bucketNames.apply((b) => b.object_store)}/${fill(r.string("FLINK_CHECKPOINT_S3_PREFIX_PATTERN"), "application_name", flinkAppName)}`,
    properties: {
      "aws.region": region,
      "kafka.bootstrap.servers.param": r.string("SSM_MSK_BOOTSTRAP_BROKERS_PATH"),
      "metric.namespaces": r.string("FLINK_APP_RTDL_IEG_OFP_METRIC_NAMESPACES"),
    },
    subnetIds: deps.core.privateSubnetIds,
    securityGroupIds: [deps.workloadSecurityGroupId],
    kmsKeyArn: deps.core.kmsKeyArn,
    logGroupName: flinkLogGroup,
    retentionInDays: retention,
    startApplication: idleSafeStartApplication(env.settings.idleSafe, settings.flink.startApplication),
    tags: tagsFor(env, { fp_phase_id: "P8" }),
  });

  const streamSort = new EmrServerlessApplication("oracle-stream-sort", {
    applicationName: r.string("ORACLE_STREAM_SORT_EMR_SERVERLESS_APP"),
    releaseLabel: r.string("ORACLE_STREAM_SORT_EMR_RELEASE_LABEL"),
    idleTimeoutMinutes: settings.emrServerless.idleTimeoutMinutes,
    maximumCapacity: settings.emrServerless.maximumCapacity,
    subnetIds: deps.core.privateSubnetIds,
    securityGroupIds: [deps.workloadSecurityGroupId],
    tags: tagsFor(env, { fp_phase_id: "P3" }),
  });

  // EMR-on-EKS Flink fallback: only with an approved M6P6-B2 record (DA-50), in the RTDL namespace.
  const virtualCluster = fallback && cluster
    ? new aws.emrcontainers.VirtualCluster(
        "flink-fallback",
        {
          name: r.string("EMR_EKS_VIRTUAL_CLUSTER_NAME"),
          containerProvider: { id: cluster.clusterName, type: "EKS", info: { eksInfo: { namespace: rtdlNamespace } } },
          tags: tagsFor(env, { fp_fallback_blocker: r.string("FLINK_RUNTIME_PATH_FALLBACK_BLOCKER"), fp_fallback_approval: eksSettings.flinkFallback.approvalRef, ...admissionTags(eksSettings.admission) }),
        },
        { dependsOn: [namespaces.EKS_NAMESPACE_RTDL] },
      )
    : undefined;

  // --- Orchestration: the three pinned state machines (DA-55/57) --------------------------------------------------
  const sfnRole = new WorkloadRole("stepfunctions-orchestrator", {
    roleName: r.roleName("ROLE_STEP_FUNCTIONS_ORCHESTRATOR"),
    trust: accountId.apply((account) => serviceTrust("states.amazonaws.com", { StringEquals: { "aws:SourceAccount": account } })),
    statements: [
      ...s3Statements("Orchestrator", [{ bucket: "evidence", prefix: "evidence/runs/", access: "readwrite" }], bucketArns, region, deps.core.kmsKeyArn),
      { sid: "PublishReady", actions: ["events:PutEvents"], resources: [pulumi.interpolate`arn:aws:events:${region}:${accountId}:event-bus/${r.string("SR_READY_EVENT_BUS_NAME")}`] },
      {
        sid: "ExecutionDataKey",
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: [deps.core.kmsKeyArn],
        conditions: { StringEquals: { "kms:ViaService": `states.${region}.amazonaws.com` } },
      },
      {
        sid: "ExecutionLogDelivery",
        actions: ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"],
        resources: ["*"],
        wildcardJustification: "CloudWatch Logs vended-log delivery APIs used by Step Functions logging take no resource ARN.",
      },
    ],
    tags,
  });
  const ctx = bucketNames.apply((b) => orchestrationContext(r, b.evidence));
  const machines = {
    SFN_PLATFORM_RUN_ORCHESTRATOR_V0: { name: "platform-run", definition: ctx.apply(platformRunDefinition) },
    SFN_LEARNING_PIPELINE_GATE_V0: { name: "learning-gate", definition: ctx.apply(learningGateDefinition) },
    SFN_FINAL_VERDICT_AGGREGATOR_V0: { name: "final-verdict", definition: ctx.apply(finalVerdictDefinition) },
  };
  const stateMachines = Object.fromEntries(
    Object.entries(machines).map(([handle, m]) => {
      const machineName = r.string(handle);
      return [
        handle,
        new OrchestratedStateMachine(m.name, {
          stateMachineName: machineName,
          definition: m.definition,
          roleArn: sfnRole.roleArn,
          logGroupName: fill(r.string("SFN_LOG_GROUP_PATTERN"), "state_machine_name", machineName),
          retentionInDays: retention,
          logLevel: settings.orchestration.logLevel,
          includeExecutionData: settings.orchestration.includeExecutionData,
          kmsKeyArn: deps.core.kmsKeyArn,
          arnScope: { region: env.region, accountId },
          tags,
        }),
      ];
    }),
  ) as Record<keyof typeof machines, OrchestratedStateMachine>;

  // --- ECS: the WSP cluster; WSP task and spine services behind the switch (P0: off) ------------------------------
  const ecs = settings.ecs;
  const ecsCluster = new aws.ecs.Cluster("wsp-ephemeral", {
    name: r.string("WSP_ECS_CLUSTER_NAME"),
    settings: [{ name: "containerInsights", value: ecs.containerInsights ? "enabled" : "disabled" }],
    tags,
  });
  new aws.ecs.ClusterCapacityProviders("wsp-ephemeral", {
    clusterName: ecsCluster.name,
    capacityProviders: ["FARGATE", "FARGATE_SPOT"],
    defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
  });

  const spine: Record<string, FargateWorkload> = {};
  let wsp: FargateWorkload | undefined;
  if (ecs.spineServicesEnabled) {
    // Both fail closed: an unpinned ENTRYPOINT_* stops a real run (the plan records a blocker); a mutable image was
    // refused by the settings schema and is refused again here (DA-61).
    const image = pulumi.output(deps.core.ecrRepositoryUrl).apply((url) => imageFromPin(url, ecs.image));
    const runIdKey = r.string("REQUIRED_PLATFORM_RUN_ID_ENV_KEY");
    const secretsFor = (aurora: boolean): Record<string, string> => ({
      KAFKA_BOOTSTRAP_BROKERS: r.string("SSM_MSK_BOOTSTRAP_BROKERS_PATH"),
      ...(aurora
        ? { AURORA_ENDPOINT: r.string("SSM_AURORA_ENDPOINT_PATH"), AURORA_USERNAME: r.string("SSM_AURORA_USERNAME_PATH"), AURORA_PASSWORD: r.string("SSM_AURORA_PASSWORD_PATH") }
        : {}),
    });
    const environment = (lane: string): Record<string, pulumi.Input<string>> => ({
      [runIdKey]: ecs.platformRunId,
      RUNTIME_LANE: lane,
      AWS_REGION: region,
      PLATFORM_STORE_ROOT: pulumi.interpolate`s3://${bucketNames.apply((b) => b.object_store)}`,
      EVIDENCE_BUCKET: bucketNames.apply((b) => b.evidence),
    });
    const runTags = { fp_run_id: ecs.platformRunId, fp_phase_id: "P2" };
    const workload = (w: SpineWorkload, service: boolean) => {
      if (!r.isPinned(w.entrypointHandle)) {
        // Fails closed: a real run stops here; the offline plan records the blocker and declares nothing for it.
        env.pinned(w.entrypointHandle);
        return undefined;
      }
      const family = r.string(w.nameHandle);
      const sid = w.key.replace(/-(.)/g, (_m, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toUpperCase());
      return new FargateWorkload(w.key, {
        family,
        taskRoleName: r.string(w.taskRoleHandle),
        executionRoleName: r.string(w.executionRoleHandle),
        image,
        command: commandFor(w.entrypointHandle, r.string(w.entrypointHandle), w.module),
        environment: environment(w.stream),
        secrets: secretsFor(w.aurora),
        runIdEnvKey: runIdKey,
        statements: [
          ...s3Statements(sid, w.s3, bucketArns, region, deps.core.kmsKeyArn),
          ...(w.s3.some((g) => g.bucket === "object_store") ? [denyTruthViewsStatement(sid, bucketArns.apply((b) => b.object_store))] : []),
        ],
        extraPolicyJson: streamExtra(w.stream),
        region,
        accountId,
        kmsKeyArn: deps.core.kmsKeyArn,
        logGroupName: fill(r.string("ECS_LOG_GROUP_PATTERN"), "family", family),
        retentionInDays: retention,
        cpu: ecs.taskCpu,
        memory: ecs.taskMemory,
        service: service
          ? { clusterArn: ecsCluster.arn, desiredCount: idleSafeDesiredCount(env.settings.idleSafe, ecs.desiredCount), enforceDesiredCount: env.settings.idleSafe, subnetIds: deps.core.privateSubnetIds, securityGroupIds: [deps.workloadSecurityGroupId], bootDependencies: deps.bootDependencies }
          : undefined,
        // The placement pin the workload realises (RUNTIME_WORKLOAD_* / WSP_RUNTIME), next to the run/phase tags (DA-11).
        tags: tagsFor(env, { ...runTags, fp_workload: w.key, fp_placement: r.string(w.placementHandle) }),
      });
    };
    for (const w of SPINE) {
      const created = workload(w, true);
      if (created) spine[w.key] = created;
    }
    wsp = workload(
      {
        key: "wsp",
        nameHandle: "WSP_TASK_DEFINITION_FAMILY",
        taskRoleHandle: "ROLE_ECS_WSP_TASK_NAME",
        executionRoleHandle: "ROLE_ECS_WSP_EXECUTION_NAME",
        entrypointHandle: "ENTRYPOINT_WSP",
        module: "fraud_detection.world_streamer_producer.cli",
        placementHandle: "WSP_RUNTIME",
        stream: "wsp",
        aurora: false,
        s3: [{ bucket: "object_store", prefix: "oracle-store/*/*/input/", access: "read" }, EVIDENCE_RUNS],
      },
      false,
    );
  }

  // --- Handles (every runtime-B handle under its registry name) ---------------------------------------------------
  const nameOf = (handle: string) => r.string(handle);
  const SPINE_OFF = deferred("spine services and the WSP task are off for substrate readiness (fraud-platform:runtimeLanes.ecs.spineServicesEnabled)");
  const spineNames = (created: boolean, handles: string[]) => Object.fromEntries(handles.map((h) => [h, created ? nameOf(h) : SPINE_OFF]));
  const handles: StackOutputs = {
    EKS_CLUSTER_NAME: cluster ? cluster.clusterName : eksDown,
    EKS_CLUSTER_ARN: cluster ? cluster.clusterArn : eksDown,
    EKS_NODEGROUP_LANES_NAME: cluster ? cluster.nodeGroupName : eksDown,
    EKS_CONTROL_PLANE_LOG_GROUP_NAME: cluster ? cluster.controlPlaneLogGroupName : eksDown,
    ...Object.fromEntries(NAMESPACES.map(({ handle }) => [handle, namespaces[handle]?.namespaceName ?? eksDown])),
    FLINK_EKS_NAMESPACE: namespaces.EKS_NAMESPACE_RTDL?.namespaceName ?? eksDown,
    // Unknown (never a made-up ARN) while a role is unpinned; deferred while the lane is down.
    ...Object.fromEntries(IRSA_LANES.map((l) => [l.roleHandle, irsaRoleArns[l.roleHandle] ?? eksDown])),
    FLINK_APP_RTDL_IEG_OFP_V0: flink.applicationName,
    ROLE_FLINK_EXECUTION: flinkRole.roleArn,
    EMR_EKS_EXECUTION_ROLE_ARN: flinkRole.roleArn,
    ORACLE_STREAM_SORT_EXECUTION_ROLE_ARN: flinkRole.roleArn,
    ORACLE_STREAM_SORT_EMR_SERVERLESS_APP: streamSort.applicationName,
    // Not materialised while the fallback is off: the name stays pinned, the id is null.
    EMR_EKS_VIRTUAL_CLUSTER_NAME: virtualCluster ? virtualCluster.name : nameOf("EMR_EKS_VIRTUAL_CLUSTER_NAME"),
    EMR_EKS_VIRTUAL_CLUSTER_ID: virtualCluster ? virtualCluster.id : deferred("the EMR-on-EKS Flink fallback (M6P6-B2) is off (fraud-platform:runtimeLanes.flinkFallback.enabled)"),
    ROLE_STEP_FUNCTIONS_ORCHESTRATOR: sfnRole.roleArn,
    ...Object.fromEntries(Object.entries(stateMachines).map(([handle, m]) => [handle, m.stateMachineName])),
    WSP_ECS_CLUSTER_NAME: ecsCluster.name,
    ARCHIVE_CONNECTOR_PROBE_ECS_CLUSTER: ecsCluster.name,
    WSP_TASK_DEFINITION_FAMILY: wsp ? wsp.family : SPINE_OFF,
    ARCHIVE_CONNECTOR_PROBE_TASK_DEFINITION: wsp ? wsp.family : SPINE_OFF,
    ...spineNames(wsp !== undefined, ["ROLE_ECS_WSP_TASK_NAME", "ROLE_ECS_WSP_EXECUTION_NAME"]),
    ...Object.fromEntries(
      SPINE.flatMap((w) => [
        [w.nameHandle, spine[w.key]?.serviceName ?? SPINE_OFF],
        [w.taskRoleHandle, spine[w.key] ? nameOf(w.taskRoleHandle) : SPINE_OFF],
        [w.executionRoleHandle, spine[w.key] ? nameOf(w.executionRoleHandle) : SPINE_OFF],
      ]),
    ),
    ARCHIVE_CONNECTOR_SOURCE_CLUSTER_ARN: mskUp ? deps.streaming.mskClusterArn : deferred(downReason(env, "msk")),
    ARCHIVE_CONNECTOR_SOURCE_TOPIC: r.string("ARCHIVE_CONNECTOR_SOURCE_TOPIC"),
  };

  const outputs: StackOutputs = {
    eks_cluster_arn: cluster?.clusterArn ?? null,
    eks_oidc_provider_arn: cluster?.oidcProviderArn ?? null,
    eks_nodegroup_lanes_status: cluster?.nodeGroupStatus ?? null,
    eks_lane_service_accounts: pulumi.output(Object.fromEntries(Object.entries(irsa).flatMap(([handle, sa]) => (sa ? [[handle, pulumi.interpolate`${sa.namespace}/${sa.serviceAccountName}`]] : [])))),
    sfn_state_machine_arns: pulumi.output(Object.fromEntries(Object.entries(stateMachines).map(([handle, m]) => [handle, m.stateMachineArn]))),
    flink_application_arn: flink.applicationArn,
    oracle_stream_sort_application_id: streamSort.applicationId,
    wsp_ecs_cluster_arn: ecsCluster.arn,
    runtime_lanes_switches: {
      spineServicesEnabled: ecs.spineServicesEnabled,
      flinkFallbackEnabled: fallback,
      flinkStartApplication: idleSafeStartApplication(env.settings.idleSafe, settings.flink.startApplication),
      idleSafe: env.settings.idleSafe,
      eksPublicEndpoint: eksSettings.publicAccessCidrs.length > 0,
    },
    runtime_lanes_eks_admission: { ...eksSettings.admission },
    // The reference's names for outputs renamed here (its workflows read eks_nodegroup_m6f_name).
    eks_nodegroup_m6f_name: cluster ? cluster.nodeGroupName : eksDown,
    eks_nodegroup_m6f_status: cluster ? cluster.nodeGroupStatus : eksDown,
    sfn_platform_run_orchestrator_arn: stateMachines.SFN_PLATFORM_RUN_ORCHESTRATOR_V0.stateMachineArn,
    sfn_platform_run_orchestrator_name: stateMachines.SFN_PLATFORM_RUN_ORCHESTRATOR_V0.stateMachineName,
    role_flink_execution_arn: flinkRole.roleArn,
    role_step_functions_orchestrator_arn: sfnRole.roleArn,
    ...Object.fromEntries(REFERENCE_IRSA_OUTPUTS.map(([output, handle]) => [output, irsaRoleArns[handle] ?? eksDown])),
  };
  const materialization: StackOutputs = {
    EKS_NODEGROUP_M6F_NAME: cluster ? cluster.nodeGroupName : eksDown,
    EKS_NODEGROUP_M6F_STATUS: cluster ? cluster.nodeGroupStatus : eksDown,
  };
  return { handles, outputs, materialization };
}

/** The reference's IRSA role outputs (stacks/runtime.md §4): output name -> role handle. */
const REFERENCE_IRSA_OUTPUTS: ReadonlyArray<readonly [string, string]> = [
  ["role_eks_irsa_ig_arn", "ROLE_EKS_IRSA_IG"],
  ["role_eks_irsa_rtdl_arn", "ROLE_EKS_IRSA_RTDL"],
  ["role_eks_irsa_decision_lane_arn", "ROLE_EKS_IRSA_DECISION_LANE"],
  ["role_eks_irsa_case_labels_arn", "ROLE_EKS_IRSA_CASE_LABELS"],
  ["role_eks_irsa_obs_gov_arn", "ROLE_EKS_IRSA_OBS_GOV"],
];

/** Handles runtime B exports (for runtime A's contract check and the tests). */
export function runtimeLanesHandleNames(registry: Registry): string[] {
  return registry
    .exportedBy("runtime")
    .map((h) => h.name)
    .filter((n) => RUNTIME_B_HANDLE.test(n));
}

const RUNTIME_B_HANDLE =
  /^(EKS_|FLINK_|EMR_EKS_|ORACLE_STREAM_SORT_|SFN_|ROLE_FLINK_EXECUTION$|ROLE_STEP_FUNCTIONS_ORCHESTRATOR$|ROLE_EKS_IRSA_|ARCHIVE_CONNECTOR_|WSP_|ROLE_ECS_(WSP|DF|AL|DLA|CASE_TRIGGER|CM|LS|ARCHIVE)_|ECS_SERVICE_)/;
