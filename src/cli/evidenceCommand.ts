/**
 * `npm run evidence -- --phase P# (--from-plan DIR | --from-stacks) [--run-id ID] [--out DIR] [--upload]`: evaluates
 * one phase of the ladder fail-closed and writes its signed evidence bundle. Exit 0 PASS, 1 FAIL (or a failed
 * upload), 2 usage (bad options, unreadable source, an existing bundle).
 *
 * `npm run evidence -- verify DIR|s3://bucket/prefix [--public-key FILE | --kms-key-id ID]`: checks digests,
 * signature, required fields and the hash chain of a bundle or run. Exit 0 verified, 1 a broken link (named),
 * 2 bad input (no such target, no trusted key), 3 internal error.
 */
import * as fs from "fs";
import * as path from "path";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { Command } from "commander";
import { DEFAULT_ENV } from "../layers";
import { loadRegistry } from "../registry/registry";
import { EmitResult, EvidenceUsageError, emitEvidence, environmentPins } from "../evidence/emit";
import { OutputsSource, PlanDirSource, PulumiStackSource } from "../evidence/sources";
import { UploadRefusedError, UploadResult, uploadBundle } from "../evidence/upload";
import { loadPhases } from "../evidence/phases";
import { DEFAULT_LOCAL_KEY_FILE, KmsSigner, LocalSigner, keyFingerprint, parseP256PublicKey } from "../evidence/signing";
import { EvidenceVerification, S3Locator, VerifyInputError, bundlesUnder, parseS3Uri, runsRootPrefix, verifyBundles } from "../evidence/verify";
import { table } from "./format";
import { collect, keyValuePairs } from "./options";
import { errorLine, exitCodeOf } from "./exitCodes";
import { shellCommand, shellQuote } from "../shell";

interface EvidenceOptions {
  phase?: string;
  fromPlan?: string;
  fromStacks?: boolean;
  env: string;
  runId?: string;
  out?: string;
  executionId?: string;
  operator?: string;
  at?: string;
  gitSha?: string;
  scenarioRunId?: string;
  configDigest?: string;
  pin: string[];
  artifact: string[];
  spend?: string;
  costSource: string[];
  spendFile?: string;
  policyReport?: string;
  costReport?: string;
  windowMinutes?: string;
  workDir?: string;
  pulumiRoot?: string;
  upload?: boolean;
  bucket?: string;
  kmsKeyId?: string;
  region?: string;
  json?: boolean;
  signingKey?: string;
  kmsSigningKey?: string;
}

function pairs(values: readonly string[], flag: string, example: string): Record<string, string> {
  return keyValuePairs(values, flag, example, (m) => new EvidenceUsageError(m));
}

function sourceOf(opts: EvidenceOptions): OutputsSource {
  if (Boolean(opts.fromPlan) === Boolean(opts.fromStacks)) throw new EvidenceUsageError("give exactly one of --from-plan DIR and --from-stacks");
  if (opts.fromPlan) return new PlanDirSource(opts.fromPlan);
  return new PulumiStackSource({ workDir: opts.workDir, pulumiRoot: opts.pulumiRoot });
}

function clockOf(at?: string): Date | undefined {
  if (at === undefined) return undefined;
  const t = Date.parse(at);
  if (!/Z$/.test(at) || Number.isNaN(t)) throw new EvidenceUsageError(`--at ${at}: expected a UTC timestamp like 2026-02-22T21:02:07Z`);
  return new Date(t);
}

