/**
 * SB-02 (mandatory, high): every customer-managed KMS key declares its key policy (`policy`), so who may use it is
 * reviewed in code rather than left to the default policy, and symmetric encryption keys rotate
 * (`enableKeyRotation: true`; KMS cannot rotate asymmetric or HMAC keys). checkov CKV2_AWS_64, CKV_AWS_7; FSBP
 * KMS.4 (the platform key's own rotation is DA-26).
 */
import * as aws from "@pulumi/aws";
import { checksOf, resourceRule } from "../../lib/rule";

export const kmsKeysExplicitPolicy = resourceRule(
  {
    id: "SB-02",
    slug: "kms-key-policy-explicit-and-rotated",
    description:
      "KMS keys must declare an explicit key policy (policy: JSON.stringify of the statements the key's users need, e.g. src/ops/keyPolicy.ts) instead of the default one, and symmetric ENCRYPT_DECRYPT keys must set enableKeyRotation: true.",
    severity: "high",
  },
  checksOf(
    aws.kms.Key,
    (key) =>
      (key.policy === undefined || key.policy === "") &&
      "policy is not set, so the key gets the default key policy. Declare the key policy explicitly (account administration plus the services that use the key, each scoped by a condition).",
    (key) => {
      const spec = key.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
      const usage = key.keyUsage ?? "ENCRYPT_DECRYPT";
      return (
        spec === "SYMMETRIC_DEFAULT" &&
        usage === "ENCRYPT_DECRYPT" &&
        key.enableKeyRotation !== true &&
        "enableKeyRotation is not true on a symmetric encryption key. Set enableKeyRotation: true (rotationPeriodInDays 90-2560)."
      );
    },
  ),
);

export const kmsPolicies = [kmsKeysExplicitPolicy];
