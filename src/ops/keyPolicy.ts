/**
 * Key policy of the ops layer's keys. The platform key keeps AWS's default policy (account administration only),
 * which CloudWatch Logs and CloudWatch alarms cannot use: a log group or an alarm topic encrypted with it fails at
 * apply. The ops keys admit exactly those two services, each bound to this account and, for Logs, to the
 * environment's log-group prefix.
 */
import type * as aws from "@pulumi/aws";

export interface OpsKeyPolicyInput {
  accountId: string;
  /** Region of the key (service principals and ARNs are regional). */
  region: string;
  /** `/fraud-platform/dev_full`: Logs may use the key only for log groups under it (omit: no Logs access). */
  logGroupPrefix?: string;
  /** Whether CloudWatch alarms may publish to topics encrypted with the key. */
  cloudWatchAlarms: boolean;
}

export function opsKeyPolicy(i: OpsKeyPolicyInput): aws.iam.PolicyDocument {
  const statements: aws.iam.PolicyStatement[] = [
    // The default key policy statement: the account administers the key through IAM (without it the key is unmanageable).
    { Sid: "AccountAdministration", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${i.accountId}:root` }, Action: "kms:*", Resource: "*" },
  ];
  if (i.logGroupPrefix) {
    statements.push({
      Sid: "CloudWatchLogsForPlatformLogGroups",
      Effect: "Allow",
      Principal: { Service: `logs.${i.region}.amazonaws.com` },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
      Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${i.region}:${i.accountId}:log-group:${i.logGroupPrefix}/*` } },
    });
  }
  if (i.cloudWatchAlarms) {
    statements.push({
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": i.accountId } },
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}
