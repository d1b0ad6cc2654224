/**
 * The evidence emitter (`npm run evidence`): evaluates one phase of the ladder against stack outputs (offline plan
 * or real stacks), fail-closed, and writes its evidence bundle
 * `<out>/<platform_run_id>/<phase_id>/<phase_execution_id>/` with the phase record (`record.ts`), the handle
 * materialisation snapshot, stack outputs (secrets redacted), the policy and cost reports, the cost pair (budget
 * envelope and cost-to-outcome receipt), manifest, SHA256SUMS, an in-toto statement and its DSSE envelope signed
 * by the evidence signing key. The record's `chain` names the sha256 of the previous phase's statement in the same
 * run, so the ladder is a hash chain. Deterministic: with the same inputs, clock, operator and execution id every
 * file but the signature envelope has the same bytes (ECDSA signatures are randomized).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readYamlFile } from "../yamlFile";
import { PROJECT_NAMESPACE } from "../config/settings";
import { stackNameFor } from "../layers";
import { PROJECT_ROOT, Registry, loadRegistry } from "../registry/registry";
import { BundleFile, RECORD_FILE, writeBundle } from "./bundle";
import { EvidenceSigner, defaultSigner, parseP256PublicKey } from "./signing";
import { CommonFields, EmittedReceipt, EnvelopeModel, buildEnvelope, buildReceipt, hardStopConditions, overEnvelope } from "./costPair";
import { canonicalJson, digestOf, sha256Hex, utcSeconds } from "./digest";
import { Blocker, Verdict, evaluateEntryGate, evaluateHandles, evaluatePolicy, evaluateRequiredEvidence, stackNamesOf } from "./gates";
import { KeyContext, bundleObjectKey, evidenceBucket, runControlKey, s3Uri } from "./keys";
import { PhaseLadder, loadPhases } from "./phases";
import { readSpend, readSupplied, withReportOverrides } from "./emitInputs";
import { PhaseRecord, chainLinkOf, decision, summaryOf } from "./record";
import { resolveExecutionId, resolveRunId } from "./runIds";
import { EvidenceUsageError } from "./usageError";
import { OutputsSource } from "./sources";

export { EvidenceUsageError } from "./usageError";
export { RUN_ID_PATTERN, laneOf, resolveRunId } from "./runIds";
export type { ChainLink, PhaseRecord } from "./record";

export const DEFAULT_OUT_ROOT = path.join(PROJECT_ROOT, "evidence");
const DEFAULT_WINDOW_MINUTES = 60;

export interface EmitOptions {
  /** Phase id, e.g. `P0` or `P(-1)`. */
  phase: string;
  source: OutputsSource;
  /** Environment slug of stack names (default dev-full). */
  env?: string;
  /** Root of local bundles (default `evidence/` at the repository root). */
  outRoot?: string;
  /** platform_run_id; default: the latest run holding the previous phase's bundle, else a new id. */
  runId?: string;
  /** Injected for determinism; default `<plan>_<phase>_<UTC stamp>`, suffixed on collision. */
  executionId?: string;
  /** Clock (injected for determinism). */
  now?: Date;
  operator?: string;
  gitSha?: string;
  scenarioRunId?: string;
  configDigest?: string;
  /** Pins for TO_PIN handles, over the environment's `fraud-platform:pins`. */
  pins?: Record<string, string>;
  /** Supplied evidence: key (registry pattern handle or evidence file name of the phase) -> file. */
  artifacts?: Record<string, string>;
  /** Recorded spend of the window (USD decimal) and its sources. */
  spend?: { amount: string; sources?: string[] };
  spendFile?: string;
  policyReportFile?: string;
  costReportFile?: string;
  windowMinutes?: number;
  windowStartUtc?: string;
  /** The cost model's envelope function, when wired. */
  envelopeModel?: EnvelopeModel;
  registry?: Registry;
  ladder?: PhaseLadder;
  projectDir?: string;
  /**
   * Signs the statement. Default: the core stack's KMS key (KMS_KEY_ALIAS_EVIDENCE_SIGNING) for real stacks, the
   * local key `.substrate/keys/evidence-signing-key.pem` for an offline plan.
   */
  signer?: EvidenceSigner;
}

export interface EmitResult {
  dir: string;
  runId: string;
  /** How the run id was chosen (given, reused, new). */
  runIdChoice: string;
  executionId: string;
  record: PhaseRecord;
  files: string[];
  /** Summary of the handle snapshot. */
  handles: { required: number; satisfied: number };
}

