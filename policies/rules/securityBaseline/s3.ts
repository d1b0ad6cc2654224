/**
 * SB-28 (mandatory, high): buckets accept TLS only: every bucket a stack declares has a bucket policy with a Deny
 * of s3:* (or every action) to Principal "*" under Condition Bool aws:SecureTransport "false". Matched by the
 * policy's `bucket` = the bucket's name, or its dependency on the bucket. FSBP S3.5.
 */
import type * as policy from "@pulumi/policy";
import { stackRule } from "../../lib/rule";
import { BaselineStatement, conditionValues, isPublicPrincipal, statementsOrProblem } from "./documents";

const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

function deniesInsecureTransport(s: BaselineStatement): boolean {
  return (
    s.effect === "Deny" &&
    isPublicPrincipal(s) &&
    !s.notActions &&
    s.actions.some((a) => a === "s3:*" || a === "*") &&
    conditionValues(s, "aws:SecureTransport").includes("false")
  );
}

export const bucketsTlsOnly = stackRule(
  {
    id: "SB-28",
    slug: "buckets-tls-only",
    description:
      'Every bucket needs a bucket policy denying s3:* to Principal "*" when aws:SecureTransport is "false" (SecureBucket declares it): build buckets with the SecureBucket component.',
    severity: "high",
  },
  (args, reportViolation) => {
    const policies = args.resources.filter((r) => r.type === BUCKET_POLICY);
    for (const bucket of args.resources.filter((r) => r.type === BUCKET)) {
      const name = (bucket.props as Record<string, unknown>).bucket;
      const mine = policies.filter(
        (p: policy.PolicyResource) =>
          p.dependencies.some((d) => d.urn === bucket.urn) || (typeof name === "string" && (p.props as Record<string, unknown>).bucket === name),
      );
      let tlsOnly = false;
      for (const p of mine) {
        const read = statementsOrProblem((p.props as Record<string, unknown>).policy, "policy");
        if (read === undefined) continue;
        if ("message" in read) reportViolation(`bucket policy ${p.name}: ${read.message}`, p.urn);
        else if (read.statements.some(deniesInsecureTransport)) tlsOnly = true;
      }
      if (!tlsOnly)
        reportViolation(
          `bucket ${JSON.stringify(name ?? bucket.name)} accepts plain HTTP: no bucket policy denies s3:* when aws:SecureTransport is "false". Add the DenyInsecureTransport statement (SecureBucket does).`,
          bucket.urn,
        );
    }
  },
);

export const s3BaselinePolicies = [bucketsTlsOnly];
