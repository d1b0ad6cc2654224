/**
 * The runtime lanes as data: the EKS lanes' namespaces and workload identities, the spine services and the WSP task on
 * ECS, the Flink execution role's grants and the orchestration's state machines, plus the pure helpers that turn a
 * table row into names, statement ids and trust documents. The stack code (stacks/runtimeParts/) declares one
 * resource group per table; nothing here declares a resource.
 */
import * as aws from "@pulumi/aws";
import { S3Access } from "../iam/policy";
import { StreamLane } from "../iam/streamAccess";
import { OrchestrationContext, StateMachineDefinition, finalVerdictDefinition, learningGateDefinition, platformRunDefinition } from "../orchestration/asl";
import { RuntimeLanesSettings } from "../config/runtimeLanesSettings";
import { idleSafeStartApplication } from "../teardown/idleSafe";

/** The three platform buckets a lane can be granted a prefix of. */
export type LaneBucket = "object_store" | "evidence" | "artifacts";

/** An S3 grant of a lane: bucket, prefix, access (never delete; oracle-store read-only). */
export interface S3Grant {
  bucket: LaneBucket;
  prefix: string;
  access: S3Access;
}

/** What every lane that writes run evidence is granted. */
export const EVIDENCE_RUNS: S3Grant = { bucket: "evidence", prefix: "evidence/runs/", access: "write" };

/** Namespaces per lane (DA-19): handle -> lane label. */
export const LANE_NAMESPACES: ReadonlyArray<{ handle: string; lane: string }> = [
  { handle: "EKS_NAMESPACE_PLATFORM", lane: "platform" },
  { handle: "EKS_NAMESPACE_INGRESS", lane: "ingress" },
  { handle: "EKS_NAMESPACE_RTDL", lane: "rtdl" },
  { handle: "EKS_NAMESPACE_CASE_LABELS", lane: "case-labels" },
  { handle: "EKS_NAMESPACE_OBS_GOV", lane: "obs-gov" },
  { handle: "EKS_NAMESPACE_LEARNING", lane: "learning" },
];

