import { evidenceLifecycle, objectStoreLifecycle } from "../../policies/rules/bucketLifecycle";
import { loadRegistry } from "../../src/registry/registry";
import { PropertyMap, UNKNOWN } from "../../src/plan/previewDocument";
import { lifecycleRulesFor } from "../../src/storage/lifecycle";
import { check, compliant, doc, mutate, resource, urnOf } from "../helpers/policyFixtures";

const BUCKET = "aws:s3/bucket:Bucket";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";

/** A bucket and its lifecycle configuration, paired only through dependencies (ids unknown, as in a real preview). */
function pair(logical: string, name: string, handle: string, mutateRules?: (inputs: PropertyMap) => PropertyMap) {
  const inputs: PropertyMap = { bucket: UNKNOWN, rules: JSON.parse(JSON.stringify(lifecycleRulesFor(loadRegistry(), handle))) };
  return doc(
    resource(BUCKET, logical, compliant.bucket(name), { protect: true }),
    resource(LIFECYCLE, `${logical}-lifecycle`, mutateRules ? mutateRules(inputs) : inputs, { dependencies: [urnOf(BUCKET, logical)] }),
  );
}
const evidence = (m?: (i: PropertyMap) => PropertyMap) => pair("evidence", "fraud-platform-dev-full-evidence", "S3_EVIDENCE_BUCKET", m);
const store = (m?: (i: PropertyMap) => PropertyMap) => pair("object-store", "fraud-platform-dev-full-object-store", "S3_OBJECT_STORE_BUCKET", m);

describe("DA-34 evidence bucket lifecycle", () => {
  it("stays quiet on the registry's rules", async () => {
    expect((await check(evidenceLifecycle, evidence())).violations).toEqual([]);
  });
  it.each([
    ["rules.0.transitions.1.storageClass", "GLACIER", /transitions/],
    ["rules.0.transitions.0.days", 60, /transitions/],
    ["rules.0.expiration.days", 30, /expiration/],
    ["rules.0.filter.prefix", "evidence/runs/", /no lifecycle rule for evidence\//],
    ["rules.0.status", "Disabled", /status/],
  ])("fires when %s is %p", async (path, value, message) => {
    const r = await check(
      evidenceLifecycle,
      evidence((i) => mutate(i, path, value)),
    );
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-34-evidence-bucket-lifecycle", enforcementLevel: "mandatory" });
    expect(r.violations[0].message).toMatch(message);
  });
  it("fires when the evidence bucket has no lifecycle configuration", async () => {
    const r = await check(evidenceLifecycle, doc(resource(BUCKET, "evidence", compliant.bucket("fraud-platform-dev-full-evidence"))));
    expect(r.violations.map((v) => v.message)).toEqual([expect.stringMatching(/no lifecycle configuration/)]);
  });
});

describe("DA-35 object store lifecycle", () => {
  it("stays quiet on the registry's rules", async () => {
    expect((await check(objectStoreLifecycle, store())).violations).toEqual([]);
  });
  it.each([
    ["rules.0.transitions.1.days", 90, /archive-retention.*transitions/],
    ["rules.1.transitions", [{ days: 30, storageClass: "GLACIER_IR" }], /never transition to Glacier/],
    ["rules.1.expiration.days", 90, /quarantine-retention.*expiration/],
    ["rules.2.filter", { prefix: "oracle-store/" }, /active engine run/],
    ["rules.2.expiration", undefined, /oracle-store-retention.*expiration/],
  ])("fires when %s is %p", async (path, value, message) => {
    const r = await check(
      objectStoreLifecycle,
      store((i) => mutate(i, path, value as PropertyMap[string] | undefined)),
    );
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-35-object-store-lifecycle", enforcementLevel: "mandatory" });
    expect(r.violations[0].message).toMatch(message);
  });
});
