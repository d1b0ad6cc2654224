import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arns } from "../src/iam/arns";
import { LifecycleRule } from "../src/storage/lifecycle";
import { ObjectLockSpec } from "../src/storage/objectLock";
import { Tags } from "../src/tags";

export interface SecureBucketArgs {
  /** Globally unique bucket name (a registry handle value). */
  bucketName: string;
  /** ARN of the KMS key used for default encryption. */
  kmsKeyArn: pulumi.Input<string>;
  /** Key resource the bucket depends on, so a destroy removes the bucket before it ever touches the key. */
  kmsKey?: pulumi.Resource;
  /** Lifecycle rules (empty: none). */
  lifecycleRules: LifecycleRule[];
  /**
   * Retained surfaces (evidence, object store) survive teardown: bucket and posture resources are protected and
   * retained on delete, so `pulumi destroy --exclude-protected` leaves them, encryption and access blocks intact.
   */
  retained: boolean;
  /** Tags (mandatory + role-specific). */
  tags: Tags;
  /** S3 Object Lock with this default retention (write-once objects); omitted: no lock. */
  objectLock?: ObjectLockSpec;
}

/**
 * A platform S3 bucket with the full posture the design pins require: SSE-KMS with the platform key and bucket
 * key on, versioning, all four public-access blocks, ACLs disabled (BucketOwnerEnforced), a TLS-only bucket
 * policy, lifecycle rules, and `forceDestroy` off so a destroy never silently empties it. With `objectLock`, the
 * bucket is created with Object Lock enabled and a default retention (mode and days), so no object version can be
 * deleted or overwritten before its retention ends.
 */
export class SecureBucket extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:core:SecureBucket", name, {}, { ...opts, protect: args.retained || opts?.protect });
    const child: pulumi.CustomResourceOptions = { parent: this, retainOnDelete: args.retained };

    const bucket = new aws.s3.Bucket(
      name,
      { bucket: args.bucketName, forceDestroy: false, objectLockEnabled: args.objectLock !== undefined, tags: { ...args.tags, Name: args.bucketName } },
      { ...child, dependsOn: args.kmsKey ? [args.kmsKey] : [] },
    );
    // Companions name the bucket by `bucket.bucket` (an input, so known at preview, unlike the id) and the policy by
    // the ARN composed from the name, so a first preview judges them; both still depend on the bucket.
    const bucketRef = bucket.bucket;
    const bucketArn = arns.s3Bucket(bucketRef);
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access-block`,
      { bucket: bucketRef, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      child,
    );
    const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucketRef, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
    const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucketRef, versioningConfiguration: { status: "Enabled" } }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-sse`,
      {
        bucket: bucketRef,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }],
      },
      child,
    );
    const tlsOnly: aws.iam.PolicyDocument = {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    };
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      { bucket: bucketRef, policy: pulumi.jsonStringify(tlsOnly) },
      { ...child, dependsOn: [publicAccessBlock, ownership] },
    );
    if (args.objectLock) {
      new aws.s3.BucketObjectLockConfiguration(
        `${name}-object-lock`,
        { bucket: bucketRef, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.days } } },
        { ...child, dependsOn: [versioning] },
      );
    }
    if (args.lifecycleRules.length) {
      new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucketRef, rules: args.lifecycleRules }, { ...child, dependsOn: [versioning] });
    }

    this.bucketName = bucket.bucket;
    this.bucketArn = bucketArn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
