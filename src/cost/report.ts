/**
 * Contract of `cost-report.json` (written by `plan` and `npm run cost`) and of the phase spend envelope. The cost
 * model produces these; the evidence emitter and teardown consume them. Money is a decimal string (USD, two to
 * four decimals) as in Infracost's report, never a float in files; `null` means unpriced (unknown), never 0.
 */
import { Layer } from "../registry/schema";
import type { PhaseWindow, WindowPosture, WindowTarget } from "./windows";

/** The three postures the model prices (issue: cost model). */
export type Posture = "alwaysOn" | "proofWindow" | "idleSafe";
export const POSTURES: readonly Posture[] = ["alwaysOn", "proofWindow", "idleSafe"];

/** Decimal string, e.g. "12.3400". */
export type Money = string;

export interface CostComponent {
  /** What is billed, e.g. "Cluster hours" or "Instance usage (t3.medium)". */
  name: string;
  /** Unit of the quantity, e.g. "hours", "GB-month", "ACU-hours". */
  unit: string;
  /** Price SKU in the price table (pricing/prices.yaml), e.g. "eks.cluster-hour". */
  priceSku: string;
  /** Price per unit, USD; null when the SKU is unpriced. */
  price: Money | null;
  /** Monthly quantity and cost per posture. */
  monthlyQuantity: Record<Posture, string>;
  monthlyCost: Record<Posture, Money | null>;
}

export interface CostResource {
  urn: string;
  name: string;
  resourceType: string;
  layer: Layer;
  costComponents: CostComponent[];
  monthlyCost: Record<Posture, Money | null>;
  /** True when any component is unpriced or the type has no model: counts against confidence. */
  unpriced: boolean;
  /** Why it is unpriced, when it is. */
  unpricedReason?: string;
  /** Extension: when the resource runs at window capacity (`alwaysOn` or a proof-window surface class). */
  surfaceClass?: string;
  /** Extension: survives P17 teardown (protected, or kept at zero capacity by the idle-safe switch). */
  retainedAtIdle?: boolean;
  /** Extension: assumptions behind the figures (defaults applied, window capacity, advice). */
  notes?: string[];
}

export interface LayerCost {
  layer: Layer;
  stackName: string;
  /** The layer's share of the monthly budget. */
  envelopeUsd: Money;
  monthlyCost: Record<Posture, Money>;
  unpricedResources: number;
  /** Extension: false when no preview document of the layer's stack was read (its costs are all 0). */
  planned?: boolean;
  /** Extension: the proof-window estimate breaks the envelope (the DA-90 stack policy denies it). */
  overEnvelope?: boolean;
}

export interface PostureTotal {
  monthlyCost: Money;
  /** Budget limit minus monthly cost (negative when over budget). */
  headroom: Money;
  /**
   * Average USD per hour while the posture holds: monthly / 730 for alwaysOn and idleSafe; for proofWindow, the
   * burn while the proof windows are open (every surface at window capacity), the rate a phase envelope uses.
   */
  hourlyBurn: Money;
  overBudget: boolean;
  /** The resources that dominate this posture's cost, most expensive first. */
  dominantResources: Array<{ urn: string; monthlyCost: Money }>;
}

export interface CostReport {
  version: "0.2";
  currency: "USD";
  env: string;
  hoursPerMonth: 730;
  budget: {
    name: string;
    limitUsd: Money;
    alertThresholdsUsd: Money[];
    /** Extension: COST_CAPTURE_SCOPE of the registry (which billing sources the budget sees). */
    costCaptureScope?: string;
  };
  postures: Record<Posture, PostureTotal> & {
    /** Extension: what bills between proof windows, priced from the closed-window plan (absent without one). */
    betweenWindows?: WindowPosture;
    /** Extension: what the idle-safe switch leaves standing (every planned resource at its idle rate). */
    idleSafeSwitch?: WindowPosture;
  };
  /** Extension: every phase's proof window (surfaces, burn, envelope), from the full plan. */
  phaseWindows?: PhaseWindow[];
  /** Extension: the proof-window cost targets and whether the plans meet them. */
  windowTargets?: WindowTarget[];
  layers: LayerCost[];
  resources: CostResource[];
  /** Share (0..1, as a decimal string) of resources whose cost is fully priced. */
  confidence: string;
  /** Where each price came from: price table file, region, as-of dates. */
  priceTable: {
    file: string;
    region: string;
    /** Extension: every SKU the report uses, with its price (null = unknown), region, source and as-of date. */
    prices?: Array<{ sku: string; usd: Money | null; region: string; source: string | null; asOf: string | null }>;
  };
  /** Extension: stacks whose preview documents were read. */
  stacks?: string[];
  /** Extension: counts of resources by pricing outcome (free resources are not listed in `resources`). */
  summary?: { resources: number; priced: number; unpriced: number; free: number };
  /** Extension: the usage profile the figures assume. */
  profile?: {
    source: string;
    proofWindowHours: Record<string, number>;
    /** Safety margin a phase envelope adds to burn x window hours, percent. */
    phaseEnvelopeSafetyMarginPercent: number;
  };
}

/** Phase spend envelope, written before a phase starts. */
export interface PhaseEnvelope {
  phase_id: string;
  phase_execution_id: string;
  platform_run_id: string;
  max_spend_amount: Money;
  spend_currency: "USD";
  expected_window_start_utc: string;
  expected_duration_minutes: number;
  hard_stop_conditions: string[];
  expected_proof_artifacts: string[];
  monthly_limit_usd: number;
  alert_thresholds_usd: number[];
  cost_capture_scope: string;
  written_at_utc: string;
  config_digest: string;
}

/** Cost-to-outcome receipt, written at phase closure; required fields exactly, plus extras. */
export interface CostOutcomeReceipt {
  phase_id: string;
  phase_execution_id: string;
  window_start_utc: string;
  window_end_utc: string;
  spend_amount: Money;
  spend_currency: "USD";
  artifacts_emitted: string[];
  decision_or_risk_retired: string;
  cost_within_envelope?: boolean;
  phase_outcome_pass?: boolean;
  envelope_ref?: string;
  cost_sources?: string[];
}
