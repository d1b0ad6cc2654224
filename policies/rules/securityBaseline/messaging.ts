/**
 * SB-10 (mandatory, high): queues and topics are encrypted at rest with a customer-managed KMS key: SQS queues set
 * kmsMasterKeyId (SSE-SQS alone uses an AWS-owned key), SNS topics set kmsMasterKeyId, neither uses the AWS-managed
 * alias/aws/sqs or alias/aws/sns. FSBP SQS.1, SNS.1; checkov CKV_AWS_27, CKV_AWS_26.
 */
import * as aws from "@pulumi/aws";
import { checksOf, resourceRule } from "../../lib/rule";

/** Whether a key reference names a customer-managed key (not empty, not an AWS-managed `alias/aws/...`). */
export function isCustomerKey(value: unknown): boolean {
  return typeof value === "string" && value !== "" && !/(^|:)alias\/aws\//.test(value);
}

export const queuesTopicsEncrypted = resourceRule(
  {
    id: "SB-10",
    slug: "queues-topics-encrypted-kms",
    description:
      "SQS queues and SNS topics must be encrypted with a customer-managed KMS key: set kmsMasterKeyId to the platform key (core's kms_key_arn) or the ops key, never alias/aws/sqs or alias/aws/sns.",
    severity: "high",
  },
  [
    checksOf(
      aws.sqs.Queue,
      (queue) =>
        !isCustomerKey(queue.kmsMasterKeyId) &&
        `kmsMasterKeyId is ${JSON.stringify(queue.kmsMasterKeyId ?? null)}: the queue is not encrypted with a customer-managed key. Set kmsMasterKeyId to the platform key ARN.`,
    ),
    checksOf(
      aws.sns.Topic,
      (topic) =>
        !isCustomerKey(topic.kmsMasterKeyId) &&
        `kmsMasterKeyId is ${JSON.stringify(topic.kmsMasterKeyId ?? null)}: the topic is not encrypted with a customer-managed key. Set kmsMasterKeyId to a key whose policy admits the publishers.`,
    ),
  ],
);

export const messagingBaselinePolicies = [queuesTopicsEncrypted];
