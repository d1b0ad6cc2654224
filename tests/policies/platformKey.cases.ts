import { platformKeyRotated } from "../../policies/rules/platformKey";
import { PropertyMap } from "../../src/plan/previewDocument";
import { check, doc, mutate, resource, urnOf } from "../helpers/policyFixtures";

const KEY = "aws:kms/key:Key";
const ALIAS = "aws:kms/alias:Alias";
const key = (): PropertyMap => ({ description: "platform key", enableKeyRotation: true, deletionWindowInDays: 10 });
const alias = resource(ALIAS, "platform", { name: "alias/fraud-platform-dev-full", targetKeyId: "k" }, { dependencies: [urnOf(KEY, "platform")] });

describe("DA-26 platform KMS key rotated", () => {
  it("stays quiet on the aliased key with rotation on", async () => {
    expect((await check(platformKeyRotated, doc(resource(KEY, "platform", key()), alias))).violations).toEqual([]);
  });

  it("fires when rotation is off", async () => {
    const r = await check(platformKeyRotated, doc(resource(KEY, "platform", mutate(key(), "enableKeyRotation", false)), alias));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(/enableKeyRotation not true/);
  });

  it("fires when the core stack has no platform alias", async () => {
    const r = await check(platformKeyRotated, doc(resource(KEY, "platform", key())));
    expect(r.violations[0].message).toMatch(/no KMS alias alias\/fraud-platform-dev-full/);
  });
});
