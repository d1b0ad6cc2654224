/**
 * `npm run evidence -- verify DIR|s3://bucket/prefix`: proves a bundle (or every bundle of a run) end to end.
 * Per bundle, in this order: the digests (SHA256SUMS, manifest, in-toto statement), the DSSE signature under the
 * trusted key, the required fields of the phase record (`record.ts`), and the hash-chain link to the previous
 * phase (the named bundle exists, is of the same run and its statement has the named digest). Every linked bundle
 * down to the start of the ladder is verified too, so a removed, replaced or rewritten phase anywhere below the
 * target breaks the chain. Links are reported in ladder order; the first broken one is named.
 *
 * Local bundles need no credentials. From S3, every object of the prefix (and of each linked bundle) is read
 * into a temporary directory with its Object Lock state: an object without a retention is a broken link too.
 */
import { KeyObject } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GetObjectCommand, S3Client, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import { z } from "zod";
import { Registry } from "../registry/registry";
import { BundleVerification, ENVELOPE_FILE, MANIFEST_FILE, RECORD_FILE, STATEMENT_FILE, SUMS_FILE, verifyBundle } from "./bundle";
import { sha256Hex } from "./digest";
import { PhaseLadder } from "./phases";
import { keyFingerprint } from "./signing";
import { UsageError } from "../errors";

/** The target cannot be verified as given (no such directory, not a bundle, no trusted key): exit 2. */
export class VerifyInputError extends UsageError {
  constructor(message: string) {
    super(message);
  }
}

/** One bundle of the chain and what was wrong with it. */
export interface LinkResult {
  /** `<run>/<phase>/<execution>` */
  bundle: string;
  phase_id: string;
  phase_execution_id: string;
  verdict?: string;
  ok: boolean;
  problems: string[];
}

export interface EvidenceVerification {
  ok: boolean;
  target: string;
  trustedKey: { fingerprint: string; source: string };
  /** Every bundle checked, in ladder order (then run, then execution). */
  links: LinkResult[];
  /** The first broken link in ladder order, with its first problem. */
  firstBroken?: { bundle: string; problem: string };
}

/** Where the bundles of a run live: `<root>/<run>/<phase>/<execution>/`, materialised on demand. */
export interface BundleLocator {
  /** Local directory of a bundle, or undefined when the store has none. */
  locate(runId: string, phaseId: string, executionId: string): Promise<string | undefined>;
  /** Problems the store itself found with a bundle's objects (e.g. no Object Lock). */
  storeProblems(dir: string): string[];
}

const BUNDLE_MARKERS = [SUMS_FILE, RECORD_FILE, MANIFEST_FILE, ENVELOPE_FILE];

function isBundleDir(dir: string): boolean {
  return BUNDLE_MARKERS.some((f) => fs.existsSync(path.join(dir, f)));
}

/** Local bundles under `root` (`<root>/<run>/<phase>/<execution>`). */
export class LocalLocator implements BundleLocator {
  constructor(readonly root: string) {}

  locate(runId: string, phaseId: string, executionId: string): Promise<string | undefined> {
    const dir = path.join(this.root, runId, phaseId, executionId);
    return Promise.resolve(fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? dir : undefined);
  }

  storeProblems(): string[] {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The phase record's required fields: its own, the common record fields and the chain link

const nonEmpty = z.string().min(1);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "expected a sha256 hex digest");
const verdict = z.enum(["PASS", "FAIL"]);
const recordTemplate = z.object({
  plan_phase: nonEmpty,
  phase_id: nonEmpty,
  platform_run_id: nonEmpty,
  scenario_run_id: nonEmpty,
  phase_execution_id: nonEmpty,
  config_digest: nonEmpty,
  authority_refs: z.array(nonEmpty).min(1),
  entry_gate: z.object({ result: verdict }),
  dod: z.object({ result: verdict }),
  artifacts: z.array(z.object({ path: nonEmpty, sha256, s3_uri: z.string().regex(/^s3:\/\/[^/]+\/.+/, "expected an s3:// URI") })),
  rollback_note: nonEmpty,
  verdict,
  cost: z.object({
    envelope: z.object({ bundle_path: nonEmpty, s3_uri: nonEmpty }),
    receipt: z.object({ bundle_path: nonEmpty, s3_uri: nonEmpty }).nullable(),
  }),
  operator: nonEmpty,
  written_at_utc: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, "expected a UTC timestamp"),
  chain: z.object({
    previous_phase_id: nonEmpty.nullable(),
    previous_phase_execution_id: nonEmpty.nullable(),
    previous_statement_sha256: sha256.nullable(),
  }),
});
type RecordTemplate = z.infer<typeof recordTemplate>;

