import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EksAccessEntry, EksAdmission } from "../src/config/runtimeLanesSettings";
import { admissionTags } from "../src/runtime/admission";
import { Tags } from "../src/tags";

export interface EksExceptionClusterArgs {
  /** Physical cluster name (registry EKS_CLUSTER_NAME). */
  clusterName: string;
  /** Pinned Kubernetes minor version. */
  kubernetesVersion: string;
  /** VPC of the core layer. */
  vpcId: pulumi.Input<string>;
  /** Private subnets of the core layer (control-plane ENIs and nodes). */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** CIDRs allowed on the public endpoint; empty = public endpoint off. Never 0.0.0.0/0. */
  publicAccessCidrs: string[];
  /** Platform KMS key ARN (Kubernetes secrets envelope encryption). */
  kmsKeyArn: pulumi.Input<string>;
  /** Core cluster role ARN (ROLE_EKS_RUNTIME_PLATFORM_BASE). */
  clusterRoleArn: pulumi.Input<string>;
  /** Core node role ARN (ROLE_EKS_NODEGROUP_DEV_FULL). */
  nodeRoleArn: pulumi.Input<string>;
  /** Account the cluster and the access-entry principals live in. */
  accountId: pulumi.Input<string>;
  /** Region of the cluster (registry AWS_REGION). */
  region: string;
  /** Principals granted cluster access (authentication mode API). */
  accessEntries: EksAccessEntry[];
  /** Extra namespace-scoped access entries (e.g. the EMR-on-EKS service-linked role), keyed by entry name. */
  extraAccessEntries?: Record<string, { principalArn: pulumi.Input<string>; policyArn: string; namespaces: string[] }>;
  /** Control-plane log types. */
  enabledLogTypes: string[];
  /** Control-plane log group (the name EKS fixes: /aws/eks/<cluster>/cluster) and its retention, days. */
  controlPlaneLogGroup: { name: string; retentionInDays: number };
  /** Managed node group: physical name and sizing (min is always 0). */
  nodeGroup: {
    name: string;
    instanceTypes: string[];
    desiredSize: number;
    maxSize: number;
    diskSizeGib: number;
    capacityType: string;
    amiType: string;
    /** Apply desiredSize on every update (the idle-safe switch) instead of keeping a window-time rescale. */
    enforceDesiredSize?: boolean;
  };
  /** Resources the nodes need to boot without NAT (the private VPC endpoints), if any. */
  bootDependencies?: pulumi.Resource[];
  /** The runtime workload security group, added to the nodes next to EKS's cluster security group. */
  workloadSecurityGroupId: pulumi.Input<string>;
  /** The DA-54 admission record, carried as tags on the cluster and the node group. */
  admission: EksAdmission;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

const ACCESS_POLICY_ARN = (policy: string) => `arn:aws:eks::aws:cluster-access-policy/${policy}`;

/** Pure: the eks.Cluster options of the exception lane (unit-testable without mocks). */
export function clusterOptions(args: EksExceptionClusterArgs, serviceRole: pulumi.Input<aws.iam.Role>): eks.ClusterOptions {
  if (args.publicAccessCidrs.some((c) => c.endsWith("/0"))) {
    throw new Error(`EKS ${args.clusterName}: publicAccessCidrs must never hold a /0 range (DA-19); leave it empty for a private-only endpoint`);
  }
  if (args.controlPlaneLogGroup.name !== `/aws/eks/${args.clusterName}/cluster`) {
    throw new Error(
      `EKS ${args.clusterName}: the control-plane log group is /aws/eks/${args.clusterName}/cluster (EKS fixes it), not ${args.controlPlaneLogGroup.name}`,
    );
  }
  const entries: Record<string, eks.types.input.AccessEntryArgs> = {};
  for (const e of args.accessEntries) {
    entries[e.name] = {
      principalArn: pulumi.interpolate`arn:aws:iam::${args.accountId}:${e.principal}`,
      type: eks.AccessEntryType.Standard,
      accessPolicies: { [e.accessPolicy]: { policyArn: ACCESS_POLICY_ARN(e.accessPolicy), accessScope: { type: "cluster" } } },
      tags: args.tags,
    };
  }
  for (const [name, e] of Object.entries(args.extraAccessEntries ?? {})) {
    entries[name] = {
      principalArn: e.principalArn,
      type: eks.AccessEntryType.Standard,
      accessPolicies: { [name]: { policyArn: e.policyArn, accessScope: { type: "namespace", namespaces: e.namespaces } } },
      tags: args.tags,
    };
  }
  const publicOn = args.publicAccessCidrs.length > 0;
  return {
    name: args.clusterName,
    version: args.kubernetesVersion,
    vpcId: args.vpcId,
    privateSubnetIds: args.privateSubnetIds,
    endpointPrivateAccess: true,
    endpointPublicAccess: publicOn,
    ...(publicOn ? { publicAccessCidrs: args.publicAccessCidrs } : {}),
    encryptionConfigKeyArn: args.kmsKeyArn,
    authenticationMode: eks.AuthenticationMode.Api,
    accessEntries: entries,
    serviceRole,
    skipDefaultNodeGroup: true,
    // No auto-named security groups: EKS's own cluster security group serves the control plane and managed nodes.
    skipDefaultSecurityGroups: true,
    nodeAssociatePublicIpAddress: false,
    createOidcProvider: true,
    enabledClusterLogTypes: args.enabledLogTypes,
    upgradePolicy: { supportType: "STANDARD" },
    vpcCniOptions: { enableNetworkPolicy: true },
    deletionProtection: false,
    tags: { ...args.tags, ...admissionTags(args.admission) },
  };
}

/**
 * The EKS exception lane's cluster (DA-54: EKS only by admitted exception): `@pulumi/eks` with a private API
 * endpoint, secrets under the platform key, authentication mode API with access entries declared here (the
 * reference granted admin by hand), the core roles, an OIDC provider for IRSA, standard-support upgrades, and one
 * managed node group that scales to zero. Exposes a Kubernetes provider built from the cluster's kubeconfig for
 * the lane objects. The remote `eks.Cluster` component is read only through scalar outputs.
 */
export class EksExceptionCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  /** OIDC issuer without `https://` (the IRSA condition key prefix). */
  readonly oidcIssuer: pulumi.Output<string>;
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  readonly nodeGroupName: pulumi.Output<string>;
  readonly nodeGroupStatus: pulumi.Output<string>;
  readonly controlPlaneLogGroupName: pulumi.Output<string>;
  /** Kubernetes provider for objects inside the cluster. */
  readonly provider: k8s.Provider;

