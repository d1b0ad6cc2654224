import { apiKeyInSsmOnly, idempotencyTableKeys, ingressEdgeEnvelope } from "../../policies/rules/ingressEdge";
import { check, doc, mutate, resource } from "../helpers/policyFixtures";
import { SECRET, T, ingressEdgeResources, runtimeCompliant } from "../helpers/runtimeFixtures";

const messages = (r: { violations: Array<{ message: string }> }) => r.violations.map((v) => v.message.split("\n")[1]);

describe("DA-51 ingress edge envelope", () => {
  it("stays quiet on the edge as the runtime stack declares it", async () => {
    expect((await check(ingressEdgeEnvelope, doc(...ingressEdgeResources()))).violations).toEqual([]);
  });

  it.each([
    [
      "stage throttling",
      { stage: mutate(runtimeCompliant.stage(), "defaultRouteSettings.throttlingRateLimit", 200) },
      /throttles at 200 rps \/ burst 6000, expected 3000 \/ 6000/,
    ],
    ["stage name", { stage: mutate(runtimeCompliant.stage(), "name", "prod") }, /has no stage v1/],
    [
      "integration timeout",
      { integration: mutate(runtimeCompliant.integration(), "timeoutMilliseconds", 30001) },
      /integration timeout 30001 ms exceeds 30000 ms/,
    ],
    [
      "route repeating the stage",
      { ingest: runtimeCompliant.route("POST /v1/ingest/push") },
      /repeats the stage segment \(it would serve \/v1\/v1\/ingest\/push\)/,
    ],
    ["handler memory", { handler: mutate(runtimeCompliant.handler(), "memorySize", 1024) }, /memorySize is 1024, expected 2048/],
    [
      "handler reserved concurrency",
      { handler: mutate(runtimeCompliant.handler(), "reservedConcurrentExecutions", undefined) },
      /reservedConcurrentExecutions is null, expected 600/,
    ],
    [
      "handler envelope env",
      { handler: mutate(runtimeCompliant.handler(), "environment.variables.IG_MAX_REQUEST_BYTES", "2097152") },
      /IG_MAX_REQUEST_BYTES is "2097152", expected "1048576"/,
    ],
    ["missing DLQ", { queue: null }, /no dead-letter queue fraud-platform-dev-full-ig-dlq/],
  ])("fires on %s", async (_what, overrides, message) => {
    const r = await check(ingressEdgeEnvelope, doc(...ingressEdgeResources(overrides)));
    expect(messages(r)).toEqual([expect.stringMatching(message)]);
  });

  it("fires twice on a handler timeout below the request timeout", async () => {
    const r = await check(ingressEdgeEnvelope, doc(...ingressEdgeResources({ handler: mutate(runtimeCompliant.handler(), "timeout", 10) })));
    expect(messages(r)).toEqual([
      expect.stringMatching(/timeout is 10, expected 30/),
      expect.stringMatching(/timeout 10 s is shorter than the request timeout 30 s/),
    ]);
  });

  it("is not applicable to a stack without the edge", async () => {
    const r = await check(ingressEdgeEnvelope, doc(resource(T.queue, "q", runtimeCompliant.queue())));
    expect(r.summary.notApplicable).toBe(1);
  });
});

describe("DA-52 idempotency table keys", () => {
  it("stays quiet on the pinned keys and ignores other tables", async () => {
    const r = await check(
      idempotencyTableKeys,
      doc(resource(T.table, "t", runtimeCompliant.table()), resource(T.table, "other", { name: "x", hashKey: "id" })),
    );
    expect(r.violations).toEqual([]);
  });
  it.each([
    ["hashKey", "event_id", /hashKey is "event_id", expected "dedupe_key"/],
    ["ttl.enabled", false, /ttl is .*expected enabled on "ttl_epoch"/],
    ["ttl.attributeName", "expires_at", /expected enabled on "ttl_epoch"/],
    ["attributes", [{ name: "dedupe_key", type: "N" }], /attribute dedupe_key has type "N"/],
    ["rangeKey", "event_class", /rangeKey "event_class" is set/],
  ])("fires when %s is %p", async (path, value, message) => {
    const r = await check(idempotencyTableKeys, doc(resource(T.table, "t", mutate(runtimeCompliant.table(), path, value as never))));
    expect(messages(r)).toEqual([expect.stringMatching(message)]);
  });
});

describe("DA-53 API key in SSM only", () => {
  it("stays quiet on the handler and its SecureString", async () => {
    const r = await check(
      apiKeyInSsmOnly,
      doc(resource(T.lambda, "h", runtimeCompliant.handler()), resource(T.parameter, "k", runtimeCompliant.apiKeyParameter())),
    );
    expect(r.violations).toEqual([]);
  });
  it.each([
    ["the path replaced by the key", "environment.variables.IG_API_KEY_PATH", SECRET, /IG_API_KEY_PATH is "\[secret\]", expected the SSM path/],
    ["a second key variable", "environment.variables.IG_API_KEY", "k3y", /IG_API_KEY carries API-key material/],
    ["another auth header", "environment.variables.IG_AUTH_HEADER_NAME", "Authorization", /IG_AUTH_HEADER_NAME is "Authorization"/],
  ])("fires on %s", async (_what, path, value, message) => {
    const r = await check(apiKeyInSsmOnly, doc(resource(T.lambda, "h", mutate(runtimeCompliant.handler(), path, value as never))));
    expect(messages(r)).toContainEqual(expect.stringMatching(message));
  });
  it("fires on a plain String parameter", async () => {
    const r = await check(apiKeyInSsmOnly, doc(resource(T.parameter, "k", mutate(runtimeCompliant.apiKeyParameter(), "type", "String"))));
    expect(messages(r)).toEqual([expect.stringMatching(/is type "String", expected SecureString/)]);
  });
});
