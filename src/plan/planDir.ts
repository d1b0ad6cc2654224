/**
 * A plan directory is written whole or not at all. `plan` stages every file in `<out>.tmp-XXXXXX` next to the
 * target ({@link stagePlanDir}), writes `plan-manifest.json` listing each file with its SHA-256 last
 * ({@link commitPlanDir}) and only then moves the directory into place; a plan that stops on bad input leaves the
 * previous complete plan (or nothing) where it was ({@link discardPlanDir}).
 *
 * Every reader of a plan directory (`cost`, `teardown`, `evidence --from-plan`, `policy-check DIR`, `pr-summary`,
 * `window --dry-run`) calls {@link assertCompletePlanDir} first: a directory without a manifest, with a listed file
 * missing or changed, or with a preview or outputs file the manifest does not list (a mixed directory) is bad input,
 * exit 2, with the file, the key and the command that writes a complete plan.
 */
import { createHash, randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { InputError, InputProblem } from "../errors";
import { jsonText } from "../files";
import { shellCommand } from "../shell";
import { relativeTo } from "../yamlFile";

export const PLAN_MANIFEST_FILE = "plan-manifest.json";
const MANIFEST_KIND = "fraud-platform-plan";

/** Files whose content the manifest pins: a plan's own documents. Other listed files (reports) need only exist. */
const PINNED_CONTENT = /(\.preview\.json|\.up\.json|\.outputs\.json)$/;
/** Names a plan writes; a directory holding only these (or nothing) may be replaced by a new plan. */
const PLAN_FILE =
  /^(.+\.preview\.json|.+\.up\.json|.+\.outputs\.json|policy-report\.(json|up\.json|sarif)|cost-report\.json|infracost\.json|cost-summary\.html|plan-manifest\.json|window-closed)$/;

const manifestSchema = z.object({
  kind: z.literal(MANIFEST_KIND),
  version: z.literal(1),
  env: z.string(),
  layers: z.array(z.string()),
  writtenAtUtc: z.string(),
  files: z.array(z.object({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() })),
});
export type PlanManifest = z.infer<typeof manifestSchema>;

/** Bad `--out` or plan directory: exit 2 like every other input problem. */
export class PlanDirError extends InputError {}

function sha256Of(file: string): { sha256: string; bytes: number } {
  const data = fs.readFileSync(file);
  return { sha256: createHash("sha256").update(data).digest("hex"), bytes: data.length };
}

/** Every file under `dir`, relative, sorted (directories walked). */
function filesUnder(dir: string, prefix = ""): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

const rel = (p: string) => relativeTo(process.cwd(), p);

function planCommand(outDir?: string): string {
  return shellCommand(["npm", "run", "plan", ...(outDir ? ["--", "--out", rel(outDir)] : [])]);
}

/**
 * Checks `--out` before anything runs: it must be a new path, an empty directory or an earlier plan directory
 * (only plan files in it), inside a parent that exists or can be created. Returns the problem, or undefined.
 */
export function outDirProblem(outDir: string, flag = "--out"): InputProblem | undefined {
  const shown = rel(outDir);
  let parent = path.dirname(outDir);
  while (!fs.existsSync(parent) && path.dirname(parent) !== parent) parent = path.dirname(parent);
  if (fs.existsSync(parent) && !fs.statSync(parent).isDirectory()) {
    return {
      file: "command line",
      key: flag,
      expected: "a directory path",
      found: `${shown}, under ${rel(parent)}, which is a file`,
      fix: `pass a directory path, e.g. ${flag} .substrate/plan/dev-full`,
    };
  }
  if (!fs.existsSync(outDir)) return undefined;
  if (!fs.statSync(outDir).isDirectory()) {
    return {
      file: "command line",
      key: flag,
      expected: "a directory (new, empty or an earlier plan's)",
      found: `${shown}, which is a file`,
      fix: `pass a directory, e.g. ${flag} ${shellCommand([`${shown}.d`])}`,
    };
  }
  const foreign = fs.readdirSync(outDir).filter((n) => !PLAN_FILE.test(n) && !/\.tmp$/.test(n));
  if (foreign.length) {
    return {
      file: "command line",
      key: flag,
      expected: "a new or empty directory, or an earlier plan directory (a plan replaces the whole directory)",
      found: `${shown}, holding other files: ${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", ..." : ""}`,
      fix: `pass a directory of its own, e.g. ${flag} ${shellCommand([path.join(shown, "plan")])}`,
    };
  }
  return undefined;
}

/** A fresh staging directory next to `outDir` (same file system, so the final rename is atomic). */
export function stagePlanDir(outDir: string): string {
  const problem = outDirProblem(outDir);
  if (problem) throw new PlanDirError(`cannot write the plan to ${rel(outDir)}`, [problem]);
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  return fs.mkdtempSync(`${outDir}.tmp-`);
}

/** Removes a staging directory (the plan stopped); the target is left as it was. */
export function discardPlanDir(staging: string): void {
  fs.rmSync(staging, { recursive: true, force: true });
}

/** Writes the manifest of every file staged; the manifest is what makes a plan directory complete. */
export function sealPlanDir(dir: string, info: { env: string; layers: readonly string[]; now?: Date }): PlanManifest {
  const files = filesUnder(dir)
    .filter((f) => f !== PLAN_MANIFEST_FILE)
    .map((f) => ({ path: f, ...sha256Of(path.join(dir, f)) }));
  const manifest: PlanManifest = {
    kind: MANIFEST_KIND,
    version: 1,
    env: info.env,
    layers: [...info.layers],
    writtenAtUtc: (info.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
    files,
  };
  fs.writeFileSync(path.join(dir, PLAN_MANIFEST_FILE), jsonText(manifest));
  return manifest;
}

/** Seals `staging` and moves it into place at `outDir`, replacing an earlier plan there. */
export function commitPlanDir(staging: string, outDir: string, info: { env: string; layers: readonly string[] }): PlanManifest {
  const manifest = sealPlanDir(staging, info);
  if (!fs.existsSync(outDir)) {
    fs.renameSync(staging, outDir);
    return manifest;
  }
  const old = `${outDir}.old-${randomBytes(4).toString("hex")}`;
  fs.renameSync(outDir, old);
  try {
    fs.renameSync(staging, outDir);
  } catch (e) {
    fs.renameSync(old, outDir);
    throw e;
  }
  fs.rmSync(old, { recursive: true, force: true });
  return manifest;
}

/** What a failed plan left behind, for its summary: the earlier plan untouched, or nothing. */
export function untouchedNote(outDir: string): string {
  return fs.existsSync(path.join(outDir, PLAN_MANIFEST_FILE))
    ? `nothing written: the previous complete plan in ${rel(outDir)} is untouched`
    : `nothing written to ${rel(outDir)}`;
}

export interface PlanDirCheck {
  /** The flag or argument that named the directory, for messages (`--from-plan`). */
  flag: string;
  /**
   * Accept a directory of preview documents only (no manifest, no outputs or policy report): previews of a real
   * `pulumi preview --json` saved by hand (`cost --from`). An offline plan's directory always needs its manifest.
   */
  previewsOnly?: boolean;
}

/**
 * Refuses (exit 2) a directory that is not one complete plan: no such directory, no manifest, a listed file
 * missing or changed, or a preview/outputs file the manifest does not list. Returns the manifest (undefined for an
 * accepted previews-only directory).
 */
export function assertCompletePlanDir(dir: string, check: PlanDirCheck): PlanManifest | undefined {
  const shown = rel(dir);
  const fail = (summary: string, problems: InputProblem[]): never => {
    throw new PlanDirError(summary, problems);
  };
  if (!fs.existsSync(dir)) {
    fail(`no plan directory ${shown}`, [
      { file: shown, key: check.flag, expected: "a plan directory", found: "no such directory", fix: `run ${planCommand(dir)} first` },
    ]);
  }
  if (!fs.statSync(dir).isDirectory()) {
    fail(`${shown} is not a plan directory`, [
      {
        file: shown,
        key: check.flag,
        expected: "a plan directory",
        found: "a file",
        fix: `pass the directory ${shellCommand(["npm", "run", "plan"])} wrote (default .substrate/plan/dev-full)`,
      },
    ]);
  }
  const manifestFile = path.join(dir, PLAN_MANIFEST_FILE);
  const names = filesUnder(dir);
  if (!fs.existsSync(manifestFile)) {
    const planOnly = names.filter((n) => /\.outputs\.json$|^policy-report\.json$/.test(n));
    // The reader itself says when such a directory holds no preview document.
    if (check.previewsOnly && planOnly.length === 0) return undefined;
    fail(`${shown} is not a complete plan`, [
      {
        file: path.join(shown, PLAN_MANIFEST_FILE),
        key: "(file)",
        expected: "the manifest a complete plan writes last",
        found: names.length ? `no manifest beside ${names.length} file(s) (a stopped plan, an older version's plan or files copied in)` : "an empty directory",
        fix: `run ${planCommand(dir)} again`,
      },
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
  } catch (e) {
    return fail(`${shown} is not a complete plan`, [
      { file: path.join(shown, PLAN_MANIFEST_FILE), key: "(document)", expected: "JSON", found: (e as Error).message, fix: `run ${planCommand(dir)} again` },
    ]);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(`${shown} is not a complete plan`, [
      {
        file: path.join(shown, PLAN_MANIFEST_FILE),
        key: issue.path.map(String).join(".") || "(document)",
        expected: issue.message,
        found: "something else",
        fix: `run ${planCommand(dir)} again`,
      },
    ]);
  }
  const manifest = parsed.data;
  const problems: InputProblem[] = [];
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const f of manifest.files) {
    const file = path.join(dir, f.path);
    if (!fs.existsSync(file)) {
      problems.push({
        file: path.join(shown, f.path),
        key: "(file)",
        expected: `a file of the plan (${PLAN_MANIFEST_FILE} lists it)`,
        found: "no such file",
        fix: `run ${planCommand(dir)} again`,
      });
    } else if (PINNED_CONTENT.test(f.path) && sha256Of(file).sha256 !== f.sha256) {
      problems.push({
        file: path.join(shown, f.path),
        key: "sha256",
        expected: `the content the plan wrote (${f.sha256.slice(0, 12)}...)`,
        found: "a changed file",
        fix: `run ${planCommand(dir)} again`,
      });
    }
  }
  for (const n of names) {
    if (PINNED_CONTENT.test(n) && !listed.has(n)) {
      problems.push({
        file: path.join(shown, n),
        key: "(file)",
        expected: `only files of one plan (${PLAN_MANIFEST_FILE} does not list this one)`,
        found: "a file from another run (a mixed directory)",
        fix: `remove it, or run ${planCommand(dir)} again`,
      });
    }
  }
  if (problems.length) fail(`${shown} is not one complete plan`, problems);
  return manifest;
}
