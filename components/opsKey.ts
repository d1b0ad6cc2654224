import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arns } from "../src/iam/arns";
import { opsKeyPolicy } from "../src/ops/keyPolicy";
import { Tags } from "../src/tags";

export interface OpsKeyArgs {
  /** Alias of the key (OPS_KMS_KEY_ALIAS or OPS_BILLING_KMS_KEY_ALIAS). */
  alias: string;
  /** Account id (key policy principals). */
  accountId: pulumi.Input<string>;
  /** Region the key lives in (its provider's region). */
  region: string;
  /** Log-group prefix CloudWatch Logs may use the key for (omit: not for logs). */
  logGroupPrefix?: string;
  /** Whether CloudWatch alarms may publish to topics encrypted with the key. */
  cloudWatchAlarms: boolean;
  /** Days a scheduled deletion waits. */
  deletionWindowInDays: number;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/**
 * A customer-managed key of the ops layer with a key policy that admits CloudWatch Logs (for the environment's
 * log groups) and CloudWatch alarms (for encrypted alarm topics). The platform key's default policy admits neither,
 * so logs and alarm topics get their own key; it lives and dies with the ops layer like what it encrypts.
 */
export class OpsKey extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;
  readonly aliasName: pulumi.Output<string>;
  /** The alias's ARN, composed from its name (known at preview), for services that take an alias ARN (SNS). */
  readonly aliasArn: pulumi.Output<string>;

  constructor(name: string, args: OpsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:ops:OpsKey", name, {}, opts);
    if (!args.alias.startsWith("alias/")) throw new Error(`${name}: alias must start with "alias/", got ${JSON.stringify(args.alias)}`);
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `fraud-platform dev_full ops key (${args.region}): ${[args.logGroupPrefix ? `log groups under ${args.logGroupPrefix}` : "", args.cloudWatchAlarms ? "alarm topics" : ""].filter(Boolean).join(", ")}`,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        deletionWindowInDays: args.deletionWindowInDays,
        policy: pulumi.output(args.accountId).apply((accountId) =>
          JSON.stringify(
            opsKeyPolicy({
              accountId,
              region: args.region,
              cloudWatchAlarms: args.cloudWatchAlarms,
              ...(args.logGroupPrefix ? { logGroupPrefix: args.logGroupPrefix } : {}),
            }),
          ),
        ),
        tags: { ...args.tags, Name: args.alias.replace(/^alias\//, "") },
      },
      { parent: this },
    );
    const alias = new aws.kms.Alias(`${name}-alias`, { name: args.alias, targetKeyId: key.keyId }, { parent: this });
    this.keyArn = key.arn;
    this.aliasName = alias.name;
    this.aliasArn = arns.kmsAlias({ region: args.region, accountId: args.accountId }, alias.name);
    this.registerOutputs({ keyArn: this.keyArn, aliasName: this.aliasName, aliasArn: this.aliasArn });
  }
}
