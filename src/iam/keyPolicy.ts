/**
 * Key policies of the core layer's keys, declared explicitly rather than left to AWS's default policy
 * (security baseline SB-02). The platform key admits the account (administration and use through IAM, as the
 * default policy does) and CloudWatch Logs for the environment's log groups: the groups under the log-group
 * prefix and the service-fixed names of EKS and Aurora (their ARNs bound through the encryption context). The
 * evidence signing key admits the account only.
 */
import type * as aws from "@pulumi/aws";

export interface PlatformKeyPolicyInput {
  accountId: string;
  /** Region of the key (the Logs service principal and log-group ARNs are regional). */
  region: string;
  /** Log-group names (or `<prefix>/*` patterns) CloudWatch Logs may encrypt with the key. */
  logGroups: readonly string[];
}

/** The default key policy's statement: the account administers and uses the key through IAM policies. */
export function accountAdministration(accountId: string): aws.iam.PolicyStatement {
  return { Sid: "AccountAdministration", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" };
}

export function platformKeyPolicy(i: PlatformKeyPolicyInput): aws.iam.PolicyDocument {
  if (i.logGroups.length === 0) throw new Error("platform key policy: at least one log group is needed");
  const arns = i.logGroups.map((g) => `arn:aws:logs:${i.region}:${i.accountId}:log-group:${g}`);
  return {
    Version: "2012-10-17",
    Statement: [
      accountAdministration(i.accountId),
      {
        Sid: "CloudWatchLogsForPlatformLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${i.region}.amazonaws.com` },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": arns.length === 1 ? arns[0] : arns } },
      },
    ],
  };
}

export function signingKeyPolicy(accountId: string): aws.iam.PolicyDocument {
  return { Version: "2012-10-17", Statement: [accountAdministration(accountId)] };
}
