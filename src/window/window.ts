/**
 * Proof windows: `open` writes the phase's spend envelope, checks it
 * against the month-to-date spend and brings the phase's surfaces up; `close` takes every ephemeral surface down,
 * runs the idle-mode residual scan and writes the cost-to-outcome receipt from the window's actual spend; `guard`
 * (the scheduled idle guard) closes or reports a window past its deadline and writes the daily cost posture.
 *
 * Surfaces go up and down through one setting, `fraud-platform:window`, set on every layer stack with the
 * Automation API (`stack.setConfig` + `stack.up`): up in apply order on open, reverse order on close (what a later
 * layer watches goes first). The active window is recorded in the evidence bucket (where the idle guard reads it)
 * and its envelope and receipt are written under the run-control root of its phase_execution_id.
 */
import { costReportOfPriced } from "../cost/costReport";
import { Decimal } from "../cost/decimal";
import { phaseEnvelope } from "../cost/envelope";
import { readPreviewDocuments } from "../cost/files";
import { costInputsOf } from "../cost/inputs";
import { ModelDeps, priceResources } from "../cost/model";
import { CostOutcomeReceipt, PhaseEnvelope } from "../cost/report";
import { PhaseWindow, phaseWindowOf } from "../cost/windows";
import { InputError } from "../errors";
import { LAYER_SPECS, stackNameFor } from "../layers";
import { Registry } from "../registry/registry";
import { registryTags } from "../tags";
import { ResidualScanResult } from "../teardown/residualScan";
import { SpendReader } from "./spend";
import { SurfaceCatalog, WindowSetting } from "./surfaces";
import { assertCompletePlanDir } from "../plan/planDir";
import { shellCommand } from "../shell";
import { StackConfigFor, StackRunner, AURORA_FINAL_SNAPSHOT_KEY, auroraSnapshotConfig, StackApplyResult } from "./runner";
export { AURORA_FINAL_SNAPSHOT_KEY, AURORA_RESTORE_SNAPSHOT_KEY, auroraSnapshotConfig, automationRunner } from "./runner";
export type { StackConfigFor, StackRunner, StackApplyResult, AutomationRunnerOptions } from "./runner";

export const WINDOW_RECORD_VERSION = "1";

/** The active window, where `close` and the idle guard find it. */
export interface WindowRecord {
  version: typeof WINDOW_RECORD_VERSION;
  env: string;
  phase_id: string;
  phase_execution_id: string;
  platform_run_id: string;
  opened_utc: string;
  /** Past this instant the idle guard closes (enforce) or reports (observe) the window. */
  deadline_utc: string;
  hours: number;
  surfaces: string[];
  stacks: string[];
  max_spend_amount: string;
  envelope_ref: string;
  /** The final snapshot Aurora's close takes in this window (when the window brings Aurora up). */
  aurora_final_snapshot?: string;
}

/** Where the active window record and the window's evidence documents live. */
export interface WindowStore {
  get(): Promise<WindowRecord | undefined>;
  put(record: WindowRecord): Promise<void>;
  clear(): Promise<void>;
  /** Writes an evidence document; returns its reference (an s3:// URI or a path). */
  putEvidence(key: string, doc: unknown): Promise<string>;
}

const utc = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");
const stamp = (d: Date): string => utc(d).replace(/[-:]/g, "");

export interface WindowContext {
  env: string;
  /** Plan directory (`npm run plan` output): the resources the cost model prices. */
  planDir: string;
  deps: ModelDeps;
  catalog: SurfaceCatalog;
  registry: Registry;
  now: () => Date;
}

export interface WindowPlan {
  window: PhaseWindow;
  envelope: PhaseEnvelope;
  /** Every layer stack, in the order the operation updates them. */
  order: string[];
}

