/**
 * Evidence bundles on disk: `<out>/<platform_run_id>/<phase_id>/<phase_execution_id>/`, append-only.
 *
 * A bundle holds the content files (phase record, handle snapshot, stack outputs, reports, cost pair, supplied
 * evidence, and `signing_key.pub.pem`, the public key that signs the statement) and four integrity files:
 * - `manifest.json`: sha256 and size of every content file;
 * - `statement.intoto.json`: an in-toto Statement v1 whose subjects are the content files and the manifest, and
 *   whose predicate is the phase record;
 * - `SHA256SUMS`: coreutils format over every file but the envelope, so `cd bundle && sha256sum -c SHA256SUMS`
 *   verifies it without project code;
 * - `statement.dsse.json`: a DSSE envelope (`application/vnd.in-toto+json`) whose payload is the statement file
 *   byte for byte, signed by the signer (`signing.ts`). It is a detached signature, like `SHA256SUMS.sig` next to
 *   `SHA256SUMS`: not listed in SHA256SUMS, because ECDSA signatures are randomized and every other byte of a
 *   bundle is deterministic.
 * Every file is written atomically into a staging directory that is renamed into place only when complete; an
 * existing bundle is never overwritten, and no file is written when any byte would carry a known secret value.
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { KeyObject } from "crypto";
import { writeFileAtomic } from "../files";
import { canonicalJson, sha256Hex } from "./digest";
import { EvidenceSigner, keyFingerprint, parseP256PublicKey, signEnvelope, verifyEnvelope } from "./signing";
import { UsageError } from "../errors";

export const MANIFEST_FILE = "manifest.json";
export const STATEMENT_FILE = "statement.intoto.json";
export const SUMS_FILE = "SHA256SUMS";
export const RECORD_FILE = "phase_record.json";
/** The DSSE envelope over the statement (detached: not in SHA256SUMS). */
export const ENVELOPE_FILE = "statement.dsse.json";
/** The signer's public key (SPKI PEM), a content file: the manifest, the statement and SHA256SUMS list it. */
export const SIGNING_KEY_FILE = "signing_key.pub.pem";
const INTEGRITY_FILES = [MANIFEST_FILE, STATEMENT_FILE, SUMS_FILE];
/** Files only the writer writes. */
const WRITER_FILES = [...INTEGRITY_FILES, ENVELOPE_FILE, SIGNING_KEY_FILE];

export const IN_TOTO_STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
/** Our predicate type: the predicate is a phase record (`record.ts`) of the fraud-platform evidence emitter. */
export const PHASE_RECORD_PREDICATE_TYPE = "https://fraud-platform.dev/evidence/phase-record/v1";

export interface BundleFile {
  /** Path inside the bundle, `/`-separated, e.g. `stack_outputs/dev-full-core.json`. */
  path: string;
  content: string | Buffer;
}

export interface ManifestEntry {
  path: string;
  sha256: string;
  bytes: number;
}

export interface BundleManifest {
  manifest_version: "1";
  phase_id: string;
  platform_run_id: string;
  phase_execution_id: string;
  written_at_utc: string;
  files: ManifestEntry[];
}

export interface InTotoStatement {
  _type: typeof IN_TOTO_STATEMENT_TYPE;
  subject: Array<{ name: string; digest: { sha256: string } }>;
  predicateType: string;
  predicate: unknown;
}

/** Writing would overwrite an existing bundle. */
export class BundleExistsError extends UsageError {
  constructor(readonly dir: string) {
    super(`${dir} already exists; evidence bundles are append-only and never overwritten (a rerun gets a new phase_execution_id)`);
  }
}

/** A file of the bundle would carry a secret value; nothing was written. */
export class SecretLeakError extends Error {
  constructor(readonly file: string) {
    super(`refusing to write the bundle: ${file} would contain a secret value (G-22); nothing was written`);
    this.name = "SecretLeakError";
  }
}

function checkPath(p: string): void {
  const normal = path.posix.normalize(p);
  if (normal !== p || p.startsWith("/") || p.startsWith("../") || p === ".." || p.includes("\\") || p.split("/").some((s) => s === "" || s.startsWith("."))) {
    throw new Error(`invalid bundle path ${JSON.stringify(p)}`);
  }
  if (WRITER_FILES.includes(p)) throw new Error(`${p} is written by the bundle writer itself`);
}

