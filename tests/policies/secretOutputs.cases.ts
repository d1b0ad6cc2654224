import { noSecretOutputs } from "../../policies/rules/secretOutputs";
import { PropertyMap } from "../../src/plan/previewDocument";
import { check, doc, mutate, resource } from "../helpers/policyFixtures";
import { SECRET } from "../helpers/runtimeFixtures";

const STACK_TYPE = "pulumi:pulumi:Stack";
const outputs = (): PropertyMap => ({
  aurora_password_path: "/fraud-platform/dev_full/aurora/password",
  kms_key_arn: "arn:aws:kms:eu-west-2:123456789012:key/abc",
  ig_api_key: SECRET,
});
const root = (props: PropertyMap) => resource(STACK_TYPE, "fraud-platform-dev-full-core", props, { custom: false });

describe("DA-04 no secret outputs", () => {
  it("stays quiet on paths, ARNs and secret-wrapped values", async () => {
    expect((await check(noSecretOutputs, doc(root(outputs())))).violations).toEqual([]);
  });

  it("is not applicable when there are no outputs (preview)", async () => {
    const r = await check(noSecretOutputs, doc(root({})));
    expect(r.violations).toEqual([]);
    expect(r.summary.notApplicable).toBeGreaterThan(0);
  });

  it("fires on a plain secret-named output", async () => {
    const r = await check(noSecretOutputs, doc(root(mutate(outputs(), "ig_api_key", "s3cr3t-value"))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(/output ig_api_key names a secret/);
  });

  it("fires on credential-looking values whatever the key", async () => {
    const r = await check(noSecretOutputs, doc(root(mutate(outputs(), "kms_key_arn", "AKIAABCDEFGHIJKLMNOP"))));
    expect(r.violations[0].message).toMatch(/looks like a credential/);
  });
});