  constructor(name: string, args: EksExceptionClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:runtime:EksExceptionCluster", name, {}, opts);
    // The core layer owns the cluster role; read it (no second role) and hand it to the eks component.
    const serviceRole = aws.iam.Role.get(
      `${name}-cluster-role`,
      pulumi.output(args.clusterRoleArn).apply((arn) => arn.split("/").pop() ?? arn),
      undefined,
      { parent: this },
    );
    // EKS writes control-plane logs to a group it names; declared first, so it expires and is destroyed with the lane.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane`,
      { name: args.controlPlaneLogGroup.name, retentionInDays: args.controlPlaneLogGroup.retentionInDays, kmsKeyId: args.kmsKeyArn, tags: args.tags },
      { parent: this },
    );
    const cluster = new eks.Cluster(name, clusterOptions(args, serviceRole), { parent: this, dependsOn: [logGroup] });

    // Read back scalar outputs only; the cluster ARN is built from the account (eksCluster is a resource reference).
    this.clusterName = cluster.kubeconfigJson.apply(() => args.clusterName);
    this.clusterArn = pulumi
      .all([aws.getPartitionOutput({}, { parent: this }).partition, pulumi.output(args.accountId), this.clusterName])
      .apply(([partition, account, clusterName]) => `arn:${partition}:eks:${args.region}:${account}:cluster/${clusterName}`);
    this.controlPlaneLogGroupName = logGroup.name;
    this.oidcProviderArn = cluster.oidcProviderArn;
    this.oidcIssuer = cluster.oidcIssuer;
    this.clusterSecurityGroupId = cluster.clusterSecurityGroupId;

    const ng = args.nodeGroup;
    // The workers' launch template requires IMDSv2 (security baseline SB-22, FSBP EC2.8/EC2.170), puts the nodes in
    // the cluster and workload security groups and carries the root volume (a node group with a launch template cannot set diskSize). Workloads use IRSA, not the node role.
    const launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-workers`,
      {
        name: ng.name,
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 },
        // A launch template that names groups replaces EKS's default, so the cluster group (control plane <-> nodes)
        // is listed with the workload group (S3/DynamoDB gateways, endpoints, MSK, Aurora, Redis).
        vpcSecurityGroupIds: [this.clusterSecurityGroupId, args.workloadSecurityGroupId],
        blockDeviceMappings: [
          { deviceName: "/dev/xvda", ebs: { volumeSize: ng.diskSizeGib, volumeType: "gp2", encrypted: "true", deleteOnTermination: "true" } },
        ],
        tags: args.tags,
      },
      { parent: this },
    );
    const nodeGroup = new aws.eks.NodeGroup(
      `${name}-workers`,
      {
        clusterName: this.clusterName,
        nodeGroupName: ng.name,
        nodeRoleArn: args.nodeRoleArn,
        subnetIds: args.privateSubnetIds,
        instanceTypes: ng.instanceTypes,
        capacityType: ng.capacityType,
        amiType: ng.amiType,
        launchTemplate: { name: launchTemplate.name, version: launchTemplate.latestVersion.apply(String) },
        // Scale to zero outside proof windows (DA-93/DA-100); the reference pinned min 2 / desired 4.
        scalingConfig: { minSize: 0, desiredSize: ng.desiredSize, maxSize: ng.maxSize },
        updateConfig: { maxUnavailable: 1 },
        labels: { "fraud-platform/lane-pool": "exception" },
        tags: { ...args.tags, ...admissionTags(args.admission) },
      },
      // A window-time rescale (CI scales to N and back to 0) is not reverted by the next apply.
      { parent: this, dependsOn: [cluster, ...(args.bootDependencies ?? [])], ignoreChanges: ng.enforceDesiredSize ? [] : ["scalingConfig.desiredSize"] },
    );
    this.nodeGroupName = nodeGroup.nodeGroupName;
    this.nodeGroupStatus = nodeGroup.status;

    this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: cluster.kubeconfigJson, enableServerSideApply: true }, { parent: this });

    this.registerOutputs({
      clusterName: this.clusterName,
      clusterArn: this.clusterArn,
      oidcProviderArn: this.oidcProviderArn,
      oidcIssuer: this.oidcIssuer,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      nodeGroupName: this.nodeGroupName,
      nodeGroupStatus: this.nodeGroupStatus,
      controlPlaneLogGroupName: this.controlPlaneLogGroupName,
    });
  }
}
