/**
 * The cost report as files: reads a plan directory's `*.preview.json`, writes `cost-report.json`, its Infracost
 * form `infracost.json` and `cost-summary.html`. Used by `npm run cost` and by the plan engine after its policy evaluation.
 */
import * as fs from "fs";
import * as path from "path";
import { InputError } from "../errors";
import { writeFileAtomic } from "../files";
import { PreviewDocument } from "../plan/previewDocument";
import { readPreviewFile } from "../preview/read";
import { ClosedWindowPlan, costReportOf } from "./costReport";
import { INFRACOST_FILE, infracostOf } from "./infracost";
import { ModelDeps, modelDeps } from "./model";
import { costSummaryHtml } from "./render";
import { CostReport } from "./report";

export const COST_REPORT_FILE = "cost-report.json";
export const COST_SUMMARY_FILE = "cost-summary.html";
/** Sub-directory of a plan directory holding the closed-window plan (`fraud-platform:window: closed`). */
export const CLOSED_WINDOW_DIR = "window-closed";

/** The closed-window plan next to a plan directory, when one was written (`<dir>/window-closed/*.preview.json`). */
export function readClosedWindowPlan(dir: string): ClosedWindowPlan | undefined {
  const closed = path.join(dir, CLOSED_WINDOW_DIR);
  if (!fs.existsSync(closed) || !fs.readdirSync(closed).some((f) => f.endsWith(".preview.json"))) return undefined;
  return { docs: readPreviewDocuments(closed), source: path.relative(process.cwd(), closed) || closed };
}

/** The preview documents of a plan directory, in file-name order. */
export function readPreviewDocuments(dir: string): PreviewDocument[] {
  if (!fs.existsSync(dir)) {
    throw new InputError(`no plan directory ${dir}`, [
      {
        file: dir,
        key: "(directory)",
        expected: "a plan directory (npm run plan writes .substrate/plan/<env>/)",
        found: "no such directory",
        fix: "npm run plan",
      },
    ]);
  }
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".preview.json"))
    .sort();
  if (files.length === 0) {
    throw new InputError(`no preview documents in ${dir}`, [
      { file: dir, key: "*.preview.json", expected: "at least one preview document", found: "none", fix: "npm run plan" },
    ]);
  }
  // Any real or plan document shape (src/preview/read.ts); a failed or partial preview is bad input.
  return files.map((f) => readPreviewFile(path.join(dir, f)).doc);
}

/** Writes the report, its Infracost form (`infracost.json`) and its HTML summary into `outDir`; returns the files written. */
export function writeCostFiles(report: CostReport, outDir: string): string[] {
  return [
    writeFileAtomic(path.join(outDir, COST_REPORT_FILE), report),
    writeFileAtomic(path.join(outDir, INFRACOST_FILE), infracostOf(report)),
    writeFileAtomic(path.join(outDir, COST_SUMMARY_FILE), costSummaryHtml(report)),
  ];
}

export interface PlanCost {
  report?: CostReport;
  /** Why no report could be made (e.g. the environment has no usage profile). */
  error?: string;
  files: string[];
  /** Wall time of the model (load, price, render, write), ms. */
  millis: number;
}

/** The plan engine's cost step: the report of the plan's documents, written next to them. */
export function planCost(
  docs: readonly PreviewDocument[],
  options: { env: string; outDir: string; projectDir?: string; deps?: ModelDeps; closed?: ClosedWindowPlan },
): PlanCost {
  const started = performance.now();
  if (docs.length === 0) return { error: "nothing was planned", files: [], millis: 0 };
  try {
    const deps = options.deps ?? modelDeps({ env: options.env, projectDir: options.projectDir });
    const report = costReportOf(docs, deps, options.env, options.closed);
    const files = writeCostFiles(report, options.outDir);
    return { report, files, millis: performance.now() - started };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { error: e.message, files: [], millis: performance.now() - started };
  }
}