/** What one EKS lane's workload identity may do. */
export interface IrsaLane {
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

/** IRSA lanes (runtime.md §3.7.2, with SSM narrowed to what each lane reads and the missing grants added). */
export const IRSA_LANES: readonly IrsaLane[] = [
  {
    lane: "ig",
    roleHandle: "ROLE_EKS_IRSA_IG",
    namespaceHandle: "EKS_NAMESPACE_INGRESS",
    serviceAccount: "ig",
    stream: "ig",
    ssm: ["SSM_IG_API_KEY_PATH", "SSM_MSK_BOOTSTRAP_BROKERS_PATH"],
    s3: [],
  },
  {
    lane: "rtdl",
    roleHandle: "ROLE_EKS_IRSA_RTDL",
    namespaceHandle: "EKS_NAMESPACE_RTDL",
    serviceAccount: "rtdl",
    stream: "rtdl",
    ssm: ["SSM_MSK_BOOTSTRAP_BROKERS_PATH", "SSM_REDIS_ENDPOINT_PATH"],
    s3: [{ bucket: "object_store", prefix: "state/rtdl/", access: "readwrite" }, EVIDENCE_RUNS],
  },
  {
    lane: "decision_lane",
    roleHandle: "ROLE_EKS_IRSA_DECISION_LANE",
    namespaceHandle: "EKS_NAMESPACE_RTDL",
    serviceAccount: "decision-lane",
    stream: "decision_lane",
    ssm: ["SSM_MSK_BOOTSTRAP_BROKERS_PATH"],
    s3: [EVIDENCE_RUNS],
  },
  {
    lane: "case_labels",
    roleHandle: "ROLE_EKS_IRSA_CASE_LABELS",
    namespaceHandle: "EKS_NAMESPACE_CASE_LABELS",
    serviceAccount: "case-labels",
    stream: "case_labels",
    ssm: [
      "SSM_MSK_BOOTSTRAP_BROKERS_PATH",
      "SSM_AURORA_ENDPOINT_PATH",
      "SSM_AURORA_READER_ENDPOINT_PATH",
      "SSM_AURORA_USERNAME_PATH",
      "SSM_AURORA_PASSWORD_PATH",
    ],
    s3: [EVIDENCE_RUNS],
  },
  {
    lane: "obs_gov",
    roleHandle: "ROLE_EKS_IRSA_OBS_GOV",
    namespaceHandle: "EKS_NAMESPACE_OBS_GOV",
    serviceAccount: "obs-gov",
    stream: "obs_gov",
    ssm: ["SSM_MSK_BOOTSTRAP_BROKERS_PATH"],
    s3: [{ bucket: "evidence", prefix: "evidence/runs/", access: "readwrite" }],
  },
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

/** The reference's IRSA role outputs (stacks/runtime.md §4): output name -> role handle. */
export const REFERENCE_IRSA_OUTPUTS: ReadonlyArray<readonly [string, string]> = [
  ["role_eks_irsa_ig_arn", "ROLE_EKS_IRSA_IG"],
  ["role_eks_irsa_rtdl_arn", "ROLE_EKS_IRSA_RTDL"],
  ["role_eks_irsa_decision_lane_arn", "ROLE_EKS_IRSA_DECISION_LANE"],
  ["role_eks_irsa_case_labels_arn", "ROLE_EKS_IRSA_CASE_LABELS"],
  ["role_eks_irsa_obs_gov_arn", "ROLE_EKS_IRSA_OBS_GOV"],
];

/** A workload on ECS Fargate (DA-56), its pinned names and what it may do. */
export interface SpineWorkload {
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

/** The spine services (ECS services, desired 0 by default). */
export const SPINE_SERVICES: readonly SpineWorkload[] = [
  {
    key: "df",
    nameHandle: "ECS_SERVICE_DF_NAME",
    taskRoleHandle: "ROLE_ECS_DF_TASK_NAME",
    executionRoleHandle: "ROLE_ECS_DF_EXECUTION_NAME",
    entrypointHandle: "ENTRYPOINT_DECISION_LANE_WORKER",
    module: "fraud_detection.decision_fabric.worker",
    placementHandle: "RUNTIME_WORKLOAD_DF",
    stream: "decision_lane",
    aurora: false,
    s3: [EVIDENCE_RUNS],
  },
  {
    key: "al",
    nameHandle: "ECS_SERVICE_AL_NAME",
    taskRoleHandle: "ROLE_ECS_AL_TASK_NAME",
    executionRoleHandle: "ROLE_ECS_AL_EXECUTION_NAME",
    entrypointHandle: "ENTRYPOINT_DECISION_LANE_WORKER",
    module: "fraud_detection.action_layer.worker",
    placementHandle: "RUNTIME_WORKLOAD_AL",
    stream: "decision_lane",
    aurora: false,
    s3: [EVIDENCE_RUNS],
  },
  {
    key: "dla",
    nameHandle: "ECS_SERVICE_DLA_NAME",
    taskRoleHandle: "ROLE_ECS_DLA_TASK_NAME",
    executionRoleHandle: "ROLE_ECS_DLA_EXECUTION_NAME",
    entrypointHandle: "ENTRYPOINT_DECISION_LANE_WORKER",
    module: "fraud_detection.decision_log_audit.worker",
    placementHandle: "RUNTIME_WORKLOAD_DLA",
    stream: "decision_lane",
    aurora: false,
    s3: [EVIDENCE_RUNS],
  },
  {
    key: "case-trigger",
    nameHandle: "ECS_SERVICE_CASE_TRIGGER_NAME",
    taskRoleHandle: "ROLE_ECS_CASE_TRIGGER_TASK_NAME",
    executionRoleHandle: "ROLE_ECS_CASE_TRIGGER_EXECUTION_NAME",
    entrypointHandle: "ENTRYPOINT_CASE_TRIGGER_WORKER",
    module: "fraud_detection.case_trigger.worker",
    placementHandle: "RUNTIME_WORKLOAD_CASE_TRIGGER",
    stream: "case_labels",
    aurora: false,
    s3: [EVIDENCE_RUNS],
  },
  {
    key: "cm",
    nameHandle: "ECS_SERVICE_CM_NAME",
    taskRoleHandle: "ROLE_ECS_CM_TASK_NAME",
    executionRoleHandle: "ROLE_ECS_CM_EXECUTION_NAME",
    entrypointHandle: "ENTRYPOINT_CM_SERVICE",
    module: "fraud_detection.case_mgmt.worker",
    placementHandle: "RUNTIME_WORKLOAD_CM",
    stream: "case_labels",
    aurora: true,
    s3: [EVIDENCE_RUNS],
  },
  {
    key: "ls",
    nameHandle: "ECS_SERVICE_LS_NAME",
    taskRoleHandle: "ROLE_ECS_LS_TASK_NAME",
    executionRoleHandle: "ROLE_ECS_LS_EXECUTION_NAME",
    entrypointHandle: "ENTRYPOINT_LS_SERVICE",
    module: "fraud_detection.label_store.worker",
    placementHandle: "RUNTIME_WORKLOAD_LS",
    stream: "case_labels",
    aurora: true,
    s3: [EVIDENCE_RUNS],
  },
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

/** The WSP task (a task definition, run on demand: no service). */
export const WSP_TASK: SpineWorkload = {
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
};

/** The Flink execution role's S3 grants (shared by MSF, the EMR Serverless stream sort and EMR on EKS). */
export function flinkS3Grants(checkpointPrefix: string): S3Grant[] {
  return [
    { bucket: "artifacts", prefix: "artifacts/flink/", access: "read" },
    { bucket: "artifacts", prefix: "artifacts/emr/", access: "read" },
    { bucket: "object_store", prefix: checkpointPrefix, access: "readwrite" },
    // The stream sort reads raw oracle inputs only (never truth views, never writes: DA-28/29).
    { bucket: "object_store", prefix: "oracle-store/*/*/input/", access: "read" },
    { bucket: "evidence", prefix: "evidence/dev_full/run_control/", access: "write" },
    EVIDENCE_RUNS,
  ];
}

/** The orchestrator's S3 grant: run evidence, read and written. */
export const ORCHESTRATOR_GRANTS: readonly S3Grant[] = [{ bucket: "evidence", prefix: "evidence/runs/", access: "readwrite" }];

/** The three pinned state machines (DA-57): handle, logical name, definition. */
export const STATE_MACHINES: ReadonlyArray<{ handle: string; name: string; definition: (ctx: OrchestrationContext) => StateMachineDefinition }> = [
  { handle: "SFN_PLATFORM_RUN_ORCHESTRATOR_V0", name: "platform-run", definition: platformRunDefinition },
  { handle: "SFN_LEARNING_PIPELINE_GATE_V0", name: "learning-gate", definition: learningGateDefinition },
  { handle: "SFN_FINAL_VERDICT_AGGREGATOR_V0", name: "final-verdict", definition: finalVerdictDefinition },
];

/** A statement id prefix from a lane or workload key: `case_labels` / `case-trigger` -> `CaseLabels` / `CaseTrigger`. */
export function statementSid(key: string): string {
  return key.replace(/[-_](.)/g, (_m, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toUpperCase());
}

/** Logical resource name of a lane's IRSA service account: `decision_lane` -> `irsa-decision-lane`. */
export function irsaLogicalName(lane: string): string {
  return `irsa-${lane.replace(/_/g, "-")}`;
}

/** `{placeholder}` substitution of a registry pattern; a pattern without the placeholder is an error. */
export function fillPattern(pattern: string, key: string, value: string): string {
  if (!pattern.includes(`{${key}}`)) throw new Error(`pattern ${JSON.stringify(pattern)} has no {${key}}`);
  return pattern.replace(`{${key}}`, value);
}

/** Whether grants reach the object store (such a lane also carries the truth-view deny, DA-29). */
export function touchesObjectStore(grants: readonly S3Grant[]): boolean {
  return grants.some((g) => g.bucket === "object_store");
}

/** The EMR-on-EKS fallback's web identity: the cluster's OIDC provider and issuer, and the namespace of its jobs. */
export interface EksWebIdentity {
  oidcProviderArn: string;
  issuer: string;
  namespace: string;
}

/**
 * Trust of the Flink execution role: MSF and EMR Serverless acting for this account, and with the EMR-on-EKS
 * fallback the EMR job service accounts of its namespace through the cluster's OIDC provider.
 */
export function flinkExecutionTrust(account: string, fallback?: EksWebIdentity): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: ["kinesisanalytics.amazonaws.com", "emr-serverless.amazonaws.com"] },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": account } },
      },
      ...(fallback
        ? [
            {
              Effect: "Allow" as const,
              Principal: { Federated: fallback.oidcProviderArn },
              Action: "sts:AssumeRoleWithWebIdentity",
              Condition: {
                StringEquals: { [`${fallback.issuer}:aud`]: "sts.amazonaws.com" },
                StringLike: { [`${fallback.issuer}:sub`]: `system:serviceaccount:${fallback.namespace}:emr-containers-sa-*` },
              },
            },
          ]
        : []),
    ],
  };
}

/** The lanes' switches as the stack reports them (`runtime_lanes_switches`). */
export function laneSwitches(settings: RuntimeLanesSettings, idleSafe: boolean) {
  return {
    spineServicesEnabled: settings.ecs.spineServicesEnabled,
    flinkFallbackEnabled: settings.eks.flinkFallback.enabled,
    flinkStartApplication: idleSafeStartApplication(idleSafe, settings.flink.startApplication),
    idleSafe,
    eksPublicEndpoint: settings.eks.publicAccessCidrs.length > 0,
  };
}
