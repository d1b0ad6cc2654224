/**
 * The ingress edge's envelope (DA-51..53) as data: the pinned limits read from the registry, the route keys, the
 * integration timeout, the handler's environment, and the checks that tie them together. Pure functions, shared
 * by the IngressEdge component, the runtime stack and the DA-51/52/53 policies, so the values are never repeated.
 */
import { createHash } from "crypto";
import { Registry } from "../registry/registry";

/** The registry-pinned envelope of the ingress edge. */
export interface IngressEnvelope {
  apiName: string;
  stageName: string;
  functionName: string;
  tableName: string;
  queueName: string;
  apiKeyParameterPath: string;
  /** Idempotency table partition key and TTL attribute. */
  hashKey: string;
  ttlAttribute: string;
  throttleRateLimit: number;
  throttleBurstLimit: number;
  memoryMb: number;
  timeoutSeconds: number;
  reservedConcurrency: number;
  requestTimeoutSeconds: number;
  maxRequestBytes: number;
  retryMaxAttempts: number;
  retryBackoffMs: number;
  idempotencyTtlSeconds: number;
  dlqMode: string;
  replayMode: string;
  authMode: string;
  authHeaderName: string;
  ingestPath: string;
  healthPath: string;
}

/** Reads the envelope from the registry (every value is a pinned handle). */
export function envelopeFromRegistry(r: Registry): IngressEnvelope {
  return {
    apiName: r.string("APIGW_IG_API_NAME"),
    stageName: r.string("APIGW_IG_STAGE"),
    functionName: r.string("LAMBDA_IG_HANDLER_NAME"),
    tableName: r.string("DDB_IG_IDEMPOTENCY_TABLE"),
    queueName: r.string("IG_DLQ_QUEUE_NAME"),
    apiKeyParameterPath: r.string("SSM_IG_API_KEY_PATH"),
    hashKey: r.string("DDB_IG_IDEMPOTENCY_PARTITION_KEY"),
    ttlAttribute: r.string("DDB_IG_IDEMPOTENCY_TTL_FIELD"),
    throttleRateLimit: r.number("IG_RATE_LIMIT_RPS"),
    throttleBurstLimit: r.number("IG_RATE_LIMIT_BURST"),
    memoryMb: r.number("LAMBDA_IG_MEMORY_MB"),
    timeoutSeconds: r.number("LAMBDA_IG_TIMEOUT_SECONDS"),
    reservedConcurrency: r.number("LAMBDA_IG_RESERVED_CONCURRENCY"),
    requestTimeoutSeconds: r.number("IG_REQUEST_TIMEOUT_SECONDS"),
    maxRequestBytes: r.number("IG_MAX_REQUEST_BYTES"),
    retryMaxAttempts: r.number("IG_INTERNAL_RETRY_MAX_ATTEMPTS"),
    retryBackoffMs: r.number("IG_INTERNAL_RETRY_BACKOFF_MS"),
    idempotencyTtlSeconds: r.number("IG_IDEMPOTENCY_TTL_SECONDS"),
    dlqMode: r.string("IG_DLQ_MODE"),
    replayMode: r.string("IG_REPLAY_MODE"),
    authMode: r.string("IG_AUTH_MODE"),
    authHeaderName: r.string("IG_AUTH_HEADER_NAME"),
    ingestPath: r.string("IG_INGEST_PATH"),
    healthPath: r.string("IG_HEALTHCHECK_PATH"),
  };
}

/** HTTP APIs cap an integration at 30 s. */
export const HTTP_API_MAX_INTEGRATION_TIMEOUT_MS = 30000;

/** Integration timeout for a request timeout: the request timeout in ms, capped at the HTTP API maximum. */
export function integrationTimeoutMs(requestTimeoutSeconds: number): number {
  return Math.min(HTTP_API_MAX_INTEGRATION_TIMEOUT_MS, Math.floor(requestTimeoutSeconds * 1000));
}

/** The two routes. Keys never repeat the stage segment (no `/v1/v1/...`). */
export function routeKeys(e: Pick<IngressEnvelope, "ingestPath" | "healthPath">): { ingest: string; health: string } {
  return { ingest: `POST ${e.ingestPath}`, health: `GET ${e.healthPath}` };
}

/** What is wrong with an envelope (empty: nothing). Checked before anything is declared. */
export function envelopeProblems(e: IngressEnvelope): string[] {
  const problems: string[] = [];
  if (e.timeoutSeconds < e.requestTimeoutSeconds)
    problems.push(`Lambda timeout ${e.timeoutSeconds} s is shorter than the request timeout ${e.requestTimeoutSeconds} s`);
  if (e.timeoutSeconds > 900) problems.push(`Lambda timeout ${e.timeoutSeconds} s exceeds Lambda's 900 s maximum`);
  if (e.memoryMb < 128 || e.memoryMb > 10240) problems.push(`Lambda memory ${e.memoryMb} MB is outside 128..10240`);
  if (!Number.isInteger(e.reservedConcurrency) || e.reservedConcurrency < 1)
    problems.push(`reserved concurrency ${e.reservedConcurrency} must be a whole number >= 1`);
  if (e.throttleBurstLimit < e.throttleRateLimit) problems.push(`throttle burst ${e.throttleBurstLimit} is below the rate ${e.throttleRateLimit}`);
  for (const [what, path] of [
    ["ingest", e.ingestPath],
    ["health", e.healthPath],
  ] as const) {
    if (!path.startsWith("/")) problems.push(`${what} path ${JSON.stringify(path)} must start with "/"`);
    const stagePrefix = `/${e.stageName}/`;
    if (path === `/${e.stageName}` || path.startsWith(stagePrefix))
      problems.push(`${what} path ${JSON.stringify(path)} repeats the stage segment /${e.stageName} (it would serve /${e.stageName}${path})`);
  }
  return problems;
}

