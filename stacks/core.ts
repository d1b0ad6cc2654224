/**
 * core: the network, the platform key, the three platform buckets, the image repository and the EKS base roles.
 * It reads no other stack. Parity target: ../shared/spec/stacks/core.md, with its defects fixed.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ContainerRepository } from "../components/containerRepository";
import { EvidenceSigningKey } from "../components/evidenceSigningKey";
import { PlatformKey } from "../components/platformKey";
import { PlatformNetwork } from "../components/platformNetwork";
import { SecureBucket } from "../components/secureBucket";
import { WorkloadRole } from "../components/workloadRole";
import { Environment } from "../src/config/environment";
import { serviceTrust } from "../src/iam/policy";
import { lifecycleRulesFor } from "../src/storage/lifecycle";
import { evidenceObjectLock } from "../src/storage/objectLock";
import { prefixedName, tagsFor } from "../src/tags";
import { StackOutputs, handleOutputs } from "./handleOutputs";

/** The three platform buckets: handle, role tag, and whether the bucket survives teardown. */
const PLATFORM_BUCKETS = [
  { handle: "S3_OBJECT_STORE_BUCKET", role: "object_store", retained: true },
  { handle: "S3_EVIDENCE_BUCKET", role: "evidence", retained: true },
  // Job code and model artifacts outlive a teardown too (training artifacts are kept 180 days); lifecycle rules
  // expire what is transient, so a destroy never fails on a non-empty bucket.
  { handle: "S3_ARTIFACTS_BUCKET", role: "artifacts", retained: true },
] as const;

/**
 * Log groups CloudWatch Logs may encrypt with the platform key: everything under the environment's prefix and the
 * service-fixed groups of EKS and Aurora (names pinned in the registry).
 */
export function platformKeyLogGroups(r: Environment["registry"]): string[] {
  return [`${r.string("CLOUDWATCH_LOG_GROUP_PREFIX")}/*`, r.string("EKS_CONTROL_PLANE_LOG_GROUP_NAME"), r.string("AURORA_POSTGRESQL_LOG_GROUP_NAME")];
}

export function coreStack(env: Environment): StackOutputs {
  const r = env.registry;
  const tags = tagsFor(env);
  const accountId = aws.getCallerIdentityOutput().accountId;
  const platformKey = new PlatformKey("platform", {
    alias: r.string("KMS_KEY_ALIAS_PLATFORM"),
    nameTag: prefixedName(env, "kms"),
    deletionWindowInDays: r.number("KMS_KEY_DELETION_WINDOW_DAYS"),
    accountId,
    region: env.region,
    logGroups: platformKeyLogGroups(r),
    tags,
  });
  const network = coreNetwork(env, platformKey, accountId);
  const buckets = platformBuckets(env, platformKey);
  const signingKey = new EvidenceSigningKey("evidence-signing", {
    alias: r.string("KMS_KEY_ALIAS_EVIDENCE_SIGNING"),
    nameTag: prefixedName(env, "evidence-signing"),
    deletionWindowInDays: r.number("KMS_KEY_DELETION_WINDOW_DAYS"),
    accountId,
    tags,
  });
  const images = new ContainerRepository("platform-images", { repositoryName: r.string("ECR_REPO_NAME"), kmsKeyArn: platformKey.aliasArn, tags });
  const eksRoles = eksBaseRoles(env);
  return coreOutputs(env, { platformKey, network, buckets, signingKey, images, ...eksRoles });
}

/** The VPC (public and private tiers), the MSK client security group and the flow logs under the platform key. */
function coreNetwork(env: Environment, platformKey: PlatformKey, accountId: pulumi.Output<string>): PlatformNetwork {
  const r = env.registry;
  const net = env.settings.network;
  const zones = aws.getAvailabilityZonesOutput({ state: "available" }).names.apply((names) => names.slice(0, net.availabilityZoneCount));
  return new PlatformNetwork("core", {
    namePrefix: r.string("NAME_PREFIX"),
    vpcCidr: net.vpcCidr,
    availabilityZones: zones,
    publicSubnetCidrs: net.publicSubnetCidrs,
    privateSubnetCidrs: net.privateSubnetCidrs,
    mskSecurityGroupName: r.string("MSK_CLIENT_SECURITY_GROUP_NAME"),
    mskPort: r.number("MSK_IAM_PORT"),
    flowLogs: {
      logGroupName: r.string("VPC_FLOW_LOG_GROUP_NAME"),
      roleName: r.string("VPC_FLOW_LOG_ROLE_NAME"),
      retentionInDays: r.number("LOG_RETENTION_DAYS"),
      kmsKeyArn: platformKey.keyArn,
      accountId,
      region: env.region,
    },
    tags: tagsFor(env),
  });
}

type PlatformBucketHandle = (typeof PLATFORM_BUCKETS)[number]["handle"];

/** The three platform buckets under the platform key, with their lifecycle rules; evidence under Object Lock. */
function platformBuckets(env: Environment, platformKey: PlatformKey): Record<PlatformBucketHandle, SecureBucket> {
  const r = env.registry;
  return Object.fromEntries(
    PLATFORM_BUCKETS.map(({ handle, role, retained }) => [
      handle,
      new SecureBucket(role.replace("_", "-"), {
        bucketName: r.string(handle),
        kmsKeyArn: platformKey.keyArn,
        kmsKey: platformKey.key,
        lifecycleRules: lifecycleRulesFor(r, handle),
        retained,
        tags: tagsFor(env, { fp_bucket_role: role }),
        // Evidence is write-once: Object Lock (governance) for as long as the lifecycle keeps it.
        ...(handle === "S3_EVIDENCE_BUCKET" ? { objectLock: evidenceObjectLock(r) } : {}),
      }),
    ]),
  ) as Record<PlatformBucketHandle, SecureBucket>;
}

