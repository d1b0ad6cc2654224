import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { cidrKey } from "../src/network/workloadEgress";
import { Tags } from "../src/tags";

export interface RedisCacheArgs {
  /** Replication group id (REDIS_CLUSTER_NAME); also names the subnet group. */
  replicationGroupId: string;
  /** ElastiCache node type, e.g. `cache.t4g.micro` (settings runtime.redis.nodeType). */
  nodeType: string;
  /** Nodes: 1 = primary only; >= 2 adds replicas with automatic Multi-AZ failover. */
  nodeCount: number;
  /** Redis OSS engine version, 7.x. */
  engineVersion: string;
  /** Days of daily snapshots (0 = none). */
  snapshotRetentionDays: number;
  /** Weekly maintenance window (UTC). */
  preferredMaintenanceWindow: string;
  /** VPC of the cache (core's vpc_id). */
  vpcId: pulumi.Input<string>;
  /** Private subnet CIDRs allowed to reach Redis (the environment's network.privateSubnetCidrs; never the public tier). */
  clientCidrs: string[];
  /** Private subnets of the cache subnet group (core's private_subnet_ids). */
  subnetIds: pulumi.Input<string[]>;
  /** Platform KMS key: at-rest encryption and the AUTH token SecureString. */
  kmsKeyArn: pulumi.Input<string>;
  /** Physical name of the cache's security group (REDIS_SECURITY_GROUP_NAME). */
  securityGroupName: string;
  /** SSM path of the `host:port` endpoint parameter (SSM_REDIS_ENDPOINT_PATH). */
  endpointParameterPath: string;
  /** SSM path of the AUTH token SecureString (SSM_REDIS_AUTH_TOKEN_PATH). */
  authTokenParameterPath: string;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

export const REDIS_PORT = 6379;

/** Failover settings that go with a node count: automatic failover and Multi-AZ need a replica. */
export function redisTopology(nodeCount: number): { numCacheClusters: number; automaticFailoverEnabled: boolean; multiAzEnabled: boolean } {
  if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > 6) throw new Error(`Redis nodeCount must be a whole number 1..6, got ${nodeCount}`);
  const replicated = nodeCount >= 2;
  return { numCacheClusters: nodeCount, automaticFailoverEnabled: replicated, multiAzEnabled: replicated };
}

/**
 * ElastiCache Redis `fraud-platform-dev-full-redis` for the real-time decision loop's hot state (the reference
 * only wrote a placeholder endpoint to SSM). A replication group in the core private subnets, TLS required in
 * transit and encrypted at rest with the platform key, AUTH with a generated token held only as a SecureString;
 * the `host:port` endpoint is published to SSM. One node by default: no replica and no failover, which is the
 * cost-aware trade-off for a cache the platform can rebuild from Aurora and the bus.
 */
export class RedisCache extends pulumi.ComponentResource {
  readonly replicationGroupId: pulumi.Output<string>;
  readonly primaryEndpoint: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly securityGroupId: pulumi.Output<string>;
  readonly endpointParameterName: pulumi.Output<string>;
  readonly authTokenParameterName: pulumi.Output<string>;

