/**
 * Canonical JSON (RFC 8785, JCS) and sha256 helpers. Every JSON file the emitter writes is the JCS form of its
 * value, so the same value always has the same bytes and the same digest, whoever writes it.
 */
import { createHash } from "crypto";
import canonicalize from "canonicalize";

/** The RFC 8785 canonical form of a JSON value (no insignificant whitespace, sorted keys). */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("cannot canonicalize an undefined value");
  return text;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** sha256 as S3's `ChecksumSHA256` (base64 of the raw digest). */
export function sha256Base64(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("base64");
}

/** Digest of the canonical form of a value. */
export function digestOf(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** `2026-02-22T21:02:07Z`: UTC, whole seconds (the form of every `*_utc` field). */
export function utcSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `20260222T210207Z`: the compact UTC stamp of run and execution ids. */
export function compactUtc(date: Date): string {
  return utcSeconds(date).replace(/[-:]/g, "");
}
