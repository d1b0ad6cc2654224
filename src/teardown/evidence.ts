/**
 * P17 TEARDOWN_IDLE_SAFE evidence through the emitter's existing interface (`emitEvidence` with `--artifact`
 * files): the teardown writes its documents and hands them in under the keys the ladder knows.
 *
 * | key (registry/phases.yaml P17) | document | the emitter checks |
 * | --- | --- | --- |
 * | TEARDOWN_RESIDUAL_SCAN_PATH_PATTERN | residual scan + retained-surface readability | residual_item_count = 0, overall_pass |
 * | TEARDOWN_COST_SNAPSHOT_PATH_PATTERN | idle-safe cost posture from the cost model | idle_safe = true, residual_item_count = 0 |
 * | m13e_teardown_plan_snapshot.json | the teardown plan (order, destroy/retain) | bundled |
 * | m13f_teardown_execution_snapshot.json | destroy results per stack | bundled |
 * | m13g_post_teardown_readability_snapshot.json | HeadBucket / GetBucketEncryption / DescribeKey | bundled |
 *
 * An unreadable retained surface fails the residual scan document (`overall_pass: false`), so the phase FAILs
 * (the emitter raises the item's code, DFULL-RUN-B17); the readability snapshot names the surface (B17.1).
 */
import * as fs from "fs";
import * as path from "path";
import { costReportOf } from "../cost/costReport";
import { readPreviewDocuments } from "../cost/files";
import { modelDeps } from "../cost/model";
import { CostReport, PostureTotal } from "../cost/report";
import { writeFileAtomic } from "../files";
import { EmitOptions, EmitResult, emitEvidence } from "../evidence/emit";
import { costReportSchema, readReport } from "../evidence/sources";
import { PROJECT_ROOT } from "../registry/registry";
import { DestroyRun } from "./destroy";
import { TeardownPlan } from "./plan";
import { ReadabilityResult } from "./readability";
import { ResidualScanResult } from "./residualScan";
import { utcSeconds as utc } from "../evidence/digest";

/** Evidence keys of the P17 artifacts. */
export const P17_KEYS = {
  residualScan: "TEARDOWN_RESIDUAL_SCAN_PATH_PATTERN",
  costSnapshot: "TEARDOWN_COST_SNAPSHOT_PATH_PATTERN",
  plan: "m13e_teardown_plan_snapshot.json",
  execution: "m13f_teardown_execution_snapshot.json",
  readability: "m13g_post_teardown_readability_snapshot.json",
} as const;

/** A cost report with where it came from. */
export interface CostSource {
  report: CostReport;
  origin: string;
}

/**
 * The cost model's view of a plan directory: its `cost-report.json` when present, else the report of its preview
 * documents. Returns why not, when neither is usable (the snapshot then fails closed).
 */
export function costSourceOf(planDir: string, env: string, projectDir: string = PROJECT_ROOT): { cost?: CostSource; problem?: string } {
  const file = path.join(planDir, "cost-report.json");
  try {
    if (fs.existsSync(file)) return { cost: { report: readReport<CostReport>(file, costReportSchema, "cost report").document, origin: file } };
    const docs = readPreviewDocuments(planDir);
    return { cost: { report: costReportOf(docs, modelDeps({ env, projectDir }), env), origin: `cost model of the preview documents in ${planDir}` } };
  } catch (e) {
    return { problem: `no cost model: ${(e as Error).message.split("\n")[0]} (run npm run plan, or pass --from-plan DIR)` };
  }
}

export interface CostGuardrailSnapshot {
  snapshot_version: "1";
  phase_id: "P17";
  lane: "M13.H";
  platform_run_id?: string;
  captured_at_utc: string;
  /** Nothing non-essential left running or billing beyond the retained set, and the idle-safe posture within budget. */
  idle_safe: boolean;
  residual_item_count: number;
  scan_complete: boolean;
  scan_mode: ResidualScanResult["mode"];
  cost_model: {
    source: string;
    budget: CostReport["budget"];
    idle_safe_posture: Pick<PostureTotal, "monthlyCost" | "hourlyBurn" | "headroom" | "overBudget">;
    proof_window_posture: Pick<PostureTotal, "monthlyCost" | "hourlyBurn" | "headroom" | "overBudget">;
    /** What still bills after teardown, by the model (retained at idle), most expensive first. */
    retained_resources: Array<{ urn: string; resource_type: string; layer: string; idle_safe_monthly_usd: string | null }>;
  } | null;
  blockers: string[];
  overall_pass: boolean;
}

const posture = (t: PostureTotal) => ({ monthlyCost: t.monthlyCost, hourlyBurn: t.hourlyBurn, headroom: t.headroom, overBudget: t.overBudget });