/** Why an S3 key cannot be the handler package (undefined: it can). */
export function artifactKeyProblem(key: string, prefix: string): string | undefined {
  if (key.trim() === "") return "the key is blank";
  if (!key.startsWith(prefix)) return `the key must be under ${prefix} (where CI uploads the package)`;
  if (key.length === prefix.length) return "the key names the prefix, not a package";
  if (!key.endsWith(".zip")) return "the package must be a .zip";
  return undefined;
}

/** Env var of the handler -> the envelope value it carries. DA-51 checks these against the registry. */
export function envelopeEnvironment(e: IngressEnvelope): Record<string, string> {
  return {
    IG_MAX_REQUEST_BYTES: String(e.maxRequestBytes),
    IG_REQUEST_TIMEOUT_SECONDS: String(e.requestTimeoutSeconds),
    IG_INTERNAL_RETRY_MAX_ATTEMPTS: String(e.retryMaxAttempts),
    IG_INTERNAL_RETRY_BACKOFF_MS: String(e.retryBackoffMs),
    IG_IDEMPOTENCY_TTL_SECONDS: String(e.idempotencyTtlSeconds),
    IG_RATE_LIMIT_RPS: String(e.throttleRateLimit),
    IG_RATE_LIMIT_BURST: String(e.throttleBurstLimit),
  };
}

/** Env var that carries the API key's SSM path (DA-53); the key itself is never in the environment. */
export const API_KEY_PATH_ENV = "IG_API_KEY_PATH";

/** Handler settings that are not pinned by the registry (settings runtime.ingress). */
export interface HandlerAppSettings {
  profileId: string;
  region: string;
  runIdEnvKey: string;
  requiredPlatformRunId: string;
  bootstrapParameterPath: string;
  kafkaRequestTimeoutMs: number;
  kafkaPublishRetries: number;
  receiptStorageMode: string;
  healthBusProbeMode: string;
  policyActivationAuditMode: string;
}

/**
 * The handler's plain (known-now) environment: envelope, auth, Kafka and modes. Values naming deployed things
 * (table, queue URL, store root) are added by the component. `PLATFORM_CONFIG_REVISION` is a digest of the rest,
 * so a changed envelope is a changed revision (never a fixed string).
 */
export function handlerStaticEnvironment(e: IngressEnvelope, app: HandlerAppSettings): Record<string, string> {
  const env: Record<string, string> = {
    IG_HASH_KEY: e.hashKey,
    IG_TTL_ATTRIBUTE: e.ttlAttribute,
    [API_KEY_PATH_ENV]: e.apiKeyParameterPath,
    IG_AUTH_MODE: e.authMode,
    IG_AUTH_HEADER_NAME: e.authHeaderName,
    ...envelopeEnvironment(e),
    IG_DLQ_MODE: e.dlqMode,
    IG_DLQ_QUEUE_NAME: e.queueName,
    IG_REPLAY_MODE: e.replayMode,
    PLATFORM_PROFILE_ID: app.profileId,
    OBJECT_STORE_REGION: app.region,
    OBJECT_STORE_PATH_STYLE: "false",
    KAFKA_AWS_REGION: app.region,
    KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
    KAFKA_SASL_MECHANISM: "OAUTHBEARER",
    KAFKA_REQUEST_TIMEOUT_MS: String(app.kafkaRequestTimeoutMs),
    KAFKA_PUBLISH_RETRIES: String(app.kafkaPublishRetries),
    KAFKA_BOOTSTRAP_BROKERS_PARAM_PATH: app.bootstrapParameterPath,
    IG_RECEIPT_STORAGE_MODE: app.receiptStorageMode,
    IG_HEALTH_BUS_PROBE_MODE: app.healthBusProbeMode,
    IG_POLICY_ACTIVATION_AUDIT_MODE: app.policyActivationAuditMode,
    [app.runIdEnvKey]: app.requiredPlatformRunId,
  };
  return { ...env, PLATFORM_CONFIG_REVISION: configRevision(env) };
}

/** `sha256:<12 hex>` over the sorted key=value lines. */
export function configRevision(env: Readonly<Record<string, string>>): string {
  const text = Object.keys(env)
    .sort()
    .map((k) => `${k}=${env[k]}`)
    .join("\n");
  return `sha256:${createHash("sha256").update(text).digest("hex").slice(0, 12)}`;
}