/** Problems with the record's required fields, as `phase_record.json: <field>: <issue>`. */
export function templateProblems(record: unknown): { problems: string[]; record?: RecordTemplate } {
  const parsed = recordTemplate.safeParse(record);
  if (parsed.success) {
    const r = parsed.data;
    const problems: string[] = [];
    if (r.verdict === "PASS" && (r.entry_gate.result !== "PASS" || r.dod.result !== "PASS"))
      problems.push(`${RECORD_FILE}: verdict PASS with entry gate ${r.entry_gate.result} / DoD ${r.dod.result}`);
    if (r.verdict === "PASS" && r.cost.receipt === null) problems.push(`${RECORD_FILE}: verdict PASS without a cost-to-outcome receipt path`);
    return { problems, record: r };
  }
  return { problems: parsed.error.issues.map((i) => `${RECORD_FILE}: required field ${i.path.map(String).join(".") || "(record)"}: ${i.message}`) };
}

// ---------------------------------------------------------------------------------------------------------------
// Verification

interface Located {
  dir: string;
  runId: string;
  phaseId: string;
  executionId: string;
}

/** `<root>/<run>/<phase>/<execution>` of a bundle directory. */
function locationOf(dir: string): Located {
  const executionId = path.basename(dir);
  const phaseId = path.basename(path.dirname(dir));
  const runId = path.basename(path.dirname(path.dirname(dir)));
  return { dir, runId, phaseId, executionId };
}

/** Bundle directories under `dir` (itself, or `<phase>/<exec>` of a run, or `<run>/<phase>/<exec>` of a root). */
export function bundlesUnder(dir: string): string[] {
  if (isBundleDir(dir)) return [dir];
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name.startsWith(".")) continue;
      const sub = path.join(d, e.name);
      if (isBundleDir(sub)) out.push(sub);
      else if (depth < 2) walk(sub, depth + 1);
    }
  };
  walk(dir, 0);
  return out.sort();
}

export interface VerifyEvidenceOptions {
  ladder: PhaseLadder;
  trustedKey: KeyObject;
  /** Where the trusted key came from (for the report). */
  trustSource: string;
  /** Resolves linked bundles (default: the local tree the target is in). */
  locator?: BundleLocator;
}

