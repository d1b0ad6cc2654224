/**
 * Typed reads of upstream stack outputs: one reader per upstream stack ({@link CoreOutputs},
 * {@link StreamingOutputs}, {@link RuntimeOutputs}), each over one StackReference ({@link Upstream}). Every value has
 * one spelling: the reader names the output it comes from, the check it must pass and what it must be. A missing or
 * malformed output stops the program with the stack and the output named (never a fallback value).
 */
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../src/config/environment";
import { Layer, layerSpec } from "../src/layers";

export type Check<T> = (value: unknown) => value is T;
export const isString: Check<string> = (v): v is string => typeof v === "string" && v !== "";
export const isStringList: Check<string[]> = (v): v is string[] => Array.isArray(v) && v.length > 0 && v.every(isString);
export const isStringMap: Check<Record<string, string>> = (v): v is Record<string, string> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every(isString);

/** Core's bucket maps (`s3_bucket_names`, `s3_bucket_arns`). */
export type PlatformBuckets = Record<"object_store" | "evidence" | "artifacts", string>;
export const isBuckets: Check<PlatformBuckets> = (v): v is PlatformBuckets =>
  typeof v === "object" && v !== null && ["object_store", "evidence", "artifacts"].every((k) => isString((v as Record<string, unknown>)[k]));

/** One upstream output: its name in the upstream stack, the check its value must pass, and what that means. */
export interface OutputSpec<T> {
  readonly output: string;
  readonly check: Check<T>;
  readonly expected: string;
}

/**
 * The value of an upstream output once read, or an error naming the stack, the output, what it must be, what was
 * found and how to fix it (apply the upstream stack). Pure: the reader's check, callable without a Pulumi runtime.
 */
export function checkedOutput<T>(upstreamStack: string, layer: Layer, spec: OutputSpec<T>, value: unknown): T {
  if (!spec.check(value)) {
    const found = value === undefined ? "no such output" : JSON.stringify(value);
    throw new Error(`stack ${layer}: output ${spec.output} must be ${spec.expected}, found ${found} (apply ${upstreamStack} first)`);
  }
  return value;
}

/** One StackReference per upstream layer, with typed, required reads. */
export class Upstream {
  readonly ref: pulumi.StackReference;
  /** The upstream stack's name (`<env>-<layer suffix>`), for messages. */
  readonly stackName: string;

  constructor(
    env: Environment,
    readonly layer: Layer,
  ) {
    this.ref = new pulumi.StackReference(env.stackReference(layer));
    this.stackName = `${env.name}-${layerSpec(layer).stackSuffix}`;
  }

  /** A required output that must pass the spec's check; a missing one fails the check too. */
  read<T>(spec: OutputSpec<T>): pulumi.Output<T> {
    return this.ref.getOutput(spec.output).apply((v: unknown) => checkedOutput(this.stackName, this.layer, spec, v));
  }
}

const spec = <T>(output: string, check: Check<T>, expected: string): OutputSpec<T> => ({ output, check, expected });

/** What downstream layers read from core: output name, check, expectation. */
export const CORE_OUTPUTS = {
  vpcId: spec("vpc_id", isString, "a VPC id"),
  vpcCidr: spec("vpc_cidr", isString, "a CIDR block"),
  privateSubnetIds: spec("private_subnet_ids", isStringList, "a non-empty list of subnet ids"),
  privateRouteTableId: spec("private_route_table_id", isString, "a route table id"),
  mskClientSubnetIds: spec("MSK_CLIENT_SUBNET_IDS", isStringList, "a non-empty list of MSK client subnet ids"),
  mskSecurityGroupId: spec("MSK_SECURITY_GROUP_ID", isString, "a security group id"),
  kmsKeyArn: spec("kms_key_arn", isString, "a KMS key ARN"),
  bucketNames: spec("s3_bucket_names", isBuckets, "a map of object_store, evidence, artifacts bucket names"),
  bucketArns: spec("s3_bucket_arns", isBuckets, "a map of object_store, evidence, artifacts bucket ARNs"),
  ecrRepositoryName: spec("ECR_REPO_NAME", isString, "the platform image repository name"),
  ecrRepositoryUrl: spec("ECR_REPO_URI", isString, "the platform image repository URL"),
  eksClusterRoleArn: spec("ROLE_EKS_RUNTIME_PLATFORM_BASE", isString, "a role ARN"),
  eksNodeRoleArn: spec("ROLE_EKS_NODEGROUP_DEV_FULL", isString, "a role ARN"),
} as const;

/** What downstream layers read from streaming. */
export const STREAMING_OUTPUTS = {
  mskClusterArn: spec("MSK_CLUSTER_ARN", isString, "an MSK cluster ARN"),
  streamAccessPolicies: spec("stream_access_policies", isStringMap, "a map of lane -> policy JSON"),
} as const;

