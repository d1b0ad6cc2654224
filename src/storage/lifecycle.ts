/**
 * Lifecycle rules of the platform buckets, derived from the registry's S3 layout (the `S3_*` handles): evidence
 * 30 d -> STANDARD_IA, 180 d -> GLACIER_IR, expire 365 d; archive 30/60/90; quarantine expire 45 without a Glacier
 * transition; oracle-store 30/180/365 except the active engine run; ingress Lambda packages 14 d (noncurrent 7 d);
 * and, everywhere, incomplete multipart uploads aborted.
 */
import * as aws from "@pulumi/aws";
import { Registry } from "../registry/registry";
import { LifecycleRuleSpec } from "../registry/schema";

export type LifecycleRule = aws.types.input.s3.BucketLifecycleConfigurationRule;

/** `archive/` -> `archive-retention`. */
function ruleId(prefix: string): string {
  return `${prefix.replace(/\/+$/, "").replace(/[^a-z0-9]+/gi, "-")}-retention`;
}

/** One rule from a registry lifecycle entry. */
export function ruleFromSpec(spec: LifecycleRuleSpec, registry: Registry): LifecycleRule {
  const transitions: aws.types.input.s3.BucketLifecycleConfigurationRuleTransition[] = [];
  if (spec.to_STANDARD_IA_days) transitions.push({ days: spec.to_STANDARD_IA_days, storageClass: "STANDARD_IA" });
  if (spec.to_GLACIER_IR_days && spec.glacier_transition !== false) {
    transitions.push({ days: spec.to_GLACIER_IR_days, storageClass: "GLACIER_IR" });
  }
  // S3 lifecycle filters cannot exclude a prefix. The active engine run is kept in STANDARD by scoping the
  // rule to objects tagged as retired; the active run's objects are never tagged.
  const filter: aws.types.input.s3.BucketLifecycleConfigurationRuleFilter = spec.exclude_active_engine_run_prefix
    ? {
        and: {
          prefix: spec.prefix,
          tags: { [registry.string("ORACLE_LIFECYCLE_TAG_KEY")]: registry.string("ORACLE_LIFECYCLE_TAG_VALUE") },
        },
      }
    : { prefix: spec.prefix };
  return {
    id: ruleId(spec.prefix),
    status: "Enabled",
    filter,
    ...(transitions.length ? { transitions } : {}),
    expiration: { days: spec.expire_days },
    noncurrentVersionExpiration: { noncurrentDays: spec.expire_days },
  };
}

/** The rule that aborts incomplete multipart uploads in the whole bucket. */
export function abortIncompleteUploadsRule(registry: Registry): LifecycleRule {
  return {
    id: "abort-incomplete-multipart-uploads",
    status: "Enabled",
    filter: {},
    abortIncompleteMultipartUpload: { daysAfterInitiation: registry.number("S3_ABORT_INCOMPLETE_MULTIPART_DAYS") },
  };
}

/** Every lifecycle rule of the bucket named by `bucketHandle`. */
export function lifecycleRulesFor(registry: Registry, bucketHandle: string): LifecycleRule[] {
  const rules = registry.lifecycle(bucketHandle).map((spec) => ruleFromSpec(spec, registry));
  if (bucketHandle === "S3_ARTIFACTS_BUCKET") {
    rules.push({
      id: "lambda-ig-handler-artifacts-retention",
      status: "Enabled",
      filter: { prefix: registry.string("ARTIFACTS_LAMBDA_IG_HANDLER_PREFIX") },
      expiration: { days: registry.number("ARTIFACTS_LAMBDA_IG_HANDLER_EXPIRE_DAYS") },
      noncurrentVersionExpiration: { noncurrentDays: registry.number("ARTIFACTS_LAMBDA_IG_HANDLER_NONCURRENT_EXPIRE_DAYS") },
    });
  }
  rules.push(abortIncompleteUploadsRule(registry));
  return rules;
}
