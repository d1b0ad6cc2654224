/**
 * Results of pure, costly computations kept on disk by the hash of everything they depend on, so that a new
 * process (a plan's worker, a CLI run, a jest worker) does not compute them again: the parse of a YAML text, the
 * verdict of asl-validator on a state machine definition. A key names the computation, the version of the code
 * that computes it and the input; a changed input, or a changed package, is a new key.
 *
 * The cache is an accelerator only: an entry that cannot be read or parsed is computed again, a value that JSON
 * cannot carry exactly is never stored, a directory that cannot be written is not written, and a computation that
 * throws stores nothing (its error is the caller's, every time).
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "./files";

/**
 * Where built and cached files are kept: inside the project's `node_modules` (as babel, eslint and jest keep theirs),
 * so that the plan worker's bundle resolves packages to the project's own.
 */
export const CACHE_DIR = path.resolve(__dirname, "..", "node_modules", ".cache", "fraud-platform");

/** Whether JSON carries `value` exactly: plain objects, arrays, strings, finite numbers, booleans and null. */
export function isJsonExact(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(isJsonExact);
  if (typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.entries(value as Record<string, unknown>).every(([k, v]) => k !== "__proto__" && isJsonExact(v));
}

/**
 * `compute()`, or the value it returned for the same `kind`, `version` and `input` before. `version` names the code
 * that computes (a package's version, say); `input` is everything else the result depends on.
 */
export function diskMemo<T>(kind: string, version: string, input: string, compute: () => T, dir: string = CACHE_DIR): T {
  const hash = createHash("sha256").update(version).update("\0").update(input).digest("hex");
  const file = path.join(dir, kind, `${hash}.json`);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    // not cached yet, or unreadable: compute it
  }
  const value = compute();
  if (isJsonExact(value)) {
    try {
      writeFileAtomic(file, JSON.stringify(value));
    } catch {
      // a read-only tree: the value is still right, only not kept
    }
  }
  return value;
}

/** The version of an installed package, as a cache key's `version`. */
export function packageVersion(name: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return `${name}@${(require(`${name}/package.json`) as { version: string }).version}`;
}