/** What downstream layers read from runtime. */
export const RUNTIME_OUTPUTS = {
  ingressApiId: spec("APIGW_IG_API_ID", isString, "the ingress HTTP API id"),
  ingressStage: spec("APIGW_IG_STAGE", isString, "the ingress API stage name"),
  ingressFunctionName: spec("LAMBDA_IG_HANDLER_NAME", isString, "the ingress Lambda name"),
  ingressDlqName: spec("IG_DLQ_QUEUE_NAME", isString, "the ingress DLQ name"),
  eksClusterName: spec("EKS_CLUSTER_NAME", isString, "the EKS cluster name"),
  eksClusterArn: spec("EKS_CLUSTER_ARN", isString, "the EKS cluster ARN"),
  flinkApplicationName: spec("FLINK_APP_RTDL_IEG_OFP_V0", isString, "the RTDL Flink application name"),
  ecsClusterName: spec("WSP_ECS_CLUSTER_NAME", isString, "the runtime ECS cluster name"),
} as const;

/** Core's outputs, read on first use. */
export class CoreOutputs {
  readonly upstream: Upstream;
  constructor(env: Environment) {
    this.upstream = new Upstream(env, "core");
  }
  get vpcId() {
    return this.upstream.read(CORE_OUTPUTS.vpcId);
  }
  get vpcCidr() {
    return this.upstream.read(CORE_OUTPUTS.vpcCidr);
  }
  get privateSubnetIds() {
    return this.upstream.read(CORE_OUTPUTS.privateSubnetIds);
  }
  get privateRouteTableId() {
    return this.upstream.read(CORE_OUTPUTS.privateRouteTableId);
  }
  /** The subnets MSK clients (and the serverless cluster's ENIs) use. */
  get mskClientSubnetIds() {
    return this.upstream.read(CORE_OUTPUTS.mskClientSubnetIds);
  }
  /** Core's MSK client security group (SASL/IAM 9098 inside the VPC). */
  get mskSecurityGroupId() {
    return this.upstream.read(CORE_OUTPUTS.mskSecurityGroupId);
  }
  /** ARN of the platform KMS key. */
  get kmsKeyArn() {
    return this.upstream.read(CORE_OUTPUTS.kmsKeyArn);
  }
  get bucketNames() {
    return this.upstream.read(CORE_OUTPUTS.bucketNames);
  }
  get bucketArns() {
    return this.upstream.read(CORE_OUTPUTS.bucketArns);
  }
  get ecrRepositoryName() {
    return this.upstream.read(CORE_OUTPUTS.ecrRepositoryName);
  }
  get ecrRepositoryUrl() {
    return this.upstream.read(CORE_OUTPUTS.ecrRepositoryUrl);
  }
  /** Core's EKS base roles (cluster role, node role). */
  get eksClusterRoleArn() {
    return this.upstream.read(CORE_OUTPUTS.eksClusterRoleArn);
  }
  get eksNodeRoleArn() {
    return this.upstream.read(CORE_OUTPUTS.eksNodeRoleArn);
  }
}

/** Streaming's outputs, read on first use. */
export class StreamingOutputs {
  readonly upstream: Upstream;
  constructor(env: Environment) {
    this.upstream = new Upstream(env, "streaming");
  }
  /** Null while the proof window keeps MSK down: read it only with the `msk` surface up. */
  get mskClusterArn() {
    return this.upstream.read(STREAMING_OUTPUTS.mskClusterArn);
  }
  /** Stream-access policy document (JSON) of each lane (`ig`, `rtdl`, `decision_lane`, ...). */
  get streamAccessPolicies() {
    return this.upstream.read(STREAMING_OUTPUTS.streamAccessPolicies);
  }
}

/** Runtime's outputs, read on first use. */
export class RuntimeOutputs {
  readonly upstream: Upstream;
  constructor(env: Environment) {
    this.upstream = new Upstream(env, "runtime");
  }
  get ingressApiId() {
    return this.upstream.read(RUNTIME_OUTPUTS.ingressApiId);
  }
  get ingressStage() {
    return this.upstream.read(RUNTIME_OUTPUTS.ingressStage);
  }
  get ingressFunctionName() {
    return this.upstream.read(RUNTIME_OUTPUTS.ingressFunctionName);
  }
  get ingressDlqName() {
    return this.upstream.read(RUNTIME_OUTPUTS.ingressDlqName);
  }
  /** Null while the proof window keeps the EKS lane down: read it only with the `eks_lane` surface up. */
  get eksClusterName() {
    return this.upstream.read(RUNTIME_OUTPUTS.eksClusterName);
  }
  get eksClusterArn() {
    return this.upstream.read(RUNTIME_OUTPUTS.eksClusterArn);
  }
  get flinkApplicationName() {
    return this.upstream.read(RUNTIME_OUTPUTS.flinkApplicationName);
  }
  get ecsClusterName() {
    return this.upstream.read(RUNTIME_OUTPUTS.ecsClusterName);
  }
}
