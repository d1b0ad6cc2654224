import { coreBucketsExactlyThree, platformBucketExactNames } from "../../policies/rules/bucketNames";
import { OPS_STACK, res, stackDoc } from "../helpers/dataMlOpsFixtures";
import { STACK, check, compliant, doc, mutate, resource } from "../helpers/policyFixtures";

const BUCKET = "aws:s3/bucket:Bucket";
const NAMES = {
  "object-store": "fraud-platform-dev-full-object-store",
  evidence: "fraud-platform-dev-full-evidence",
  artifacts: "fraud-platform-dev-full-artifacts",
};
const threeBuckets = () => Object.entries(NAMES).map(([logical, name]) => resource(BUCKET, logical, compliant.bucket(name)));

describe("DA-32 platform bucket names (resource)", () => {
  it("stays quiet on the exact registry names", async () => {
    const r = await check(platformBucketExactNames, doc(...threeBuckets()));
    expect(r.violations).toEqual([]);
  });
  it.each([
    ["evidence", "bucket", "fraud-platform-dev-full-evidence-v2"],
    ["object-store", "bucket", "Fraud-Platform-Dev-Full-Object-Store"],
    ["artifacts", "bucket", undefined],
  ])("fires when the %s bucket's %s is %p", async (logical, path, value) => {
    const r = await check(
      platformBucketExactNames,
      doc(resource(BUCKET, logical, mutate(compliant.bucket(NAMES[logical as keyof typeof NAMES]), path, value))),
    );
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-32-platform-bucket-exact-names", enforcementLevel: "mandatory", rule: "DA-32" });
    expect(r.violations[0].message).toContain(NAMES[logical as keyof typeof NAMES]);
  });
});

describe("DA-32 exactly three buckets in core (stack)", () => {
  it("stays quiet on the three platform buckets", async () => {
    const r = await check(coreBucketsExactlyThree, stackDoc(STACK, ...threeBuckets()));
    expect(r.violations).toEqual([]);
  });
  it("fires on a fourth bucket in the core stack", async () => {
    const r = await check(
      coreBucketsExactlyThree,
      stackDoc(STACK, ...threeBuckets(), resource(BUCKET, "scratch", compliant.bucket("fraud-platform-dev-full-scratch"))),
    );
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toContain("fraud-platform-dev-full-scratch");
  });
  it("fires when a platform bucket is renamed (one missing, one unknown)", async () => {
    const [store, evidence, artifacts] = threeBuckets();
    const renamed = { ...artifacts, inputs: mutate(artifacts.inputs, "bucket", "fraud-platform-dev-full-artefacts") };
    const r = await check(coreBucketsExactlyThree, stackDoc(STACK, store, evidence, renamed));
    expect(r.violations.map((v) => v.message)).toEqual([expect.stringContaining("artefacts"), expect.stringContaining("S3_ARTIFACTS_BUCKET")]);
  });
  it("does not apply outside the core stack", async () => {
    const r = await check(coreBucketsExactlyThree, stackDoc(OPS_STACK, res(OPS_STACK, BUCKET, "logs", compliant.bucket("fraud-platform-dev-full-logs"))));
    expect(r.violations).toEqual([]);
  });
});