function shorten(text: string, max = 180): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** The readable summary of one emitted bundle. */
export function formatEvidenceSummary(result: EmitResult, cwd = process.cwd()): string {
  const r = result.record;
  const lines = [
    `${r.phase_id} ${r.phase_name} (${r.plan_phase}): ${r.verdict}`,
    `  run ${r.platform_run_id} (${result.runIdChoice}); execution ${r.phase_execution_id}; source: ${r.source.description}`,
    `  entry gate: ${r.entry_gate.result}   DoD: ${r.dod.result}   handles: ${result.handles.satisfied}/${result.handles.required} satisfied`,
  ];
  if (r.blockers.length) {
    lines.push("", `blockers (${r.blockers.length}):`);
    lines.push(
      table(
        ["code", "kind", "what"],
        r.blockers.map((b) => [b.code, b.kind, shorten(b.message)]),
      )
        .split("\n")
        .map((l) => `  ${l}`)
        .join("\n"),
    );
    // Pins are listed once (names and one example); every other fix is listed as is.
    const pins = r.blockers.filter((b) => b.kind === "handle_to_pin" && b.fix);
    const fixes = [
      ...new Set(
        r.blockers
          .filter((b) => b.kind !== "handle_to_pin")
          .map((b) => b.fix)
          .filter((f): f is string => Boolean(f)),
      ),
    ];
    if (pins.length) fixes.push(`pin ${pins.length} TO_PIN handle(s): ${pins.map((b) => b.handle).join(", ")}; e.g. ${pins[0].fix}`);
    if (fixes.length) {
      lines.push("", "to resolve:");
      for (const f of fixes.slice(0, 12)) lines.push(`  - ${f}`);
      if (fixes.length > 12) lines.push(`  ... ${fixes.length - 12} more (see phase_record.json)`);
    }
  }
  if (r.application_evidence_required.length) lines.push("", `application evidence still required: ${r.application_evidence_required.join(", ")}`);
  const env = r.cost.envelope;
  const receipt = r.cost.receipt;
  lines.push(
    "",
    `cost: envelope ${env.max_spend_amount} USD (${env.basis}); ` +
      (receipt ? `receipt ${receipt.spend_amount} USD, within envelope: ${receipt.cost_within_envelope}` : "no receipt (no recorded spend)"),
  );
  const rel = path.relative(cwd, result.dir) || ".";
  lines.push(
    `bundle: ${rel}/ (${result.files.length} files); next gate: ${r.next_gate}`,
    `verify: ${shellCommand(["npm", "run", "evidence", "--", "verify", rel])}   (digests only: cd ${shellQuote(rel)} && sha256sum -c SHA256SUMS)`,
  );
  return lines.join("\n");
}

function formatUpload(result: UploadResult): string {
  const counts = new Map<string, number>();
  for (const o of result.objects) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  const lines = [`upload to s3://${result.bucket}: ${[...counts].map(([k, v]) => `${v} ${k}`).join(", ")}`];
  for (const o of result.objects.filter((x) => x.detail)) lines.push(`  ${o.status}: ${o.detail}`);
  return lines.join("\n");
}

/** The signer `--signing-key FILE` (local PEM) or `--kms-signing-key ID` asks for; default: by source (emit.ts). */
function signerOf(opts: EvidenceOptions): LocalSigner | KmsSigner | undefined {
  if (opts.signingKey && opts.kmsSigningKey) throw new EvidenceUsageError("--signing-key and --kms-signing-key are exclusive");
  if (opts.signingKey) {
    try {
      return LocalSigner.fromFile(opts.signingKey);
    } catch (e) {
      throw new EvidenceUsageError(`--signing-key ${opts.signingKey}: ${(e as Error).message}`);
    }
  }
  if (opts.kmsSigningKey) return new KmsSigner(new KMSClient({ region: opts.region ?? loadRegistry().string("AWS_REGION") }), opts.kmsSigningKey);
  return undefined;
}

