/**
 * Proof windows against the Automation API seam (a fake `pulumi` on a pulumiRoot) and aws-sdk-client-mock billing
 * clients: a clean open and close with their envelope and receipt, refused opens (over budget, after alert 3), the
 * spend reads, dry runs from plan files and the TTL guard.
 */
import * as fs from "fs";
import * as path from "path";
import { GetCostAndUsageCommand } from "@aws-sdk/client-cost-explorer";
import { loadRegistry, PROJECT_ROOT } from "../../src/registry/registry";
import { residualScan, retainedSetOf } from "../../src/teardown/residualScan";
import { awsSpendReader } from "../../src/window/spend";
import { localWindowStore } from "../../src/window/store";
import { loadSurfaceCatalog } from "../../src/window/surfaces";
import { WindowContext, WindowRecord, WindowServices, automationRunner, closeWindow, guardWindow, openWindow } from "../../src/window/window";
import { testDeps } from "../cost/fixtures";
import { cleanAccount, dirtyAccount, tmpDir } from "../teardown/fakes";
import { billing, calls, fakePulumi, writePlanDir } from "./fakes";

const STACKS = ["dev-full-core", "dev-full-streaming", "dev-full-runtime", "dev-full-data-ml", "dev-full-ops"];
const OPENED = new Date("2026-03-02T10:00:00Z");
const registry = loadRegistry();

interface Harness {
  ctx: WindowContext;
  services: WindowServices;
  out: string;
  log: string;
  ce: ReturnType<typeof billing>["ce"];
  setNow(d: Date): void;
}

function harness(figures: Parameters<typeof billing>[0], o: { failing?: string[]; accountId?: string; dirty?: boolean } = {}): Harness {
  const dir = tmpDir("window");
  let now = OPENED;
  const ctx: WindowContext = {
    env: "dev-full",
    planDir: writePlanDir(path.join(dir, "plan")),
    deps: testDeps(),
    catalog: loadSurfaceCatalog(),
    registry,
    now: () => now,
  };
  const pulumi = fakePulumi(dir, { stacks: STACKS, failing: o.failing });
  const b = billing(figures);
  const out = path.join(dir, "evidence");
  const scanMocks = o.dirty ? dirtyAccount() : cleanAccount();
  const services: WindowServices = {
    store: localWindowStore(out),
    runner: automationRunner({ workDir: PROJECT_ROOT, pulumiRoot: pulumi.root }),
    spend: awsSpendReader({
      costExplorer: b.costExplorer,
      budgets: b.budgets,
      budgetName: "fraud-platform-dev-full-monthly",
      ...(o.accountId ? { accountId: o.accountId } : {}),
    }),
    scan: () => residualScan({ clients: scanMocks.clients, registry, mode: "idle", region: "eu-west-2", retained: retainedSetOf(registry), now }),
  };
  return { ctx, services, out, log: pulumi.log, ce: b.ce, setNow: (d) => (now = d) };
}

const json = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
const windowCalls = (log: string) =>
  calls(log)
    .filter((c) => c[0] === "config" || c[0] === "up")
    .map((c) => [c[0], c[c.indexOf("--stack") + 1], c[0] === "config" ? c[c.length - 1] : ""].join(" "));

