/**
 * The runtime layer's data stores: Aurora PostgreSQL Serverless v2 and ElastiCache Redis, each with its connection
 * parameters in SSM. A proof window destroys both between windows (Aurora with its final snapshot, decision 0004);
 * their handles are deferred then.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AuroraServerlessCluster } from "../../components/auroraServerlessCluster";
import { RedisCache } from "../../components/redisCache";
import { parseAcuRange } from "../../src/datastores/aurora";
import { downReason, surfaceUp } from "../../src/window/surfaces";
import { deferred } from "../handleOutputs";
import { RuntimeContext, RuntimePart } from "./context";

export function auroraPart(ctx: RuntimeContext): RuntimePart & { aurora?: AuroraServerlessCluster } {
  const { r } = ctx;
  const aurora = surfaceUp(ctx.env, "aurora") ? auroraCluster(ctx) : undefined;
  const down = deferred(downReason(ctx.env, "aurora"));
  return {
    aurora,
    handles: {
      AURORA_CLUSTER_IDENTIFIER: aurora ? aurora.clusterIdentifier : down,
      AURORA_DB_NAME: aurora ? aurora.databaseName : down,
      AURORA_SECURITY_GROUP_NAME: pulumi.output(r.string("AURORA_SECURITY_GROUP_NAME")),
      AURORA_POSTGRESQL_LOG_GROUP_NAME: pulumi.output(r.string("AURORA_POSTGRESQL_LOG_GROUP_NAME")),
      SSM_AURORA_ENDPOINT_PATH: aurora ? aurora.parameterNames.endpoint : down,
      SSM_AURORA_READER_ENDPOINT_PATH: aurora ? aurora.parameterNames.readerEndpoint : down,
      SSM_AURORA_USERNAME_PATH: aurora ? aurora.parameterNames.username : down,
      SSM_AURORA_PASSWORD_PATH: aurora ? aurora.parameterNames.password : down,
    },
    outputs: {
      aurora_cluster_identifier: aurora?.clusterIdentifier ?? null,
      aurora_cluster_arn: aurora?.clusterArn ?? null,
      aurora_endpoint: aurora?.endpoint ?? null,
      aurora_reader_endpoint: aurora?.readerEndpoint ?? null,
      aurora_instance_identifiers: aurora?.instanceIdentifiers ?? null,
      aurora_security_group_id: aurora?.securityGroupId ?? null,
      ssm_aurora_endpoint_path: aurora?.parameterNames.endpoint ?? null,
      ssm_aurora_reader_endpoint_path: aurora?.parameterNames.readerEndpoint ?? null,
      ssm_aurora_username_path: aurora?.parameterNames.username ?? null,
      // A path, not a secret: exported in plain.
      ssm_aurora_password_path: aurora?.parameterNames.password ?? null,
    },
    materialization: { AURORA_ENGINE: r.value("AURORA_ENGINE"), AURORA_MODE: r.value("AURORA_MODE") },
  };
}

function auroraCluster(ctx: RuntimeContext): AuroraServerlessCluster {
  const { r } = ctx;
  const aurora = ctx.settings.aurora;
  const privateSubnetCidrs = ctx.env.settings.network.privateSubnetCidrs;
  return new AuroraServerlessCluster("aurora", {
    clusterIdentifier: r.string("AURORA_CLUSTER_IDENTIFIER"),
    databaseName: r.string("AURORA_DB_NAME"),
    engine: r.string("AURORA_ENGINE"),
    engineVersion: aurora.engineVersion,
    capacity: parseAcuRange(r.string("AURORA_ACU_RANGE")),
    masterUsername: aurora.masterUsername,
    vpcId: ctx.core.vpcId,
    clientCidrs: privateSubnetCidrs,
    subnetIds: ctx.core.privateSubnetIds,
    subnetZones: privateSubnetZones(ctx),
    readerCount: aurora.readerCount,
    kmsKeyArn: ctx.core.kmsKeyArn,
    securityGroupName: r.string("AURORA_SECURITY_GROUP_NAME"),
    logGroupName: r.string("AURORA_POSTGRESQL_LOG_GROUP_NAME"),
    logRetentionDays: ctx.retentionDays,
    parameterPaths: {
      endpoint: r.string("SSM_AURORA_ENDPOINT_PATH"),
      readerEndpoint: r.string("SSM_AURORA_READER_ENDPOINT_PATH"),
      username: r.string("SSM_AURORA_USERNAME_PATH"),
      password: r.string("SSM_AURORA_PASSWORD_PATH"),
    },
    backupRetentionDays: aurora.backupRetentionDays,
    preferredBackupWindow: aurora.preferredBackupWindow,
    preferredMaintenanceWindow: aurora.preferredMaintenanceWindow,
    deletionProtection: aurora.deletionProtection,
    finalSnapshotOnDestroy: aurora.finalSnapshotOnDestroy,
    finalSnapshotIdentifier: ctx.env.settings.auroraSnapshots.finalIdentifier,
    restoreFromSnapshot: ctx.env.settings.auroraSnapshots.restoreFrom,
    tags: ctx.tags,
  });
}

/** The zone of each private subnet, read from EC2 (core places subnet i in zone i; the reader goes to the next zone). */
function privateSubnetZones(ctx: RuntimeContext): pulumi.Output<string[]> {
  const cidrs = ctx.env.settings.network.privateSubnetCidrs;
  return pulumi.all(
    cidrs.map((_, i) => {
      const id = ctx.core.privateSubnetIds.apply((ids) => {
        if (ids.length !== cidrs.length) {
          throw new Error(`stack core: private_subnet_ids has ${ids.length} subnets, the environment's network declares ${cidrs.length}`);
        }
        return ids[i];
      });
      return aws.ec2.getSubnetOutput({ id }).availabilityZone;
    }),
  );
}

