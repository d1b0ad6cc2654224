/**
 * `npm run cost` end to end on a plan directory, and the plan engine's cost step (cost-report.json,
 * cost-summary.html, PlanResult.cost, the per-layer table in the plan summary).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../src/cli/main";
import { formatPlanSummary } from "../../src/cli/format";
import { COST_REPORT_FILE, COST_SUMMARY_FILE } from "../../src/cost/files";
import { CostReport, POSTURES } from "../../src/cost/report";
import { runPlan } from "../../src/plan/engine";
import { PROJECT_ROOT } from "../../src/registry/registry";
import { leanRuntime, referenceRuntime, res, stackDoc } from "./fixtures";

const MONEY = /^-?\d+\.\d{4}$/;

function planDir(...docs: ReturnType<typeof stackDoc>[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-plan-"));
  for (const d of docs) fs.writeFileSync(path.join(dir, `${d.stack}.preview.json`), JSON.stringify(d));
  return dir;
}

function core() {
  const C = "dev-full-core";
  return stackDoc(
    C,
    res(C, "aws:kms/key:Key", "platform-key", {}, { protect: true }),
    res(C, "aws:s3/bucket:Bucket", "evidence", { bucket: "fraud-platform-dev-full-evidence" }, { protect: true }),
    res(C, "aws:ecr/repository:Repository", "platform-images", {}, { protect: true }),
    res(C, "aws:ec2/vpc:Vpc", "vpc", {}),
  );
}

/** Every money field of the contract is a 4-decimal string (or null where unpriced). */
function expectContractShape(report: CostReport): void {
  expect(report).toMatchObject({ version: "0.2", currency: "USD", env: "dev-full", hoursPerMonth: 730 });
  expect(report.budget.limitUsd).toBe("300.0000");
  expect(report.budget.alertThresholdsUsd).toEqual(["120.0000", "210.0000", "270.0000"]);
  for (const p of POSTURES) {
    const t = report.postures[p];
    for (const v of [t.monthlyCost, t.headroom, t.hourlyBurn, ...t.dominantResources.map((d) => d.monthlyCost)]) expect(v).toMatch(MONEY);
  }
  for (const l of report.layers) for (const p of POSTURES) expect(l.monthlyCost[p]).toMatch(MONEY);
  for (const r of report.resources) {
    for (const p of POSTURES) if (r.monthlyCost[p] !== null) expect(r.monthlyCost[p]).toMatch(MONEY);
    for (const c of r.costComponents) for (const p of POSTURES) if (c.monthlyCost[p] !== null) expect(c.monthlyCost[p]).toMatch(MONEY);
  }
  expect(report.confidence).toMatch(/^[01]\.\d{4}$/);
}

