/**
 * DA-38 (advisory, medium): object ownership `BucketOwnerEnforced` (ACLs disabled) on every bucket. The resource
 * policy checks the ownership controls themselves; the stack policy pairs each bucket with its ownership controls
 * through `dependencies` (bucket ids are unknown in a real preview), as the DA-33 posture pairing does.
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { resourceRule, stackRule } from "../lib/rule";
import { BUCKET } from "./bucketNames";
import { attachedTo } from "./bucketLifecycle";

export const OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
const ENFORCED = "BucketOwnerEnforced";

export const bucketOwnerEnforced = resourceRule(
  {
    id: "DA-38",
    slug: "bucket-owner-enforced",
    description: "Bucket ownership controls must set rule.objectOwnership to BucketOwnerEnforced (ACLs disabled).",
    severity: "medium",
    enforcementLevel: "advisory",
  },
  policy.validateResourceOfType(aws.s3.BucketOwnershipControls, (oc, _args, reportViolation) => {
    if (oc.rule?.objectOwnership !== ENFORCED)
      reportViolation(`objectOwnership is ${JSON.stringify(oc.rule?.objectOwnership ?? null)}, expected "${ENFORCED}".`);
  }),
);

export const bucketOwnershipPaired = stackRule(
  {
    id: "DA-38",
    slug: "bucket-ownership-controls-present",
    description: "Every bucket needs a BucketOwnershipControls resource (BucketOwnerEnforced): build buckets with the SecureBucket component.",
    severity: "medium",
    enforcementLevel: "advisory",
  },
  (args, reportViolation) => {
    for (const bucket of args.resources.filter((r) => r.type === BUCKET)) {
      if (attachedTo(args.resources, bucket, OWNERSHIP).length === 0)
        reportViolation(`bucket ${bucket.name} has no ownership controls (${ENFORCED}).`, bucket.urn);
    }
  },
);

export const bucketOwnershipPolicies = [bucketOwnerEnforced, bucketOwnershipPaired];
