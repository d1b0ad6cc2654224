/**
 * The ingress edge (HTTP API, Lambda, idempotency table, DLQ, API key) with its identities, placed in the private
 * subnets behind the gateway prefix lists, and its handles and reference outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { IngressEdge } from "../../components/ingressEdge";
import { IngressEnvelope, envelopeFromRegistry } from "../../src/ingress/envelope";
import { deferred } from "../handleOutputs";
import { RuntimeContext, RuntimePart } from "./context";
import { PrivateNetwork } from "./privateNetwork";

/** Why ROLE_DDB_IG_IDEMPOTENCY_RW and role_ddb_ig_idempotency_rw_arn are null (decision 0009). */
export const TABLE_ROLE_REMOVED =
  "not created: nothing assumed the reference's table-only role (Lambda trust, attached to nothing) and the ingress handler writes the idempotency table with its own execution role; a spare role any Lambda could be created with was only an extra write path (docs/decisions/0009-idempotency-table-role-removed.md)";

/**
 * Why the reference's ECS ingress service (Fargate behind an internal ALB, its "alternative IG path") and its five
 * outputs are null: docs/decisions/0008-ecs-ingress-service-deferred.md.
 */
export const IG_SERVICE_DEFERRED =
  "the ECS ingress service behind an internal ALB is not built: the managed edge (HTTP API + Lambda) is the one ingress path, and the reference's 32 x (4 vCPU, 8 GiB) Fargate tasks plus an ALB would cost more than the runtime envelope (docs/decisions/0008-ecs-ingress-service-deferred.md)";

/** Registry values of the edge the reference's materialization map re-published. */
const ENVELOPE_VALUE_HANDLES = [
  "IG_AUTH_MODE",
  "IG_AUTH_HEADER_NAME",
  "IG_MAX_REQUEST_BYTES",
  "IG_REQUEST_TIMEOUT_SECONDS",
  "IG_INTERNAL_RETRY_MAX_ATTEMPTS",
  "IG_INTERNAL_RETRY_BACKOFF_MS",
  "IG_IDEMPOTENCY_TTL_SECONDS",
  "IG_DLQ_MODE",
  "IG_REPLAY_MODE",
  "IG_RATE_LIMIT_RPS",
  "IG_RATE_LIMIT_BURST",
  "LAMBDA_IG_MEMORY_MB",
  "LAMBDA_IG_RESERVED_CONCURRENCY",
  "LAMBDA_IG_TIMEOUT_SECONDS",
];

export function ingressPart(ctx: RuntimeContext, network: PrivateNetwork): RuntimePart & { edge: IngressEdge } {
  const envelope = envelopeFromRegistry(ctx.r);
  const edge = ingressEdge(ctx, envelope, network);
  return {
    edge,
    handles: ingressHandles(ctx, envelope, edge),
    outputs: ingressOutputs(envelope, edge),
    materialization: ingressMaterialization(ctx, envelope, edge),
  };
}

