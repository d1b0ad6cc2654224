/**
 * Reviewed exemptions. A resource escapes a named rule only through an explicit record with a reason, an
 * approver and an expiry date no more than {@link MAX_EXEMPTION_DAYS} ahead:
 *
 * - on a taggable resource, a tag `fp_exempt_<policy-name>` = `expires=YYYY-MM-DD approver=<who> reason=<text>`
 *   (AWS tag values allow no `;`, so fields are space-separated and the reason comes last);
 * - for anything else, the policy's config `exemptions: [{ urn, reason, approver, expires }]`
 *   (`urn` may end with `*` to match a prefix), set in the environment's policy config file.
 *
 * An exemption that is expired, unreasoned, unapproved or too long is itself a violation of the rule it names.
 */
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

export const EXEMPTION_TAG_PREFIX = "fp_exempt_";
export const MAX_EXEMPTION_DAYS = 90;

export interface ExemptionRecord {
  urn?: string;
  reason?: string;
  approver?: string;
  expires?: string;
}

export type ExemptionCheck = { kind: "none" } | { kind: "valid"; record: ExemptionRecord } | { kind: "invalid"; problem: string };

/** The config schema fragment every policy gets. */
export const exemptionsConfigSchema: PolicyConfigJSONSchema = {
  type: "array",
  default: [],
  description: "Reviewed exemptions: [{ urn, reason, approver, expires: YYYY-MM-DD }]",
  items: {
    type: "object",
    properties: { urn: { type: "string" }, reason: { type: "string" }, approver: { type: "string" }, expires: { type: "string" } },
    required: ["urn"],
  },
};

/** Parses a tag value `expires=2026-12-31 approver=esosa reason=free text`. */
export function parseExemptionTag(value: string): ExemptionRecord {
  const record: ExemptionRecord = {};
  const reasonAt = value.indexOf("reason=");
  const head = reasonAt >= 0 ? value.slice(0, reasonAt) : value;
  if (reasonAt >= 0) record.reason = value.slice(reasonAt + "reason=".length).trim();
  for (const part of head.trim().split(/\s+/)) {
    const [k, v] = part.split("=", 2);
    if (k === "expires") record.expires = v;
    if (k === "approver") record.approver = v;
  }
  return record;
}

/** Validates a record against `today` (YYYY-MM-DD, UTC). */
export function validateRecord(record: ExemptionRecord, today: string): ExemptionCheck {
  if (!record.reason) return { kind: "invalid", problem: "exemption has no reason" };
  if (!record.approver) return { kind: "invalid", problem: "exemption has no approver" };
  if (!record.expires || !/^\d{4}-\d{2}-\d{2}$/.test(record.expires) || Number.isNaN(Date.parse(`${record.expires}T00:00:00Z`))) {
    return { kind: "invalid", problem: `exemption expiry ${JSON.stringify(record.expires ?? null)} is not a YYYY-MM-DD date` };
  }
  if (record.expires < today) return { kind: "invalid", problem: `exemption expired on ${record.expires}` };
  const days = (Date.parse(`${record.expires}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000;
  if (days > MAX_EXEMPTION_DAYS) return { kind: "invalid", problem: `exemption runs ${days} days; at most ${MAX_EXEMPTION_DAYS} before re-review` };
  return { kind: "valid", record };
}

function urnMatches(pattern: string, urn: string): boolean {
  return pattern.endsWith("*") ? urn.startsWith(pattern.slice(0, -1)) : pattern === urn;
}

/** The exemption (if any) a resource carries for `policyName`, from its tags or the policy config. */
export function exemptionFor(
  policyName: string,
  urn: string,
  props: Record<string, unknown>,
  configured: readonly ExemptionRecord[],
  today: string,
): ExemptionCheck {
  const tags = props.tags;
  if (tags && typeof tags === "object") {
    const value = (tags as Record<string, unknown>)[`${EXEMPTION_TAG_PREFIX}${policyName}`];
    if (typeof value === "string") return validateRecord(parseExemptionTag(value), today);
  }
  const record = configured.find((r) => r.urn !== undefined && urnMatches(r.urn, urn));
  return record ? validateRecord(record, today) : { kind: "none" };
}

/** Today's date (UTC), overridable through policy config `today` for reproducible checks. */
export function todayOf(config: { today?: string }): string {
  return config.today ?? new Date().toISOString().slice(0, 10);
}