async function run(opts: EvidenceOptions): Promise<number> {
  if (!opts.phase) throw new EvidenceUsageError("--phase <id> is required (P(-1), P0..P17), or use: evidence verify DIR|s3://...");
  const source = sourceOf(opts);
  const windowMinutes = opts.windowMinutes === undefined ? undefined : Number(opts.windowMinutes);
  if (windowMinutes !== undefined && (!Number.isInteger(windowMinutes) || windowMinutes <= 0))
    throw new EvidenceUsageError(`--window-minutes ${opts.windowMinutes}: expected a positive integer`);
  const result = await emitEvidence({
    phase: opts.phase,
    source,
    signer: signerOf(opts),
    env: opts.env,
    outRoot: opts.out,
    runId: opts.runId,
    executionId: opts.executionId,
    now: clockOf(opts.at),
    operator: opts.operator,
    gitSha: opts.gitSha,
    scenarioRunId: opts.scenarioRunId,
    configDigest: opts.configDigest,
    pins: pairs(opts.pin, "--pin", "NAME=VALUE"),
    artifacts: pairs(opts.artifact, "--artifact", "KEY=FILE, e.g. --artifact image_digest_manifest.json=out/digest.json"),
    spend: opts.spend !== undefined ? { amount: opts.spend, sources: opts.costSource } : undefined,
    spendFile: opts.spendFile,
    policyReportFile: opts.policyReport,
    costReportFile: opts.costReport,
    windowMinutes,
  });
  console.log(opts.json ? JSON.stringify(result.record, null, 2) : formatEvidenceSummary(result));
  let code = result.record.verdict === "PASS" ? 0 : 1;
  if (opts.upload) {
    const registry = loadRegistry().withPins({ ...environmentPins(opts.env), ...pairs(opts.pin, "--pin", "NAME=VALUE") });
    const client = new S3Client({ region: opts.region ?? registry.string("AWS_REGION") });
    try {
      const upload = await uploadBundle(result.dir, { client, registry, bucket: opts.bucket, kmsKeyId: opts.kmsKeyId });
      console.log(formatUpload(upload));
      if (!upload.ok) code = 1;
    } catch (e) {
      if (e instanceof UploadRefusedError) throw e;
      // The local bundle stands; nothing in the bucket was overwritten or deleted.
      console.error(`upload failed: ${(e as Error).message}`);
      code = 1;
    }
  }
  return code;
}

/** Registers `evidence` on the project's commander program. */
export function registerEvidenceCommand(program: Command): Command {
  const evidence = program
    .command("evidence")
    .description("evidence bundle for a phase from plan output or real stack outputs (exit 0 PASS, 1 FAIL, 2 usage)")
    .option("--phase <id>", "phase id: P(-1), P0..P17 (required)")
    .option("--from-plan <dir>", "read the offline plan's files (e.g. .substrate/plan/dev-full)")
    .option("--from-stacks", "read real stack outputs through the Pulumi Automation API")
    .option("--env <env>", "environment", DEFAULT_ENV)
    .option("--run-id <id>", "platform_run_id (default: the latest run holding the previous phase's bundle, else new)")
    .option("--out <dir>", "bundle root (default evidence/ at the repository root)")
    .option("--execution-id <id>", "phase_execution_id (default <plan>_<phase>_<UTC stamp>; an existing one is refused)")
    .option("--operator <name>", "operator identity (default $FRAUD_PLATFORM_OPERATOR or user@host)")
    .option("--at <utc>", "clock for the record, e.g. 2026-02-22T21:02:07Z (default now)")
    .option("--git-sha <sha>", "source revision (default: git rev-parse HEAD)")
    .option("--scenario-run-id <id>", "scenario_run_id (P1 onwards)")
    .option("--config-digest <sha256>", "config_digest of the run (default: digest of registry, ladder and pins)")
    .option("--pin <NAME=VALUE>", "pin a TO_PIN handle (repeatable)", collect, [])
    .option("--artifact <KEY=FILE>", "supplied evidence for the phase (repeatable)", collect, [])
    .option("--spend <usd>", "recorded spend of the phase window, USD decimal")
    .option("--cost-source <name>", "source of --spend, e.g. aws-cost-explorer (repeatable)", collect, [])
    .option("--spend-file <file>", "recorded spend as JSON {spend_amount, cost_sources[], window_start_utc?, window_end_utc?}")
    .option("--policy-report <file>", "policy report (policy-check --json) instead of the source's")
    .option("--cost-report <file>", "cost report instead of the source's")
    .option("--window-minutes <n>", "expected phase window for the envelope (default 60)")
    .option("--work-dir <dir>", "--from-stacks: directory holding Pulumi.yaml (default: repository root)")
    .option("--pulumi-root <dir>", "--from-stacks: Pulumi CLI installation root (default: pulumi on PATH)")
    .option("--upload", "upload the bundle to the evidence bucket (write-once, SSE-KMS)")
    .option("--bucket <name>", "--upload: bucket (default S3_EVIDENCE_BUCKET)")
    .option("--kms-key-id <id>", "--upload: KMS key (default KMS_KEY_ALIAS_PLATFORM)")
    .option("--region <region>", "--upload / KMS: region (default AWS_REGION)")
    .option("--signing-key <file>", "sign with this local P-256 PEM key (default: KMS for --from-stacks, .substrate/keys for --from-plan)")
    .option("--kms-signing-key <id>", "sign with this KMS key (default for --from-stacks: KMS_KEY_ALIAS_EVIDENCE_SIGNING)")
    .option("--json", "print the phase record instead of the summary")
    .action(async (opts: EvidenceOptions) => {
      // Bad input (UsageError and its subclasses) exits 2 in src/cli/exitCodes.ts.
      process.exitCode = await run(opts);
    });
  registerVerifyCommand(evidence);
  return evidence;
}

