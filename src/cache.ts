/**
 * Results of pure, costly computations kept on disk by the hash of everything they depend on, so that a new
 * process (a plan's worker, a CLI run, a jest worker) does not compute them again: the parse of a YAML text, the
 * verdict of asl-validator on a state machine definition. A key names the computation, the version of the code
 * that computes it and the input; a changed input, or a changed package, is a new key.
 *
 * Each kind keeps the entries most recently used ({@link KEPT_PER_KIND}). The cache is an accelerator only: an
 * entry that cannot be read or parsed is computed again, a value that JSON cannot carry exactly is never stored, a
 * directory that cannot be written is not written, and a computation that throws stores nothing (its error is the
 * caller's, every time).
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
    const value = JSON.parse(fs.readFileSync(file, "utf8")) as T;
    touch(file);
    return value;
  } catch {
    // not cached yet, or unreadable: compute it
  }
  const value = compute();
  if (isJsonExact(value)) {
    try {
      writeFileAtomic(file, JSON.stringify(value));
      prune(path.dirname(file));
    } catch {
      // a read-only tree: the value is still right, only not kept
    }
  }
  return value;
}

/** Marks an entry used (its mtime), so pruning keeps it. */
function touch(file: string): void {
  try {
    const now = new Date();
    fs.utimesSync(file, now, now);
  } catch {
    // read-only: it stays as old as it was
  }
}

/** Entries a kind keeps: past twice this many, the oldest are removed down to it. */
export const KEPT_PER_KIND = 200;

/** Keeps a kind's directory bounded (every edit of a YAML file is a new entry): the least recently used go. */
function prune(dir: string, kept: number = KEPT_PER_KIND): void {
  const names = fs.readdirSync(dir).filter((n) => n.endsWith(".json"));
  if (names.length <= 2 * kept) return;
  const entries = names.map((n) => {
    const file = path.join(dir, n);
    return { file, mtime: fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0 };
  });
  entries.sort((a, b) => b.mtime - a.mtime);
  for (const e of entries.slice(kept)) fs.rmSync(e.file, { force: true });
}

/** The version of an installed package, as a cache key's `version`. */
export function packageVersion(name: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return `${name}@${(require(`${name}/package.json`) as { version: string }).version}`;
}
