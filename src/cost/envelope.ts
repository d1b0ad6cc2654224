/**
 * Phase spend envelope (DA-95), written before a phase starts: the ceiling is the environment's
 * proof-window burn (USD per hour with every surface at window capacity, from the cost report) times the
 * window's hours, rounded up to cents, plus the usage profile's safety margin (also rounded up to cents).
 * Budget figures come from the report (which took them from the registry); hard stops include alert 3.
 */
import { InputError, InputProblem } from "../errors";
import { Registry, loadRegistry } from "../registry/registry";
import { Decimal } from "./decimal";
import { CostReport, PhaseEnvelope } from "./report";

export interface PhaseEnvelopeOptions {
  phaseId: string;
  phaseExecutionId: string;
  /** `platform_<YYYYMMDDTHHMMSSZ>[_NN]`, or `N/A` before P1. */
  platformRunId: string;
  /** Expected window start, UTC ISO-8601 (`...Z`). */
  windowStartUtc: string;
  /** Expected window length, whole minutes > 0. */
  durationMinutes: number;
  expectedProofArtifacts: string[];
  configDigest: string;
  writtenAtUtc: string;
  /** Overrides the report profile's `phaseEnvelope.safetyMarginPercent`. */
  safetyMarginPercent?: number;
  /**
   * USD/h of this window (a phase window's burn: persistent surfaces plus the surfaces it brings up, src/cost/windows.ts);
   * default the report's proof-window burn (every surface up).
   */
  hourlyBurn?: string;
}

const PHASE_ID = /^P(\(-1\)|[0-9]|1[0-7])$/;
const PLATFORM_RUN_ID = /^platform_[0-9]{8}T[0-9]{6}Z(_[0-9]{2})?$/;
const UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function validate(o: PhaseEnvelopeOptions, margin: number | undefined): InputProblem[] {
  const problems: InputProblem[] = [];
  const bad = (key: string, expected: string, found: unknown) => problems.push({ file: "phase envelope", key, expected, found: JSON.stringify(found) });
  if (!PHASE_ID.test(o.phaseId)) bad("phase_id", "a phase id P(-1), P0 .. P17", o.phaseId);
  if (!o.phaseExecutionId.trim()) bad("phase_execution_id", "a non-empty id such as m2b_20260222T210207Z", o.phaseExecutionId);
  if (o.platformRunId !== "N/A" && !PLATFORM_RUN_ID.test(o.platformRunId))
    bad("platform_run_id", "platform_<YYYYMMDDTHHMMSSZ>[_NN] (or N/A before P1)", o.platformRunId);
  for (const [key, value] of [
    ["expected_window_start_utc", o.windowStartUtc],
    ["written_at_utc", o.writtenAtUtc],
  ] as const) {
    if (!UTC.test(value) || Number.isNaN(Date.parse(value))) bad(key, "a UTC timestamp like 2026-03-02T10:00:00Z", value);
  }
  if (!Number.isInteger(o.durationMinutes) || o.durationMinutes <= 0) bad("expected_duration_minutes", "a whole number of minutes > 0", o.durationMinutes);
  if (o.expectedProofArtifacts.length === 0)
    bad("expected_proof_artifacts", "at least one artifact (spend without outcome is blocked)", o.expectedProofArtifacts);
  if (!o.configDigest.trim()) bad("config_digest", "the run's config digest", o.configDigest);
  if (margin === undefined || !Number.isFinite(margin) || margin < 0 || margin > 100)
    bad("safety margin", "a percentage between 0 and 100 (phaseEnvelope.safetyMarginPercent of the usage profile)", margin);
  return problems;
}

/** Ceiling of a phase window: ceil_cents(burn x hours) + ceil_cents(that x margin%). */
export function maxSpend(hourlyBurn: Decimal, durationMinutes: number, marginPercent: number): { base: Decimal; margin: Decimal; total: Decimal } {
  const base = hourlyBurn.times(durationMinutes).div(60, 2, "ceil");
  const margin = base.times(Decimal.of(marginPercent)).div(100, 2, "ceil");
  return { base, margin, total: base.plus(margin) };
}

export function phaseEnvelope(report: CostReport, options: PhaseEnvelopeOptions, registry: Registry = loadRegistry()): PhaseEnvelope {
  const marginPercent = options.safetyMarginPercent ?? report.profile?.phaseEnvelopeSafetyMarginPercent;
  const problems = validate(options, marginPercent);
  if (problems.length) throw new InputError("invalid phase envelope", problems);
  const margin = marginPercent as number;
  const burnText = options.hourlyBurn ?? report.postures.proofWindow.hourlyBurn;
  const burn = Decimal.of(burnText);
  const { total } = maxSpend(burn, options.durationMinutes, margin);
  const alerts = report.budget.alertThresholdsUsd;
  const alert3 = alerts[alerts.length - 1];
  const end = new Date(Date.parse(options.windowStartUtc) + options.durationMinutes * 60_000);
  const overrun = new Date(end.getTime() + Math.ceil((options.durationMinutes * margin) / 100) * 60_000);
  const hardStops = [
    `SPEND_ABOVE_ENVELOPE: spend in this window exceeds max_spend_amount ${total.toFixed(2)} ${report.currency} (burn ${burnText} USD/h x ${Decimal.of(options.durationMinutes).div(60, 4).toString()} h + ${margin}% margin)`,
    `ALERT_3_BREACHED: month-to-date ${report.currency} spend reaches ${Decimal.of(alert3).toFixed(2)} (DEV_FULL_BUDGET_ALERT_3_USD): stop, and block phase advancement until remediation is approved (DFULL_SFN_B5 ${registry.string("DFULL_SFN_B5")})`,
    `WINDOW_OVERRUN: still running at ${overrun.toISOString().replace(/\.000Z$/, "Z")} (expected end ${end.toISOString().replace(/\.000Z$/, "Z")} plus the ${margin}% margin)`,
    `SPEND_WITHOUT_OUTCOME: any expected proof artifact missing at closure (PHASE_COST_HARD_STOP_ON_MISSING_OUTCOME=${String(registry.boolean("PHASE_COST_HARD_STOP_ON_MISSING_OUTCOME"))})`,
  ];
  if (report.confidence !== "1.0000") {
    hardStops.push(
      `UNPRICED_SPEND: cost capture shows spend on a surface the estimate left unpriced (confidence ${report.confidence}) above the margin of ${maxSpend(burn, options.durationMinutes, margin).margin.toFixed(2)} ${report.currency}`,
    );
  }
  return {
    phase_id: options.phaseId,
    phase_execution_id: options.phaseExecutionId,
    platform_run_id: options.platformRunId,
    max_spend_amount: total.toFixed(2),
    spend_currency: report.currency,
    expected_window_start_utc: options.windowStartUtc,
    expected_duration_minutes: options.durationMinutes,
    hard_stop_conditions: hardStops,
    expected_proof_artifacts: [...options.expectedProofArtifacts],
    monthly_limit_usd: Decimal.of(report.budget.limitUsd).toNumber(),
    alert_thresholds_usd: alerts.map((a) => Decimal.of(a).toNumber()),
    cost_capture_scope: report.budget.costCaptureScope ?? registry.string("COST_CAPTURE_SCOPE"),
    written_at_utc: options.writtenAtUtc,
    config_digest: options.configDigest,
  };
}