// ---------------------------------------------------------------------------------------------------------------
// evidence verify

interface VerifyCommandOptions {
  publicKey?: string;
  kmsKeyId?: string;
  region?: string;
  json?: boolean;
}

/** Seams for tests: the AWS clients verify uses. */
export interface VerifyDeps {
  s3?: S3Client;
  kms?: KMSClient;
  /** The local key that is trusted by default for locally signed bundles. */
  localKeyFile?: string;
  print?: (text: string) => void;
  printError?: (text: string) => void;
}

/** Key ids in the envelopes of the target's bundles, first bundle first. */
function envelopeKeyIds(dirs: readonly string[]): string[] {
  const ids: string[] = [];
  for (const dir of dirs) {
    try {
      const env = JSON.parse(fs.readFileSync(path.join(dir, "statement.dsse.json"), "utf8")) as { signatures?: Array<{ keyid?: unknown }> };
      for (const s of env.signatures ?? []) if (typeof s?.keyid === "string" && !ids.includes(s.keyid)) ids.push(s.keyid);
    } catch {
      // An unreadable envelope is reported by the bundle's own verification.
    }
  }
  return ids;
}

/**
 * The key signatures must verify under: `--public-key FILE`, `--kms-key-id ID` (GetPublicKey), else what the
 * envelope's key id names: a KMS key ARN (GetPublicKey, credentials needed) or a local key fingerprint, trusted
 * only when it is this machine's local key. The key embedded in a bundle is never the trust anchor.
 */
async function trustedKeyOf(
  opts: VerifyCommandOptions,
  dirs: readonly string[],
  deps: VerifyDeps,
  region: string,
): Promise<{ key: ReturnType<typeof parseP256PublicKey>; source: string }> {
  const kms = () => deps.kms ?? new KMSClient({ region });
  const fromKms = async (id: string, flag: string) => {
    try {
      return { key: parseP256PublicKey(await new KmsSigner(kms(), id).publicKeyPem(), id), source: `KMS GetPublicKey ${id}` };
    } catch (e) {
      throw new VerifyInputError(
        `${flag} ${id}: cannot read its public key (${(e as Error).message}); pass --public-key FILE (core output evidence_signing_public_key_pem)`,
      );
    }
  };
  if (opts.publicKey && opts.kmsKeyId) throw new VerifyInputError("--public-key and --kms-key-id are exclusive");
  if (opts.publicKey) {
    try {
      return { key: parseP256PublicKey(fs.readFileSync(opts.publicKey, "utf8"), `--public-key ${opts.publicKey}`), source: `--public-key ${opts.publicKey}` };
    } catch (e) {
      throw new VerifyInputError((e as Error).message);
    }
  }
  if (opts.kmsKeyId) return fromKms(opts.kmsKeyId, "--kms-key-id");
  const keyId = envelopeKeyIds(dirs)[0];
  if (keyId?.startsWith("arn:aws") && keyId.includes(":kms:")) return fromKms(keyId, "envelope keyid");
  const localFile = deps.localKeyFile ?? DEFAULT_LOCAL_KEY_FILE;
  if (fs.existsSync(localFile)) {
    const key = parseP256PublicKey(await LocalSigner.fromFile(localFile).publicKeyPem(), localFile);
    if (keyId === undefined || keyId === keyFingerprint(key)) return { key, source: `local key ${path.relative(process.cwd(), localFile) || localFile}` };
  }
  throw new VerifyInputError(`no trusted key for ${keyId ? `keyid ${keyId}` : "an unsigned bundle"}: pass --public-key FILE or --kms-key-id ID`);
}

