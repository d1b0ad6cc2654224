/**
 * The cost pair every phase execution publishes (no phase advances on spend alone): the phase budget
 * envelope (ceiling, window, hard stops, expected proof artifacts, budget context) and the cost-to-outcome receipt
 * (recorded spend, the artifacts it bought and the decision or risk it retired). Field names follow the contract
 * types of src/cost/report.ts exactly; the emitter adds the common record fields (`CommonFields`) and says where a
 * figure came from.
 */
import { z } from "zod";
import { CostOutcomeReceipt, CostReport, PhaseEnvelope } from "../cost/report";
import { Decimal } from "../cost/decimal";
import { phaseEnvelope } from "../cost/envelope";
import { InputError } from "../errors";
import { Registry } from "../registry/registry";
import { PhaseSpec } from "./phases";

/** Fields R1.6 requires on every evidence object the emitter writes. */
export interface CommonFields {
  platform_run_id: string;
  scenario_run_id: string;
  phase_id: string;
  phase_execution_id: string;
  config_digest: string;
  written_at_utc: string;
}

/** How the envelope's ceiling was obtained. */
export type EnvelopeBasis = "cost-model" | "cost-report" | "estimate";

export type EmittedEnvelope = PhaseEnvelope & {
  scenario_run_id: string;
  /** `estimate` = no cost report was available: the figure is a stated estimate, not a model output. */
  envelope_basis: EnvelopeBasis;
  envelope_basis_note: string;
};

export type EmittedReceipt = CostOutcomeReceipt & Pick<CommonFields, "platform_run_id" | "scenario_run_id" | "config_digest" | "written_at_utc">;

/** A function that models a phase envelope from a cost report (default: the cost model's `phaseEnvelope`). */
export type EnvelopeModel = (report: CostReport, request: EnvelopeRequest) => PhaseEnvelope;

/** The cost model's envelope (src/cost/envelope.ts): proof-window burn x window, rounded up, plus the margin. */
export function costModelEnvelope(registry: Registry): EnvelopeModel {
  return (report, r) =>
    phaseEnvelope(
      report,
      {
        phaseId: r.phaseId,
        phaseExecutionId: r.phaseExecutionId,
        platformRunId: r.platformRunId,
        windowStartUtc: r.windowStartUtc,
        durationMinutes: r.durationMinutes,
        expectedProofArtifacts: r.expectedProofArtifacts,
        configDigest: r.configDigest,
        writtenAtUtc: r.writtenAtUtc,
      },
      registry,
    );
}

export interface EnvelopeRequest {
  phaseId: string;
  phaseExecutionId: string;
  platformRunId: string;
  windowStartUtc: string;
  durationMinutes: number;
  hardStopConditions: string[];
  expectedProofArtifacts: string[];
  writtenAtUtc: string;
  configDigest: string;
}

/** Recorded spend of a phase window (from `--spend`, `--spend-file`, or the offline plan's zero). */
export interface SpendRecord {
  amount: string;
  sources: string[];
  windowStartUtc?: string;
  windowEndUtc?: string;
}

export const spendFileSchema = z
  .object({
    spend_amount: z.string().regex(/^\d+(\.\d+)?$/, 'a non-negative decimal string, e.g. "1.2300"'),
    spend_currency: z.literal("USD").default("USD"),
    cost_sources: z.array(z.string().min(1)).min(1),
    window_start_utc: z.string().optional(),
    window_end_utc: z.string().optional(),
  })
  .strict();

const HOURS_PER_MONTH = 730;

/** Money as the contract writes it: four decimals. */
export function money(value: Decimal): string {
  return value.toFixed(4);
}

/** Budget context of every envelope, read from the registry (never repeated in code). */
export function budgetContext(registry: Registry): Pick<PhaseEnvelope, "monthly_limit_usd" | "alert_thresholds_usd" | "cost_capture_scope"> {
  return {
    monthly_limit_usd: registry.number("DEV_FULL_MONTHLY_BUDGET_LIMIT_USD"),
    alert_thresholds_usd: ["DEV_FULL_BUDGET_ALERT_1_USD", "DEV_FULL_BUDGET_ALERT_2_USD", "DEV_FULL_BUDGET_ALERT_3_USD"].map((h) => registry.number(h)),
    cost_capture_scope: registry.string("COST_CAPTURE_SCOPE"),
  };
}

/** Kill conditions of a phase window (RPF 3.4 (3)), with the registry's figures. */
export function hardStopConditions(registry: Registry, phase: PhaseSpec): string[] {
  const alert3 = registry.number("DEV_FULL_BUDGET_ALERT_3_USD");
  return [
    "recorded spend exceeds max_spend_amount",
    `month-to-date spend crosses alert 3 (${alert3} USD): no phase advancement until remediation is approved`,
    "spend without the expected proof artifacts at closure (PHASE_COST_HARD_STOP_ON_MISSING_OUTCOME)",
    `any unresolved fail-closed blocker of ${phase.id} (${phase.blockers.codes.join(", ")})`,
  ];
}