/** The phase's window priced from the plan files (no credentials): surfaces, stacks, burn, envelope. */
export function planWindow(
  ctx: WindowContext,
  phase: string,
  options: { hours?: number; phaseExecutionId: string; platformRunId: string; start: Date },
): WindowPlan {
  assertCompletePlanDir(ctx.planDir, { flag: "--from", previewsOnly: true });
  const docs = readPreviewDocuments(ctx.planDir);
  const priced = priceResources(docs.flatMap(costInputsOf), ctx.deps);
  const report = costReportOfPriced(priced, ctx.deps, ctx.env, []);
  const window = phaseWindowOf(phase, priced, ctx.deps, ctx.env, ctx.catalog, options.hours);
  if (!(window.hours > 0)) {
    throw new InputError(`no window hours for ${phase}`, [
      {
        file: ctx.deps.profile.source,
        key: `fraud-platform:cost.phaseWindowHours.${phase}`,
        expected: "hours > 0 (or --hours)",
        found: String(window.hours),
        fix: shellCommand(["npm", "run", "window", "--", "open", "--phase", phase, "--hours", "4"]),
      },
    ]);
  }
  const envelope = phaseEnvelope(
    report,
    {
      phaseId: phase,
      phaseExecutionId: options.phaseExecutionId,
      platformRunId: options.platformRunId,
      windowStartUtc: utc(options.start),
      durationMinutes: Math.round(window.hours * 60),
      expectedProofArtifacts: ctx.registry.string("PHASE_COST_OUTCOME_RECEIPT_PATH_PATTERN")
        ? [ctx.registry.string("PHASE_COST_OUTCOME_RECEIPT_PATH_PATTERN").replace("{phase_execution_id}", options.phaseExecutionId)]
        : [],
      configDigest: `window:${phase}:${window.surfaces.join(",")}`,
      writtenAtUtc: utc(ctx.now()),
      hourlyBurn: window.hourlyBurn,
    },
    ctx.registry,
  );
  return { window, envelope, order: LAYER_SPECS.map((s) => stackNameFor(ctx.env, s.layer)) };
}

export interface OpenOptions {
  phase: string;
  hours?: number;
  platformRunId?: string;
  phaseExecutionId?: string;
  dryRun?: boolean;
}

export interface OpenResult {
  exitCode: 0 | 1;
  plan: WindowPlan;
  /** Why the open was refused (exit 1), when it was. */
  refused?: string;
  monthToDate?: string;
  record?: WindowRecord;
  envelopeRef?: string;
  stacks: StackApplyResult[];
  /** The final snapshot this window's close takes of Aurora, when the window brings Aurora up. */
  auroraFinalSnapshot?: string;
}

export interface WindowServices {
  store: WindowStore;
  runner: StackRunner;
  spend: SpendReader;
  /** The idle-mode residual scan (src/teardown/residualScan.ts). */
  scan: () => Promise<ResidualScanResult>;
}

function key(pattern: string, phaseExecutionId: string): string {
  return pattern.replace("{phase_execution_id}", phaseExecutionId);
}

