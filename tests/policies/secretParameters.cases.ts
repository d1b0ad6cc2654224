import { customerKeyProblem, secretClassPaths, secretParametersEncrypted } from "../../policies/rules/secretParameters";
import { UNKNOWN } from "../../src/plan/previewDocument";
import { loadRegistry } from "../../src/registry/registry";
import { check, doc, mutate, resource } from "../helpers/policyFixtures";
import { PARAMETER, PLATFORM_KEY_ARN, streamingCompliant } from "../helpers/streamingFixtures";

const SECRET_PATHS = [
  "/fraud-platform/dev_full/aurora/password",
  "/fraud-platform/dev_full/databricks/token",
  "/fraud-platform/dev_full/ig/api_key",
  "/fraud-platform/dev_full/msk/bootstrap_brokers",
];

describe("DA-22 secret-class parameters under the platform key", () => {
  it("takes the secret class from the registry: SecureString-typed required paths plus the MSK bootstrap", () => {
    expect([...secretClassPaths(loadRegistry())].sort()).toEqual(SECRET_PATHS);
  });

  it.each(SECRET_PATHS)("stays quiet on %s as a SecureString under the platform key", async (path) => {
    const r = await check(secretParametersEncrypted, doc(resource(PARAMETER, "p", streamingCompliant.parameter(path))));
    expect(r.violations).toEqual([]);
  });

  it.each(["alias/fraud-platform-dev-full", "arn:aws:kms:eu-west-2:123456789012:alias/fraud-platform-dev-full", "0567e6a2-3213-46fa-a50d-0eb2441b9fb9"])(
    "accepts keyId %s",
    async (keyId) => {
      const r = await check(secretParametersEncrypted, doc(resource(PARAMETER, "p", mutate(streamingCompliant.parameter(SECRET_PATHS[0]), "keyId", keyId))));
      expect(r.violations).toEqual([]);
    },
  );

  it("leaves other parameters alone", async () => {
    const endpoint = { name: "/fraud-platform/dev_full/aurora/endpoint", type: "String", value: "db.example" };
    const r = await check(secretParametersEncrypted, doc(resource(PARAMETER, "p", endpoint)));
    expect(r.violations).toEqual([]);
  });

  it.each(SECRET_PATHS)("fires when %s is a plain String", async (path) => {
    const r = await check(secretParametersEncrypted, doc(resource(PARAMETER, "p", mutate(streamingCompliant.parameter(path), "type", "String"))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-22-secret-parameters-platform-kms", rule: "DA-22", enforcementLevel: "mandatory" });
    expect(r.violations[0].message).toContain(`${path}: type is "String", expected "SecureString"`);
  });

  it.each([
    [undefined, /keyId is not set, so SSM uses the AWS-managed key/],
    ["alias/aws/ssm", /is an AWS-managed key/],
    ["arn:aws:kms:eu-west-2:123456789012:alias/aws/ssm", /is an AWS-managed key/],
    ["alias/someone-elses-key", /neither a key ARN\/id nor the platform alias alias\/fraud-platform-dev-full/],
  ])("fires when keyId is %p", async (keyId, message) => {
    const r = await check(
      secretParametersEncrypted,
      doc(resource(PARAMETER, "p", mutate(streamingCompliant.parameter("/fraud-platform/dev_full/ig/api_key"), "keyId", keyId))),
    );
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(message);
  });

  it("cannot judge a key unknown at preview: advisory note, not a mandatory violation", async () => {
    const r = await check(secretParametersEncrypted, doc(resource(PARAMETER, "p", mutate(streamingCompliant.parameter(), "keyId", UNKNOWN))));
    expect(r.summary.mandatory).toBe(0);
    expect(r.violations).toEqual([expect.objectContaining({ enforcementLevel: "advisory", message: expect.stringMatching(/can't run policy/) })]);
  });

  it("names what is wrong with a key (pure)", () => {
    expect(customerKeyProblem(PLATFORM_KEY_ARN, "alias/fraud-platform-dev-full")).toBeUndefined();
    expect(customerKeyProblem("mrk-0123456789abcdef0123456789abcdef", "alias/fraud-platform-dev-full")).toBeUndefined();
    expect(customerKeyProblem("", "alias/fraud-platform-dev-full")).toMatch(/not set/);
  });
});