export function redisPart(ctx: RuntimeContext): RuntimePart & { redis?: RedisCache } {
  const { r } = ctx;
  const redisSettings = ctx.settings.redis;
  const paths = { endpoint: r.string("SSM_REDIS_ENDPOINT_PATH"), authToken: r.string("SSM_REDIS_AUTH_TOKEN_PATH") };
  const redis = surfaceUp(ctx.env, "redis")
    ? new RedisCache("redis", {
        replicationGroupId: r.string("REDIS_CLUSTER_NAME"),
        nodeType: redisSettings.nodeType,
        nodeCount: redisSettings.nodeCount,
        engineVersion: redisSettings.engineVersion,
        snapshotRetentionDays: redisSettings.snapshotRetentionDays,
        preferredMaintenanceWindow: redisSettings.preferredMaintenanceWindow,
        vpcId: ctx.core.vpcId,
        clientCidrs: ctx.env.settings.network.privateSubnetCidrs,
        subnetIds: ctx.core.privateSubnetIds,
        kmsKeyArn: ctx.core.kmsKeyArn,
        securityGroupName: r.string("REDIS_SECURITY_GROUP_NAME"),
        endpointParameterPath: paths.endpoint,
        authTokenParameterPath: paths.authToken,
        tags: ctx.tags,
      })
    : undefined;
  const down = deferred(downReason(ctx.env, "redis"));
  return {
    redis,
    handles: {
      REDIS_CLUSTER_NAME: redis ? redis.replicationGroupId : down,
      REDIS_SECURITY_GROUP_NAME: pulumi.output(r.string("REDIS_SECURITY_GROUP_NAME")),
      SSM_REDIS_ENDPOINT_PATH: redis ? redis.endpointParameterName : down,
      SSM_REDIS_AUTH_TOKEN_PATH: redis ? redis.authTokenParameterName : down,
    },
    outputs: {
      redis_replication_group_id: redis?.replicationGroupId ?? null,
      redis_primary_endpoint: redis?.primaryEndpoint ?? null,
      redis_security_group_id: redis?.securityGroupId ?? null,
      ssm_redis_endpoint_path: redis?.endpointParameterName ?? null,
      ssm_redis_auth_token_path: redis?.authTokenParameterName ?? null,
    },
    materialization: {},
  };
}
