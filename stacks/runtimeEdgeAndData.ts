/**
 * runtime, edge-and-data half (runtime A): the upstream reads of the runtime layer (in one place), the private
 * VPC endpoints, Aurora PostgreSQL Serverless v2, ElastiCache Redis and the ingress edge with its identities.
 * `stacks/runtime.ts` composes it with the lanes half and exports the handles. Parity target:
 * ../shared/spec/stacks/runtime.md §3.1-3.3, §3.7.1 (edge roles), with the §6.5 defects fixed.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AURORA_PORT, AuroraServerlessCluster } from "../components/auroraServerlessCluster";
import { parseAcuRange } from "../src/datastores/aurora";
import { IngressEdge } from "../components/ingressEdge";
import { PrivateEndpoints } from "../components/privateEndpoints";
import { REDIS_PORT, RedisCache } from "../components/redisCache";
import { WorkloadSecurityGroup } from "../components/workloadSecurityGroup";
import { Environment } from "../src/config/environment";
import { RuntimeSettings } from "../src/config/runtimeSettings";
import { InputError } from "../src/errors";
import { artifactKeyProblem, envelopeFromRegistry } from "../src/ingress/envelope";
import { tagsFor } from "../src/tags";
import { downReason, surfaceUp } from "../src/window/surfaces";
import { StackOutputs, deferred } from "./handleOutputs";
import { Check, PlatformBuckets, Upstream, isBuckets, isString, isStringList, isStringMap } from "./upstreamOutputs";

export type { PlatformBuckets };

/**
 * Everything the runtime layer reads from core and streaming, typed and checked once. A missing or malformed
 * upstream output stops the program with the output's name (the reference fell back to blanks and to a
 * hard-coded MSK ARN of another account).
 */
export interface RuntimeUpstream {
  /** The StackReferences themselves, for reads not listed here (one reference per upstream stack). */
  core: pulumi.StackReference;
  streaming: pulumi.StackReference;
  vpcId: pulumi.Output<string>;
  vpcCidr: pulumi.Output<string>;
  privateSubnetIds: pulumi.Output<string[]>;
  privateRouteTableId: pulumi.Output<string>;
  /** Core's MSK client security group (SASL/IAM 9098 inside the VPC). */
  mskSecurityGroupId: pulumi.Output<string>;
  /** ARN of the platform KMS key. */
  kmsKeyArn: pulumi.Output<string>;
  bucketNames: pulumi.Output<PlatformBuckets>;
  bucketArns: pulumi.Output<PlatformBuckets>;
  /** Core's EKS base roles (cluster role, node role). */
  eksClusterRoleArn: pulumi.Output<string>;
  eksNodeRoleArn: pulumi.Output<string>;
  /** Undefined while the proof window keeps MSK down (fraud-platform:window). */
  mskClusterArn?: pulumi.Output<string>;
  /** Stream-access policy document (JSON) of each lane (`ig`, `rtdl`, `decision_lane`, ...), built by streaming. */
  streamAccessPolicies: pulumi.Output<Record<string, string>>;
}

/** Reads core and streaming once; both halves of the runtime layer use the result. */
export function readUpstream(env: Environment): RuntimeUpstream {
  const core = new Upstream(env, "core");
  const streaming = new Upstream(env, "streaming");
  const c = <T>(output: string, check: Check<T>, expected: string) => core.read(output, check, expected);
  const s = <T>(output: string, check: Check<T>, expected: string) => streaming.read(output, check, expected);
  return {
    core: core.ref,
    streaming: streaming.ref,
    vpcId: c("vpc_id", isString, "a VPC id"),
    vpcCidr: c("vpc_cidr", isString, "a CIDR block"),
    privateSubnetIds: c("private_subnet_ids", isStringList, "a non-empty list of subnet ids"),
    privateRouteTableId: c("private_route_table_id", isString, "a route table id"),
    mskSecurityGroupId: c("msk_security_group_id", isString, "a security group id"),
    kmsKeyArn: c("kms_key_arn", isString, "a KMS key ARN"),
    bucketNames: c("s3_bucket_names", isBuckets, "a map of object_store, evidence, artifacts bucket names"),
    bucketArns: c("s3_bucket_arns", isBuckets, "a map of object_store, evidence, artifacts bucket ARNs"),
    eksClusterRoleArn: c("ROLE_EKS_RUNTIME_PLATFORM_BASE", isString, "a role ARN"),
    eksNodeRoleArn: c("ROLE_EKS_NODEGROUP_DEV_FULL", isString, "a role ARN"),
    ...(surfaceUp(env, "msk") ? { mskClusterArn: s("msk_cluster_arn", isString, "an MSK cluster ARN") } : {}),
    streamAccessPolicies: s("stream_access_policies", isStringMap, "a map of lane -> policy JSON"),
  };
}

