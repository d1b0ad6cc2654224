/**
 * SB-11 (mandatory, medium): CloudWatch log groups are encrypted with a customer-managed KMS key (kmsKeyId), whose
 * key policy admits logs.<region>.amazonaws.com for the group. checkov CKV_AWS_158.
 */
import * as aws from "@pulumi/aws";
import { checksOf, resourceRule } from "../../lib/rule";
import { isCustomerKey } from "./messaging";

export const logGroupsEncrypted = resourceRule(
  {
    id: "SB-11",
    slug: "log-groups-encrypted-kms",
    description:
      "Log groups must set kmsKeyId to a customer-managed KMS key whose policy admits CloudWatch Logs for the group (the platform key in core, runtime and data_ml; the ops key in ops).",
    severity: "medium",
  },
  checksOf(
    aws.cloudwatch.LogGroup,
    (group) =>
      !isCustomerKey(group.kmsKeyId) &&
      `kmsKeyId is ${JSON.stringify(group.kmsKeyId ?? null)}: the log group is encrypted only with the service key. Set kmsKeyId to the platform key ARN (its policy admits CloudWatch Logs).`,
  ),
);

export const logBaselinePolicies = [logGroupsEncrypted];
