import { bucketOwnerEnforced, bucketOwnershipPaired } from "../../policies/rules/bucketOwnership";
import { UNKNOWN } from "../../src/plan/previewDocument";
import { check, compliant, doc, mutate, resource, urnOf } from "../helpers/policyFixtures";

const BUCKET = "aws:s3/bucket:Bucket";
const OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
const ownership = () => ({ bucket: UNKNOWN, rule: { objectOwnership: "BucketOwnerEnforced" } });

describe("DA-38 bucket ownership (advisory)", () => {
  it("stays quiet on BucketOwnerEnforced", async () => {
    expect((await check(bucketOwnerEnforced, doc(resource(OWNERSHIP, "o", ownership())))).violations).toEqual([]);
  });
  it("fires (advisory) on ObjectWriter", async () => {
    const r = await check(bucketOwnerEnforced, doc(resource(OWNERSHIP, "o", mutate(ownership(), "rule.objectOwnership", "ObjectWriter"))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-38-bucket-owner-enforced", enforcementLevel: "advisory" });
    expect(r.violations[0].message).toContain("ObjectWriter");
  });
  it("pairing stays quiet when each bucket has ownership controls (through dependencies)", async () => {
    const r = await check(
      bucketOwnershipPaired,
      doc(resource(BUCKET, "artifacts", compliant.bucket()), resource(OWNERSHIP, "o", ownership(), { dependencies: [urnOf(BUCKET, "artifacts")] })),
    );
    expect(r.violations).toEqual([]);
  });
  it("pairing fires (advisory) on a bucket without ownership controls", async () => {
    const r = await check(bucketOwnershipPaired, doc(resource(BUCKET, "artifacts", compliant.bucket()), resource(OWNERSHIP, "o", ownership())));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-38-bucket-ownership-controls-present", enforcementLevel: "advisory", urn: urnOf(BUCKET, "artifacts") });
  });
});