/** The runtime settings, which the runtime stack cannot run without. */
export function runtimeSettingsOf(env: Environment): RuntimeSettings {
  const settings = env.settings.runtime;
  if (!settings) {
    throw new InputError(`invalid environment for stack ${env.stackName}`, [
      { file: `Pulumi.${env.name}.yaml`, key: "fraud-platform:runtime", expected: "the runtime layer's settings (src/config/runtimeSettings.ts, docs/runtime.md)", found: "nothing (key missing)" },
    ]);
  }
  const prefix = env.registry.string("ARTIFACTS_LAMBDA_IG_HANDLER_PREFIX");
  const problem = artifactKeyProblem(settings.ingress.handlerArtifact.s3Key, prefix);
  if (problem) {
    throw new InputError(`invalid environment for stack ${env.stackName}`, [
      {
        file: `Pulumi.${env.name}.yaml or Pulumi.${env.stackName}.yaml`,
        key: "fraud-platform:runtime.ingress.handlerArtifact.s3Key",
        expected: `the S3 key of the ingress Lambda package under ${prefix} in the artifacts bucket (${problem})`,
        found: JSON.stringify(settings.ingress.handlerArtifact.s3Key),
        fix: `upload the package, then: pulumi config set --path 'fraud-platform:runtime.ingress.handlerArtifact.s3Key' ${prefix}<name>.zip --stack ${env.stackName}`,
      },
    ]);
  }
  return settings;
}

export interface RuntimeHalf {
  /** Outputs keyed by registry handle. */
  handles: StackOutputs;
  /** Other outputs (the reference's snake_case names). */
  outputs: StackOutputs;
  /** Keys of the reference's `runtime_handle_materialization` map that are not runtime handles (values or deferred). */
  materialization: StackOutputs;
}

/**
 * Why the reference's ECS ingress service (Fargate behind an internal ALB, its "alternative IG path") and its five
 * outputs are null: docs/decisions/0008-ecs-ingress-service-deferred.md.
 */
/** Why ROLE_DDB_IG_IDEMPOTENCY_RW and role_ddb_ig_idempotency_rw_arn are null (decision 0009). */
export const TABLE_ROLE_REMOVED =
  "not created: nothing assumed the reference's table-only role (Lambda trust, attached to nothing) and the ingress handler writes the idempotency table with its own execution role; a spare role any Lambda could be created with was only an extra write path (docs/decisions/0009-idempotency-table-role-removed.md)";

export const IG_SERVICE_DEFERRED =
  "the ECS ingress service behind an internal ALB is not built: the managed edge (HTTP API + Lambda) is the one ingress path, and the reference's 32 x (4 vCPU, 8 GiB) Fargate tasks plus an ALB would cost more than the runtime envelope (docs/decisions/0008-ecs-ingress-service-deferred.md)";

/** The components of this half, for the lanes half and for tests (e.g. `dependsOn` on the endpoints). */
export interface RuntimeEdgeAndDataParts {
  accountId: pulumi.Output<string>;
  endpoints: PrivateEndpoints;
  /** The private workloads' security group (Flink, EMR Serverless, ECS services, EKS nodes). */
  workloads: WorkloadSecurityGroup;
  /** Undefined while the proof window keeps the surface down (fraud-platform:window). */
  aurora?: AuroraServerlessCluster;
  redis?: RedisCache;
  edge: IngressEdge;
}

