import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arns } from "../src/iam/arns";
import { platformKeyPolicy } from "../src/iam/keyPolicy";
import { Tags } from "../src/tags";

export interface PlatformKeyArgs {
  /** Alias of the key, e.g. `alias/fraud-platform-dev-full`. */
  alias: string;
  /** Name tag of the key. */
  nameTag: string;
  /** Days a scheduled deletion waits (7-30). */
  deletionWindowInDays: number;
  /** Account id (key policy principals, log-group ARNs). */
  accountId: pulumi.Input<string>;
  /** Region of the key. */
  region: string;
  /** Log groups (names or `<prefix>/*`) CloudWatch Logs may encrypt with the key. */
  logGroups: readonly string[];
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/**
 * The platform's customer-managed KMS key and its alias. Every encrypted surface (buckets, secure parameters,
 * Aurora, EKS secrets, state secrets, the core/runtime log groups) uses it, so it must outlive all of them. Its key
 * policy is explicit (src/iam/keyPolicy.ts): the account through IAM, and CloudWatch Logs for the listed log
 * groups only. Key and alias are protected and retained on delete, and buckets that use it depend on it, so a
 * destroy can never schedule it for deletion while data it protects exists.
 */
export class PlatformKey extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;
  readonly keyId: pulumi.Output<string>;
  readonly aliasName: pulumi.Output<string>;
  /**
   * `arn:aws:kms:<region>:<account>:alias/<name>`, composed from the alias name: known at preview, unlike the key's
   * ARN, for services that accept an alias ARN where they take a key (ECR, SNS, SQS).
   */
  readonly aliasArn: pulumi.Output<string>;
  /** The key resource, for `dependsOn` from surfaces that must be deleted before it. */
  readonly key: aws.kms.Key;

  constructor(name: string, args: PlatformKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:core:PlatformKey", name, {}, opts);
    if (!args.alias.startsWith("alias/")) throw new Error(`${name}: alias must start with "alias/", got ${JSON.stringify(args.alias)}`);
    if (args.deletionWindowInDays < 7 || args.deletionWindowInDays > 30) {
      throw new Error(`${name}: deletionWindowInDays must be 7-30, got ${args.deletionWindowInDays}`);
    }
    const retained = { parent: this, protect: true, retainOnDelete: true };
    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: "fraud-platform dev_full platform key: buckets, secure parameters, data stores, state secrets",
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        deletionWindowInDays: args.deletionWindowInDays,
        multiRegion: false,
        policy: pulumi
          .output(args.accountId)
          .apply((accountId) => JSON.stringify(platformKeyPolicy({ accountId, region: args.region, logGroups: args.logGroups }))),
        tags: { ...args.tags, Name: args.nameTag },
      },
      retained,
    );
    const alias = new aws.kms.Alias(`${name}-alias`, { name: args.alias, targetKeyId: this.key.keyId }, retained);

    this.keyArn = this.key.arn;
    this.keyId = this.key.keyId;
    this.aliasName = alias.name;
    this.aliasArn = arns.kmsAlias({ region: args.region, accountId: args.accountId }, alias.name);
    this.registerOutputs({ keyArn: this.keyArn, keyId: this.keyId, aliasName: this.aliasName, aliasArn: this.aliasArn });
  }
}