/** The EKS base roles the runtime layer's cluster and node group use. */
function eksBaseRoles(env: Environment): { nodeRole: WorkloadRole; clusterRole: WorkloadRole } {
  const r = env.registry;
  const tags = tagsFor(env);
  const nodeRole = new WorkloadRole("eks-nodegroup", {
    roleName: r.roleName("ROLE_EKS_NODEGROUP_DEV_FULL"),
    trust: serviceTrust("ec2.amazonaws.com"),
    managedPolicyArns: [
      aws.iam.ManagedPolicy.AmazonEKSWorkerNodePolicy,
      aws.iam.ManagedPolicy.AmazonEC2ContainerRegistryReadOnly,
      aws.iam.ManagedPolicy.AmazonEKS_CNI_Policy,
    ],
    tags,
  });
  const clusterRole = new WorkloadRole("eks-cluster", {
    roleName: r.roleName("ROLE_EKS_RUNTIME_PLATFORM_BASE"),
    trust: serviceTrust("eks.amazonaws.com"),
    managedPolicyArns: [aws.iam.ManagedPolicy.AmazonEKSClusterPolicy],
    tags,
  });
  return { nodeRole, clusterRole };
}

/** What core declared, for its outputs. */
interface CoreParts {
  platformKey: PlatformKey;
  network: PlatformNetwork;
  buckets: Record<PlatformBucketHandle, SecureBucket>;
  signingKey: EvidenceSigningKey;
  images: ContainerRepository;
  nodeRole: WorkloadRole;
  clusterRole: WorkloadRole;
}

function coreOutputs(env: Environment, p: CoreParts): StackOutputs {
  const { network, buckets } = p;
  const bucketNames = {
    object_store: buckets.S3_OBJECT_STORE_BUCKET.bucketName,
    evidence: buckets.S3_EVIDENCE_BUCKET.bucketName,
    artifacts: buckets.S3_ARTIFACTS_BUCKET.bucketName,
  };
  const handles = handleOutputs(env, {
    S3_OBJECT_STORE_BUCKET: bucketNames.object_store,
    S3_EVIDENCE_BUCKET: bucketNames.evidence,
    S3_ARTIFACTS_BUCKET: bucketNames.artifacts,
    ORACLE_STORE_BUCKET: bucketNames.object_store,
    KMS_KEY_ALIAS_PLATFORM: p.platformKey.aliasName,
    KMS_KEY_ALIAS_EVIDENCE_SIGNING: p.signingKey.aliasName,
    MSK_CLIENT_SUBNET_IDS: network.privateSubnetIds,
    MSK_SECURITY_GROUP_ID: network.mskSecurityGroupId,
    MSK_CLIENT_SECURITY_GROUP_NAME: env.registry.string("MSK_CLIENT_SECURITY_GROUP_NAME"),
    // Probe tasks run private like every other task (the reference used other subnets for them).
    ARCHIVE_CONNECTOR_PROBE_SUBNET_IDS: network.privateSubnetIds,
    ARCHIVE_CONNECTOR_PROBE_SECURITY_GROUP_ID: network.mskSecurityGroupId,
    ECR_REPO_NAME: p.images.repositoryName,
    ECR_REPO_URI: p.images.repositoryUrl,
    ROLE_EKS_NODEGROUP_DEV_FULL: p.nodeRole.roleArn,
    ROLE_EKS_RUNTIME_PLATFORM_BASE: p.clusterRole.roleArn,
    VPC_FLOW_LOG_GROUP_NAME: network.flowLogGroupName,
    VPC_FLOW_LOG_ROLE_NAME: network.flowLogRoleName,
  });
  return {
    ...handles,
    // The reference stack's outputs, kept for parity (stacks/core.md §6).
    vpc_id: network.vpcId,
    vpc_cidr: network.vpcCidr,
    public_subnet_ids: network.publicSubnetIds,
    private_subnet_ids: network.privateSubnetIds,
    private_route_table_id: network.privateRouteTableId,
    msk_client_subnet_ids: network.privateSubnetIds,
    msk_security_group_id: network.mskSecurityGroupId,
    kms_key_arn: p.platformKey.keyArn,
    kms_key_alias: p.platformKey.aliasName,
    // What `npm run evidence -- verify --public-key` trusts: the evidence signing key and its public key.
    evidence_signing_key_arn: p.signingKey.keyArn,
    evidence_signing_public_key_pem: p.signingKey.publicKeyPem,
    s3_bucket_names: bucketNames,
    s3_bucket_arns: {
      object_store: buckets.S3_OBJECT_STORE_BUCKET.bucketArn,
      evidence: buckets.S3_EVIDENCE_BUCKET.bucketArn,
      artifacts: buckets.S3_ARTIFACTS_BUCKET.bucketArn,
    },
    role_eks_nodegroup_dev_full_arn: p.nodeRole.roleArn,
    role_eks_runtime_platform_base_arn: p.clusterRole.roleArn,
    core_handle_materialization: pulumi.output(handles),
  };
}