/** `window open`: envelope, spend check, envelope evidence, window record, surfaces up (apply order). */
export async function openWindow(ctx: WindowContext, o: OpenOptions, services?: WindowServices): Promise<OpenResult> {
  const started = ctx.now();
  const phaseExecutionId = o.phaseExecutionId ?? `window_${o.phase.replace(/[()]/g, "").replace("-", "m").toLowerCase()}_${stamp(started)}`;
  const plan = planWindow(ctx, o.phase, { hours: o.hours, phaseExecutionId, platformRunId: o.platformRunId ?? "N/A", start: started });
  const auroraFinalSnapshot = plan.window.surfaces.includes("aurora")
    ? auroraSnapshotConfig(ctx.registry.string("AURORA_CLUSTER_IDENTIFIER"), phaseExecutionId, undefined)[AURORA_FINAL_SNAPSHOT_KEY]
    : undefined;
  const aurora = auroraFinalSnapshot ? { auroraFinalSnapshot } : {};
  if (o.dryRun || !services) return { exitCode: 0, plan, stacks: [], ...aurora };

  const existing = await services.store.get();
  if (existing)
    return {
      exitCode: 1,
      plan,
      stacks: [],
      refused: `window ${existing.phase_id} (${existing.phase_execution_id}) is open since ${existing.opened_utc}: close it first (npm run window -- close)`,
    };

  const budget = ctx.deps.profile.budget;
  const mtd = await services.spend.monthToDate(started);
  if (mtd.currency !== budget.currency)
    throw new InputError("spend in another currency", [{ file: mtd.source, key: "currency", expected: budget.currency, found: mtd.currency }]);
  const alert3 = budget.alertsUsd[budget.alertsUsd.length - 1];
  const envelope = Decimal.of(plan.envelope.max_spend_amount);
  const refuse = (why: string): OpenResult => ({ exitCode: 1, plan, stacks: [], refused: why, monthToDate: mtd.amount.toFixed(2) });
  if (mtd.amount.gte(alert3)) {
    return refuse(
      `month-to-date spend ${mtd.amount.toFixed(2)} ${mtd.currency} has reached alert 3 (${alert3.toFixed(2)}, DEV_FULL_BUDGET_ALERT_3_USD): no phase advances until remediation is approved (${ctx.registry.string("DFULL_SFN_B5")})`,
    );
  }
  if (mtd.amount.plus(envelope).gt(budget.limitUsd)) {
    return refuse(
      `month-to-date spend ${mtd.amount.toFixed(2)} + envelope ${envelope.toFixed(2)} = ${mtd.amount.plus(envelope).toFixed(2)} ${mtd.currency} exceeds the monthly budget ${budget.limitUsd.toFixed(2)}`,
    );
  }

  const envelopeRef = await services.store.putEvidence(key(ctx.registry.string("PHASE_BUDGET_ENVELOPE_PATH_PATTERN"), phaseExecutionId), plan.envelope);
  const deadline = new Date(started.getTime() + Math.round(plan.window.hours * 60) * 60_000);
  const record: WindowRecord = {
    version: WINDOW_RECORD_VERSION,
    env: ctx.env,
    phase_id: o.phase,
    phase_execution_id: phaseExecutionId,
    platform_run_id: o.platformRunId ?? "N/A",
    opened_utc: utc(started),
    deadline_utc: utc(deadline),
    hours: plan.window.hours,
    surfaces: plan.window.surfaces,
    stacks: plan.order,
    max_spend_amount: plan.envelope.max_spend_amount,
    envelope_ref: envelopeRef,
  };
  const runtimeStack = stackNameFor(ctx.env, "runtime");
  let auroraConfig: StackConfigFor | undefined;
  if (auroraFinalSnapshot) {
    record.aurora_final_snapshot = auroraFinalSnapshot;
    auroraConfig = async (current) =>
      auroraSnapshotConfig(ctx.registry.string("AURORA_CLUSTER_IDENTIFIER"), phaseExecutionId, await current(AURORA_FINAL_SNAPSHOT_KEY));
  }
  // Recorded before anything is brought up: a failed open still leaves a window the guard can close.
  await services.store.put(record);
  const stacks: StackApplyResult[] = [];
  for (const stackName of plan.order) {
    const r = await services.runner.apply(stackName, o.phase as WindowSetting, stackName === runtimeStack ? auroraConfig : undefined);
    stacks.push(r);
    if (r.status !== "updated") break;
  }
  const ok = stacks.length === plan.order.length && stacks.every((s) => s.status === "updated");
  return { exitCode: ok ? 0 : 1, plan, monthToDate: mtd.amount.toFixed(2), record, envelopeRef, stacks, ...aurora };
}

export interface CloseOptions {
  dryRun?: boolean;
  /** For a dry run without an open window: the phase whose surfaces would go down. */
  phase?: string;
  artifacts?: string[];
  decision?: string;
  /** Who closes: the operator, or the idle guard (TTL). */
  closedBy?: string;
}

