/** Reading values the AWS-limit rules judge: only known ones (unknown at preview and redacted secrets are skipped). */
import { REDACTED } from "../../../src/plan/previewDocument";
import { isUnknown, rawOf } from "../../lib/knownValues";

/** A string whose value is known at preview (not an unknown sentinel, not a redacted secret). */
export function isKnownString(v: unknown): v is string {
  return typeof v === "string" && !isUnknown(v) && v !== REDACTED;
}

/** A value for a message: quoted, cut to 80 characters. */
export function show(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

/** The text of a policy document input (a JSON string, or an object the SDK serialises); undefined when unknown. */
export function documentText(v: unknown): string | undefined {
  const raw = rawOf(v);
  if (isKnownString(raw)) return raw;
  if (raw === null || typeof raw !== "object" || containsUnknown(raw)) return undefined;
  return JSON.stringify(raw);
}

/** Whether any leaf of a value is unknown or redacted. */
export function containsUnknown(v: unknown): boolean {
  const raw = rawOf(v);
  if (typeof raw === "string") return !isKnownString(raw);
  if (Array.isArray(raw)) return raw.some(containsUnknown);
  if (raw !== null && typeof raw === "object") return Object.values(raw as Record<string, unknown>).some(containsUnknown);
  return false;
}

/** Characters IAM counts toward a policy size: all but whitespace. */
export function iamPolicySize(text: string): number {
  return text.replace(/\s/g, "").length;
}
