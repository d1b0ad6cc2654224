/** Phase spend envelope (phases.md §4): burn x window hours rounded up to cents, plus the stated margin. */
import { costReportOf } from "../../src/cost/costReport";
import { maxSpend, phaseEnvelope } from "../../src/cost/envelope";
import { Decimal } from "../../src/cost/decimal";
import { CostReport } from "../../src/cost/report";
import { leanRuntime, res, stackDoc, testDeps } from "./fixtures";

const OPTIONS = {
  phaseId: "P6",
  phaseExecutionId: "m6_streaming_active_20260302T100000Z",
  platformRunId: "platform_20260302T095500Z",
  windowStartUtc: "2026-03-02T10:00:00Z",
  durationMinutes: 90,
  expectedProofArtifacts: ["evidence/runs/platform_20260302T095500Z/P6/streaming_active.json"],
  configDigest: "a".repeat(64),
  writtenAtUtc: "2026-03-02T09:58:00Z",
};

function report(): CostReport {
  // one MSK Serverless cluster and 12 partitions: 0.75 + 12 x 0.0015 + 1 GB in x 0.10 + 2 GB out x 0.05 + storage
  const ST = "dev-full-streaming";
  const topics = [6, 3, 3].map((p, i) => res(ST, "kafka:index/topic:Topic", `t${i}`, { partitions: p }));
  return costReportOf([stackDoc(ST, res(ST, "aws:msk/serverlessCluster:ServerlessCluster", "msk", {}), ...topics)], testDeps(), "dev-full");
}

describe("phaseEnvelope", () => {
  it("sets max spend to ceil_cents(burn x hours) + ceil_cents(margin)", () => {
    const r = report();
    // always-on 707.64 / 730 = 0.96937 -> burn 0.9694 USD/h (rounded up); 1.5 h -> 1.4541 -> 1.46; +20% -> 0.292 -> 0.30
    expect(r.postures.proofWindow.hourlyBurn).toBe("0.9694");
    const env = phaseEnvelope(r, OPTIONS);
    expect(env.max_spend_amount).toBe("1.76");
    expect(maxSpend(Decimal.of("0.9694"), 90, 20)).toEqual({ base: Decimal.of("1.46"), margin: Decimal.of("0.3"), total: Decimal.of("1.76") });
  });

  it("fills every field of the contract from the report, the registry and the options", () => {
    const env = phaseEnvelope(report(), OPTIONS);
    expect(env).toMatchObject({
      phase_id: "P6",
      phase_execution_id: OPTIONS.phaseExecutionId,
      platform_run_id: OPTIONS.platformRunId,
      spend_currency: "USD",
      expected_window_start_utc: "2026-03-02T10:00:00Z",
      expected_duration_minutes: 90,
      expected_proof_artifacts: OPTIONS.expectedProofArtifacts,
      monthly_limit_usd: 300,
      alert_thresholds_usd: [120, 210, 270],
      cost_capture_scope: "aws_only_pre_m11_databricks_cost_deferred",
      written_at_utc: OPTIONS.writtenAtUtc,
      config_digest: OPTIONS.configDigest,
    });
    expect(Object.keys(env).sort()).toEqual(
      [
        "alert_thresholds_usd",
        "config_digest",
        "cost_capture_scope",
        "expected_duration_minutes",
        "expected_proof_artifacts",
        "expected_window_start_utc",
        "hard_stop_conditions",
        "max_spend_amount",
        "monthly_limit_usd",
        "phase_execution_id",
        "phase_id",
        "platform_run_id",
        "spend_currency",
        "written_at_utc",
      ].sort(),
    );
  });

  it("hard-stops on overspend, alert 3, window overrun and spend without outcome", () => {
    const stops = phaseEnvelope(report(), OPTIONS).hard_stop_conditions;
    expect(stops.map((s) => s.split(":")[0])).toEqual(["SPEND_ABOVE_ENVELOPE", "ALERT_3_BREACHED", "WINDOW_OVERRUN", "SPEND_WITHOUT_OUTCOME"]);
    expect(stops[0]).toContain("max_spend_amount 1.76 USD");
    expect(stops[1]).toMatch(/reaches 270\.00 \(DEV_FULL_BUDGET_ALERT_3_USD\).*DFULL_SFN_B5 COST_GUARDRAIL_BREACH/);
    expect(stops[2]).toContain("still running at 2026-03-02T11:48:00Z"); // 90 min + 20% = 108 min
  });

  it("adds an unpriced-spend stop when the estimate is a lower bound", () => {
    const r = costReportOf([leanRuntime()], testDeps(), "dev-full");
    expect(r.confidence).not.toBe("1.0000");
    expect(phaseEnvelope(r, OPTIONS).hard_stop_conditions.some((s) => s.startsWith("UNPRICED_SPEND"))).toBe(true);
  });

  it("takes an explicit margin over the profile's", () => {
    expect(phaseEnvelope(report(), { ...OPTIONS, safetyMarginPercent: 0 }).max_spend_amount).toBe("1.46");
  });

  it("rejects bad identifiers, times and durations with every problem named", () => {
    expect(() =>
      phaseEnvelope(report(), {
        ...OPTIONS,
        phaseId: "P18",
        platformRunId: "run-1",
        windowStartUtc: "2026-03-02 10:00",
        durationMinutes: 0,
        expectedProofArtifacts: [],
      }),
    ).toThrow(/phase_id[\s\S]*platform_run_id[\s\S]*expected_window_start_utc[\s\S]*expected_duration_minutes[\s\S]*expected_proof_artifacts/);
    expect(phaseEnvelope(report(), { ...OPTIONS, phaseId: "P(-1)", platformRunId: "N/A" }).phase_id).toBe("P(-1)");
  });
});