describe("window open / close through the Automation API", () => {
  jest.setTimeout(60_000);

  it("opens P5: envelope written, window recorded, every stack set to P5 and updated in apply order", async () => {
    const h = harness({ monthToDate: "40.00" });
    const r = await openWindow(h.ctx, { phase: "P5" }, h.services);
    expect(r.refused).toBeUndefined();
    expect(r.exitCode).toBe(0);
    expect(r.plan.window.surfaces).toEqual(["msk", "endpoints", "orchestration"]);
    expect(r.plan.window.stacks).toEqual(["dev-full-streaming", "dev-full-runtime"]);
    expect(windowCalls(h.log)).toEqual(STACKS.flatMap((s) => [`config ${s} P5`, `up ${s} `]));
    const envelope = json(path.join(h.out, `evidence/dev_full/run_control/${r.record?.phase_execution_id}/phase_budget_envelope.json`));
    expect(envelope).toMatchObject({
      phase_id: "P5",
      spend_currency: "USD",
      monthly_limit_usd: 300,
      alert_thresholds_usd: [120, 210, 270],
      expected_duration_minutes: 120,
    });
    expect(envelope.max_spend_amount).toBe(r.plan.envelope.max_spend_amount);
    // the window's burn is the phase's surfaces plus the persistent ones, below the all-surfaces burn
    expect(Number(r.plan.window.hourlyBurn)).toBeGreaterThan(0);
    expect(r.record).toMatchObject({
      phase_id: "P5",
      opened_utc: "2026-03-02T10:00:00Z",
      deadline_utc: "2026-03-02T12:00:00Z",
      surfaces: ["msk", "endpoints", "orchestration"],
    });
    expect((await h.services.store.get())?.phase_execution_id).toBe(r.record?.phase_execution_id);
    const mtd = h.ce.commandCalls(GetCostAndUsageCommand)[0].args[0].input;
    expect(mtd).toMatchObject({ TimePeriod: { Start: "2026-03-01", End: "2026-03-03" }, Granularity: "MONTHLY", Metrics: ["UnblendedCost"] });
  });

  it("refuses an open whose envelope would break the budget: nothing recorded, no stack touched", async () => {
    // below alert 3, but 60 h of MSK and endpoints do not fit the 50 USD left
    const h = harness({ monthToDate: "250.00" });
    const r = await openWindow(h.ctx, { phase: "P5", hours: 60 }, h.services);
    expect(r.exitCode).toBe(1);
    expect(r.refused).toMatch(/month-to-date spend 250\.00 \+ envelope [\d.]+ = [\d.]+ USD exceeds the monthly budget 300\.00/);
    expect(calls(h.log)).toEqual([]);
    expect(await h.services.store.get()).toBeUndefined();
    expect(fs.existsSync(path.join(h.out, "evidence"))).toBe(false);
  });

  it("refuses any open after alert 3 (AWS Budgets' actual spend), even with room left under the limit", async () => {
    const h = harness({ monthToDate: "0", budgetActual: "270.00" }, { accountId: "123456789012" });
    const r = await openWindow(h.ctx, { phase: "P3", hours: 1 }, h.services);
    expect(r.exitCode).toBe(1);
    expect(r.refused).toMatch(/has reached alert 3 \(270\.00, DEV_FULL_BUDGET_ALERT_3_USD\)/);
    expect(h.ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(0); // the budget was read, not Cost Explorer
    expect(calls(h.log)).toEqual([]);
  });

  it("refuses a second open while a window is recorded", async () => {
    const h = harness({ monthToDate: "10" });
    expect((await openWindow(h.ctx, { phase: "P5" }, h.services)).exitCode).toBe(0);
    const again = await openWindow(h.ctx, { phase: "P13" }, h.services);
    expect(again.exitCode).toBe(1);
    expect(again.refused).toMatch(/window P5 .* is open since 2026-03-02T10:00:00Z: close it first/);
  });

  it("keeps Aurora's data across windows: each window names its own final snapshot and restores from the previous one", async () => {
    const h = harness({ monthToDate: "40.00", window: ["0.50"] });
    const cluster = loadRegistry().string("AURORA_CLUSTER_IDENTIFIER");
    const first = await openWindow(h.ctx, { phase: "P0", hours: 2 }, h.services);
    expect(first.exitCode).toBe(0);
    const firstFinal = `${cluster}-final-${first.record?.phase_execution_id.replace(/_/g, "-").toLowerCase()}`;
    expect(first.record?.aurora_final_snapshot).toBe(firstFinal);
    const runtimeSets = () => calls(h.log).filter((c) => c[0] === "config" && c[1] === "set" && c.includes("dev-full-runtime") && c.includes("--path"));
    // the first window restores from nothing: only its own final snapshot is named
    expect(runtimeSets().map((c) => [c[3], c[c.length - 1]])).toEqual([["fraud-platform:auroraSnapshots.finalIdentifier", firstFinal]]);
    h.setNow(new Date("2026-03-02T12:00:00Z"));
    expect((await closeWindow(h.ctx, { artifacts: ["evidence/runs/p0/receipt.json"], decision: "P0 closed" }, h.services)).problems).toEqual([]);
    h.setNow(new Date("2026-03-03T09:00:00Z"));
    const second = await openWindow(h.ctx, { phase: "P2", hours: 2 }, h.services);
    expect(second.exitCode).toBe(0);
    const secondFinal = second.record?.aurora_final_snapshot;
    expect(secondFinal).toMatch(new RegExp(`^${cluster}-final-window-p2-20260303t090000z$`));
    expect(
      runtimeSets()
        .slice(1)
        .map((c) => [c[3], c[c.length - 1]]),
    ).toEqual([
      ["fraud-platform:auroraSnapshots.finalIdentifier", secondFinal],
      ["fraud-platform:auroraSnapshots.restoreFrom", firstFinal],
    ]);
    // a window without Aurora (P5) leaves the snapshot config alone
    h.setNow(new Date("2026-03-03T12:00:00Z"));
    await closeWindow(h.ctx, { artifacts: ["evidence/runs/p2/receipt.json"], decision: "P2 closed" }, h.services);
    const before = runtimeSets().length;
    const p5 = await openWindow(h.ctx, { phase: "P5" }, h.services);
    expect(p5.auroraFinalSnapshot).toBeUndefined();
    expect(runtimeSets()).toHaveLength(before);
  });

  it("closes: every stack set to closed in reverse order, idle scan, receipt from the tagged daily spend, record cleared", async () => {
    const h = harness({ monthToDate: "40.00", window: ["0.80", "0.45"] });
    const opened = await openWindow(h.ctx, { phase: "P5" }, h.services);
    h.setNow(new Date("2026-03-02T11:30:00Z"));
    const r = await closeWindow(
      h.ctx,
      { artifacts: ["evidence/runs/platform_20260302T100000Z/sr/ready_commit_receipt.json"], decision: "READY committed once by Step Functions" },
      h.services,
    );
    expect(r.problems).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(windowCalls(h.log).slice(10)).toEqual([...STACKS].reverse().flatMap((s) => [`config ${s} closed`, `up ${s} `]));
    const receipt = json(path.join(h.out, `evidence/dev_full/run_control/${opened.record?.phase_execution_id}/phase_cost_outcome_receipt.json`));
    for (const f of [
      "phase_id",
      "phase_execution_id",
      "window_start_utc",
      "window_end_utc",
      "spend_amount",
      "spend_currency",
      "artifacts_emitted",
      "decision_or_risk_retired",
    ])
      expect(receipt).toHaveProperty(f);
    expect(receipt).toMatchObject({
      phase_id: "P5",
      window_start_utc: "2026-03-02T10:00:00Z",
      window_end_utc: "2026-03-02T11:30:00Z",
      spend_amount: "1.25",
      spend_currency: "USD",
      cost_within_envelope: true,
      phase_outcome_pass: true,
      envelope_ref: opened.envelopeRef,
    });
    const windowRead = h.ce.commandCalls(GetCostAndUsageCommand)[1].args[0].input;
    expect(windowRead).toMatchObject({
      TimePeriod: { Start: "2026-03-02", End: "2026-03-03" },
      Granularity: "DAILY",
      Filter: { And: [{ Tags: { Key: "project", Values: ["fraud-platform"] } }, { Tags: { Key: "env", Values: ["dev_full"] } }] },
    });
    expect(await h.services.store.get()).toBeUndefined();
  });

  it("a close over its envelope, without an outcome, with surfaces still billing, fails and keeps the record", async () => {
    const h = harness({ monthToDate: "40.00", window: ["250.00"] }, { dirty: true });
    await openWindow(h.ctx, { phase: "P5" }, h.services);
    const r = await closeWindow(h.ctx, {}, h.services);
    expect(r.exitCode).toBe(1);
    expect(r.receipt).toMatchObject({
      spend_amount: "250.00",
      cost_within_envelope: false,
      phase_outcome_pass: false,
      decision_or_risk_retired: "none recorded",
      artifacts_emitted: [],
    });
    expect(r.problems.join("\n")).toMatch(/exceeds the envelope/);
    expect(r.problems.join("\n")).toMatch(/spend without outcome/);
    expect(r.problems.join("\n")).toMatch(/still bill at idle after the close: .*kafka/);
    expect(await h.services.store.get()).toBeDefined();
  });

  it("a failing stack update stops the open (the record stays for the guard) and is reported", async () => {
    const h = harness({ monthToDate: "10" }, { failing: ["dev-full-runtime"] });
    const r = await openWindow(h.ctx, { phase: "P5" }, h.services);
    expect(r.exitCode).toBe(1);
    expect(r.stacks.map((s) => [s.stackName, s.status])).toEqual([
      ["dev-full-core", "updated"],
      ["dev-full-streaming", "updated"],
      ["dev-full-runtime", "failed"],
    ]);
    expect(r.stacks[2].message).toMatch(/da-90-capacity-priced denied the stack/);
    expect(await h.services.store.get()).toBeDefined();
  });
});

describe("dry runs from the plan files (no credentials)", () => {
  it("open lists the surfaces, the stacks and the envelope; close lists what goes down", async () => {
    const h = harness({ monthToDate: "0" });
    const open = await openWindow(h.ctx, { phase: "P5", hours: 4, dryRun: true });
    expect(open.exitCode).toBe(0);
    expect(open.plan.window).toMatchObject({
      phase: "P5",
      surfaces: ["msk", "endpoints", "orchestration"],
      stacks: ["dev-full-streaming", "dev-full-runtime"],
      hours: 4,
    });
    expect(open.plan.envelope.expected_duration_minutes).toBe(240);
    // MSK and two endpoints up, Aurora and the operations dashboard not: the dominant surface is the bus
    expect(open.plan.window.dominantSurfaces[0].surface).toBe("msk");
    const close = await closeWindow(h.ctx, { dryRun: true });
    expect(close.exitCode).toBe(0);
    expect(close.order).toEqual([...STACKS].reverse());
    expect(close.down).toContainEqual({ surface: "aurora", down: "snapshot" });
    expect(calls(h.log)).toEqual([]);
  });

  it("a phase without hours is bad input naming the profile key", async () => {
    const h = harness({ monthToDate: "0" });
    await expect(openWindow(h.ctx, { phase: "P7", dryRun: true })).rejects.toThrow(/no window hours for P7/);
  });
});

describe("TTL: the idle guard and an expired window", () => {
  jest.setTimeout(60_000);
  const record = (deadline: string): WindowRecord => ({
    version: "1",
    env: "dev-full",
    phase_id: "P6",
    phase_execution_id: "window_p6_20260302T100000Z",
    platform_run_id: "N/A",
    opened_utc: "2026-03-02T10:00:00Z",
    deadline_utc: deadline,
    hours: 6,
    surfaces: ["msk", "endpoints"],
    stacks: STACKS,
    max_spend_amount: "12.00",
    envelope_ref: "evidence/dev_full/run_control/window_p6_20260302T100000Z/phase_budget_envelope.json",
  });

  it("observe reports a window past its deadline (exit 1) and changes nothing", async () => {
    const h = harness({ monthToDate: "50" });
    await h.services.store.put(record("2026-03-02T16:00:00Z"));
    h.setNow(new Date("2026-03-02T18:00:00Z"));
    const r = await guardWindow(h.ctx, "observe", h.services);
    expect(r).toMatchObject({ exitCode: 1, state: "expired-reported" });
    expect(r.message).toMatch(/passed its deadline 2026-03-02T16:00:00Z/);
    expect(calls(h.log)).toEqual([]);
  });

  it("enforce closes the expired window: surfaces down, receipt records no outcome", async () => {
    const h = harness({ monthToDate: "50", window: ["3.10"] });
    await h.services.store.put(record("2026-03-02T16:00:00Z"));
    h.setNow(new Date("2026-03-02T18:00:00Z"));
    const r = await guardWindow(h.ctx, "enforce", h.services);
    expect(r.state).toBe("expired-closed");
    expect(r.exitCode).toBe(1);
    expect(windowCalls(h.log)).toEqual([...STACKS].reverse().flatMap((s) => [`config ${s} closed`, `up ${s} `]));
    expect(r.close?.receipt).toMatchObject({ phase_id: "P6", spend_amount: "3.10", cost_within_envelope: true, phase_outcome_pass: false });
    expect(r.close?.receipt?.decision_or_risk_retired).toMatch(/none recorded \(closed by the idle guard/);
  });

  it("within its deadline the guard writes the daily cost posture and leaves the window open", async () => {
    const h = harness({ monthToDate: "50", window: ["1.00"] });
    await h.services.store.put(record("2026-03-02T16:00:00Z"));
    h.setNow(new Date("2026-03-02T12:00:00Z"));
    const r = await guardWindow(h.ctx, "enforce", h.services);
    expect(r).toMatchObject({ exitCode: 0, state: "open" });
    const posture = json(path.join(h.out, "evidence/dev_full/run_control/window_p6_20260302T100000Z/daily_cost_posture.json"));
    expect(posture).toMatchObject({ phase_id: "P6", month_to_date_spend: "50.00", window_spend_so_far: "1.00", written_at_utc: "2026-03-02T12:00:00Z" });
    expect(calls(h.log)).toEqual([]);
  });

  it("no window: nothing to do", async () => {
    const h = harness({ monthToDate: "50" });
    expect(await guardWindow(h.ctx, "enforce", h.services)).toMatchObject({ exitCode: 0, state: "none" });
  });
});
