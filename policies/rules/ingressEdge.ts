/**
 * The ingress edge's pinned envelope (all values from the registry via src/ingress/envelope.ts):
 * - DA-51 (mandatory, high) `da-51-ingress-edge-envelope`, stack level: the HTTP API `fraud-platform-dev-full-ig-edge`
 *   has stage `v1` throttled at 3000 rps / burst 6000, integrations of at most 30000 ms, route keys that do not
 *   repeat the stage segment; the handler Lambda runs with 2048 MB, 30 s (>= the request timeout), reserved
 *   concurrency 600 and carries the envelope (payload, timeout, retries, backoff, TTL, rate) in its environment;
 *   the idempotency table and the DLQ are in the same stack.
 * - DA-52 (mandatory, high) `da-52-idempotency-table-keys`: the idempotency table's hash key is `dedupe_key` (S)
 *   and TTL is enabled on `ttl_epoch`.
 * - DA-53 (mandatory, critical) `da-53-api-key-in-ssm-only`: the handler's environment carries the API key's SSM
 *   path (`IG_API_KEY_PATH`), the pinned auth mode and header, and never the key; the key's parameter is a
 *   SecureString.
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { API_KEY_PATH_ENV, HTTP_API_MAX_INTEGRATION_TIMEOUT_MS, IngressEnvelope, envelopeEnvironment, envelopeFromRegistry } from "../../src/ingress/envelope";
import { registry } from "../lib/registry";
import { resourceRule, stackRule } from "../lib/rule";
import { isRedactedSecret, lambdaEnvironment } from "../lib/workloadEnv";

const envelope = (): IngressEnvelope => envelopeFromRegistry(registry());

const API = "aws:apigatewayv2/api:Api";
const STAGE = "aws:apigatewayv2/stage:Stage";
const INTEGRATION = "aws:apigatewayv2/integration:Integration";
const ROUTE = "aws:apigatewayv2/route:Route";

/** Whether a child (stage, route, integration) belongs to the API: its apiId comes from the API resource. */
function belongsTo(child: policy.PolicyResource, api: policy.PolicyResource): boolean {
  return child.dependencies.some((d) => d.urn === api.urn);
}

/** What is wrong with the handler Lambda's sizing and envelope environment (empty: nothing). */
export function handlerEnvelopeProblems(props: Record<string, unknown>, e: IngressEnvelope): string[] {
  const problems: string[] = [];
  const expect = (key: string, actual: unknown, wanted: number) => {
    if (actual !== wanted) problems.push(`${key} is ${JSON.stringify(actual ?? null)}, expected ${wanted}`);
  };
  expect("memorySize", props.memorySize, e.memoryMb);
  expect("timeout", props.timeout, e.timeoutSeconds);
  expect("reservedConcurrentExecutions", props.reservedConcurrentExecutions, e.reservedConcurrency);
  if (typeof props.timeout === "number" && props.timeout < e.requestTimeoutSeconds)
    problems.push(`timeout ${props.timeout} s is shorter than the request timeout ${e.requestTimeoutSeconds} s`);
  const env = Object.fromEntries(lambdaEnvironment(props).map((v) => [v.name, v.value]));
  for (const [key, wanted] of Object.entries(envelopeEnvironment(e))) {
    if (env[key] !== wanted) problems.push(`environment ${key} is ${JSON.stringify(env[key] ?? null)}, expected "${wanted}"`);
  }
  return problems;
}

export const ingressEdgeEnvelope = stackRule(
  {
    id: "DA-51",
    slug: "ingress-edge-envelope",
    description:
      "Ingress edge envelope: stage v1 throttled 3000 rps / burst 6000, integration timeout <= 30000 ms, route keys without the stage segment, handler Lambda 2048 MB / 30 s / reserved 600 with the pinned envelope in its environment, idempotency table and DLQ present (values from the registry).",
    severity: "high",
  },
  (args, reportViolation) => {
    const e = envelope();
    const apis = args.resources.filter((r) => r.type === API && r.props.name === e.apiName);
    const handlers = args.resources.filter((r) => r.type === "aws:lambda/function:Function" && r.props.name === e.functionName);
    if (apis.length === 0 && handlers.length === 0) return args.notApplicable("no ingress edge in this stack");
    const anchor = apis[0]?.urn ?? handlers[0]?.urn;

    for (const api of apis) {
      const children = (type: string) => args.resources.filter((r) => r.type === type && belongsTo(r, api));
      const stages = children(STAGE);
      if (!stages.some((s) => s.props.name === e.stageName)) reportViolation(`API ${e.apiName} has no stage ${e.stageName}.`, api.urn);
      for (const stage of stages) {
        const settings = (stage.props.defaultRouteSettings ?? {}) as Record<string, unknown>;
        if (settings.throttlingRateLimit !== e.throttleRateLimit || settings.throttlingBurstLimit !== e.throttleBurstLimit) {
          reportViolation(
            `stage ${String(stage.props.name)} throttles at ${JSON.stringify(settings.throttlingRateLimit ?? null)} rps / burst ${JSON.stringify(settings.throttlingBurstLimit ?? null)}, expected ${e.throttleRateLimit} / ${e.throttleBurstLimit}.`,
            stage.urn,
          );
        }
      }
      for (const integration of children(INTEGRATION)) {
        const timeout = integration.props.timeoutMilliseconds;
        if (typeof timeout === "number" && timeout > HTTP_API_MAX_INTEGRATION_TIMEOUT_MS)
          reportViolation(`integration timeout ${timeout} ms exceeds ${HTTP_API_MAX_INTEGRATION_TIMEOUT_MS} ms.`, integration.urn);
      }
      for (const route of children(ROUTE)) {
        const path =
          String(route.props.routeKey ?? "")
            .split(" ")
            .pop() ?? "";
        if (path === `/${e.stageName}` || path.startsWith(`/${e.stageName}/`))
          reportViolation(`route key ${JSON.stringify(route.props.routeKey)} repeats the stage segment (it would serve /${e.stageName}${path}).`, route.urn);
      }
    }
    for (const handler of handlers) {
      for (const p of handlerEnvelopeProblems(handler.props as Record<string, unknown>, e)) reportViolation(`handler ${e.functionName}: ${p}.`, handler.urn);
    }
    const has = (type: string, name: string) => args.resources.some((r) => r.type === type && r.props.name === name);
    if (!has("aws:dynamodb/table:Table", e.tableName)) reportViolation(`the ingress edge has no idempotency table ${e.tableName} in this stack.`, anchor);
    if (!has("aws:sqs/queue:Queue", e.queueName)) reportViolation(`the ingress edge has no dead-letter queue ${e.queueName} in this stack.`, anchor);
  },
);