export interface EnvelopeArgs extends EnvelopeRequest {
  registry: Registry;
  scenarioRunId: string;
  costReport?: CostReport;
  /** Default: {@link costModelEnvelope}. */
  model?: EnvelopeModel;
}

/**
 * The phase envelope. With a cost report: from the cost model (`phaseEnvelope`); should the model refuse the
 * report (e.g. a report without its usage profile), from the report's proof-window burn over the window, saying
 * why. Without a report: a stated estimate, the window's pro-rata share of the monthly budget, flagged
 * `envelope_basis: "estimate"`.
 */
export function buildEnvelope(args: EnvelopeArgs): EmittedEnvelope {
  const common = {
    phase_id: args.phaseId,
    phase_execution_id: args.phaseExecutionId,
    platform_run_id: args.platformRunId,
    scenario_run_id: args.scenarioRunId,
    spend_currency: "USD" as const,
    expected_window_start_utc: args.windowStartUtc,
    expected_duration_minutes: args.durationMinutes,
    hard_stop_conditions: args.hardStopConditions,
    expected_proof_artifacts: args.expectedProofArtifacts,
    ...budgetContext(args.registry),
    written_at_utc: args.writtenAtUtc,
    config_digest: args.configDigest,
  };
  const hours = Decimal.of(args.durationMinutes).div(60, 6);
  if (args.costReport) {
    let refused: string;
    try {
      const modelled = (args.model ?? costModelEnvelope(args.registry))(args.costReport, args);
      return {
        ...common,
        ...modelled,
        scenario_run_id: args.scenarioRunId,
        envelope_basis: "cost-model",
        envelope_basis_note: "phaseEnvelope() of the cost model (src/cost/envelope.ts) on the cost report",
      };
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      refused = e.message.split("\n").join(" ");
    }
    const burn = Decimal.of(args.costReport.postures.proofWindow.hourlyBurn);
    return {
      ...common,
      max_spend_amount: money(burn.times(hours)),
      envelope_basis: "cost-report",
      envelope_basis_note: `cost report proof-window burn ${args.costReport.postures.proofWindow.hourlyBurn} USD/h over ${args.durationMinutes} min (the cost model refused the report: ${refused})`,
    };
  }
  const limit = Decimal.of(common.monthly_limit_usd);
  return {
    ...common,
    max_spend_amount: money(limit.times(hours).div(HOURS_PER_MONTH, 6)),
    envelope_basis: "estimate",
    envelope_basis_note:
      `ESTIMATE (no cost report available): the ${args.durationMinutes}-minute window's pro-rata share of the ` +
      `${common.monthly_limit_usd} USD monthly budget (${HOURS_PER_MONTH} h/month); run the cost model for a modelled envelope`,
  };
}

export interface ReceiptArgs {
  common: CommonFields;
  envelope: EmittedEnvelope;
  envelopeRef: string;
  spend: SpendRecord;
  windowStartUtc: string;
  windowEndUtc: string;
  artifactsEmitted: string[];
  outcomePass: boolean;
  decisionOrRiskRetired: string;
}

/** The cost-to-outcome receipt: exactly the required fields of COST_OUTCOME_RECEIPT_REQUIRED_FIELDS, plus extras. */
export function buildReceipt(args: ReceiptArgs): EmittedReceipt {
  const spend = Decimal.of(args.spend.amount);
  return {
    phase_id: args.common.phase_id,
    phase_execution_id: args.common.phase_execution_id,
    window_start_utc: args.windowStartUtc,
    window_end_utc: args.windowEndUtc,
    spend_amount: money(spend),
    spend_currency: "USD",
    artifacts_emitted: [...args.artifactsEmitted].sort(),
    decision_or_risk_retired: args.decisionOrRiskRetired,
    cost_within_envelope: spend.lte(Decimal.of(args.envelope.max_spend_amount)),
    phase_outcome_pass: args.outcomePass,
    envelope_ref: args.envelopeRef,
    cost_sources: [...args.spend.sources],
    platform_run_id: args.common.platform_run_id,
    scenario_run_id: args.common.scenario_run_id,
    config_digest: args.common.config_digest,
    written_at_utc: args.common.written_at_utc,
  };
}

/** Whether spend exceeds the envelope's ceiling (advancement fails closed, RPF 3.4). */
export function overEnvelope(spend: SpendRecord, envelope: PhaseEnvelope): boolean {
  return Decimal.of(spend.amount).gt(Decimal.of(envelope.max_spend_amount));
}

/** Problems of a receipt read back from a bundle: every required field present and typed. */
export function receiptProblems(value: unknown, requiredFields: readonly string[]): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return ["the receipt is not a JSON object"];
  const r = value as Record<string, unknown>;
  const problems = requiredFields.filter((f) => r[f] === undefined || r[f] === null || r[f] === "").map((f) => `missing required field ${f}`);
  if (r.spend_amount !== undefined && Decimal.tryOf(r.spend_amount) === undefined) problems.push("spend_amount is not a decimal");
  if (r.artifacts_emitted !== undefined && !Array.isArray(r.artifacts_emitted)) problems.push("artifacts_emitted is not a list");
  return problems;
}
