/**
 * The ids of an evidence bundle: the platform run id (`platform_<UTC stamp>`, reused from the newest run that
 * holds the bundle the entry gate needs) and the phase execution id (`<lane>_<UTC stamp>`), each suffixed `_NN`
 * on collision.
 */
import * as fs from "fs";
import * as path from "path";
import { compactUtc } from "./digest";
import { phaseBundles } from "./gates";
import { PhaseSpec } from "./phases";
import { EvidenceUsageError } from "./usageError";

/** platform_run_id shape: `platform_<YYYYMMDDTHHMMSSZ>` with an optional collision suffix. */
export const RUN_ID_PATTERN = /^platform_[0-9]{8}T[0-9]{6}Z(_[0-9]{2})?$/;
const EXECUTION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const MAX_COLLISION_SUFFIX = 20;

/** Lane token of an execution id: `m2_p0`, `m1_pm1`, `m13ej_p17`. */
export function laneOf(phase: PhaseSpec): string {
  const plan = phase.plan.toLowerCase().replace(/[^a-z0-9]/g, "");
  const id = phase.id
    .toLowerCase()
    .replace("(-1)", "m1")
    .replace(/[^a-z0-9]/g, "");
  return `${plan}_${id}`;
}

function withSuffix(base: string, taken: (candidate: string) => boolean, what: string): string {
  if (!taken(base)) return base;
  for (let i = 1; i <= MAX_COLLISION_SUFFIX; i++) {
    const candidate = `${base}_${String(i).padStart(2, "0")}`;
    if (!taken(candidate)) return candidate;
  }
  throw new EvidenceUsageError(`${what} ${base}: ${MAX_COLLISION_SUFFIX} collisions; pass an explicit id`);
}

function existingRuns(outRoot: string): string[] {
  if (!fs.existsSync(outRoot)) return [];
  return fs
    .readdirSync(outRoot, { withFileTypes: true })
    .filter((e) => e.isDirectory() && RUN_ID_PATTERN.test(e.name))
    .map((e) => e.name)
    .sort();
}

/** The run id: given; else the newest run that holds a bundle of the phase the entry gate needs; else a new one. */
export function resolveRunId(outRoot: string, phase: PhaseSpec, now: Date, given?: string): { runId: string; choice: string } {
  if (given !== undefined) {
    if (!RUN_ID_PATTERN.test(given))
      throw new EvidenceUsageError(`--run-id ${given}: expected platform_<YYYYMMDDTHHMMSSZ>[_NN] (e.g. platform_${compactUtc(now)})`);
    return { runId: given, choice: "given" };
  }
  const gate = phase.entry_gate.requires_pass[phase.entry_gate.requires_pass.length - 1];
  if (gate) {
    const runs = existingRuns(outRoot).reverse();
    const found = runs.find((r) => phaseBundles(outRoot, r, gate).length > 0);
    if (found) return { runId: found, choice: `latest run with a ${gate} bundle (pass --run-id to choose another)` };
  }
  const runId = withSuffix(`platform_${compactUtc(now)}`, (c) => fs.existsSync(path.join(outRoot, c)), "run id");
  return { runId, choice: gate ? `new run: no run holds a ${gate} bundle, so the entry gate will fail` : "new run" };
}

export function resolveExecutionId(outRoot: string, runId: string, phase: PhaseSpec, now: Date, given?: string): string {
  const phaseDir = path.join(outRoot, runId, phase.id);
  if (given !== undefined) {
    if (!EXECUTION_ID_PATTERN.test(given)) throw new EvidenceUsageError(`--execution-id ${given}: expected letters, digits, '_', '.', '-'`);
    return given;
  }
  return withSuffix(`${laneOf(phase)}_${compactUtc(now)}`, (c) => fs.existsSync(path.join(phaseDir, c)), "phase_execution_id");
}