/** Forms in which a secret could appear in a file: raw, and escaped inside a JSON string. */
function secretForms(secret: string): string[] {
  const escaped = JSON.stringify(secret).slice(1, -1);
  return escaped === secret ? [secret] : [secret, escaped];
}

/** Throws {@link SecretLeakError} when any file contains any of the secret values. */
export function assertNoSecrets(files: readonly BundleFile[], secrets: readonly string[]): void {
  const forms = secrets.filter((s) => s.length > 0).flatMap(secretForms);
  if (!forms.length) return;
  for (const f of files) {
    const bytes = Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content, "utf8");
    if (forms.some((s) => bytes.includes(s, 0, "utf8"))) throw new SecretLeakError(f.path);
  }
}

export interface WriteBundleOptions {
  /** Bundle directory to create (must not exist). */
  dir: string;
  files: readonly BundleFile[];
  manifest: Omit<BundleManifest, "files" | "manifest_version">;
  /** The in-toto predicate (the phase record). */
  predicate: unknown;
  /** Known secret plaintexts: the write is refused if any file would contain one. */
  secrets?: readonly string[];
  /** Signs the statement (KMS key, or a local key offline and in tests). */
  signer: EvidenceSigner;
}

/** The integrity files of a set of content files (pure: used by the writer and by tests). */
export function integrityFiles(files: readonly BundleFile[], manifestFields: WriteBundleOptions["manifest"], predicate: unknown): BundleFile[] {
  const entries: ManifestEntry[] = files
    .map((f) => ({ path: f.path, sha256: sha256Hex(f.content), bytes: Buffer.byteLength(f.content) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const manifest: BundleManifest = { manifest_version: "1", ...manifestFields, files: entries };
  const manifestText = canonicalJson(manifest);
  const subjects = [
    ...entries.map((e) => ({ name: e.path, digest: { sha256: e.sha256 } })),
    { name: MANIFEST_FILE, digest: { sha256: sha256Hex(manifestText) } },
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const statement: InTotoStatement = { _type: IN_TOTO_STATEMENT_TYPE, subject: subjects, predicateType: PHASE_RECORD_PREDICATE_TYPE, predicate };
  const statementText = canonicalJson(statement);
  const all = [...files, { path: MANIFEST_FILE, content: manifestText }, { path: STATEMENT_FILE, content: statementText }];
  const sums = all
    .map((f) => ({ path: f.path, sha256: sha256Hex(f.content) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((e) => `${e.sha256}  ${e.path}\n`)
    .join("");
  return [
    { path: MANIFEST_FILE, content: manifestText },
    { path: STATEMENT_FILE, content: statementText },
    { path: SUMS_FILE, content: sums },
  ];
}

/**
 * Writes a complete, signed bundle or nothing; returns the bundle directory. The signer's public key becomes a
 * content file, and the statement is signed only once every file passed the secret check.
 */
export async function writeBundle(options: WriteBundleOptions): Promise<string> {
  const dir = path.resolve(options.dir);
  const seen = new Set<string>();
  for (const f of options.files) {
    checkPath(f.path);
    if (seen.has(f.path)) throw new Error(`duplicate bundle path ${f.path}`);
    seen.add(f.path);
  }
  const publicKeyPem = await options.signer.publicKeyPem();
  parseP256PublicKey(publicKeyPem, "signer public key");
  const content = [...options.files, { path: SIGNING_KEY_FILE, content: publicKeyPem }];
  const integrity = integrityFiles(content, options.manifest, options.predicate);
  const all = [...content, ...integrity];
  assertNoSecrets(all, options.secrets ?? []);
  if (fs.existsSync(dir)) throw new BundleExistsError(dir);
  const statement = integrity.find((f) => f.path === STATEMENT_FILE) as BundleFile;
  const envelope = await signEnvelope(options.signer, Buffer.from(statement.content));
  all.push({ path: ENVELOPE_FILE, content: canonicalJson(envelope) });

  const parent = path.dirname(dir);
  fs.mkdirSync(parent, { recursive: true });
  const staging = path.join(parent, `.${path.basename(dir)}.staging-${randomBytes(6).toString("hex")}`);
  fs.mkdirSync(staging);
  try {
    for (const f of all) writeFileAtomic(path.join(staging, ...f.path.split("/")), f.content, { exclusive: true });
    if (fs.existsSync(dir)) throw new BundleExistsError(dir);
    // rename() refuses a non-empty target, so a bundle that appeared meanwhile is never replaced.
    try {
      fs.renameSync(staging, dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOTEMPTY" || code === "EEXIST") throw new BundleExistsError(dir);
      throw e;
    }
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  return dir;
}

export interface SignatureVerification {
  /** The envelope's signature verifies over the statement file under the key it was checked with. */
  verified: boolean;
  /**
   * `trusted`: checked with the key the caller trusts (KMS public key, a given PEM, the emitter's signer), which
   * must also be the bundle's `signing_key.pub.pem`; `embedded`: only with the bundle's own key, which proves the
   * statement and signature belong together, not who signed them.
   */
  keyTrust: "trusted" | "embedded";
  /** Key ids recorded in the envelope. */
  keyIds: string[];
  /** Fingerprint of the key the signature was checked with. */
  fingerprint?: string;
}

export interface BundleVerification {
  ok: boolean;
  dir: string;
  /** Every integrity problem found (tampered, missing or unlisted files, inconsistent manifest/statement, signature). */
  problems: string[];
  /** Files listed in SHA256SUMS. */
  files: string[];
  /** The parsed phase record, when readable. */
  record?: Record<string, unknown>;
  /** sha256 of `statement.intoto.json` as found (what the next phase's chain link names). */
  statementSha256?: string;
  signature?: SignatureVerification;
}

export interface VerifyBundleOptions {
  /** The public key signatures must verify under; without it only the bundle's embedded key is used. */
  trustedKey?: KeyObject;
}

function listFiles(root: string, rel = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(root, p));
    else out.push(p);
  }
  return out;
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
}

/**
 * Re-reads a bundle and checks it end to end: every SHA256SUMS digest, no unlisted or missing file, the manifest
 * and the in-toto statement agree with the files, and the statement's predicate is the phase record.
 */
export function verifyBundle(bundleDir: string, options: VerifyBundleOptions = {}): BundleVerification {
  const dir = path.resolve(bundleDir);
  const problems: string[] = [];
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return { ok: false, dir, problems: [`${dir}: no such bundle directory`], files: [] };
  const sumsFile = path.join(dir, SUMS_FILE);
  if (!fs.existsSync(sumsFile)) return { ok: false, dir, problems: [`${SUMS_FILE} missing`], files: [] };

  const listed = new Map<string, string>();
  for (const [i, line] of fs.readFileSync(sumsFile, "utf8").split("\n").entries()) {
    if (line === "") continue;
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m) {
      problems.push(`${SUMS_FILE} line ${i + 1}: not "<sha256>  <path>"`);
      continue;
    }
    listed.set(m[2], m[1]);
  }
  const digests = new Map<string, string>();
  for (const [file, expected] of listed) {
    const abs = path.join(dir, ...file.split("/"));
    if (!fs.existsSync(abs)) {
      problems.push(`${file}: listed in ${SUMS_FILE} but missing`);
      continue;
    }
    const actual = sha256Hex(fs.readFileSync(abs));
    digests.set(file, actual);
    if (actual !== expected) problems.push(`${file}: sha256 mismatch (recorded ${expected.slice(0, 12)}..., found ${actual.slice(0, 12)}...): tampered`);
  }
  for (const file of listFiles(dir)) {
    if (file !== SUMS_FILE && file !== ENVELOPE_FILE && !listed.has(file)) problems.push(`${file}: present but not listed in ${SUMS_FILE}`);
  }

  let record: Record<string, unknown> | undefined;
  try {
    const manifest = readJson(path.join(dir, MANIFEST_FILE)) as BundleManifest;
    const contentFiles = [...listed.keys()].filter((f) => !INTEGRITY_FILES.includes(f)).sort();
    const manifestFiles = (manifest.files ?? []).map((e) => e.path).sort();
    if (contentFiles.join("\n") !== manifestFiles.join("\n")) problems.push(`${MANIFEST_FILE}: its file list differs from ${SUMS_FILE}`);
    for (const e of manifest.files ?? []) {
      const d = digests.get(e.path);
      if (d !== undefined && d !== e.sha256) problems.push(`${e.path}: digest in ${MANIFEST_FILE} differs from the file`);
    }
  } catch (e) {
    problems.push(`${MANIFEST_FILE}: unreadable (${(e as Error).message})`);
  }
  try {
    record = readJson(path.join(dir, RECORD_FILE)) as Record<string, unknown>;
  } catch (e) {
    problems.push(`${RECORD_FILE}: unreadable (${(e as Error).message})`);
  }
  try {
    const statement = readJson(path.join(dir, STATEMENT_FILE)) as InTotoStatement;
    if (statement._type !== IN_TOTO_STATEMENT_TYPE) problems.push(`${STATEMENT_FILE}: _type is not ${IN_TOTO_STATEMENT_TYPE}`);
    if (statement.predicateType !== PHASE_RECORD_PREDICATE_TYPE) problems.push(`${STATEMENT_FILE}: unexpected predicateType ${statement.predicateType}`);
    const subjects = new Map((statement.subject ?? []).map((s) => [s.name, s.digest?.sha256]));
    for (const file of listed.keys()) {
      if (file === STATEMENT_FILE || file === SUMS_FILE) continue;
      if (subjects.get(file) !== digests.get(file)) problems.push(`${file}: digest in ${STATEMENT_FILE} differs from the file`);
    }
    for (const name of subjects.keys()) if (!listed.has(name)) problems.push(`${STATEMENT_FILE}: subject ${name} is not in the bundle`);
    if (record && canonicalJson(statement.predicate) !== canonicalJson(record)) problems.push(`${STATEMENT_FILE}: predicate differs from ${RECORD_FILE}`);
  } catch (e) {
    problems.push(`${STATEMENT_FILE}: unreadable (${(e as Error).message})`);
  }
  const statementPath = path.join(dir, STATEMENT_FILE);
  const statementBytes = fs.existsSync(statementPath) ? fs.readFileSync(statementPath) : undefined;
  const signature = verifySignature(dir, statementBytes, options.trustedKey, problems);
  return {
    ok: problems.length === 0,
    dir,
    problems,
    files: [...listed.keys()].sort(),
    record,
    ...(statementBytes ? { statementSha256: sha256Hex(statementBytes) } : {}),
    ...(signature ? { signature } : {}),
  };
}

/** Checks the DSSE envelope: present, over the statement file byte for byte, signed by the trusted (or embedded) key. */
function verifySignature(dir: string, statement: Buffer | undefined, trustedKey: KeyObject | undefined, problems: string[]): SignatureVerification | undefined {
  const envelopePath = path.join(dir, ENVELOPE_FILE);
  if (!fs.existsSync(envelopePath)) {
    problems.push(`${ENVELOPE_FILE}: missing: the statement is unsigned`);
    return undefined;
  }
  let envelope: unknown;
  try {
    envelope = readJson(envelopePath);
  } catch (e) {
    problems.push(`${ENVELOPE_FILE}: unreadable (${(e as Error).message})`);
    return undefined;
  }
  let embedded: KeyObject | undefined;
  const keyPath = path.join(dir, SIGNING_KEY_FILE);
  try {
    embedded = parseP256PublicKey(fs.readFileSync(keyPath, "utf8"), SIGNING_KEY_FILE);
  } catch (e) {
    problems.push(fs.existsSync(keyPath) ? (e as Error).message : `${SIGNING_KEY_FILE}: missing`);
  }
  if (trustedKey && embedded && keyFingerprint(embedded) !== keyFingerprint(trustedKey)) {
    problems.push(`${SIGNING_KEY_FILE}: ${keyFingerprint(embedded)} is not the trusted key ${keyFingerprint(trustedKey)}: signed by another key`);
  }
  const key = trustedKey ?? embedded;
  const keyIds = Array.isArray((envelope as { signatures?: unknown }).signatures)
    ? (envelope as { signatures: Array<{ keyid?: unknown }> }).signatures.map((s) => s?.keyid).filter((k): k is string => typeof k === "string")
    : [];
  if (!key) return { verified: false, keyTrust: "embedded", keyIds };
  const check = verifyEnvelope(envelope, key);
  for (const p of check.problems) problems.push(`${ENVELOPE_FILE}: ${p}`);
  if (check.payload && statement && !check.payload.equals(statement)) problems.push(`${ENVELOPE_FILE}: signed payload differs from ${STATEMENT_FILE}`);
  return { verified: check.ok, keyTrust: trustedKey ? "trusted" : "embedded", keyIds, fingerprint: keyFingerprint(key) };
}