/** The readable verification report. */
export function formatVerification(v: EvidenceVerification): string {
  const lines = [
    `verify ${v.target}: ${v.ok ? "OK" : "BROKEN"} (${v.links.length} bundle(s); trusted key ${v.trustedKey.fingerprint} from ${v.trustedKey.source})`,
  ];
  for (const l of v.links) {
    lines.push(`  ${l.ok ? "ok    " : "BROKEN"} ${l.bundle}${l.verdict ? ` (verdict ${l.verdict})` : ""}`);
    for (const p of l.problems) lines.push(`           ${p}`);
  }
  if (v.firstBroken) lines.push(`first broken link: ${v.firstBroken.bundle}: ${v.firstBroken.problem}`);
  return lines.join("\n");
}

/** Runs `evidence verify`; returns the exit code. */
export async function runVerify(target: string, opts: VerifyCommandOptions, deps: VerifyDeps = {}): Promise<number> {
  const print = deps.print ?? ((t: string) => console.log(t));
  const printError = deps.printError ?? ((t: string) => console.error(t));
  let locator: S3Locator | undefined;
  try {
    const registry = loadRegistry();
    const ladder = loadPhases(undefined, registry);
    const region = opts.region ?? registry.string("AWS_REGION");
    let dirs: string[];
    if (target.startsWith("s3://")) {
      const { bucket, prefix } = parseS3Uri(target);
      const root = runsRootPrefix(registry);
      locator = new S3Locator(deps.s3 ?? new S3Client({ region }), bucket, root);
      if ((await locator.fetchPrefix(prefix)) === 0) throw new VerifyInputError(`${target}: no evidence bundle objects under this prefix`);
      const local = path.join(locator.root, ...prefix.slice(root.length).split("/").filter(Boolean));
      dirs = fs.existsSync(local) ? bundlesUnder(local) : [];
    } else {
      if (!fs.existsSync(target) || !fs.statSync(target).isDirectory()) throw new VerifyInputError(`${target}: no such directory`);
      dirs = bundlesUnder(target);
    }
    if (!dirs.length) throw new VerifyInputError(`${target}: no evidence bundle (a directory with SHA256SUMS or phase_record.json) in it`);
    const trust = await trustedKeyOf(opts, dirs, deps, region);
    const result = await verifyBundles(target, dirs, { ladder, trustedKey: trust.key, trustSource: trust.source, ...(locator ? { locator } : {}) });
    print(opts.json ? JSON.stringify(result, null, 2) : formatVerification(result));
    return result.ok ? 0 : 1;
  } catch (e) {
    // One contract (src/cli/exitCodes.ts): bad input 2 with its message, anything else 3 with one line naming the
    // file that holds the stack trace.
    const code = exitCodeOf(e);
    printError(errorLine(e, ["evidence", "verify", target]) ?? `error: ${(e as Error).message}`);
    return code;
  } finally {
    locator?.dispose();
  }
}

/** `evidence verify`: a subcommand of `evidence` (created with `.command` so it inherits the program's settings). */
function registerVerifyCommand(evidence: Command): Command {
  return evidence
    .command("verify")
    .description(
      "verify a bundle, a run or s3://bucket/prefix: digests, signature, required fields, hash chain (exit 0 ok, 1 broken link, 2 bad input, 3 internal)",
    )
    .argument("<target>", "bundle or run directory (e.g. evidence/<run>/P0/<execution>), or s3://<bucket>/evidence/runs/<run>/...")
    .option("--public-key <file>", "trusted public key (PEM), e.g. core's evidence_signing_public_key_pem output")
    .option("--kms-key-id <id>", "trust the public key of this KMS key (GetPublicKey; needs credentials)")
    .option("--region <region>", "region of S3 / KMS (default AWS_REGION)")
    .option("--json", "print the verification as JSON")
    .action(async (target: string, opts: VerifyCommandOptions) => {
      process.exitCode = await runVerify(target, opts);
    });
}