function ingressEdge(ctx: RuntimeContext, envelope: IngressEnvelope, network: PrivateNetwork): IngressEdge {
  const { r, core } = ctx;
  const ig = ctx.settings.ingress;
  return new IngressEdge("ig-edge", {
    envelope,
    app: {
      profileId: r.string("ENV_NAME"),
      region: ctx.region,
      runIdEnvKey: r.string("REQUIRED_PLATFORM_RUN_ID_ENV_KEY"),
      requiredPlatformRunId: ig.requiredPlatformRunId,
      bootstrapParameterPath: r.string("SSM_MSK_BOOTSTRAP_BROKERS_PATH"),
      kafkaRequestTimeoutMs: ig.kafkaRequestTimeoutMs,
      kafkaPublishRetries: ig.kafkaPublishRetries,
      receiptStorageMode: ig.receiptStorageMode,
      healthBusProbeMode: ig.healthBusProbeMode,
      policyActivationAuditMode: ig.policyActivationAuditMode,
    },
    code: { bucket: core.bucketNames.artifacts, key: ig.handlerArtifact.s3Key, handler: ig.handler, runtime: ig.runtime, architecture: ig.architecture },
    network: {
      vpcId: core.vpcId,
      privateSubnetCidrs: ctx.env.settings.network.privateSubnetCidrs,
      subnetIds: core.privateSubnetIds,
      gatewayPrefixListIds: network.endpoints.gatewayPrefixListIds,
      mskPort: r.number("MSK_IAM_PORT"),
      securityGroupName: r.string("LAMBDA_IG_SECURITY_GROUP_NAME"),
    },
    logs: {
      accessLogGroupName: r.string("APIGW_IG_ACCESS_LOG_GROUP_NAME"),
      functionLogGroupName: r.string("LAMBDA_IG_LOG_GROUP_NAME"),
      retentionDays: ctx.retentionDays,
    },
    roleNames: { execution: r.roleName("ROLE_LAMBDA_IG_EXECUTION"), invoke: r.roleName("ROLE_APIGW_IG_INVOKE") },
    kmsKeyArn: core.kmsKeyArn,
    accountId: ctx.accountId,
    region: ctx.region,
    objectStore: { bucketName: core.bucketNames.object_store, bucketArn: core.bucketArns.object_store },
    // No bus between windows, no stream grant (the edge admits nothing outside a run anyway).
    ...(ctx.mskUp ? { streamAccessPolicyJson: igStreamPolicy(ctx) } : {}),
    apiKeyGeneration: ig.apiKeyGeneration,
    pointInTimeRecovery: ig.idempotencyPointInTimeRecovery,
    detailedMetrics: ig.detailedMetrics,
    tags: ctx.tags,
  });
}

/** The `ig` lane's stream access document; streaming without it is an error (the edge could not publish). */
function igStreamPolicy(ctx: RuntimeContext): pulumi.Output<string> {
  return ctx.streaming.streamAccessPolicies.apply((lanes) => {
    const doc = lanes.ig;
    if (!doc)
      throw new Error(
        `stack streaming: output stream_access_policies has no "ig" lane (lanes: ${Object.keys(lanes).join(", ")}); the ingress edge cannot publish`,
      );
    return doc;
  });
}

function ingressHandles(ctx: RuntimeContext, envelope: IngressEnvelope, edge: IngressEdge): RuntimePart["handles"] {
  return {
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
    LAMBDA_IG_LOG_GROUP_NAME: pulumi.output(ctx.r.string("LAMBDA_IG_LOG_GROUP_NAME")),
    LAMBDA_IG_SECURITY_GROUP_NAME: pulumi.output(ctx.r.string("LAMBDA_IG_SECURITY_GROUP_NAME")),
  };
}

function ingressOutputs(envelope: IngressEnvelope, edge: IngressEdge): RuntimePart["outputs"] {
  return {
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
    // The reference's ECS ingress service outputs: off by design, null with the reason under deferred_handles.
    ig_service_cluster_name: deferred(IG_SERVICE_DEFERRED),
    ig_service_name: deferred(IG_SERVICE_DEFERRED),
    ig_service_internal_dns_name: deferred(IG_SERVICE_DEFERRED),
    ig_service_url: deferred(IG_SERVICE_DEFERRED),
    ssm_ig_service_url_path: deferred(IG_SERVICE_DEFERRED),
  };
}

/** The reference map's keys of the edge that are no runtime handle here: registry values, settings, read-backs. */
function ingressMaterialization(ctx: RuntimeContext, envelope: IngressEnvelope, edge: IngressEdge): RuntimePart["materialization"] {
  const ig = ctx.settings.ingress;
  const igService = deferred(IG_SERVICE_DEFERRED);
  return {
    ...Object.fromEntries(ENVELOPE_VALUE_HANDLES.map((h) => [h, ctx.r.value(h)])),
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
  };
}
