/**
 * `npm run cost [-- --env dev-full --from DIR --out DIR --json]`: the cost report of a plan's preview documents
 * against the budget. Writes `cost-report.json` and `cost-summary.html`, prints the per-layer table with the
 * three postures, headroom and unpriced resources. Exit 0 within budget and envelopes, 1 when the proof-window
 * estimate breaks a layer envelope or the budget, 2 on bad config or usage.
 */
import * as path from "path";
import { Command } from "commander";
import { costReportOf } from "../cost/costReport";
import { readClosedWindowPlan, readPreviewDocuments, writeCostFiles } from "../cost/files";
import { modelDeps } from "../cost/model";
import { formatCostReport } from "../cost/render";
import { CostReport } from "../cost/report";
import { DEFAULT_ENV } from "../layers";
import { PROJECT_ROOT } from "../registry/registry";
import { defaultPlanDir } from "./options";
import { assertCompletePlanDir } from "../plan/planDir";

export interface CostOptions {
  env: string;
  from?: string;
  out?: string;
  json?: boolean;
}

/** 1 when the proof-window estimate breaks a layer envelope or the monthly budget, else 0. */
export function costExitCode(report: CostReport): 0 | 1 {
  return report.postures.proofWindow.overBudget || report.layers.some((l) => l.overEnvelope) ? 1 : 0;
}

export function runCost(opts: CostOptions, projectDir: string = PROJECT_ROOT): { report: CostReport; files: string[]; exitCode: 0 | 1 } {
  const from = path.resolve(opts.from ?? defaultPlanDir(opts.env, projectDir));
  const out = path.resolve(opts.out ?? from);
  // A plan directory must be one complete plan; a directory of saved `pulumi preview --json` documents is accepted too.
  assertCompletePlanDir(from, { flag: "--from", previewsOnly: true });
  const docs = readPreviewDocuments(from);
  const report = costReportOf(docs, modelDeps({ env: opts.env, projectDir }), opts.env, readClosedWindowPlan(from));
  const files = writeCostFiles(report, out);
  return { report, files, exitCode: costExitCode(report) };
}

export function registerCostCommand(program: Command): Command {
  return program
    .command("cost")
    .description("cost report of a plan's preview documents against the budget (three postures per layer)")
    .option("--env <env>", "environment", DEFAULT_ENV)
    .option("--from <dir>", "directory of *.preview.json (default .substrate/plan/<env>)")
    .option("--out <dir>", "where to write cost-report.json and cost-summary.html (default: --from)")
    .option("--json", "print the JSON report instead of the tables")
    .action((opts: CostOptions) => {
      const { report, files, exitCode } = runCost(opts);
      const rel = files.map((f) => path.relative(process.cwd(), f) || f);
      console.log(opts.json ? JSON.stringify(report, null, 2) : formatCostReport(report, rel));
      process.exitCode = exitCode;
    });
}
