import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../src/tags";

export interface MskServerlessClusterArgs {
  /** Cluster name (MSK_CLUSTER_NAME). */
  clusterName: string;
  /** Private subnets the cluster's network interfaces go into, at least two (core's MSK_CLIENT_SUBNET_IDS). */
  subnetIds: pulumi.Input<string[]>;
  /** Security group shared by the cluster and its clients (core's MSK_SECURITY_GROUP_ID). */
  securityGroupId: pulumi.Input<string>;
  /** SSM parameter the SASL/IAM bootstrap string is published to (SSM_MSK_BOOTSTRAP_BROKERS_PATH). */
  bootstrapParameterName: string;
  /** ARN of the platform KMS key that encrypts the bootstrap parameter. */
  kmsKeyArn: pulumi.Input<string>;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/** Where the placement comes from, quoted in every placement error. */
const PLACEMENT_SOURCE = "they come from the core layer's outputs MSK_CLIENT_SUBNET_IDS and MSK_SECURITY_GROUP_ID: apply dev-full-core first";

/**
 * What is wrong with a cluster placement (empty: nothing). The reference turned a missing core output into an
 * empty list and only caught it in a precondition; here every problem is named with its value.
 */
export function clusterPlacementProblems(subnetIds: unknown, securityGroupId: unknown): string[] {
  const problems: string[] = [];
  if (!Array.isArray(subnetIds) || !subnetIds.every((s): s is string => typeof s === "string")) {
    problems.push(`subnetIds must be a list of subnet ids, found ${JSON.stringify(subnetIds)}`);
  } else {
    if (new Set(subnetIds).size < 2) problems.push(`subnetIds must name at least 2 distinct subnets (one per AZ), found ${JSON.stringify(subnetIds)}`);
    const bad = subnetIds.filter((s) => !/^subnet-[0-9a-f]+$/.test(s));
    if (bad.length) problems.push(`subnetIds must be subnet ids (subnet-...), found ${JSON.stringify(bad)}`);
  }
  if (typeof securityGroupId !== "string" || !/^sg-[0-9a-f]+$/.test(securityGroupId)) {
    problems.push(`securityGroupId must be a security group id (sg-...), found ${JSON.stringify(securityGroupId ?? null)}`);
  }
  return problems;
}

/**
 * The platform's event bus: one MSK Serverless cluster in the core private subnets behind the shared MSK
 * security group, accepting SASL/IAM clients only (port 9098), and its bootstrap string published to SSM as a
 * SecureString under the platform key (the reference used the AWS-managed key and also exported it in plain).
 * The cluster is teardown-scoped (it bills per cluster-hour), so nothing here is protected.
 */
export class MskServerlessCluster extends pulumi.ComponentResource {
  readonly clusterArn: pulumi.Output<string>;
  readonly clusterName: pulumi.Output<string>;
  /** UUID segment of the ARN (with its `-s<n>` suffix), the scope of topic and group ARNs. */
  readonly clusterUuid: pulumi.Output<string>;
  /** SASL/IAM bootstrap string; a secret, so it can never reach a plain stack output by accident. */
  readonly bootstrapBrokers: pulumi.Output<string>;
  readonly bootstrapParameterName: pulumi.Output<string>;
  readonly bootstrapParameterArn: pulumi.Output<string>;

  constructor(name: string, args: MskServerlessClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:streaming:MskServerlessCluster", name, {}, opts);
    const placement = pulumi.all([args.subnetIds, args.securityGroupId]).apply(([subnetIds, securityGroupId]) => {
      const problems = clusterPlacementProblems(subnetIds, securityGroupId);
      if (problems.length) throw new Error(`${name}: cannot place MSK cluster ${args.clusterName}: ${problems.join("; ")} (${PLACEMENT_SOURCE})`);
      return { subnetIds, securityGroupId };
    });

    const clusterArgs: aws.msk.ServerlessClusterArgs = {
      clusterName: args.clusterName,
      vpcConfigs: [{ subnetIds: placement.subnetIds, securityGroupIds: [placement.securityGroupId] }],
      // MSK Serverless supports IAM only; stating it keeps DA-17 checkable at preview.
      clientAuthentication: { sasl: { iam: { enabled: true } } },
      tags: { ...args.tags, Name: args.clusterName, fp_msk_mode: "serverless", fp_auth_mode: "sasl_iam" },
    };
    // Name, placement and auth are replace-only and the name is fixed: the old cluster must go first.
    const cluster = new aws.msk.ServerlessCluster(name, clusterArgs, { parent: this, deleteBeforeReplace: true });

    const parameter = new aws.ssm.Parameter(
      `${name}-bootstrap-brokers`,
      {
        name: args.bootstrapParameterName,
        description: `SASL/IAM bootstrap brokers of MSK Serverless cluster ${args.clusterName} (port 9098)`,
        type: "SecureString",
        keyId: args.kmsKeyArn,
        value: cluster.bootstrapBrokersSaslIam,
        tier: "Standard",
        dataType: "text",
        // No `overwrite`: taking over a parameter someone else created (and deleting it on destroy) is an error.
        tags: { ...args.tags, fp_resource: "msk_bootstrap_brokers" },
      },
      { parent: this },
    );

    this.clusterArn = cluster.arn;
    this.clusterName = cluster.clusterName;
    this.clusterUuid = cluster.clusterUuid;
    this.bootstrapBrokers = pulumi.secret(cluster.bootstrapBrokersSaslIam);
    this.bootstrapParameterName = parameter.name;
    this.bootstrapParameterArn = parameter.arn;
    this.registerOutputs({
      clusterArn: this.clusterArn,
      clusterName: this.clusterName,
      clusterUuid: this.clusterUuid,
      bootstrapBrokers: this.bootstrapBrokers,
      bootstrapParameterName: this.bootstrapParameterName,
      bootstrapParameterArn: this.bootstrapParameterArn,
    });
  }
}