  constructor(name: string, args: RedisCacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:runtime:RedisCache", name, {}, opts);
    const child = { parent: this };
    const { sg, subnetGroup } = declareRedisNetwork(name, args, child);
    // AUTH tokens: 16-128 printable characters without @ " / ; alphanumeric keeps every client's URL parsing happy.
    const authToken = new random.RandomPassword(`${name}-auth-token`, { length: 64, special: false }, { ...child, additionalSecretOutputs: ["result"] });
    const group = new aws.elasticache.ReplicationGroup(
      name,
      replicationGroupArgs(args, { subnetGroupName: subnetGroup.name, securityGroupId: sg.id, authToken: pulumi.secret(authToken.result) }),
      child,
    );
    const parameter = (suffix: string, spec: Omit<aws.ssm.ParameterArgs, "tier" | "dataType" | "tags">, resource: string) =>
      new aws.ssm.Parameter(`${name}-${suffix}`, { ...spec, tier: "Standard", dataType: "text", tags: redisTags(args, resource) }, child);
    const endpointParameter = parameter(
      "endpoint",
      {
        name: args.endpointParameterPath,
        description: `Primary endpoint (host:port, TLS + AUTH) of ElastiCache Redis ${args.replicationGroupId}`,
        type: "String",
        value: pulumi.interpolate`${group.primaryEndpointAddress}:${REDIS_PORT}`,
      },
      "redis_endpoint",
    );
    const authParameter = parameter(
      "auth-token",
      {
        name: args.authTokenParameterPath,
        description: `AUTH token of ElastiCache Redis ${args.replicationGroupId}`,
        type: "SecureString",
        keyId: args.kmsKeyArn,
        value: pulumi.secret(authToken.result),
      },
      "redis_auth_token",
    );

    this.replicationGroupId = group.replicationGroupId;
    this.primaryEndpoint = group.primaryEndpointAddress;
    this.port = pulumi.output(REDIS_PORT);
    this.securityGroupId = sg.id;
    this.endpointParameterName = endpointParameter.name;
    this.authTokenParameterName = authParameter.name;
    this.registerOutputs({
      replicationGroupId: this.replicationGroupId,
      primaryEndpoint: this.primaryEndpoint,
      port: this.port,
      securityGroupId: this.securityGroupId,
      endpointParameterName: this.endpointParameterName,
      authTokenParameterName: this.authTokenParameterName,
    });
  }
}

function redisTags(args: Pick<RedisCacheArgs, "tags">, resource: string, extra: Tags = {}): Tags {
  return { ...args.tags, ...extra, fp_resource: resource };
}

/** The security group (TLS 6379 from the private subnets only) and the subnet group of the replication group. */
function declareRedisNetwork(name: string, args: RedisCacheArgs, child: pulumi.CustomResourceOptions) {
  const sg = new aws.ec2.SecurityGroup(
    `${name}-sg`,
    {
      name: args.securityGroupName,
      description: "ElastiCache Redis: TLS 6379 from the VPC only",
      vpcId: args.vpcId,
      tags: redisTags(args, "redis_security_group", { Name: args.securityGroupName }),
    },
    child,
  );
  for (const cidr of args.clientCidrs) {
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-redis-from-${cidrKey(cidr)}`,
      {
        securityGroupId: sg.id,
        description: `Redis (TLS) from private subnet ${cidr}`,
        ipProtocol: "tcp",
        fromPort: REDIS_PORT,
        toPort: REDIS_PORT,
        cidrIpv4: cidr,
        tags: args.tags,
      },
      child,
    );
  }
  const subnetGroup = new aws.elasticache.SubnetGroup(
    `${name}-subnets`,
    {
      name: args.replicationGroupId,
      description: `Private subnets of ${args.replicationGroupId}`,
      subnetIds: args.subnetIds,
      tags: redisTags(args, "redis_subnet_group"),
    },
    child,
  );
  return { sg, subnetGroup };
}

/** The replication group: encrypted in transit (required) and at rest under the platform key, AUTH from a secret. */
export function replicationGroupArgs(
  args: RedisCacheArgs,
  refs: { subnetGroupName: pulumi.Input<string>; securityGroupId: pulumi.Input<string>; authToken: pulumi.Input<string> },
): aws.elasticache.ReplicationGroupArgs {
  return {
    replicationGroupId: args.replicationGroupId,
    description: `fraud-platform dev_full Redis (${args.nodeType} x${args.nodeCount})`,
    engine: "redis",
    engineVersion: args.engineVersion,
    nodeType: args.nodeType,
    port: REDIS_PORT,
    ...redisTopology(args.nodeCount),
    subnetGroupName: refs.subnetGroupName,
    securityGroupIds: [refs.securityGroupId],
    transitEncryptionEnabled: true,
    transitEncryptionMode: "required",
    atRestEncryptionEnabled: true,
    kmsKeyId: args.kmsKeyArn,
    authToken: refs.authToken,
    snapshotRetentionLimit: args.snapshotRetentionDays,
    maintenanceWindow: args.preferredMaintenanceWindow,
    autoMinorVersionUpgrade: true,
    applyImmediately: false,
    tags: redisTags(args, "redis_replication_group", { Name: args.replicationGroupId }),
  };
}
