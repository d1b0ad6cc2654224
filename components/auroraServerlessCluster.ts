import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { AcuRange, RDS_PASSWORD_SPECIALS, instanceZonesFor } from "../src/datastores/aurora";
import { cidrKey } from "../src/network/workloadEgress";
import { Tags } from "../src/tags";

/** The port the cluster listens on (PostgreSQL). */
export const AURORA_PORT = 5432;

export interface AuroraServerlessClusterArgs {
  /** Cluster identifier (AURORA_CLUSTER_IDENTIFIER); also names the subnet group and the instances. */
  clusterIdentifier: string;
  /** Database created in the cluster (AURORA_DB_NAME). */
  databaseName: string;
  /** Engine (AURORA_ENGINE, `aurora-postgresql`). */
  engine: string;
  /** Engine version, major.minor (settings runtime.aurora.engineVersion). */
  engineVersion: string;
  /** Serverless v2 capacity range in ACU (AURORA_ACU_RANGE). */
  capacity: AcuRange;
  /** Master user name; its password is generated here and never configured. */
  masterUsername: string;
  /** VPC of the cluster (core's vpc_id). */
  vpcId: pulumi.Input<string>;
  /** Private subnet CIDRs allowed to reach PostgreSQL (the environment's network.privateSubnetCidrs; never the public tier). */
  clientCidrs: string[];
  /** Private subnets of the DB subnet group, at least two AZs (core's private_subnet_ids). */
  subnetIds: pulumi.Input<string[]>;
  /** AZ of each private subnet; the writer and readers are spread over at least two of them (DA-58). */
  subnetZones: pulumi.Input<string[]>;
  /** Reader instances next to the writer (at least 1). */
  readerCount: number;
  /** Platform KMS key: storage encryption and the password SecureString. */
  kmsKeyArn: pulumi.Input<string>;
  /** Physical name of the cluster's security group (AURORA_SECURITY_GROUP_NAME). */
  securityGroupName: string;
  /** Log group RDS exports PostgreSQL logs to (AURORA_POSTGRESQL_LOG_GROUP_NAME), declared with a retention. */
  logGroupName: string;
  /** Retention of that log group, days (LOG_RETENTION_DAYS). */
  logRetentionDays: number;
  /** SSM paths of the connection handles (registry required_secret_paths). */
  parameterPaths: { endpoint: string; readerEndpoint: string; username: string; password: string };
  backupRetentionDays: number;
  preferredBackupWindow: string;
  preferredMaintenanceWindow: string;
  /** RDS deletion protection (state store kept at teardown, docs/runtime.md). */
  deletionProtection: boolean;
  /** Final snapshot `<cluster>-final` on destroy; false deletes the data outright. */
  finalSnapshotOnDestroy: boolean;
  /** Name of the final snapshot (default `<cluster>-final`); a proof window names its own (decision 0004). */
  finalSnapshotIdentifier?: string;
  /** Snapshot a newly created cluster is restored from (the previous window's final snapshot). */
  restoreFromSnapshot?: string;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/**
 * Aurora PostgreSQL Serverless v2 for the case/labels and decision stores: a writer and readers in different
 * AZs (the reference had no reader), storage encrypted with the platform key, private in the core subnets
 * behind a security group that admits 5432 from the private subnets only. The master password is generated (never a
 * literal), passed as a secret and published only as a SecureString under the platform key (the reference used
 * the AWS-managed key); endpoint, reader endpoint and user name are published as plain parameters. The RDS log
 * group is declared so it gets a retention and goes away with the cluster.
 */
export class AuroraServerlessCluster extends pulumi.ComponentResource {
  readonly clusterIdentifier: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly readerEndpoint: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly databaseName: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;
  readonly instanceIdentifiers: pulumi.Output<string[]>;
  /** Parameter name by key (endpoint, readerEndpoint, username, password). */
  readonly parameterNames: pulumi.Output<Record<"endpoint" | "readerEndpoint" | "username" | "password", string>>;