/** Non-secret pins of the environment's shared file (`fraud-platform:pins` in `Pulumi.<env>.yaml`). */
export function environmentPins(env: string, projectDir = PROJECT_ROOT): Record<string, string> {
  const file = path.join(projectDir, `Pulumi.${env}.yaml`);
  if (!fs.existsSync(file)) return {};
  const doc = (readYamlFile(file, path.basename(file), "environment settings file") ?? {}) as { config?: Record<string, unknown> };
  const pins = doc.config?.[`${PROJECT_NAMESPACE}:pins`];
  if (!pins || typeof pins !== "object" || Array.isArray(pins)) return {};
  return Object.fromEntries(Object.entries(pins as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string"));
}

function gitHead(projectDir: string): string | undefined {
  try {
    return (
      execFileSync("git", ["rev-parse", "HEAD"], { cwd: projectDir, stdio: ["ignore", "pipe", "ignore"] })
        .toString()
        .trim() || undefined
    );
  } catch {
    return undefined;
  }
}

function defaultOperator(): string {
  const fromEnv = process.env.FRAUD_PLATFORM_OPERATOR;
  if (fromEnv) return fromEnv;
  return `${os.userInfo().username}@${os.hostname()}`;
}

/** Evaluates a phase and writes its bundle. Throws {@link EvidenceUsageError} on bad input; a FAIL is a result. */
export async function emitEvidence(options: EmitOptions): Promise<EmitResult> {
  const env = options.env ?? "dev-full";
  const projectDir = options.projectDir ?? PROJECT_ROOT;
  const base = options.registry ?? loadRegistry();
  let registry: Registry;
  try {
    registry = base.withPins({ ...environmentPins(env, projectDir), ...(options.pins ?? {}) });
  } catch (e) {
    throw new EvidenceUsageError((e as Error).message);
  }
  const ladder = options.ladder ?? loadPhases(undefined, base);
  if (!ladder.has(options.phase)) throw new EvidenceUsageError(`--phase ${options.phase}: expected one of ${ladder.ids.join(", ")}`);
  const phase = ladder.phase(options.phase);
  const now = options.now ?? new Date();
  const at = utcSeconds(now);
  const outRoot = path.resolve(options.outRoot ?? DEFAULT_OUT_ROOT);
  const { runId, choice } = resolveRunId(outRoot, phase, now, options.runId);
  const executionId = resolveExecutionId(outRoot, runId, phase, now, options.executionId);
  const bundleDir = path.join(outRoot, runId, phase.id, executionId);
  if (fs.existsSync(bundleDir))
    throw new EvidenceUsageError(
      `${path.relative(process.cwd(), bundleDir)} already exists; evidence is never overwritten (omit --execution-id for a new one)`,
    );
  const operator = options.operator ?? defaultOperator();
  const gitSha = options.gitSha ?? gitHead(projectDir);
  const scenarioRunId = options.scenarioRunId ?? "N/A";
  const supplied = readSupplied(ladder, phase, options.artifacts ?? {});

  const layers = ladder.neededLayers(phase.id);
  const snapshot = withReportOverrides(await options.source.read(env, layers), options);
  const spend = readSpend(options, snapshot);

  const configDigest =
    options.configDigest ??
    digestOf({
      env,
      registry_sha256: sha256Hex(fs.readFileSync(base.source)),
      phases_sha256: sha256Hex(fs.readFileSync(ladder.source)),
      pins: Object.fromEntries(Object.entries(registry.pins).map(([k, v]) => [k, sha256Hex(v)])),
    });
  const common: CommonFields = {
    platform_run_id: runId,
    scenario_run_id: scenarioRunId,
    phase_id: phase.id,
    phase_execution_id: executionId,
    config_digest: configDigest,
    written_at_utc: at,
  };
  const ctx: KeyContext = { platform_run_id: runId, phase_id: phase.id, phase_execution_id: executionId };
  const bucket = evidenceBucket(registry);
  const uriOf = (file: string): string => s3Uri(bucket, bundleObjectKey(registry, ctx, file));

  // --- signer -------------------------------------------------------------------------------------------------
  // No bundle without a usable signing key: an unreadable key (no KMS credentials, a bad PEM) is a usage error.
  let signer: EvidenceSigner;
  let trustedKey: ReturnType<typeof parseP256PublicKey>;
  try {
    signer =
      options.signer ?? defaultSigner(snapshot.kind, { alias: registry.string("KMS_KEY_ALIAS_EVIDENCE_SIGNING"), region: registry.string("AWS_REGION") });
    trustedKey = parseP256PublicKey(await signer.publicKeyPem(), "evidence signing key");
  } catch (e) {
    throw new EvidenceUsageError(`evidence signing key: ${(e as Error).message} (pass --signing-key FILE or --kms-signing-key ID)`);
  }

  // --- gates --------------------------------------------------------------------------------------------------
  const inputs = { git_sha: gitSha, scenario_run_id: options.scenarioRunId };
  const entry = evaluateEntryGate({ ladder, registry, phase, outRoot, runId, inputs, trustedKey });
  const chain = chainLinkOf(ladder.previous(phase.id), entry.previous);
  const handles = evaluateHandles(ladder, registry, phase, snapshot);
  const stackNames = stackNamesOf(snapshot, layers);
  const policy = evaluatePolicy(ladder, phase, snapshot, stackNames);
  const evidence = evaluateRequiredEvidence(ladder, registry, phase, supplied, inputs);

  // --- content files ------------------------------------------------------------------------------------------
  const files: BundleFile[] = [];
  const json = (p: string, value: unknown): void => void files.push({ path: p, content: canonicalJson(value) });
  json("handle_materialization.json", {
    ...common,
    source: snapshot.kind,
    stacks: snapshot.stacks.map((s) => ({
      stack: s.stackName,
      layer: s.layer,
      available: s.outputs !== undefined,
      ...(s.problem ? { problem: s.problem } : {}),
    })),
    handles: handles.states,
    summary: summaryOf(handles.states),
  });
  for (const s of snapshot.stacks) {
    if (s.outputs) json(`stack_outputs/${s.stackName}.json`, { ...common, stack: s.stackName, layer: s.layer, source: snapshot.kind, outputs: s.outputs });
  }
  if (snapshot.policyReport) json("policy_report.json", snapshot.policyReport.document);
  if (snapshot.costReport) json("cost_report.json", snapshot.costReport.document);
  for (const s of supplied.values()) files.push({ path: s.bundlePath, content: s.content });

  // --- cost pair ----------------------------------------------------------------------------------------------
  const windowStart = options.windowStartUtc ?? spend?.windowStartUtc ?? at;
  const windowEnd = spend?.windowEndUtc ?? at;
  const envelopePath = "phase_budget_envelope.json";
  const receiptPath = "phase_cost_outcome_receipt.json";
  const expectedArtifacts = [
    RECORD_FILE,
    "handle_materialization.json",
    ...layers.map((l) => `stack_outputs/${stackNameFor(env, l)}.json`),
    ...(phase.requires_policy_report ? ["policy_report.json"] : []),
    envelopePath,
    receiptPath,
    ...phase.evidence.required.map((r) => supplied.get(r.key)?.bundlePath ?? `supplied/${r.key}`),
  ];
  const envelope = buildEnvelope({
    registry,
    phaseId: phase.id,
    phaseExecutionId: executionId,
    platformRunId: runId,
    scenarioRunId,
    windowStartUtc: windowStart,
    durationMinutes: options.windowMinutes ?? DEFAULT_WINDOW_MINUTES,
    hardStopConditions: hardStopConditions(registry, phase),
    expectedProofArtifacts: expectedArtifacts,
    writtenAtUtc: at,
    configDigest,
    costReport: snapshot.costReport?.document,
    model: options.envelopeModel,
  });
  json(envelopePath, envelope);

  const costBlockers: Blocker[] = [];
  if (!spend) {
    costBlockers.push({
      code: ladder.gateCodes.cost_guardrail,
      kind: "cost_receipt_missing",
      message: "no recorded spend for this phase window, so no cost-to-outcome receipt can close it (G-09)",
      fix: "pass --spend <USD> [--cost-source NAME] or --spend-file FILE",
    });
  } else if (overEnvelope(spend, envelope)) {
    costBlockers.push({
      code: ladder.gateCodes.cost_guardrail,
      kind: "cost_over_envelope",
      message: `recorded spend ${spend.amount} USD exceeds the envelope's ${envelope.max_spend_amount} USD (${envelope.envelope_basis})`,
    });
  }

  // No PASS without every artifact: anything expected and absent is a blocker (the receipt follows from spend).
  const present = new Set([...files.map((f) => f.path), RECORD_FILE, ...(spend ? [receiptPath] : [])]);
  const absent = expectedArtifacts.filter((a) => !present.has(a));
  const dodBlockers = [...handles.blockers, ...policy.blockers, ...evidence.blockers, ...costBlockers];
  if (absent.length && !dodBlockers.length) {
    dodBlockers.push({ code: ladder.gateCodes.evidence_missing, kind: "evidence_missing", message: `artifacts missing at closure: ${absent.join(", ")}` });
  }

  // --- verdict ------------------------------------------------------------------------------------------------
  const blockers = [...entry.blockers, ...dodBlockers];
  const verdict: Verdict = blockers.length ? "FAIL" : "PASS";

  const envelopeUri = s3Uri(bucket, runControlKey(registry, ladder.file.every_phase_evidence.envelope, ctx));
  const receiptUri = s3Uri(bucket, runControlKey(registry, ladder.file.every_phase_evidence.receipt, ctx));
  let receipt: EmittedReceipt | undefined;
  if (spend) {
    receipt = buildReceipt({
      common,
      envelope,
      envelopeRef: envelopeUri,
      spend,
      windowStartUtc: windowStart,
      windowEndUtc: windowEnd,
      artifactsEmitted: [...files.map((f) => f.path), RECORD_FILE],
      outcomePass: verdict === "PASS",
      decisionOrRiskRetired: decision(phase, verdict, blockers),
    });
    json(receiptPath, receipt);
  }

  const next = ladder.next(phase.id);
  const record: PhaseRecord = {
    record_version: "1",
    ...common,
    phase_name: phase.name,
    plan_phase: phase.plan,
    owner: phase.owner,
    env,
    authority_refs: phase.authority_refs.map((r) => {
      const abbrev = r.split(" ")[0];
      const doc = ladder.file.authorities[abbrev];
      return doc ? `${r}: ${doc}` : r;
    }),
    source: { kind: snapshot.kind, description: snapshot.description, inputs: snapshot.inputs, git_sha: gitSha ?? "N/A" },
    entry_gate: { result: entry.blockers.length ? "FAIL" : "PASS", description: phase.entry_gate.description, checks: entry.checks, previous: entry.previous },
    dod: {
      result: dodBlockers.length ? "FAIL" : "PASS",
      pass_checks: phase.pass_checks,
      checks: [
        ...handles.checks,
        ...policy.checks,
        ...evidence.checks,
        { id: "dod.cost", description: "cost-to-outcome receipt recorded and spend within the envelope (G-09)", result: costBlockers.length ? "FAIL" : "PASS" },
      ],
    },
    evidence_required: evidence.required,
    application_evidence_required: evidence.blockers.filter((b) => b.kind === "application_evidence_required").map((b) => b.evidence as string),
    artifacts: files.map((f) => ({ path: f.path, sha256: sha256Hex(f.content), s3_uri: uriOf(f.path) })).sort((a, b) => (a.path < b.path ? -1 : 1)),
    rollback_note: phase.rollback,
    verdict,
    blocker_count: blockers.length,
    blockers,
    next_gate: verdict === "PASS" ? (next ? `${next.id}_READY` : "DEV_FULL_TRACK_COMPLETE") : "BLOCKED",
    cost: {
      envelope: { bundle_path: envelopePath, s3_uri: envelopeUri, basis: envelope.envelope_basis, max_spend_amount: envelope.max_spend_amount },
      receipt: receipt
        ? { bundle_path: receiptPath, s3_uri: receiptUri, spend_amount: receipt.spend_amount, cost_within_envelope: receipt.cost_within_envelope ?? false }
        : null,
    },
    operator,
    chain,
  };
  json(RECORD_FILE, record);

  const dir = await writeBundle({
    dir: bundleDir,
    files,
    manifest: { phase_id: phase.id, platform_run_id: runId, phase_execution_id: executionId, written_at_utc: at },
    predicate: record,
    secrets: snapshot.secretValues,
    signer,
  });
  return {
    dir,
    runId,
    runIdChoice: choice,
    executionId,
    record,
    files: [...files.map((f) => f.path), "manifest.json", "statement.intoto.json", "SHA256SUMS", "statement.dsse.json", "signing_key.pub.pem"].sort(),
    handles: { required: handles.states.length, satisfied: handles.states.filter((s) => s.satisfied).length },
  };
}
