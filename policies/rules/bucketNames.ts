/**
 * DA-32 (mandatory, high): the three platform buckets use the exact registry names S3_OBJECT_STORE_BUCKET,
 * S3_EVIDENCE_BUCKET and S3_ARTIFACTS_BUCKET. Resource level: a bucket that plays one of the three roles (its
 * logical name or its physical name carries the role, e.g. `evidence`) must be named exactly as pinned, as a
 * literal known at preview time. Stack level: the core stack declares exactly those three buckets, once each, and
 * no other bucket. Buckets of other stacks are only held to the resource check.
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { UNKNOWN } from "../../src/plan/previewDocument";
import { registry } from "../lib/registry";
import { resourceRule, stackRule } from "../lib/rule";
import { layerOfStack, rootUrnOf } from "../lib/stackLayer";
import { bucketInput, known } from "./bucketLifecycle";

export const BUCKET = "aws:s3/bucket:Bucket";
export const PLATFORM_BUCKET_HANDLES = ["S3_OBJECT_STORE_BUCKET", "S3_EVIDENCE_BUCKET", "S3_ARTIFACTS_BUCKET"] as const;

/** The three pinned bucket names with their role token (the part after the names' common prefix, e.g. `evidence`). */
export function platformBuckets(): Array<{ handle: string; name: string; role: string }> {
  const r = registry();
  const names = PLATFORM_BUCKET_HANDLES.map((h) => r.string(h));
  let common = names[0];
  for (const n of names) while (!n.startsWith(common)) common = common.slice(0, -1);
  return PLATFORM_BUCKET_HANDLES.map((handle, i) => ({ handle, name: names[i], role: names[i].slice(common.length) }));
}

/** The platform bucket role a bucket plays, from its logical or physical name (undefined: none). */
function roleOf(logicalName: string, physical: string | undefined) {
  const hay = `${logicalName} ${physical ?? ""}`.toLowerCase();
  return platformBuckets().find((b) => b.role && hay.includes(b.role.toLowerCase()));
}

const literalName = (v: unknown): string | undefined => (typeof v === "string" && v !== UNKNOWN ? v : undefined);

export const platformBucketExactNames = resourceRule(
  {
    id: "DA-32",
    slug: "platform-bucket-exact-names",
    description:
      "A platform bucket (object store, evidence, artifacts) must set `bucket` to the exact registry name (S3_OBJECT_STORE_BUCKET, S3_EVIDENCE_BUCKET, S3_ARTIFACTS_BUCKET) as a literal: no suffix, prefix, case change or auto-naming.",
    severity: "high",
  },
  policy.validateResourceOfType(aws.s3.Bucket, (bucket, args, reportViolation) => {
    const physical = literalName(known(() => bucket.bucket));
    if (physical && platformBuckets().some((b) => b.name === physical)) return;
    const role = roleOf(args.name, physical);
    if (!role) return;
    if (physical !== role.name)
      reportViolation(
        `bucket ${args.name} plays the ${role.role} role but is named ${JSON.stringify(physical ?? bucket.bucket ?? null)}; use ${role.handle} = ${JSON.stringify(role.name)}.`,
      );
  }),
);

export const coreBucketsExactlyThree = stackRule(
  {
    id: "DA-32",
    slug: "core-buckets-exactly-three",
    description:
      "The core stack declares exactly the three platform buckets (S3_OBJECT_STORE_BUCKET, S3_EVIDENCE_BUCKET, S3_ARTIFACTS_BUCKET), once each, and no other bucket: store new data under a prefix of an existing bucket.",
    severity: "high",
  },
  (args, reportViolation) => {
    if (layerOfStack(args.resources) !== "core") return args.notApplicable("only the core stack owns the platform buckets");
    const expected = platformBuckets();
    const buckets = args.resources.filter((r) => r.type === BUCKET);
    const counts = new Map<string, number>();
    for (const b of buckets) {
      const name = bucketInput(b);
      const pinned = expected.find((e) => e.name === name);
      if (!pinned) reportViolation(`bucket ${b.name} (${JSON.stringify(name ?? null)}) is not one of the three platform buckets.`, b.urn);
      else counts.set(pinned.name, (counts.get(pinned.name) ?? 0) + 1);
    }
    for (const e of expected) {
      const n = counts.get(e.name) ?? 0;
      if (n !== 1) reportViolation(`${e.handle} (${e.name}) is declared ${n} time(s), expected once.`, rootUrnOf(args.resources));
    }
  },
);

export const bucketNamePolicies = [platformBucketExactNames, coreBucketsExactlyThree];
