/**
 * DA-33 (mandatory, high) and DA-36 (mandatory, high): every bucket is encrypted with the platform KMS key
 * (bucket key on), versioned, fully public-access blocked, never force-destroyable; the retained buckets
 * (evidence, object store) are protected. The stack policy pairs each bucket with its posture resources
 * through dependencies, which are known during a real preview (bucket ids are not).
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { registry } from "../lib/registry";
import { checksOf, resourceRule, stackRule } from "../lib/rule";

export const bucketEncryption = resourceRule(
  {
    id: "DA-33",
    slug: "bucket-encryption-platform-kms",
    description: "Bucket default encryption must be SSE-KMS with the platform key (a key ARN, not the AWS-managed aws/s3 key) and the S3 bucket key enabled.",
    severity: "high",
  },
  policy.validateResourceOfType(aws.s3.BucketServerSideEncryptionConfiguration, (sse, _args, reportViolation) => {
    const rules = sse.rules ?? [];
    if (rules.length === 0) reportViolation("no encryption rule.");
    for (const rule of rules) {
      const byDefault = rule.applyServerSideEncryptionByDefault;
      if (byDefault?.sseAlgorithm !== "aws:kms") reportViolation(`sseAlgorithm is ${JSON.stringify(byDefault?.sseAlgorithm ?? null)}, expected "aws:kms".`);
      const key = byDefault?.kmsMasterKeyId ?? "";
      if (!key || key === "alias/aws/s3" || key.endsWith(":alias/aws/s3")) reportViolation("kmsMasterKeyId must be the platform key, not the AWS-managed key.");
      if (rule.bucketKeyEnabled !== true) reportViolation("bucketKeyEnabled must be true.");
    }
  }),
);

export const bucketVersioning = resourceRule(
  { id: "DA-33", slug: "bucket-versioning-enabled", description: "Bucket versioning must be Enabled.", severity: "high" },
  checksOf(
    aws.s3.BucketVersioning,
    (v) => v.versioningConfiguration?.status !== "Enabled" && `versioning status is ${JSON.stringify(v.versioningConfiguration?.status ?? null)}.`,
  ),
);

const BLOCK_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

export const bucketPublicAccessBlock = resourceRule(
  { id: "DA-33", slug: "bucket-public-access-blocked", description: "All four public-access-block flags must be true.", severity: "critical" },
  checksOf(aws.s3.BucketPublicAccessBlock, (pab) => {
    const off = BLOCK_FLAGS.filter((flag) => pab[flag] !== true);
    return off.length > 0 && `not true: ${off.join(", ")}.`;
  }),
);

/** Posture resource types every bucket needs, by what they provide. */
const POSTURE_TYPES: Record<string, string> = {
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "SSE-KMS encryption",
  "aws:s3/bucketVersioning:BucketVersioning": "versioning",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "public access block",
};

export const bucketPostureComplete = stackRule(
  {
    id: "DA-33",
    slug: "bucket-posture-complete",
    description: "Every bucket needs its encryption, versioning and public-access-block resources: build buckets with the SecureBucket component.",
    severity: "high",
  },
  (args, reportViolation) => {
    const buckets = args.resources.filter((r) => r.type === "aws:s3/bucket:Bucket");
    for (const bucket of buckets) {
      const attached = new Set(args.resources.filter((r) => r.type in POSTURE_TYPES && r.dependencies.some((d) => d.urn === bucket.urn)).map((r) => r.type));
      const missing = Object.entries(POSTURE_TYPES)
        .filter(([type]) => !attached.has(type))
        .map(([, what]) => what);
      if (missing.length) reportViolation(`bucket ${bucket.name} has no ${missing.join(", ")}.`, bucket.urn);
    }
  },
);

export const bucketNotForceDestroyable = resourceRule(
  {
    id: "DA-36",
    slug: "bucket-not-force-destroyable",
    description: "Buckets must keep forceDestroy=false: a destroy may never silently empty a bucket.",
    severity: "high",
  },
  checksOf(aws.s3.Bucket, (bucket) => bucket.forceDestroy === true && "forceDestroy is true."),
);

export const retainedBucketsProtected = resourceRule(
  {
    id: "DA-36",
    slug: "retained-buckets-protected",
    description: "The evidence bucket and the object store survive teardown: declare them with protect (and retainOnDelete).",
    severity: "critical",
  },
  policy.validateResourceOfType(aws.s3.Bucket, (bucket, args, reportViolation) => {
    const r = registry();
    const retained = [r.string("S3_EVIDENCE_BUCKET"), r.string("S3_OBJECT_STORE_BUCKET")];
    if (bucket.bucket && retained.includes(bucket.bucket) && !args.opts.protect) reportViolation(`bucket ${bucket.bucket} is not protected.`);
  }),
);

export const bucketPosturePolicies = [
  bucketEncryption,
  bucketVersioning,
  bucketPublicAccessBlock,
  bucketPostureComplete,
  bucketNotForceDestroyable,
  retainedBucketsProtected,
];
