import {
  bucketEncryption,
  bucketNotForceDestroyable,
  bucketPostureComplete,
  bucketPublicAccessBlock,
  bucketVersioning,
  retainedBucketsProtected,
} from "../../policies/rules/bucketPosture";
import { check, compliant, doc, mutate, resource, urnOf } from "../helpers/policyFixtures";

const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const BUCKET = "aws:s3/bucket:Bucket";

describe("DA-33 bucket encryption", () => {
  it("stays quiet on SSE-KMS with a key ARN and bucket key", async () => {
    const r = await check(bucketEncryption, doc(resource(SSE, "sse", compliant.sse())));
    expect(r.violations).toEqual([]);
  });
  it.each([
    ["rules.0.applyServerSideEncryptionByDefault.sseAlgorithm", "AES256", /sseAlgorithm/],
    ["rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId", "alias/aws/s3", /platform key/],
    ["rules.0.bucketKeyEnabled", false, /bucketKeyEnabled/],
  ])("fires when %s is %p", async (path, value, message) => {
    const r = await check(bucketEncryption, doc(resource(SSE, "sse", mutate(compliant.sse(), path, value))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-33-bucket-encryption-platform-kms", enforcementLevel: "mandatory", rule: "DA-33" });
    expect(r.violations[0].message).toMatch(message);
  });
});

describe("DA-33 versioning and public access block", () => {
  it("stay quiet on compliant resources", async () => {
    const r = await check(
      [bucketVersioning, bucketPublicAccessBlock],
      doc(resource(VERSIONING, "v", compliant.versioning()), resource(PAB, "p", compliant.publicAccessBlock())),
    );
    expect(r.violations).toEqual([]);
  });
  it("fire on suspended versioning", async () => {
    const r = await check(bucketVersioning, doc(resource(VERSIONING, "v", mutate(compliant.versioning(), "versioningConfiguration.status", "Suspended"))));
    expect(r.violations.map((v) => v.message)).toEqual([expect.stringMatching(/Suspended/)]);
  });
  it.each(["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"])("fire when %s is false", async (flag) => {
    const r = await check(bucketPublicAccessBlock, doc(resource(PAB, "p", mutate(compliant.publicAccessBlock(), flag, false))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toContain(flag);
  });
});

describe("DA-33 posture pairing (stack)", () => {
  const bucketUrn = urnOf(BUCKET, "artifacts");
  const posture = (skip?: string) =>
    [SSE, VERSIONING, PAB].filter((t) => t !== skip).map((t, i) => resource(t, `posture-${i}`, {}, { dependencies: [bucketUrn] }));
  it("stays quiet when every bucket has encryption, versioning and a public access block", async () => {
    const r = await check(bucketPostureComplete, doc(resource(BUCKET, "artifacts", compliant.bucket()), ...posture()));
    expect(r.violations).toEqual([]);
  });
  it("fires, naming what is missing, when a bucket lacks its public access block", async () => {
    const r = await check(bucketPostureComplete, doc(resource(BUCKET, "artifacts", compliant.bucket()), ...posture(PAB)));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ urn: bucketUrn });
    expect(r.violations[0].message).toContain("public access block");
  });
});

describe("DA-36 buckets survive teardown", () => {
  it("fires on forceDestroy", async () => {
    const r = await check(bucketNotForceDestroyable, doc(resource(BUCKET, "b", mutate(compliant.bucket(), "forceDestroy", true))));
    expect(r.violations).toHaveLength(1);
  });
  it("stays quiet without forceDestroy", async () => {
    const r = await check(bucketNotForceDestroyable, doc(resource(BUCKET, "b", compliant.bucket())));
    expect(r.violations).toEqual([]);
  });
  it("fires when the evidence bucket is not protected", async () => {
    const r = await check(retainedBucketsProtected, doc(resource(BUCKET, "evidence", compliant.bucket("fraud-platform-dev-full-evidence"))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toContain("fraud-platform-dev-full-evidence");
  });
  it("stays quiet for a protected evidence bucket and an unprotected artifacts bucket", async () => {
    const r = await check(
      retainedBucketsProtected,
      doc(
        resource(BUCKET, "evidence", compliant.bucket("fraud-platform-dev-full-evidence"), { protect: true }),
        resource(BUCKET, "artifacts", compliant.bucket()),
      ),
    );
    expect(r.violations).toEqual([]);
  });
});
