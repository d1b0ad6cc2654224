import { noUnpinnedDefaults } from "../../policies/rules/unpinnedDefaults";
import { check, compliant, doc, mutate, resource } from "../helpers/policyFixtures";

const BUCKET = "aws:s3/bucket:Bucket";

describe("DA-09 no unpinned defaults", () => {
  it("stays quiet on pinned values", async () => {
    expect((await check(noUnpinnedDefaults, doc(resource(BUCKET, "b", compliant.bucket())))).violations).toEqual([]);
  });

  it("fires on a TO_PIN placeholder", async () => {
    const r = await check(noUnpinnedDefaults, doc(resource(BUCKET, "b", mutate(compliant.bucket(), "tags.owner", "TO_PIN"))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(/tags.owner carries the placeholder "TO_PIN"/);
  });

  it("fires on CHANGE_ME inside a larger string", async () => {
    const r = await check(noUnpinnedDefaults, doc(resource(BUCKET, "b", mutate(compliant.bucket(), "bucket", "fraud-platform-CHANGE_ME"))));
    expect(r.violations).toHaveLength(1);
  });
});
