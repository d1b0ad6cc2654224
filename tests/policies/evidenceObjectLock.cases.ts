import { evidenceBucketObjectLock } from "../../policies/rules/evidenceObjectLock";
import { PropertyMap, UNKNOWN } from "../../src/plan/previewDocument";
import { check, compliant, doc, mutate, resource, urnOf } from "../helpers/policyFixtures";

const BUCKET = "aws:s3/bucket:Bucket";
const LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";
const EVIDENCE = "fraud-platform-dev-full-evidence";

/** The evidence bucket and its Object Lock configuration, paired through dependencies (ids unknown, as in a real preview). */
function evidence(options: { bucket?: (i: PropertyMap) => PropertyMap; lock?: ((i: PropertyMap) => PropertyMap) | null } = {}) {
  const bucket: PropertyMap = { ...compliant.bucket(EVIDENCE), objectLockEnabled: true };
  const lock: PropertyMap = { bucket: UNKNOWN, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: "GOVERNANCE", days: 365 } } };
  return doc(
    resource(BUCKET, "evidence", options.bucket ? options.bucket(bucket) : bucket, { protect: true }),
    ...(options.lock === null
      ? []
      : [resource(LOCK, "evidence-object-lock", options.lock ? options.lock(lock) : lock, { dependencies: [urnOf(BUCKET, "evidence")] })]),
  );
}

describe("DA-114 evidence bucket Object Lock", () => {
  it("stays quiet on a locked evidence bucket with the registry's governance retention", async () => {
    expect((await check(evidenceBucketObjectLock, evidence())).violations).toEqual([]);
  });

  it("stays quiet on a stack without the evidence bucket (another bucket needs no lock)", async () => {
    expect((await check(evidenceBucketObjectLock, doc(resource(BUCKET, "artifacts", compliant.bucket())))).violations).toEqual([]);
  });

  it("pairs the configuration through its literal bucket name too", async () => {
    const d = doc(
      resource(BUCKET, "evidence", { ...compliant.bucket(EVIDENCE), objectLockEnabled: true }),
      resource(LOCK, "lock", { bucket: EVIDENCE, rule: { defaultRetention: { mode: "GOVERNANCE", days: 365 } } }),
    );
    expect((await check(evidenceBucketObjectLock, d)).violations).toEqual([]);
  });

  it.each([
    ["rule.defaultRetention.mode", "COMPLIANCE", /default retention mode is "COMPLIANCE", expected GOVERNANCE/],
    ["rule.defaultRetention.days", 30, /default retention is 30 days, expected 365 days/],
    ["rule.defaultRetention", { mode: "GOVERNANCE", years: 1 }, /default retention is 1 years, expected 365 days/],
    ["rule", undefined, /default retention mode is null/],
    ["objectLockEnabled", "Disabled", /objectLockEnabled is "Disabled"/],
  ])("fires when the lock configuration's %s is %p", async (path, value, message) => {
    const r = await check(evidenceBucketObjectLock, evidence({ lock: (i) => mutate(i, path, value as PropertyMap[string] | undefined) }));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({
      policy: "da-114-evidence-bucket-object-lock",
      enforcementLevel: "mandatory",
      urn: urnOf(LOCK, "evidence-object-lock"),
    });
    expect(r.violations[0].message).toMatch(message);
  });

  it("fires when the bucket is not created with Object Lock", async () => {
    const r = await check(evidenceBucketObjectLock, evidence({ bucket: (i) => ({ ...i, objectLockEnabled: false }) }));
    expect(r.violations.map((v) => v.message)).toEqual([expect.stringMatching(/fraud-platform-dev-full-evidence is not created with Object Lock/)]);
  });

  it("fires when the evidence bucket has no Object Lock configuration", async () => {
    const r = await check(evidenceBucketObjectLock, evidence({ lock: null }));
    expect(r.violations.map((v) => [v.urn, v.message])).toEqual([[urnOf(BUCKET, "evidence"), expect.stringMatching(/has no Object Lock configuration/)]]);
  });
});