/** The run-scoped teardown cost snapshot (`teardown/cost_guardrail_snapshot.json`). */
export function costGuardrailSnapshot(args: {
  scan: ResidualScanResult;
  cost?: CostSource;
  costProblem?: string;
  now: Date;
  platformRunId?: string;
}): CostGuardrailSnapshot {
  const { scan, cost } = args;
  const blockers: string[] = [];
  if (!scan.scan_complete) blockers.push(`residual scan incomplete: ${scan.errors.join("; ")}`);
  if (scan.residual_item_count > 0) blockers.push(`${scan.residual_item_count} residual item(s) (DFULL-RUN-B17)`);
  if (!cost) blockers.push(args.costProblem ?? "no cost model");
  else if (cost.report.postures.idleSafe.overBudget)
    blockers.push(`idle-safe posture ${cost.report.postures.idleSafe.monthlyCost} USD/month is over the ${cost.report.budget.limitUsd} USD budget`);
  const retained = (cost?.report.resources ?? [])
    .filter((r) => r.retainedAtIdle && r.monthlyCost.idleSafe !== "0.0000")
    .sort((a, b) => Number(b.monthlyCost.idleSafe ?? 0) - Number(a.monthlyCost.idleSafe ?? 0) || a.urn.localeCompare(b.urn))
    .map((r) => ({ urn: r.urn, resource_type: r.resourceType, layer: r.layer, idle_safe_monthly_usd: r.monthlyCost.idleSafe }));
  const idleSafe = blockers.length === 0;
  return {
    snapshot_version: "1",
    phase_id: "P17",
    lane: "M13.H",
    ...(args.platformRunId ? { platform_run_id: args.platformRunId } : {}),
    captured_at_utc: utc(args.now),
    idle_safe: idleSafe,
    residual_item_count: scan.residual_item_count,
    scan_complete: scan.scan_complete,
    scan_mode: scan.mode,
    cost_model: cost
      ? {
          source: cost.origin,
          budget: cost.report.budget,
          idle_safe_posture: posture(cost.report.postures.idleSafe),
          proof_window_posture: posture(cost.report.postures.proofWindow),
          retained_resources: retained,
        }
      : null,
    blockers,
    overall_pass: idleSafe,
  };
}

/** The residual scan as P17 publishes it: the scan plus the retained-surface readability it depends on. */
export function residualScanDocument(scan: ResidualScanResult, readability: ReadabilityResult, platformRunId?: string) {
  return {
    phase_id: "P17",
    lane: "M13.G",
    ...(platformRunId ? { platform_run_id: platformRunId } : {}),
    ...scan,
    retained_surfaces_readable: readability.overall_pass,
    retained_surfaces: readability.surfaces.map((s) => ({ surface: s.surface, handle: s.handle, target: s.target, readable: s.readable })),
    overall_pass: scan.overall_pass && readability.overall_pass,
  };
}

export interface P17Inputs {
  scan: ResidualScanResult;
  readability: ReadabilityResult;
  cost?: CostSource;
  costProblem?: string;
  plan?: TeardownPlan;
  destroy?: DestroyRun;
  /** Where the teardown documents are written before the emitter bundles them. */
  artifactsDir: string;
  /** Emitter options (source, out root, run id, spend, clock ...); phase and artifacts are set here. */
  emit: Omit<EmitOptions, "phase" | "artifacts">;
  now: Date;
}

export interface P17Outcome {
  emit: EmitResult;
  /** Evidence key -> file handed to the emitter. */
  artifacts: Record<string, string>;
  costSnapshot: CostGuardrailSnapshot;
}

/** Writes the teardown documents and emits the P17 bundle (PASS only with zero residuals and readable surfaces). */
export async function emitP17(inputs: P17Inputs): Promise<P17Outcome> {
  const runId = inputs.emit.runId;
  const write = (file: string, doc: object): string => writeFileAtomic(path.join(inputs.artifactsDir, file), doc);
  const costSnapshot = costGuardrailSnapshot({ scan: inputs.scan, cost: inputs.cost, costProblem: inputs.costProblem, now: inputs.now, platformRunId: runId });
  const artifacts: Record<string, string> = {
    [P17_KEYS.residualScan]: write("residual_scan.json", residualScanDocument(inputs.scan, inputs.readability, runId)),
    [P17_KEYS.costSnapshot]: write("cost_guardrail_snapshot.json", costSnapshot),
    [P17_KEYS.readability]: write(P17_KEYS.readability, inputs.readability),
  };
  if (inputs.plan) artifacts[P17_KEYS.plan] = write(P17_KEYS.plan, { lane: "M13.E", phase_id: "P17", written_at_utc: utc(inputs.now), ...inputs.plan });
  if (inputs.destroy)
    artifacts[P17_KEYS.execution] = write(P17_KEYS.execution, {
      lane: "M13.F",
      phase_id: "P17",
      written_at_utc: utc(inputs.now),
      ...inputs.destroy,
      overall_pass: inputs.destroy.ok,
    });
  const emit = await emitEvidence({ ...inputs.emit, now: inputs.emit.now ?? inputs.now, phase: "P17", artifacts });
  return { emit, artifacts, costSnapshot };
}
