/** Proof-window postures of the cost report: phase windows, between windows, the targets (met and not met). */
import { costReportOf } from "../../src/cost/costReport";
import { Decimal } from "../../src/cost/decimal";
import { PhaseWindow, medianBurn, windowTargets } from "../../src/cost/windows";
import { windowPlanDocs } from "../window/fakes";
import { res, stackDoc, testDeps } from "./fixtures";

const w = (phase: string, burn: string, hours = 1): PhaseWindow => ({
  phase,
  name: phase,
  surfaces: [],
  stacks: [],
  hourlyBurn: burn,
  hours,
  envelope: "0",
  dominantSurfaces: [{ surface: "msk", hourlyBurn: burn }],
  unpriced: [],
});

describe("phaseWindows and betweenWindows in cost-report.json", () => {
  it("reports every phase; a phase's burn counts the persistent surfaces and its own, not the others", () => {
    const report = costReportOf(windowPlanDocs(), testDeps(), "dev-full");
    expect(report.phaseWindows?.map((p) => p.phase)).toHaveLength(19);
    const byPhase = new Map(report.phaseWindows?.map((p) => [p.phase, p]));
    const p5 = byPhase.get("P5");
    const p13 = byPhase.get("P13");
    const p8 = byPhase.get("P8");
    // P13 (Databricks) runs on the persistent platform only here; P5 adds MSK and endpoints; P8 adds Aurora too
    expect(Decimal.of(p5?.hourlyBurn ?? "0").gt(Decimal.of(p13?.hourlyBurn ?? "0"))).toBe(true);
    expect(Decimal.of(p8?.hourlyBurn ?? "0").gt(Decimal.of(p5?.hourlyBurn ?? "0"))).toBe(true);
    expect(p5?.dominantSurfaces[0].surface).toBe("msk");
    expect(p5?.stacks).toEqual(["dev-full-streaming", "dev-full-runtime"]);
    // the profile gives P5 2 h: envelope = ceil(burn x 2) + 20 %
    expect(Number(p5?.envelope)).toBeGreaterThan(Number(p5?.hourlyBurn) * 2);
    // without a closed-window plan betweenWindows is absent and its target is not met (never assumed)
    expect(report.postures.betweenWindows).toBeUndefined();
    expect(report.windowTargets?.find((t) => t.name === "betweenWindows")).toMatchObject({ ok: false, value: null });
  });

  it("prices betweenWindows from the closed plan's resources at their idle rates", () => {
    const CORE = "dev-full-core";
    const closed = [stackDoc(CORE, res(CORE, "aws:kms/key:Key", "platform-key", {}), res(CORE, "aws:s3/bucket:Bucket", "evidence", {}))];
    const report = costReportOf(windowPlanDocs(), testDeps(), "dev-full", { docs: closed, source: "test" });
    // a key (1.00) and 10 GB of S3 Standard at rest; no requests between windows
    expect(report.postures.betweenWindows?.monthlyCost).toBe(
      Decimal.of("1")
        .plus(Decimal.of(10).times(report.priceTable.prices?.find((p) => p.sku === "s3.standard.gb-month")?.usd ?? "0"))
        .toFixed(4),
    );
    expect(report.windowTargets?.find((t) => t.name === "betweenWindows")?.ok).toBe(true);
    // the idle-safe switch leaves MSK, Aurora and the endpoints standing: far above the closed window
    expect(Number(report.postures.idleSafeSwitch?.monthlyCost)).toBeGreaterThan(500);
  });
});

describe("targets", () => {
  it("takes the middle burn (mean of the two middle ones for an even count)", () => {
    expect(medianBurn([w("P1", "0.5"), w("P2", "3"), w("P3", "1")]).toString()).toBe("1");
    expect(medianBurn([w("P1", "0.5"), w("P2", "3"), w("P3", "1"), w("P4", "2")]).toString()).toBe("1.5");
  });

  it("names the phases over the burn target with their dominant surfaces, and fails a month over the budget", () => {
    const windows = [w("P1", "0.2", 10), w("P2", "2.5", 100), w("P3", "1.8", 100)];
    const between = { monthlyCost: "3.0000", hourlyBurn: "0.0042", unpriced: [], dominantResources: [], source: "test" };
    const t = windowTargets(windows, between, Decimal.of(300));
    expect(t.find((x) => x.name === "medianWindowBurn")).toMatchObject({ ok: false, value: "1.8000" });
    expect(t.find((x) => x.name === "medianWindowBurn")?.detail).toMatch(/over 1\.50: P2 2\.50 \(msk 2\.50\); P3 1\.80/);
    // 2 + 250 + 180 + 0.0042 x 520 h
    expect(t.find((x) => x.name === "profileMonth")).toMatchObject({ ok: false });
    expect(Number(t.find((x) => x.name === "profileMonth")?.value)).toBeCloseTo(434.18, 2);
  });
});