/** Verifies the bundles at `dirs` and every bundle their chains link to. */
export async function verifyBundles(target: string, dirs: readonly string[], options: VerifyEvidenceOptions): Promise<EvidenceVerification> {
  const { ladder, trustedKey } = options;
  const results = new Map<string, LinkResult>();
  const queue: Located[] = dirs.map((d) => locationOf(path.resolve(d)));
  const rootOf = (l: Located) => path.dirname(path.dirname(path.dirname(l.dir)));

  while (queue.length) {
    const l = queue.shift() as Located;
    const key = `${l.runId}/${l.phaseId}/${l.executionId}`;
    if (results.has(key)) continue;
    const locator = options.locator ?? new LocalLocator(rootOf(l));
    const v: BundleVerification = verifyBundle(l.dir, { trustedKey });
    const problems = [...v.problems, ...locator.storeProblems(l.dir)];
    const template = v.record ? templateProblems(v.record) : { problems: [] as string[], record: undefined };
    problems.push(...template.problems);
    const record = template.record;
    if (record) {
      if (record.phase_id !== l.phaseId) problems.push(`${RECORD_FILE}: phase_id ${record.phase_id} but the bundle is under ${l.phaseId}/`);
      if (record.platform_run_id !== l.runId) problems.push(`${RECORD_FILE}: platform_run_id ${record.platform_run_id} but the bundle is under ${l.runId}/`);
      if (record.phase_execution_id !== l.executionId)
        problems.push(`${RECORD_FILE}: phase_execution_id ${record.phase_execution_id} but the bundle is ${l.executionId}/`);
      const link = await checkLink(record, l, ladder, locator);
      problems.push(...link.problems);
      if (link.previous) queue.push(link.previous);
    }
    results.set(key, { bundle: key, phase_id: l.phaseId, phase_execution_id: l.executionId, verdict: record?.verdict, ok: problems.length === 0, problems });
  }

  const order = (id: string) => {
    const i = ladder.ids.indexOf(id);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const links = [...results.values()].sort((a, b) => order(a.phase_id) - order(b.phase_id) || a.bundle.localeCompare(b.bundle));
  const broken = links.find((r) => !r.ok);
  return {
    ok: !broken,
    target,
    trustedKey: { fingerprint: keyFingerprint(trustedKey), source: options.trustSource },
    links,
    ...(broken ? { firstBroken: { bundle: broken.bundle, problem: broken.problems[0] } } : {}),
  };
}

/** The chain link of one record: problems, and the previous bundle to verify next. */
async function checkLink(
  record: RecordTemplate,
  at: Located,
  ladder: PhaseLadder,
  locator: BundleLocator,
): Promise<{ problems: string[]; previous?: Located }> {
  const c = record.chain;
  if (!ladder.has(record.phase_id)) return { problems: [`${RECORD_FILE}: phase ${record.phase_id} is not on the ladder`] };
  const expected = ladder.previous(record.phase_id)?.id ?? null;
  if (c.previous_phase_id !== expected)
    return {
      problems: [`chain: names previous phase ${c.previous_phase_id ?? "none"}, the ladder's previous phase of ${record.phase_id} is ${expected ?? "none"}`],
    };
  if (expected === null)
    return c.previous_statement_sha256 === null && c.previous_phase_execution_id === null
      ? { problems: [] }
      : { problems: ["chain: the first phase of the ladder names a previous bundle"] };
  if (c.previous_statement_sha256 === null || c.previous_phase_execution_id === null) {
    // The entry gate found no previous bundle, so the phase cannot have passed.
    return record.verdict === "PASS" ? { problems: [`chain: verdict PASS without a link to a ${expected} bundle`] } : { problems: [] };
  }
  const dir = await locator.locate(at.runId, expected, c.previous_phase_execution_id);
  const name = `${at.runId}/${expected}/${c.previous_phase_execution_id}`;
  if (!dir) return { problems: [`chain: broken: the previous bundle ${name} is missing (removed)`] };
  const statement = path.join(dir, STATEMENT_FILE);
  const actual = fs.existsSync(statement) ? sha256Hex(fs.readFileSync(statement)) : undefined;
  const previous = { dir, runId: at.runId, phaseId: expected, executionId: c.previous_phase_execution_id };
  if (actual !== c.previous_statement_sha256) {
    return {
      problems: [
        `chain: broken: ${name} statement sha256 is ${actual ? `${actual.slice(0, 12)}...` : "absent"}, this record names ${c.previous_statement_sha256.slice(0, 12)}... (replaced)`,
      ],
      previous,
    };
  }
  return { problems: [], previous };
}

// ---------------------------------------------------------------------------------------------------------------
// S3

export interface S3Target {
  bucket: string;
  prefix: string;
}

export function parseS3Uri(uri: string): S3Target {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!m) throw new VerifyInputError(`${uri}: expected s3://<bucket>/<prefix>`);
  const prefix = m[2] ?? "";
  return { bucket: m[1], prefix: prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/` };
}

/** The key prefix all runs live under, from EVIDENCE_PHASE_PREFIX_PATTERN (`evidence/runs/`). */
export function runsRootPrefix(registry: Registry): string {
  const pattern = registry.string("EVIDENCE_PHASE_PREFIX_PATTERN");
  const i = pattern.indexOf("{platform_run_id}");
  if (i < 0) throw new Error(`EVIDENCE_PHASE_PREFIX_PATTERN ${pattern}: no {platform_run_id}`);
  return pattern.slice(0, i);
}

/**
 * Bundles in the evidence bucket, downloaded into a temporary tree `<tmp>/<run>/<phase>/<execution>/` that mirrors
 * the keys under the runs root. Each object's Object Lock state is recorded: no retention is a store problem.
 */
export class S3Locator implements BundleLocator {
  readonly root: string;
  private readonly problems = new Map<string, string[]>();
  private readonly fetched = new Set<string>();

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly runsRoot: string,
    private readonly now: Date = new Date(),
  ) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), "evidence-verify-"));
  }

  /** Downloads every object under `prefix`; returns how many. */
  async fetchPrefix(prefix: string): Promise<number> {
    if (!prefix.startsWith(this.runsRoot))
      throw new VerifyInputError(`s3://${this.bucket}/${prefix}: bundles live under s3://${this.bucket}/${this.runsRoot}<run>/<phase>/<execution>/`);
    if (this.fetched.has(prefix)) return 0;
    this.fetched.add(prefix);
    let count = 0;
    for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: prefix })) {
      for (const o of page.Contents ?? []) {
        if (!o.Key || o.Key.endsWith("/")) continue;
        const rel = o.Key.slice(this.runsRoot.length);
        const parts = rel.split("/");
        // <run>/<phase>/<execution>/<file...>: other run objects (run.json, ingest/...) are not bundle files.
        if (parts.length < 4 || parts.some((p) => p === "" || p === "." || p === "..")) continue;
        const got = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: o.Key, ChecksumMode: "ENABLED" }));
        const body = got.Body ? Buffer.from(await got.Body.transformToByteArray()) : Buffer.alloc(0);
        const file = path.join(this.root, ...parts);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, body);
        const bundleDir = path.join(this.root, ...parts.slice(0, 3));
        const lockProblem =
          got.ObjectLockMode !== "GOVERNANCE" && got.ObjectLockMode !== "COMPLIANCE"
            ? `${parts.slice(3).join("/")}: no Object Lock retention on s3://${this.bucket}/${o.Key}`
            : !got.ObjectLockRetainUntilDate || got.ObjectLockRetainUntilDate.getTime() <= this.now.getTime()
              ? `${parts.slice(3).join("/")}: Object Lock retention of s3://${this.bucket}/${o.Key} has ended`
              : undefined;
        if (lockProblem) this.problems.set(bundleDir, [...(this.problems.get(bundleDir) ?? []), lockProblem]);
        count++;
      }
    }
    return count;
  }

  async locate(runId: string, phaseId: string, executionId: string): Promise<string | undefined> {
    const dir = path.join(this.root, runId, phaseId, executionId);
    if (!fs.existsSync(dir)) await this.fetchPrefix(`${this.runsRoot}${runId}/${phaseId}/${executionId}/`);
    return fs.existsSync(dir) ? dir : undefined;
  }

  storeProblems(dir: string): string[] {
    return this.problems.get(path.resolve(dir)) ?? [];
  }

  /** Removes the temporary tree. */
  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
