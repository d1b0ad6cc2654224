import fc from "fast-check";
import {
  artifactKeyProblem,
  configRevision,
  envelopeFromRegistry,
  envelopeProblems,
  handlerStaticEnvironment,
  integrationTimeoutMs,
  routeKeys,
} from "../../src/ingress/envelope";
import { loadRegistry } from "../../src/registry/registry";

const envelope = envelopeFromRegistry(loadRegistry());
const app = {
  profileId: "dev_full",
  region: "eu-west-2",
  runIdEnvKey: "REQUIRED_PLATFORM_RUN_ID",
  requiredPlatformRunId: "no-active-run",
  bootstrapParameterPath: "/fraud-platform/dev_full/msk/bootstrap_brokers",
  kafkaRequestTimeoutMs: 5000,
  kafkaPublishRetries: 5,
  receiptStorageMode: "ddb_hot",
  healthBusProbeMode: "none",
  policyActivationAuditMode: "store_only",
};

describe("ingress envelope", () => {
  it("reads the pinned envelope from the registry and finds it consistent", () => {
    expect(envelope).toMatchObject({
      apiName: "fraud-platform-dev-full-ig-edge",
      stageName: "v1",
      throttleRateLimit: 3000,
      throttleBurstLimit: 6000,
      memoryMb: 2048,
      timeoutSeconds: 30,
      reservedConcurrency: 600,
      hashKey: "dedupe_key",
      ttlAttribute: "ttl_epoch",
    });
    expect(envelopeProblems(envelope)).toEqual([]);
  });

  it("builds route keys without the stage segment and rejects paths that repeat it", () => {
    expect(routeKeys(envelope)).toEqual({ ingest: "POST /ingest/push", health: "GET /ops/health" });
    expect(envelopeProblems({ ...envelope, ingestPath: "/v1/ingest/push" })).toEqual([
      expect.stringMatching(/repeats the stage segment \/v1 \(it would serve \/v1\/v1\/ingest\/push\)/),
    ]);
    expect(envelopeProblems({ ...envelope, timeoutSeconds: 10 })).toEqual([
      expect.stringMatching(/Lambda timeout 10 s is shorter than the request timeout 30 s/),
    ]);
  });

  it("caps the integration timeout at 30000 ms and never exceeds the request timeout", () => {
    expect(integrationTimeoutMs(30)).toBe(30000);
    fc.assert(fc.property(fc.double({ min: 0.05, max: 900, noNaN: true }), (s) => integrationTimeoutMs(s) <= 30000 && integrationTimeoutMs(s) <= s * 1000));
  });

  it("accepts only a .zip key under the CI prefix for the handler package", () => {
    const prefix = "artifacts/lambda/ig_handler/";
    expect(artifactKeyProblem("artifacts/lambda/ig_handler/git-abc1234-run-42.zip", prefix)).toBeUndefined();
    expect(artifactKeyProblem("", prefix)).toBe("the key is blank");
    expect(artifactKeyProblem("artifacts/other/x.zip", prefix)).toMatch(/must be under artifacts\/lambda\/ig_handler\//);
    expect(artifactKeyProblem(prefix, prefix)).toMatch(/names the prefix/);
    expect(artifactKeyProblem(`${prefix}x.jar`, prefix)).toMatch(/\.zip/);
  });

  it("gives the handler paths, not secrets, the run id (DA-63) and a revision that follows the content", () => {
    const env = handlerStaticEnvironment(envelope, app);
    expect(env).toMatchObject({
      IG_API_KEY_PATH: "/fraud-platform/dev_full/ig/api_key",
      REQUIRED_PLATFORM_RUN_ID: "no-active-run",
      KAFKA_SASL_MECHANISM: "OAUTHBEARER",
      IG_RATE_LIMIT_BURST: "6000",
    });
    const { PLATFORM_CONFIG_REVISION: revision, ...rest } = env;
    expect(revision).toBe(configRevision(rest));
    expect(handlerStaticEnvironment(envelope, { ...app, requiredPlatformRunId: "platform_20261125T120000Z" }).PLATFORM_CONFIG_REVISION).not.toBe(revision);
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1 }), fc.string()),
        (m) => configRevision(m) === configRevision(Object.fromEntries(Object.entries(m).reverse())),
      ),
    );
  });
});
