/**
 * `npm run evidence -- --phase P# (--from-plan DIR | --from-stacks) [--run-id ID] [--out DIR] [--upload]`: evaluates
 * one phase of the ladder fail-closed and writes its evidence bundle. Exit 0 PASS, 1 FAIL (or a failed upload),
 * 2 usage (bad options, unreadable source, an existing bundle).
 */
import * as path from "path";
import { S3Client } from "@aws-sdk/client-s3";
import { Command } from "commander";
import { InputError } from "../errors";
import { DEFAULT_ENV } from "../layers";
import { loadRegistry } from "../registry/registry";
import { BundleExistsError } from "../evidence/bundle";
import { EmitResult, EvidenceUsageError, emitEvidence, environmentPins } from "../evidence/emit";
import { OutputsSource, PlanDirSource, PulumiStackSource, SourceError } from "../evidence/sources";
import { UploadRefusedError, UploadResult, uploadBundle } from "../evidence/upload";
import { table } from "./format";
import { collect, keyValuePairs } from "./options";

interface EvidenceOptions {
  phase: string;
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
    const fixes = [...new Set(r.blockers.filter((b) => b.kind !== "handle_to_pin").map((b) => b.fix).filter((f): f is string => Boolean(f)))];
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
  lines.push(`bundle: ${rel}/ (${result.files.length} files); next gate: ${r.next_gate}`, `verify: (cd ${rel} && sha256sum -c SHA256SUMS)`);
  return lines.join("\n");
}

function formatUpload(result: UploadResult): string {
  const counts = new Map<string, number>();
  for (const o of result.objects) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
  const lines = [`upload to s3://${result.bucket}: ${[...counts].map(([k, v]) => `${v} ${k}`).join(", ")}`];
  for (const o of result.objects.filter((x) => x.detail)) lines.push(`  ${o.status}: ${o.detail}`);
  return lines.join("\n");
}

async function run(opts: EvidenceOptions): Promise<number> {
  const source = sourceOf(opts);
  const windowMinutes = opts.windowMinutes === undefined ? undefined : Number(opts.windowMinutes);
  if (windowMinutes !== undefined && (!Number.isInteger(windowMinutes) || windowMinutes <= 0)) throw new EvidenceUsageError(`--window-minutes ${opts.windowMinutes}: expected a positive integer`);
  const result = await emitEvidence({
    phase: opts.phase,
    source,
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
  return program
    .command("evidence")
    .description("evidence bundle for a phase from plan output or real stack outputs (exit 0 PASS, 1 FAIL, 2 usage)")
    .requiredOption("--phase <id>", "phase id: P(-1), P0..P17")
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
    .option("--region <region>", "--upload: region (default AWS_REGION)")
    .option("--json", "print the phase record instead of the summary")
    .action(async (opts: EvidenceOptions) => {
      try {
        process.exitCode = await run(opts);
      } catch (e) {
        if (e instanceof EvidenceUsageError || e instanceof SourceError || e instanceof BundleExistsError || e instanceof InputError || e instanceof UploadRefusedError) {
          console.error(`error: ${e.message}`);
          process.exitCode = 2;
          return;
        }
        throw e;
      }
    });
}