export interface CloseResult {
  exitCode: 0 | 1;
  record?: WindowRecord;
  /** Ephemeral surfaces that go down, and how. */
  down: Array<{ surface: string; down: string }>;
  order: string[];
  stacks: StackApplyResult[];
  scan?: ResidualScanResult;
  receipt?: CostOutcomeReceipt;
  receiptRef?: string;
  problems: string[];
}

/** `window close`: every ephemeral surface down (reverse apply order), idle scan, receipt from the actual spend. */
export async function closeWindow(ctx: WindowContext, o: CloseOptions, services?: WindowServices): Promise<CloseResult> {
  const order = [...LAYER_SPECS].reverse().map((s) => stackNameFor(ctx.env, s.layer));
  const down = ctx.catalog.ephemeral().map((s) => ({ surface: s.id, down: s.down }));
  if (o.dryRun || !services) {
    const record = services ? await services.store.get() : undefined;
    return { exitCode: 0, ...(record ? { record } : {}), down, order, stacks: [], problems: [] };
  }
  const record = await services.store.get();
  if (!record)
    return {
      exitCode: 1,
      down,
      order,
      stacks: [],
      problems: [
        "no open window (nothing recorded): npm run window -- open --phase P<n> first, or bring the stacks to closed with pulumi config set fraud-platform:window closed",
      ],
    };

  const problems: string[] = [];
  const stacks: StackApplyResult[] = [];
  for (const stackName of order) {
    const r = await services.runner.apply(stackName, "closed");
    stacks.push(r);
    if (r.status === "failed") problems.push(`${stackName}: ${r.message ?? "update failed"}`);
  }
  const scan = await services.scan();
  if (!scan.scan_complete) problems.push(`the idle residual scan is incomplete (a failed call never passes): ${scan.errors.join("; ")}`);
  if (scan.residual_item_count > 0)
    problems.push(`${scan.residual_item_count} residual item(s) still run: ${scan.residual_items.map((r) => r.arn).join(", ")}`);
  // A persistent core billing at idle (MSK, EKS, Aurora, Redis, NAT) is exactly what a closed window must not leave.
  if (scan.idle_cost_items.length > 0)
    problems.push(`${scan.idle_cost_items.length} surface(s) still bill at idle after the close: ${scan.idle_cost_items.map((r) => r.arn).join(", ")}`);

  const closed = ctx.now();
  const tags = scopeTags(ctx.registry);
  const spend = await services.spend.window(new Date(record.opened_utc), closed, tags);
  const withinEnvelope = spend.amount.lte(Decimal.of(record.max_spend_amount));
  if (!withinEnvelope) problems.push(`window spend ${spend.amount.toFixed(2)} ${spend.currency} exceeds the envelope ${record.max_spend_amount}`);
  const artifacts = o.artifacts ?? [];
  const outcome = artifacts.length > 0 && Boolean(o.decision?.trim());
  if (!outcome) problems.push("no proof artifact or decision recorded: spend without outcome blocks advancement (PHASE_COST_HARD_STOP_ON_MISSING_OUTCOME)");
  const receipt: CostOutcomeReceipt = {
    phase_id: record.phase_id,
    phase_execution_id: record.phase_execution_id,
    window_start_utc: record.opened_utc,
    window_end_utc: utc(closed),
    spend_amount: spend.amount.toFixed(2),
    spend_currency: "USD",
    artifacts_emitted: artifacts,
    decision_or_risk_retired: o.decision?.trim() || `none recorded${o.closedBy ? ` (closed by ${o.closedBy})` : ""}`,
    cost_within_envelope: withinEnvelope,
    phase_outcome_pass: outcome && problems.length === 0,
    envelope_ref: record.envelope_ref,
    cost_sources: [spend.source],
  };
  if (spend.currency !== "USD") problems.push(`window spend is in ${spend.currency}, not USD`);
  const receiptRef = await services.store.putEvidence(key(ctx.registry.string("PHASE_COST_OUTCOME_RECEIPT_PATH_PATTERN"), record.phase_execution_id), receipt);
  const allDown = stacks.every((s) => s.status !== "failed");
  // The record goes only when everything is down: otherwise the guard keeps seeing the window and closes it again.
  if (allDown && scan.scan_complete && scan.residual_item_count === 0 && scan.idle_cost_items.length === 0) await services.store.clear();
  return { exitCode: problems.length === 0 ? 0 : 1, record, down, order, stacks, scan, receipt, receiptRef, problems };
}

