import { oracleDataSingleCopy } from "../../policies/rules/oracleIsolation";
import { PropertyMap, UNKNOWN } from "../../src/plan/previewDocument";
import { check, compliant, doc, mutate, resource, urnOf } from "../helpers/policyFixtures";

const BUCKET = "aws:s3/bucket:Bucket";
const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";

/** A replication of the object store's archive/ prefix only (allowed), paired through dependencies. */
const replication = (): PropertyMap => ({
  bucket: UNKNOWN,
  role: "arn:aws:iam::123456789012:role/replication",
  rules: [{ id: "archive-copy", status: "Enabled", filter: { prefix: "archive/" }, destination: { bucket: "arn:aws:s3:::dr-copy" } }],
});
const lifecycle = (): PropertyMap => ({
  bucket: UNKNOWN,
  rules: [{ id: "archive-retention", status: "Enabled", filter: { prefix: "archive/" }, expiration: { days: 90 } }],
});

function stack(rep: PropertyMap, lc: PropertyMap = lifecycle(), extra = compliant.bucket()) {
  const deps = { dependencies: [urnOf(BUCKET, "object-store")] };
  return doc(
    resource(BUCKET, "object-store", compliant.bucket("fraud-platform-dev-full-object-store")),
    resource(BUCKET, "other", extra),
    resource(REPLICATION, "object-store-replication", rep, deps),
    resource(LIFECYCLE, "object-store-lifecycle", lc, deps),
  );
}

describe("DA-37 oracle data has a single home", () => {
  it("stays quiet on a replication of archive/ and lifecycle rules outside oracle prefixes", async () => {
    expect((await check(oracleDataSingleCopy, stack(replication()))).violations).toEqual([]);
  });
  it.each([
    ["rules.0.filter.prefix", "oracle-store/local_full_run-7/", /copies oracle-store\//],
    ["rules.0.filter", undefined, /whole object store/],
    ["rules.0.destination.prefix", "archive/oracle-store/", /destination prefix/],
  ])("fires when replication %s is %p", async (path, value, message) => {
    const r = await check(oracleDataSingleCopy, stack(mutate(replication(), path, value)));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-37-oracle-data-single-copy", enforcementLevel: "mandatory" });
    expect(r.violations[0].message).toMatch(message);
  });
  it("fires on a lifecycle prefix placing oracle data under evidence/", async () => {
    const r = await check(oracleDataSingleCopy, stack(replication(), mutate(lifecycle(), "rules.0.filter.prefix", "evidence/oracle/")));
    expect(r.violations.map((v) => v.message)).toEqual([expect.stringMatching(/evidence\/oracle\//)]);
  });
  it("fires on a second bucket for oracle data", async () => {
    const r = await check(oracleDataSingleCopy, stack(replication(), lifecycle(), compliant.bucket("fraud-platform-dev-full-oracle-copy")));
    expect(r.violations.map((v) => v.message)).toEqual([expect.stringMatching(/second home/)]);
  });
});
