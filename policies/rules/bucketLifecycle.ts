/**
 * DA-34 (mandatory, high): the evidence bucket's lifecycle configuration contains the registry's `evidence/` rule.
 * DA-35 (mandatory, high): the object store's lifecycle configuration contains the registry's `archive/`,
 * `quarantine/` (no Glacier transition) and `oracle-store/` (active engine run excluded) rules.
 *
 * The expected rules are those `src/storage/lifecycle.ts` builds from `registry().lifecycle(<bucket handle>)`, so
 * no retention number is repeated here. A rule is equivalent when its prefix, status, transitions (days and
 * storage class, any order) and expiration days match; for the oracle store the filter must also carry the
 * retired-object tag that keeps the active run out of the rule (S3 filters cannot exclude a prefix). A lifecycle
 * configuration is paired with its bucket through `dependencies` (bucket ids are unknown in a real preview).
 */
import type * as policy from "@pulumi/policy";
import { UNKNOWN } from "../../src/plan/previewDocument";
import { LifecycleRule, ruleFromSpec } from "../../src/storage/lifecycle";
import { listOf, recordOf } from "../lib/knownValues";
import { registry } from "../lib/registry";
import { stackRule } from "../lib/rule";
import { BUCKET } from "./bucketNames";

export const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";

type Obj = Record<string, unknown>;

/**
 * A value read from preview props, or undefined when it is unknown at preview time (reading an unknown through
 * the policy SDK's proxy throws; a rule must not fail on it).
 */
export function known<T>(read: () => T): T | undefined {
  try {
    const v = read();
    return v === (UNKNOWN as unknown) ? undefined : v;
  } catch {
    return undefined;
  }
}

/** Literal `bucket` input of a resource (undefined when unknown, e.g. a bucket id in a real preview). */
export function bucketInput(r: policy.PolicyResource): string | undefined {
  const v = known(() => r.props.bucket);
  return typeof v === "string" ? v : undefined;
}

/** Resources of `type` that depend on `target` (or name its literal bucket name in their `bucket` input). */
export function attachedTo(resources: readonly policy.PolicyResource[], target: policy.PolicyResource, type: string): policy.PolicyResource[] {
  const name = bucketInput(target);
  return resources.filter((r) => r.type === type && (r.dependencies.some((d) => d.urn === target.urn) || (name !== undefined && bucketInput(r) === name)));
}

/** Prefix a lifecycle or replication rule applies to (filter.prefix, filter.and.prefix, or the legacy rule.prefix). */
export function rulePrefix(rule: Obj): string | undefined {
  const filter = recordOf(rule.filter);
  const p = filter.prefix ?? recordOf(filter.and).prefix ?? rule.prefix;
  return typeof p === "string" ? p : undefined;
}

const transitionKey = (t: Obj) => `${String(t.storageClass)}@${String(t.days)}`;
const transitionsOf = (rule: Obj) => listOf(rule.transitions).map(recordOf).map(transitionKey).sort();
const tagsOf = (rule: Obj) => JSON.stringify(Object.entries(recordOf(recordOf(recordOf(rule.filter).and).tags)).sort());

/** Differences between an actual rule and the expected one (empty: equivalent). */
export function lifecycleDifferences(actual: Obj, expected: LifecycleRule): string[] {
  const e = expected as unknown as Obj;
  const out: string[] = [];
  if (actual.status !== "Enabled") out.push(`status is ${JSON.stringify(actual.status ?? null)}`);
  const [at, et] = [transitionsOf(actual), transitionsOf(e)];
  if (JSON.stringify(at) !== JSON.stringify(et)) out.push(`transitions are [${at.join(", ")}], expected [${et.join(", ")}]`);
  const [ad, ed] = [recordOf(actual.expiration).days, recordOf(e.expiration).days];
  if (ad !== ed) out.push(`expiration is ${JSON.stringify(ad ?? null)} days, expected ${String(ed)}`);
  if (tagsOf(actual) !== tagsOf(e)) out.push(`filter tags are ${tagsOf(actual)}, expected ${tagsOf(e)} (the active engine run must stay out of the rule)`);
  return out;
}

function lifecycleRule(meta: { id: `DA-${number}`; slug: string; description: string }, bucketHandle: string) {
  return stackRule({ ...meta, severity: "high" }, (args, reportViolation) => {
    const r = registry();
    const name = r.string(bucketHandle);
    const bucket = args.resources.find((res) => res.type === BUCKET && bucketInput(res) === name);
    if (!bucket) return args.notApplicable(`no ${bucketHandle} bucket in this stack`);
    const specs = r.lifecycle(bucketHandle);
    const configs = attachedTo(args.resources, bucket, LIFECYCLE);
    if (configs.length === 0) return reportViolation(`bucket ${name} has no lifecycle configuration.`, bucket.urn);
    const actualRules = configs.flatMap((c) =>
      listOf(c.props.rules)
        .map(recordOf)
        .map((rule) => ({ rule, urn: c.urn })),
    );
    for (const spec of specs) {
      const expected = ruleFromSpec(spec, r);
      const candidates = actualRules.filter((a) => rulePrefix(a.rule) === spec.prefix);
      if (candidates.length === 0) {
        reportViolation(`bucket ${name}: no lifecycle rule for ${spec.prefix}.`, configs[0].urn);
        continue;
      }
      for (const c of candidates) {
        const diffs = lifecycleDifferences(c.rule, expected);
        if (
          spec.glacier_transition === false &&
          listOf(c.rule.transitions)
            .map(recordOf)
            .some((t) => String(t.storageClass).startsWith("GLACIER") || t.storageClass === "DEEP_ARCHIVE")
        ) {
          diffs.push(`${spec.prefix} must never transition to Glacier`);
        }
        if (diffs.length) reportViolation(`bucket ${name}, rule ${JSON.stringify(c.rule.id ?? spec.prefix)}: ${[...new Set(diffs)].join("; ")}.`, c.urn);
      }
    }
  });
}

export const evidenceLifecycle = lifecycleRule(
  {
    id: "DA-34",
    slug: "evidence-bucket-lifecycle",
    description:
      "The evidence bucket's lifecycle configuration must contain the registry's evidence/ rule (STANDARD_IA, GLACIER_IR transitions and expiration as pinned): build it with lifecycleRulesFor(registry, \"S3_EVIDENCE_BUCKET\").",
  },
  "S3_EVIDENCE_BUCKET",
);

export const objectStoreLifecycle = lifecycleRule(
  {
    id: "DA-35",
    slug: "object-store-lifecycle",
    description:
      "The object store's lifecycle configuration must contain the registry's archive/, quarantine/ (expiry only, never Glacier) and oracle-store/ (retired-tag filter so the active engine run stays in STANDARD) rules: build it with lifecycleRulesFor(registry, \"S3_OBJECT_STORE_BUCKET\").",
  },
  "S3_OBJECT_STORE_BUCKET",
);

export const bucketLifecyclePolicies = [evidenceLifecycle, objectStoreLifecycle];