export interface GuardResult {
  exitCode: 0 | 1;
  state: "none" | "open" | "expired-closed" | "expired-reported";
  record?: WindowRecord;
  close?: CloseResult;
  postureRef?: string;
  message: string;
}

/**
 * The idle guard's TTL check: no window, nothing to do; an open window within its deadline gets its daily cost
 * posture written; past its deadline it is closed (`enforce`) or reported with exit 1 (`observe`).
 */
export async function guardWindow(ctx: WindowContext, mode: "observe" | "enforce", services: WindowServices): Promise<GuardResult> {
  const record = await services.store.get();
  if (!record) return { exitCode: 0, state: "none", message: "no proof window is open" };
  const now = ctx.now();
  if (now.getTime() <= Date.parse(record.deadline_utc)) {
    const mtd = await services.spend.monthToDate(now);
    const tags = scopeTags(ctx.registry);
    const inWindow = await services.spend.window(new Date(record.opened_utc), now, tags);
    const posture = {
      phase_id: record.phase_id,
      phase_execution_id: record.phase_execution_id,
      platform_run_id: record.platform_run_id,
      written_at_utc: utc(now),
      window_start_utc: record.opened_utc,
      window_deadline_utc: record.deadline_utc,
      month_to_date_spend: mtd.amount.toFixed(2),
      window_spend_so_far: inWindow.amount.toFixed(2),
      max_spend_amount: record.max_spend_amount,
      spend_currency: "USD",
      monthly_limit_usd: ctx.deps.profile.budget.limitUsd.toNumber(),
      alert_thresholds_usd: ctx.deps.profile.budget.alertsUsd.map((a) => a.toNumber()),
      cost_capture_scope: ctx.deps.profile.budget.costCaptureScope,
      cost_sources: [mtd.source, inWindow.source],
    };
    const postureRef = await services.store.putEvidence(key(ctx.registry.string("DAILY_COST_POSTURE_PATH_PATTERN"), record.phase_execution_id), posture);
    return {
      exitCode: 0,
      state: "open",
      record,
      postureRef,
      message: `window ${record.phase_id} open until ${record.deadline_utc}; daily cost posture written`,
    };
  }
  if (mode === "observe") {
    return {
      exitCode: 1,
      state: "expired-reported",
      record,
      message: `window ${record.phase_id} (${record.phase_execution_id}) passed its deadline ${record.deadline_utc}: close it (npm run window -- close) or let the enforcing guard do it`,
    };
  }
  const close = await closeWindow(ctx, { closedBy: "the idle guard (window past its deadline)", decision: "" }, services);
  return {
    exitCode: 1,
    state: "expired-closed",
    record,
    close,
    message: `window ${record.phase_id} passed its deadline ${record.deadline_utc}: closed by the idle guard${close.exitCode === 0 ? "" : ` (${close.problems.join("; ")})`}`,
  };
}

/** The mandatory scope tags (project, env) every window resource carries: the Cost Explorer filter of a window. */
export function scopeTags(registry: Registry): Record<string, string> {
  const all = registryTags(registry);
  const keys = [registry.string("TAG_PROJECT_KEY"), registry.string("TAG_ENV_KEY")];
  return Object.fromEntries(keys.map((k) => [k, all[k]]));
}
