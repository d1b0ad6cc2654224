/**
 * Reading resource props without tripping over values unknown at preview: the raw object behind
 * @pulumi/policy's unknown-checking proxy, and a walk over every known string (unknowns are skipped, so a rule
 * that scans whole inputs never downgrades just because some unrelated field is computed).
 */
import { isUnknownValue } from "../../src/cost/inputs";

/** @pulumi/policy's accessor for the object behind its unknown-checking proxy. */
const PROXY_TARGET = "__getSpecialProxyTarget";

/** The plain object behind a props proxy (or the value itself when it is not proxied). */
export function rawOf<T = unknown>(value: unknown): T {
  if (value !== null && typeof value === "object") {
    const target = (value as Record<string, unknown>)[PROXY_TARGET];
    if (target !== undefined) return target as T;
  }
  return value as T;
}

/** True when a raw value is one of Pulumi's preview-time unknown sentinels. */
export function isUnknown(value: unknown): boolean {
  return isUnknownValue(value);
}

/** Calls `visit` for every known string leaf of `value`, with its dotted path. */
export function forEachKnownString(value: unknown, visit: (path: string, s: string) => void, path = ""): void {
  const raw = rawOf(value);
  if (typeof raw === "string") {
    if (!isUnknown(raw)) visit(path, raw);
    return;
  }
  if (Array.isArray(raw)) {
    raw.forEach((v, i) => forEachKnownString(v, visit, `${path}[${i}]`));
    return;
  }
  if (raw !== null && typeof raw === "object") {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) forEachKnownString(v, visit, path ? `${path}.${k}` : k);
  }
}

/** A known string at a top-level prop, or undefined (absent or unknown). */
export function knownString(props: unknown, key: string): string | undefined {
  const v = rawOf<Record<string, unknown>>(props)?.[key];
  return typeof v === "string" && !isUnknown(v) ? v : undefined;
}

/** The known tags of a resource (unknown values kept as undefined). */
export function knownTags(props: unknown): Record<string, string | undefined> {
  const tags = rawOf<Record<string, unknown>>(props)?.tags;
  const raw = rawOf<Record<string, unknown> | undefined>(tags);
  if (!raw || typeof raw !== "object" || isUnknown(raw)) return {};
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === "string" && !isUnknown(v) ? v : undefined]));
}

/**
 * Whether a prop is set, judged without reading an unknown: `"pending"` when the program set it to a value computed
 * at `pulumi up` (a generated secret, the id of a resource being created), so a rule that asks only "is it set?"
 * runs at preview too; `"empty"` for an empty string; `"absent"` when missing or null.
 */
export function presenceOf(props: unknown, key: string): "absent" | "empty" | "pending" | "set" {
  const v = rawOf<Record<string, unknown> | undefined>(props)?.[key];
  if (v === undefined || v === null) return "absent";
  if (isUnknown(v)) return "pending";
  return v === "" ? "empty" : "set";
}

/** The items of a list prop, or none when it is not a list (absent, null, unknown at preview, a scalar). */
export function listOf<T>(value: readonly T[] | null | undefined): T[];
export function listOf(value: unknown): unknown[];
export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** True for a plain object (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The object items of a list prop (other items skipped), or none when it is not a list. */
export function recordsOf(value: unknown): Record<string, unknown>[] {
  return listOf(value).filter(isRecord);
}

/** A field holding one item or a list of them (an IAM statement's `Action`, `Resource`, a document's `Statement`): its items; none when absent. */
export function itemsOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/** A plain object prop as it is, or an empty one when it is anything else. */
export function recordOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}