/** The edge-and-data half: endpoints, Aurora, Redis, ingress edge. Returns its outputs and the lanes' deps. */
export function runtimeEdgeAndData(env: Environment, upstream: RuntimeUpstream): RuntimeHalf & { parts: RuntimeEdgeAndDataParts } {
  const r = env.registry;
  const settings = runtimeSettingsOf(env);
  const tags = tagsFor(env);
  const accountId = aws.getCallerIdentityOutput().accountId;
  const logRetentionDays = r.number("LOG_RETENTION_DAYS");

  // --- Private network: interface endpoints + S3/DynamoDB gateways (no NAT in core) ------------------------------
  // Every listener in the VPC admits the private subnets only (never the public tier, where load balancers live).
  const privateSubnetCidrs = env.settings.network.privateSubnetCidrs;
  const endpoints = new PrivateEndpoints("runtime-endpoints", {
    vpcId: upstream.vpcId,
    clientCidrs: privateSubnetCidrs,
    subnetIds: upstream.privateSubnetIds,
    privateRouteTableId: upstream.privateRouteTableId,
    region: env.region,
    // Interface endpoints bill per AZ-hour: only while a proof window needs them (the free gateways always stay).
    interfaceServices: surfaceUp(env, "endpoints") ? settings.vpcEndpoints.interfaceServices : [],
    securityGroupName: r.string("RUNTIME_ENDPOINTS_SECURITY_GROUP_NAME"),
    tags,
  });
  // The private workloads' own group (Flink, EMR Serverless, ECS services, EKS nodes): S3/DynamoDB through the
  // gateway prefix lists, endpoints/MSK/Aurora/Redis in the private subnets; the MSK group stays the brokers'.
  const workloads = new WorkloadSecurityGroup("runtime-workloads-sg", {
    securityGroupName: r.string("RUNTIME_WORKLOADS_SECURITY_GROUP_NAME"),
    vpcId: upstream.vpcId,
    privateSubnetCidrs,
    gatewayPrefixListIds: endpoints.gatewayPrefixListIds,
    ports: { msk: r.number("MSK_IAM_PORT"), aurora: AURORA_PORT, redis: REDIS_PORT },
    tags,
  });

  // --- Aurora PostgreSQL Serverless v2 ------------------------------------------------------------------------
  // The zone of each private subnet, read from EC2 (core places subnet i in zone i; the reader goes to the next zone).
  const subnetZones = pulumi.all(
    env.settings.network.privateSubnetCidrs.map((_, i) => {
      const id = upstream.privateSubnetIds.apply((ids) => {
        if (ids.length !== env.settings.network.privateSubnetCidrs.length) {
          throw new Error(`stack core: private_subnet_ids has ${ids.length} subnets, the environment's network declares ${env.settings.network.privateSubnetCidrs.length}`);
        }
        return ids[i];
      });
      return aws.ec2.getSubnetOutput({ id }).availabilityZone;
    }),
  );
  const auroraPaths = {
    endpoint: r.string("SSM_AURORA_ENDPOINT_PATH"),
    readerEndpoint: r.string("SSM_AURORA_READER_ENDPOINT_PATH"),
    username: r.string("SSM_AURORA_USERNAME_PATH"),
    password: r.string("SSM_AURORA_PASSWORD_PATH"),
  };
  // Proof window: Aurora is destroyed between windows with its final snapshot (registry/surfaces.yaml, decision 0004).
  const aurora = surfaceUp(env, "aurora") ? new AuroraServerlessCluster("aurora", {
    clusterIdentifier: r.string("AURORA_CLUSTER_IDENTIFIER"),
    databaseName: r.string("AURORA_DB_NAME"),
    engine: r.string("AURORA_ENGINE"),
    engineVersion: settings.aurora.engineVersion,
    capacity: parseAcuRange(r.string("AURORA_ACU_RANGE")),
    masterUsername: settings.aurora.masterUsername,
    vpcId: upstream.vpcId,
    clientCidrs: privateSubnetCidrs,
    subnetIds: upstream.privateSubnetIds,
    subnetZones,
    readerCount: settings.aurora.readerCount,
    kmsKeyArn: upstream.kmsKeyArn,
    securityGroupName: r.string("AURORA_SECURITY_GROUP_NAME"),
    logGroupName: r.string("AURORA_POSTGRESQL_LOG_GROUP_NAME"),
    logRetentionDays,
    parameterPaths: auroraPaths,
    backupRetentionDays: settings.aurora.backupRetentionDays,
    preferredBackupWindow: settings.aurora.preferredBackupWindow,
    preferredMaintenanceWindow: settings.aurora.preferredMaintenanceWindow,
    deletionProtection: settings.aurora.deletionProtection,
    finalSnapshotOnDestroy: settings.aurora.finalSnapshotOnDestroy,
    finalSnapshotIdentifier: env.settings.auroraSnapshots.finalIdentifier,
    restoreFromSnapshot: env.settings.auroraSnapshots.restoreFrom,
    tags,
  }) : undefined;

  // --- ElastiCache Redis --------------------------------------------------------------------------------------
  const redisPaths = { endpoint: r.string("SSM_REDIS_ENDPOINT_PATH"), authToken: r.string("SSM_REDIS_AUTH_TOKEN_PATH") };
  const redis = surfaceUp(env, "redis") ? new RedisCache("redis", {
    replicationGroupId: r.string("REDIS_CLUSTER_NAME"),
    nodeType: settings.redis.nodeType,
    nodeCount: settings.redis.nodeCount,
    engineVersion: settings.redis.engineVersion,
    snapshotRetentionDays: settings.redis.snapshotRetentionDays,
    preferredMaintenanceWindow: settings.redis.preferredMaintenanceWindow,
    vpcId: upstream.vpcId,
    clientCidrs: privateSubnetCidrs,
    subnetIds: upstream.privateSubnetIds,
    kmsKeyArn: upstream.kmsKeyArn,
    securityGroupName: r.string("REDIS_SECURITY_GROUP_NAME"),
    endpointParameterPath: redisPaths.endpoint,
    authTokenParameterPath: redisPaths.authToken,
    tags,
  }) : undefined;

  // --- Ingress edge -------------------------------------------------------------------------------------------
  const envelope = envelopeFromRegistry(r);
  const ig = settings.ingress;
  const edge = new IngressEdge("ig-edge", {
    envelope,
    app: {
      profileId: r.string("ENV_NAME"),
      region: env.region,
      runIdEnvKey: r.string("REQUIRED_PLATFORM_RUN_ID_ENV_KEY"),
      requiredPlatformRunId: ig.requiredPlatformRunId,
      bootstrapParameterPath: r.string("SSM_MSK_BOOTSTRAP_BROKERS_PATH"),
      kafkaRequestTimeoutMs: ig.kafkaRequestTimeoutMs,
      kafkaPublishRetries: ig.kafkaPublishRetries,
      receiptStorageMode: ig.receiptStorageMode,
      healthBusProbeMode: ig.healthBusProbeMode,
      policyActivationAuditMode: ig.policyActivationAuditMode,
    },
    code: { bucket: upstream.bucketNames.artifacts, key: ig.handlerArtifact.s3Key, handler: ig.handler, runtime: ig.runtime, architecture: ig.architecture },
    network: {
      vpcId: upstream.vpcId,
      privateSubnetCidrs,
      subnetIds: upstream.privateSubnetIds,
      gatewayPrefixListIds: endpoints.gatewayPrefixListIds,
      mskPort: r.number("MSK_IAM_PORT"),
      securityGroupName: r.string("LAMBDA_IG_SECURITY_GROUP_NAME"),
    },
    logs: { accessLogGroupName: r.string("APIGW_IG_ACCESS_LOG_GROUP_NAME"), functionLogGroupName: r.string("LAMBDA_IG_LOG_GROUP_NAME"), retentionDays: logRetentionDays },
    roleNames: { execution: r.roleName("ROLE_LAMBDA_IG_EXECUTION"), invoke: r.roleName("ROLE_APIGW_IG_INVOKE") },
    kmsKeyArn: upstream.kmsKeyArn,
    accountId,
    region: env.region,
    objectStore: { bucketName: upstream.bucketNames.object_store, bucketArn: upstream.bucketArns.object_store },
    // No bus between windows, no stream grant (the edge admits nothing outside a run anyway).
    ...(surfaceUp(env, "msk")
      ? {
          streamAccessPolicyJson: upstream.streamAccessPolicies.apply((lanes) => {
            const doc = lanes.ig;
            if (!doc) throw new Error(`stack streaming: output stream_access_policies has no "ig" lane (lanes: ${Object.keys(lanes).join(", ")}); the ingress edge cannot publish`);
            return doc;
          }),
        }
      : {}),
    apiKeyGeneration: ig.apiKeyGeneration,
    pointInTimeRecovery: ig.idempotencyPointInTimeRecovery,
    detailedMetrics: ig.detailedMetrics,
    tags,
  });

  const auroraDown = deferred(downReason(env, "aurora"));
  const redisDown = deferred(downReason(env, "redis"));
  const handles: StackOutputs = {
    // Ingress edge.
    APIGW_IG_API_NAME: pulumi.output(envelope.apiName),
    APIGW_IG_API_ID: edge.apiId,
    APIGW_IG_STAGE: edge.stageName,
    IG_BASE_URL: edge.baseUrl,
    LAMBDA_IG_HANDLER_NAME: edge.functionName,
    DDB_IG_IDEMPOTENCY_TABLE: edge.tableName,
    IG_DLQ_QUEUE_NAME: edge.queueName,
    SSM_IG_API_KEY_PATH: edge.apiKeyParameterName,
    ROLE_LAMBDA_IG_EXECUTION: edge.executionRoleArn,
    ROLE_APIGW_IG_INVOKE: edge.invokeRoleArn,
    ROLE_DDB_IG_IDEMPOTENCY_RW: deferred(TABLE_ROLE_REMOVED),
    APIGW_IG_ACCESS_LOG_GROUP_NAME: edge.accessLogGroupName,
    LAMBDA_IG_LOG_GROUP_NAME: pulumi.output(r.string("LAMBDA_IG_LOG_GROUP_NAME")),
    LAMBDA_IG_SECURITY_GROUP_NAME: pulumi.output(r.string("LAMBDA_IG_SECURITY_GROUP_NAME")),
    // Aurora.
    AURORA_CLUSTER_IDENTIFIER: aurora ? aurora.clusterIdentifier : auroraDown,
    AURORA_DB_NAME: aurora ? aurora.databaseName : auroraDown,
    AURORA_SECURITY_GROUP_NAME: pulumi.output(r.string("AURORA_SECURITY_GROUP_NAME")),
    AURORA_POSTGRESQL_LOG_GROUP_NAME: pulumi.output(r.string("AURORA_POSTGRESQL_LOG_GROUP_NAME")),
    SSM_AURORA_ENDPOINT_PATH: aurora ? aurora.parameterNames.endpoint : auroraDown,
    SSM_AURORA_READER_ENDPOINT_PATH: aurora ? aurora.parameterNames.readerEndpoint : auroraDown,
    SSM_AURORA_USERNAME_PATH: aurora ? aurora.parameterNames.username : auroraDown,
    SSM_AURORA_PASSWORD_PATH: aurora ? aurora.parameterNames.password : auroraDown,
    // Redis.
    REDIS_CLUSTER_NAME: redis ? redis.replicationGroupId : redisDown,
    REDIS_SECURITY_GROUP_NAME: pulumi.output(r.string("REDIS_SECURITY_GROUP_NAME")),
    SSM_REDIS_ENDPOINT_PATH: redis ? redis.endpointParameterName : redisDown,
    SSM_REDIS_AUTH_TOKEN_PATH: redis ? redis.authTokenParameterName : redisDown,
    // Private network.
    RUNTIME_ENDPOINTS_SECURITY_GROUP_NAME: pulumi.output(r.string("RUNTIME_ENDPOINTS_SECURITY_GROUP_NAME")),
    RUNTIME_WORKLOADS_SECURITY_GROUP_NAME: pulumi.output(r.string("RUNTIME_WORKLOADS_SECURITY_GROUP_NAME")),
  };

  const outputs: StackOutputs = {
    // The reference's outputs (stacks/runtime.md §4) for the edge, Aurora and the endpoints.
    apigw_ig_api_id: edge.apiId,
    apigw_ig_api_endpoint: edge.apiEndpoint,
    apigw_ig_stage_name: edge.stageName,
    apigw_ig_route_keys: edge.routeKeys,
    apigw_ig_stage_throttle_rps: envelope.throttleRateLimit,
    apigw_ig_stage_throttle_burst: envelope.throttleBurstLimit,
    apigw_ig_integration_timeout_ms: edge.integrationTimeoutMs,
    ig_base_url: edge.baseUrl,
    ig_ingest_url: pulumi.interpolate`${edge.baseUrl}${envelope.ingestPath}`,
    lambda_ig_handler_name: edge.functionName,
    lambda_ig_handler_arn: edge.functionArn,
    ddb_ig_idempotency_table: edge.tableName,
    ddb_ig_idempotency_table_arn: edge.tableArn,
    ig_dlq_queue_name: edge.queueName,
    ig_dlq_queue_url: edge.queueUrl,
    ssm_ig_api_key_path: edge.apiKeyParameterName,
    role_lambda_ig_execution_arn: edge.executionRoleArn,
    role_apigw_ig_invoke_arn: edge.invokeRoleArn,
    role_ddb_ig_idempotency_rw_arn: deferred(TABLE_ROLE_REMOVED),
    ig_lambda_security_group_id: edge.securityGroupId,
    aurora_cluster_identifier: aurora?.clusterIdentifier ?? null,
    aurora_cluster_arn: aurora?.clusterArn ?? null,
    aurora_endpoint: aurora?.endpoint ?? null,
    aurora_reader_endpoint: aurora?.readerEndpoint ?? null,
    aurora_instance_identifiers: aurora?.instanceIdentifiers ?? null,
    aurora_security_group_id: aurora?.securityGroupId ?? null,
    ssm_aurora_endpoint_path: aurora?.parameterNames.endpoint ?? null,
    ssm_aurora_reader_endpoint_path: aurora?.parameterNames.readerEndpoint ?? null,
    ssm_aurora_username_path: aurora?.parameterNames.username ?? null,
    // A path, not a secret: exported in plain (the reference marked it sensitive, §6.5 #12).
    ssm_aurora_password_path: aurora?.parameterNames.password ?? null,
    redis_replication_group_id: redis?.replicationGroupId ?? null,
    redis_primary_endpoint: redis?.primaryEndpoint ?? null,
    redis_security_group_id: redis?.securityGroupId ?? null,
    ssm_redis_endpoint_path: redis?.endpointParameterName ?? null,
    ssm_redis_auth_token_path: redis?.authTokenParameterName ?? null,
    runtime_endpoints_security_group_id: endpoints.securityGroupId,
    runtime_interface_vpc_endpoint_ids: endpoints.interfaceEndpointIds,
    runtime_s3_gateway_vpc_endpoint_id: endpoints.gatewayEndpointIds.s3,
    runtime_dynamodb_gateway_vpc_endpoint_id: endpoints.gatewayEndpointIds.dynamodb,
    runtime_gateway_prefix_list_ids: endpoints.gatewayPrefixListIds,
    runtime_workloads_security_group_id: workloads.securityGroupId,
    // The reference's ECS ingress service outputs: off by design, null with the reason under deferred_handles.
    ig_service_cluster_name: deferred(IG_SERVICE_DEFERRED),
    ig_service_name: deferred(IG_SERVICE_DEFERRED),
    ig_service_internal_dns_name: deferred(IG_SERVICE_DEFERRED),
    ig_service_url: deferred(IG_SERVICE_DEFERRED),
    ssm_ig_service_url_path: deferred(IG_SERVICE_DEFERRED),
    runtime_path_governance_contract: {
      PHASE_RUNTIME_PATH_MODE: r.string("PHASE_RUNTIME_PATH_MODE"),
      PHASE_RUNTIME_PATH_PIN_REQUIRED: r.boolean("PHASE_RUNTIME_PATH_PIN_REQUIRED"),
      RUNTIME_PATH_SWITCH_IN_PHASE_ALLOWED: r.boolean("RUNTIME_PATH_SWITCH_IN_PHASE_ALLOWED"),
      RUNTIME_FALLBACK_REQUIRES_NEW_PHASE_EXECUTION_ID: r.boolean("RUNTIME_FALLBACK_REQUIRES_NEW_PHASE_EXECUTION_ID"),
      PHASE_RUNTIME_PATH_EVIDENCE_PATH_PATTERN: r.string("PHASE_RUNTIME_PATH_EVIDENCE_PATH_PATTERN"),
    },
  };

  // The reference map's keys that are no runtime handle here: registry values it re-published, live read-backs.
  const igService = deferred(IG_SERVICE_DEFERRED);
  const value = (handle: string) => r.value(handle);
  const materialization: StackOutputs = {
    AURORA_ENGINE: value("AURORA_ENGINE"),
    AURORA_MODE: value("AURORA_MODE"),
    VPC_ENDPOINT_S3_GATEWAY_ID: endpoints.gatewayEndpointIds.s3,
    VPC_ENDPOINT_INTERFACE_IDS: endpoints.interfaceEndpointIds,
    SR_READY_COMMIT_AUTHORITY: value("SR_READY_COMMIT_AUTHORITY"),
    ...Object.fromEntries(
      [
        "IG_AUTH_MODE", "IG_AUTH_HEADER_NAME", "IG_MAX_REQUEST_BYTES", "IG_REQUEST_TIMEOUT_SECONDS", "IG_INTERNAL_RETRY_MAX_ATTEMPTS", "IG_INTERNAL_RETRY_BACKOFF_MS",
        "IG_IDEMPOTENCY_TTL_SECONDS", "IG_DLQ_MODE", "IG_REPLAY_MODE", "IG_RATE_LIMIT_RPS", "IG_RATE_LIMIT_BURST", "LAMBDA_IG_MEMORY_MB", "LAMBDA_IG_RESERVED_CONCURRENCY", "LAMBDA_IG_TIMEOUT_SECONDS",
      ].map((h) => [h, value(h)]),
    ),
    IG_DLQ_URL: edge.queueUrl,
    LAMBDA_IG_KAFKA_REQUEST_TIMEOUT_MS: ig.kafkaRequestTimeoutMs,
    LAMBDA_IG_RECEIPT_STORAGE_MODE: ig.receiptStorageMode,
    LAMBDA_IG_HEALTH_BUS_PROBE_MODE: ig.healthBusProbeMode,
    IG_POLICY_ACTIVATION_AUDIT_MODE: ig.policyActivationAuditMode,
    IG_SERVICE_ENABLED: false,
    IG_SERVICE_GUNICORN_KEEPALIVE_SECONDS: igService,
    IG_SERVICE_KAFKA_REQUEST_TIMEOUT_MS: igService,
    IG_SERVICE_CLUSTER_NAME: igService,
    IG_SERVICE_NAME: igService,
    IG_SERVICE_URL: igService,
    SSM_IG_SERVICE_URL_PATH: igService,
    APIGW_IG_STAGE_THROTTLE_RPS: envelope.throttleRateLimit,
    APIGW_IG_STAGE_THROTTLE_BURST: envelope.throttleBurstLimit,
    APIGW_IG_INTEGRATION_TIMEOUT_MS: edge.integrationTimeoutMs,
    PHASE_RUNTIME_PATH_MODE: value("PHASE_RUNTIME_PATH_MODE"),
    PHASE_RUNTIME_PATH_EVIDENCE_TARGET: value("PHASE_RUNTIME_PATH_EVIDENCE_PATH_PATTERN"),
  };

  return {
    handles,
    outputs,
    materialization,
    parts: { accountId, endpoints, workloads, aurora, redis, edge },
  };
}