describe("npm run cost", () => {
  const quiet = () => {
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    const err = jest.spyOn(console, "error").mockImplementation(() => undefined);
    return { log, err, restore: () => (log.mockRestore(), err.mockRestore()) };
  };
  afterEach(() => {
    process.exitCode = undefined;
  });

  it("writes cost-report.json and cost-summary.html for a plan within its envelopes (exit 0)", async () => {
    const dir = planDir(core(), leanRuntime());
    const io = quiet();
    expect(await main(["cost", "--from", dir])).toBe(0);
    const out = io.log.mock.calls.flat().join("\n");
    io.restore();
    const report = JSON.parse(fs.readFileSync(path.join(dir, COST_REPORT_FILE), "utf8")) as CostReport;
    expectContractShape(report);
    expect(report.stacks).toEqual(["dev-full-core", "dev-full-runtime"]);
    expect(report.layers.map((l) => [l.layer, l.planned])).toEqual([
      ["core", true],
      ["streaming", false],
      ["runtime", true],
      ["data_ml", false],
      ["ops", false],
    ]);
    expect(out).toMatch(/stack\s+envelope\s+always-on\s+proof-window\s+idle-safe/);
    expect(out).toMatch(/dev-full-streaming\s+[\d.]+\s+-\s+-\s+-\s+-\s+not planned/);
    expect(out).toMatch(/unpriced resources \(\d+\): never counted as 0/);
    expect(out).toContain("platform-images (aws:ecr/repository:Repository, core): SKU ecr.storage.gb-month has no price (usd: null)");
    const html = fs.readFileSync(path.join(dir, COST_SUMMARY_FILE), "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<svg");
    expect(html.match(/<rect [^>]*fill="#/g)?.length).toBe(5 * 3 + 3); // 3 bars per layer + 3 legend swatches
    expect(html).toContain("dev-full-runtime proof-window:");
  });

  it("exits 1 when a layer's proof-window estimate breaks its envelope, naming the dominant resources", async () => {
    const dir = planDir(core(), referenceRuntime());
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "cost-out-"));
    const io = quiet();
    expect(await main(["cost", "--from", dir, "--out", out])).toBe(1);
    const text = io.log.mock.calls.flat().join("\n");
    io.restore();
    expect(text).toMatch(/dev-full-runtime .*OVER ENVELOPE/);
    expect(text).toMatch(/always-on\s+[\d.]+\s+-[\d.]+\s+[\d.]+\s+information: over the budget if never closed/);
    expect(text).not.toMatch(/always-on .*OVER BUDGET/);
    expect(text).toMatch(/dominant always-on: ig-service [\d.]+, m6f-workers/);
    expect(fs.existsSync(path.join(out, COST_REPORT_FILE))).toBe(true);
    expect(fs.existsSync(path.join(dir, COST_REPORT_FILE))).toBe(false);
  });

  it("prints the JSON report with --json", async () => {
    const dir = planDir(core());
    const io = quiet();
    expect(await main(["cost", "--from", dir, "--json"])).toBe(0);
    const printed = JSON.parse(io.log.mock.calls.flat().join("\n")) as CostReport;
    io.restore();
    expect(printed.layers[0].layer).toBe("core");
  });

  it("exits 2 on a directory without preview documents", async () => {
    const io = quiet();
    expect(await main(["cost", "--from", fs.mkdtempSync(path.join(os.tmpdir(), "cost-empty-"))])).toBe(2);
    expect(io.err.mock.calls.flat().join("\n")).toMatch(/no preview documents/);
    io.restore();
  });

  it("runs as the npm script", () => {
    const dir = planDir(core(), leanRuntime());
    const out = execFileSync("npm", ["run", "--silent", "cost", "--", "--from", dir], { cwd: PROJECT_ROOT, encoding: "utf8" });
    expect(out).toMatch(/proof-window burn [\d.]+ USD\/hour while windows are open/);
    expect(fs.existsSync(path.join(dir, COST_REPORT_FILE))).toBe(true);
  });
});

describe("plan engine cost step", () => {
  it("writes the cost files next to the plan, exposes the report and prints the per-layer table", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cost-"));
    const result = await runPlan({ env: "dev-full", layers: ["core"], outDir });
    expect(result.cost.error).toBeUndefined();
    expect(result.files).toEqual(expect.arrayContaining([path.join(outDir, COST_REPORT_FILE), path.join(outDir, COST_SUMMARY_FILE)]));
    const report = result.cost.report as CostReport;
    expectContractShape(report);
    expect(report.layers[0]).toMatchObject({ layer: "core", planned: true, overEnvelope: false });
    // core keeps only its protected key and buckets at idle: a floor of a few USD
    expect(Number(report.postures.idleSafe.monthlyCost)).toBeLessThanOrEqual(5);
    expect(result.cost.millis).toBeGreaterThan(0);
    const summary = formatPlanSummary(result, outDir, 1000);
    expect(summary).toMatch(/dev-full-core\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+/);
    expect(summary).toMatch(/budget 300\.00 USD\/month: proof-window/);
  });
});
