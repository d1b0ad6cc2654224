/**
 * SB-41 (mandatory, medium): tags within AWS's tagging limits: at most 50 user tags per resource (the resource's
 * `tags`, its `tagsAll` when the preview carries it, and the provider's `defaultTags`, merged by key), keys of 128
 * characters or fewer, values of 256 or fewer, and no `aws:` prefix on a key or value (reserved for AWS). Tag values
 * unknown at preview are skipped; a tag map that is unknown as a whole is skipped. A taggable type that sets no tags
 * still gets the provider's default tags, so it is checked too.
 */
import type * as policy from "@pulumi/policy";
import taggableTypes from "../../data/taggable-types.json";
import { isUnknown, rawOf } from "../../lib/knownValues";
import { resourceRule } from "../../lib/rule";
import { isKnownString, show } from "./values";

export const TAGGING_DOC = "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html";
export const MAX_TAGS = 50;
export const MAX_TAG_KEY = 128;
export const MAX_TAG_VALUE = 256;

/** A tag map as plain entries (unknown values kept as undefined); `{}` when the map is absent or unknown. */
function tagMap(v: unknown): Map<string, string | undefined> {
  const raw = rawOf<unknown>(v);
  const out = new Map<string, string | undefined>();
  if (raw === null || raw === undefined || isUnknown(raw)) return out;
  if (Array.isArray(raw)) {
    // list-shaped tags ({ key, value, ... }), e.g. Auto Scaling groups
    for (const e of raw.map((x) => rawOf<Record<string, unknown>>(x)))
      if (e && isKnownString(e.key)) out.set(e.key, isKnownString(e.value) ? e.value : undefined);
    return out;
  }
  if (typeof raw !== "object") return out;
  for (const [k, value] of Object.entries(raw as Record<string, unknown>)) out.set(k, isKnownString(value) ? value : undefined);
  return out;
}

/** The provider's default tags (`defaultTags.tags`), when the provider is known. */
function providerDefaultTags(provider: policy.PolicyProviderResource | undefined): Map<string, string | undefined> {
  if (!provider || !provider.type.startsWith("pulumi:providers:aws")) return new Map();
  const defaults = rawOf<Record<string, unknown> | undefined>(rawOf<Record<string, unknown>>(provider.props)?.defaultTags);
  return tagMap(defaults && typeof defaults === "object" ? defaults.tags : undefined);
}

const chars = (s: string) => [...s].length;
const reserved = (s: string) => /^aws:/i.test(s);

/** Problems of one resource's merged tags (empty: within the limits). */
export function tagProblems(tags: ReadonlyMap<string, string | undefined>): string[] {
  const problems: string[] = [];
  const user = [...tags.keys()].filter((k) => !reserved(k));
  if (user.length > MAX_TAGS)
    problems.push(
      `it carries ${user.length} tags (resource tags and provider default tags merged), over the limit of ${MAX_TAGS} per resource: drop ${user.length - MAX_TAGS} tag(s) or move detail into fewer tags`,
    );
  for (const [key, value] of tags) {
    if (chars(key) > MAX_TAG_KEY)
      problems.push(
        `tag key ${show(key)} is ${chars(key)} characters, over the limit of ${MAX_TAG_KEY}: shorten the key to ${MAX_TAG_KEY} characters or fewer`,
      );
    if (reserved(key)) problems.push(`tag key ${show(key)} starts with the reserved prefix "aws:": rename the key`);
    if (value === undefined) continue;
    if (chars(value) > MAX_TAG_VALUE)
      problems.push(
        `tag ${show(key)} has a value of ${chars(value)} characters, over the limit of ${MAX_TAG_VALUE}: shorten the value to ${MAX_TAG_VALUE} characters or fewer`,
      );
    if (reserved(value)) problems.push(`tag ${show(key)} has a value starting with the reserved prefix "aws:": change the value`);
  }
  return problems;
}

/** Types whose `tags` reach AWS as resource tags: the AWS provider's, and the EKS component's (passed to its cluster). */
const taggedType = (type: string) => type.startsWith("aws:") || type === "eks:index:Cluster";
/** AWS types that take tags, so the provider's default tags reach them even when they set none. */
const TAGGABLE: ReadonlySet<string> = new Set(taggableTypes as string[]);

export const awsTagLimits = resourceRule(
  {
    id: "SB-41",
    slug: "aws-tag-limits",
    description: `Tags must fit AWS's tagging limits, which preview does not check and pulumi up's create or tag call rejects: at most ${MAX_TAGS} user tags per resource (tags, tagsAll and the provider's defaultTags merged), keys of ${MAX_TAG_KEY} characters or fewer, values of ${MAX_TAG_VALUE} or fewer, no "aws:" prefix on keys or values (${TAGGING_DOC}).`,
    severity: "medium",
  },
  (args: policy.ResourceValidationArgs, reportViolation: policy.ReportViolation) => {
    if (!taggedType(args.type)) return;
    const props = rawOf<Record<string, unknown>>(args.props) ?? {};
    if (props.tags === undefined && props.tagsAll === undefined && !TAGGABLE.has(args.type)) return;
    const merged = new Map([...providerDefaultTags(args.provider), ...tagMap(props.tagsAll), ...tagMap(props.tags)]);
    for (const problem of tagProblems(merged)) reportViolation(`${args.name}: ${problem} (${TAGGING_DOC}).`);
  },
);
