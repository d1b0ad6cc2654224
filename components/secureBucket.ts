import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LifecycleRule } from "../src/storage/lifecycle";
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
}

/**
 * A platform S3 bucket with the full posture the design pins require: SSE-KMS with the platform key and bucket
 * key on, versioning, all four public-access blocks, ACLs disabled (BucketOwnerEnforced), a TLS-only bucket
 * policy, lifecycle rules, and `forceDestroy` off so a destroy never silently empties it.
 */
export class SecureBucket extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:core:SecureBucket", name, {}, { ...opts, protect: args.retained || opts?.protect });
    const child: pulumi.CustomResourceOptions = { parent: this, retainOnDelete: args.retained };

    const bucket = new aws.s3.Bucket(
      name,
      { bucket: args.bucketName, forceDestroy: false, objectLockEnabled: false, tags: { ...args.tags, Name: args.bucketName } },
      { ...child, dependsOn: args.kmsKey ? [args.kmsKey] : [] },
    );
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access-block`,
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      child,
    );
    const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
    const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-sse`,
      { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }] },
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
          Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    };
    new aws.s3.BucketPolicy(`${name}-tls-only`, { bucket: bucket.id, policy: pulumi.jsonStringify(tlsOnly) }, { ...child, dependsOn: [publicAccessBlock, ownership] });
    if (args.lifecycleRules.length) {
      new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, rules: args.lifecycleRules }, { ...child, dependsOn: [versioning] });
    }

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