  constructor(name: string, args: AuroraServerlessClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:runtime:AuroraServerlessCluster", name, {}, opts);
    const problems = auroraArgsProblems(args);
    if (problems.length) throw new Error(`${name}: ${problems.join("; ")}`);
    const child = { parent: this };
    const { sg, subnetGroup } = declareAuroraNetwork(name, args, child);
    const password = new random.RandomPassword(
      `${name}-master-password`,
      { length: 32, special: true, overrideSpecial: RDS_PASSWORD_SPECIALS, minLower: 2, minUpper: 2, minNumeric: 2, minSpecial: 1 },
      { ...child, additionalSecretOutputs: ["result"] },
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-postgresql-logs`,
      { name: args.logGroupName, retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn, tags: auroraTags(args, "aurora_postgresql_logs") },
      child,
    );
    // The log group must exist before RDS starts exporting into it (or RDS creates an unmanaged one).
    // A restore applies at creation only: a later window naming another snapshot must not replace a live cluster.
    const cluster = new aws.rds.Cluster(
      name,
      auroraClusterArgs(args, { masterPassword: pulumi.secret(password.result), subnetGroupName: subnetGroup.name, securityGroupId: sg.id }),
      {
        ...child,
        dependsOn: [logGroup],
        ignoreChanges: ["snapshotIdentifier"],
      },
    );
    const zones = pulumi.output(args.subnetZones).apply((z) => instanceZonesFor(z, args.readerCount));
    const instances = Array.from({ length: args.readerCount + 1 }, (_, i) => {
      const instance = auroraInstanceArgs(args, i, {
        clusterId: cluster.id,
        engineVersion: cluster.engineVersion,
        availabilityZone: zones.apply((z) => z[i]),
        subnetGroupName: subnetGroup.name,
      });
      return new aws.rds.ClusterInstance(`${name}-${instanceRole(i)}`, instance, child);
    });
    const parameters = declareAuroraParameters(
      name,
      args,
      { endpoint: cluster.endpoint, readerEndpoint: cluster.readerEndpoint, username: cluster.masterUsername, password: pulumi.secret(password.result) },
      child,
    );

    this.clusterIdentifier = cluster.clusterIdentifier;
    this.clusterArn = cluster.arn;
    this.endpoint = cluster.endpoint;
    this.readerEndpoint = cluster.readerEndpoint;
    this.port = cluster.port;
    this.databaseName = cluster.databaseName;
    this.securityGroupId = sg.id;
    this.instanceIdentifiers = pulumi.all(instances.map((i) => i.identifier));
    this.parameterNames = pulumi
      .all([parameters.endpoint.name, parameters.readerEndpoint.name, parameters.username.name, parameters.password.name])
      .apply(([endpoint, readerEndpoint, username, pw]) => ({ endpoint, readerEndpoint, username, password: pw }));
    this.registerOutputs({
      clusterIdentifier: this.clusterIdentifier,
      clusterArn: this.clusterArn,
      endpoint: this.endpoint,
      readerEndpoint: this.readerEndpoint,
      port: this.port,
      databaseName: this.databaseName,
      securityGroupId: this.securityGroupId,
      instanceIdentifiers: this.instanceIdentifiers,
      parameterNames: this.parameterNames,
    });
  }
}

/** What the component refuses before declaring anything: another engine, fewer than one reader (DA-58). */
export function auroraArgsProblems(args: Pick<AuroraServerlessClusterArgs, "engine" | "readerCount">): string[] {
  const problems: string[] = [];
  if (args.engine !== aws.rds.EngineType.AuroraPostgresql)
    problems.push(`engine must be ${aws.rds.EngineType.AuroraPostgresql} (AURORA_ENGINE), got ${JSON.stringify(args.engine)}`);
  if (!Number.isInteger(args.readerCount) || args.readerCount < 1)
    problems.push(`readerCount must be a whole number >= 1 (DA-58: writer + reader), got ${args.readerCount}`);
  return problems;
}

function auroraTags(args: Pick<AuroraServerlessClusterArgs, "tags">, resource: string, extra: Tags = {}): Tags {
  return { ...args.tags, ...extra, fp_resource: resource };
}

/** Instance i's role: the writer first, then `reader-1`, `reader-2`, ... */
export function instanceRole(i: number): string {
  return i === 0 ? "writer" : `reader-${i}`;
}

/** The security group (5432 from the private subnets only) and the subnet group of the cluster. */
function declareAuroraNetwork(name: string, args: AuroraServerlessClusterArgs, child: pulumi.CustomResourceOptions) {
  const sg = new aws.ec2.SecurityGroup(
    `${name}-sg`,
    {
      name: args.securityGroupName,
      description: "Aurora PostgreSQL: 5432 from the VPC only",
      vpcId: args.vpcId,
      tags: auroraTags(args, "aurora_security_group", { Name: args.securityGroupName }),
    },
    child,
  );
  for (const cidr of args.clientCidrs) {
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-postgres-from-${cidrKey(cidr)}`,
      {
        securityGroupId: sg.id,
        description: `PostgreSQL from private subnet ${cidr}`,
        ipProtocol: "tcp",
        fromPort: AURORA_PORT,
        toPort: AURORA_PORT,
        cidrIpv4: cidr,
        tags: args.tags,
      },
      child,
    );
  }
  const subnetGroup = new aws.rds.SubnetGroup(
    `${name}-subnets`,
    {
      name: args.clusterIdentifier,
      description: `Private subnets of ${args.clusterIdentifier}`,
      subnetIds: args.subnetIds,
      tags: auroraTags(args, "aurora_db_subnet_group"),
    },
    child,
  );
  return { sg, subnetGroup };
}

/** The cluster: Serverless v2 capacity, encrypted with the platform key, private, final snapshot per the settings. */
export function auroraClusterArgs(
  args: AuroraServerlessClusterArgs,
  refs: { masterPassword: pulumi.Input<string>; subnetGroupName: pulumi.Input<string>; securityGroupId: pulumi.Input<string> },
): aws.rds.ClusterArgs {
  return {
    clusterIdentifier: args.clusterIdentifier,
    engine: args.engine,
    engineMode: "provisioned",
    engineVersion: args.engineVersion,
    // Outside RDS extended support: an ageing major is upgraded, never billed at extended-support rates.
    engineLifecycleSupport: "open-source-rds-extended-support-disabled",
    databaseName: args.databaseName,
    masterUsername: args.masterUsername,
    masterPassword: refs.masterPassword,
    port: AURORA_PORT,
    dbSubnetGroupName: refs.subnetGroupName,
    vpcSecurityGroupIds: [refs.securityGroupId],
    storageEncrypted: true,
    kmsKeyId: args.kmsKeyArn,
    serverlessv2ScalingConfiguration: { minCapacity: args.capacity.min, maxCapacity: args.capacity.max },
    backupRetentionPeriod: args.backupRetentionDays,
    preferredBackupWindow: args.preferredBackupWindow,
    preferredMaintenanceWindow: args.preferredMaintenanceWindow,
    copyTagsToSnapshot: true,
    // IAM database authentication alongside the generated master password (FSBP RDS.12): workloads can use tokens.
    iamDatabaseAuthenticationEnabled: true,
    allowMajorVersionUpgrade: false,
    enabledCloudwatchLogsExports: ["postgresql"],
    deletionProtection: args.deletionProtection,
    skipFinalSnapshot: !args.finalSnapshotOnDestroy,
    ...(args.finalSnapshotOnDestroy ? { finalSnapshotIdentifier: args.finalSnapshotIdentifier ?? `${args.clusterIdentifier}-final` } : {}),
    ...(args.restoreFromSnapshot ? { snapshotIdentifier: args.restoreFromSnapshot } : {}),
    applyImmediately: false,
    tags: auroraTags(args, "aurora_cluster", { Name: args.clusterIdentifier, fp_aurora_mode: "serverless-v2" }),
  };
}

/** Instance i (0 = writer): `db.serverless`, private, in its own zone; readers are promoted on failover. */
export function auroraInstanceArgs(
  args: Pick<AuroraServerlessClusterArgs, "clusterIdentifier" | "tags">,
  i: number,
  refs: { clusterId: pulumi.Input<string>; engineVersion: pulumi.Input<string>; availabilityZone: pulumi.Input<string>; subnetGroupName: pulumi.Input<string> },
): aws.rds.ClusterInstanceArgs {
  const role = instanceRole(i);
  return {
    identifier: `${args.clusterIdentifier}-${role}`,
    clusterIdentifier: refs.clusterId,
    engine: aws.rds.EngineType.AuroraPostgresql,
    engineVersion: refs.engineVersion,
    instanceClass: "db.serverless",
    availabilityZone: refs.availabilityZone,
    dbSubnetGroupName: refs.subnetGroupName,
    publiclyAccessible: false,
    autoMinorVersionUpgrade: false,
    // Writer tier 0, readers tier 1: a reader is promoted on failover and scales with the writer.
    promotionTier: i === 0 ? 0 : 1,
    applyImmediately: false,
    tags: auroraTags(args, i === 0 ? "aurora_writer" : "aurora_reader", { Name: `${args.clusterIdentifier}-${role}` }),
  };
}

/** The connection parameters: endpoint, reader endpoint and user name in plain, the password as a SecureString. */
function declareAuroraParameters(
  name: string,
  args: AuroraServerlessClusterArgs,
  values: Record<keyof AuroraServerlessClusterArgs["parameterPaths"], pulumi.Input<string>>,
  child: pulumi.CustomResourceOptions,
) {
  const parameter = (key: keyof AuroraServerlessClusterArgs["parameterPaths"], secure: boolean) =>
    new aws.ssm.Parameter(
      `${name}-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
      {
        name: args.parameterPaths[key],
        description: `${key} of Aurora cluster ${args.clusterIdentifier}`,
        type: secure ? "SecureString" : "String",
        ...(secure ? { keyId: args.kmsKeyArn } : {}),
        value: values[key],
        tier: "Standard",
        dataType: "text",
        tags: auroraTags(args, `aurora_${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`),
      },
      child,
    );
  return {
    endpoint: parameter("endpoint", false),
    readerEndpoint: parameter("readerEndpoint", false),
    username: parameter("username", false),
    password: parameter("password", true),
  };
}