export const idempotencyTableKeys = resourceRule(
  {
    id: "DA-52",
    slug: "idempotency-table-keys",
    description: "The ingress idempotency table uses hash key dedupe_key (type S) and TTL enabled on ttl_epoch.",
    severity: "high",
  },
  policy.validateResourceOfType(aws.dynamodb.Table, (table, args, reportViolation) => {
    const e = envelope();
    if (table.name !== e.tableName) return args.notApplicable("not the idempotency table");
    if (table.hashKey !== e.hashKey) reportViolation(`hashKey is ${JSON.stringify(table.hashKey ?? null)}, expected ${JSON.stringify(e.hashKey)}.`);
    if (table.rangeKey !== undefined) reportViolation(`rangeKey ${JSON.stringify(table.rangeKey)} is set; the dedupe key alone identifies an admission.`);
    const attribute = (table.attributes ?? []).find((a) => a.name === e.hashKey);
    if (attribute && attribute.type !== "S") reportViolation(`attribute ${e.hashKey} has type ${JSON.stringify(attribute.type)}, expected "S".`);
    if (table.ttl?.enabled !== true || table.ttl?.attributeName !== e.ttlAttribute) {
      reportViolation(`ttl is ${JSON.stringify(table.ttl ?? null)}, expected enabled on ${JSON.stringify(e.ttlAttribute)}.`);
    }
  }),
);

export const apiKeyInSsmOnly = resourceRule(
  {
    id: "DA-53",
    slug: "api-key-in-ssm-only",
    description:
      "The ingress API key lives only in SSM /fraud-platform/dev_full/ig/api_key (SecureString): the handler gets the path in IG_API_KEY_PATH with auth mode api_key and header X-IG-Api-Key, never the key.",
    severity: "critical",
  },
  [
    policy.validateResourceOfType(aws.lambda.Function, (fn, args, reportViolation) => {
      const e = envelope();
      if (fn.name !== e.functionName) return args.notApplicable("not the ingress handler");
      const env = lambdaEnvironment(args.props as Record<string, unknown>);
      const byName = Object.fromEntries(env.map((v) => [v.name, v.value]));
      if (byName[API_KEY_PATH_ENV] !== e.apiKeyParameterPath)
        reportViolation(`${API_KEY_PATH_ENV} is ${JSON.stringify(byName[API_KEY_PATH_ENV] ?? null)}, expected the SSM path ${e.apiKeyParameterPath}.`);
      if (byName.IG_AUTH_MODE !== e.authMode)
        reportViolation(`IG_AUTH_MODE is ${JSON.stringify(byName.IG_AUTH_MODE ?? null)}, expected ${JSON.stringify(e.authMode)}.`);
      if (byName.IG_AUTH_HEADER_NAME !== e.authHeaderName)
        reportViolation(`IG_AUTH_HEADER_NAME is ${JSON.stringify(byName.IG_AUTH_HEADER_NAME ?? null)}, expected ${JSON.stringify(e.authHeaderName)}.`);
      for (const v of env) {
        if (v.name !== API_KEY_PATH_ENV && /API_?KEY/i.test(v.name))
          reportViolation(`${v.name} carries API-key material in the environment; only ${API_KEY_PATH_ENV} (the SSM path) is allowed.`);
        else if (isRedactedSecret(v.value)) reportViolation(`${v.name} holds a secret value; the key is read from SSM at run time.`);
      }
    }),
    policy.validateResourceOfType(aws.ssm.Parameter, (parameter, args, reportViolation) => {
      const e = envelope();
      if (parameter.name !== e.apiKeyParameterPath) return args.notApplicable("not the API key parameter");
      if (parameter.type !== "SecureString")
        reportViolation(`${e.apiKeyParameterPath} is type ${JSON.stringify(parameter.type ?? null)}, expected SecureString.`);
    }),
  ],
);

export const ingressEdgePolicies = [ingressEdgeEnvelope, idempotencyTableKeys, apiKeyInSsmOnly];
