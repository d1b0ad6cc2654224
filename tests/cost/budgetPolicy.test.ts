/**
 * DA-90 budget policies, run through the same harness as the plan (CrossGuard semantics: PolicyResource props
 * behind the unknown-checking proxy, config defaults from the schema). The stack policies use the real
 * dev-full usage profile; envelopes are set through policy config relative to the model's own estimate, so the
 * tests hold whatever the profile's hours are.
 */
import {
  budgetLimitMatchesRegistry,
  budgetPolicies,
  stackCostAlertLevels,
  stackResourcesPriced,
  stackWithinCostEnvelope,
} from "../../policies/rules/budget";
import { Decimal } from "../../src/cost/decimal";
import { costInputsOf } from "../../src/cost/inputs";
import { modelDeps, priceStack, totals } from "../../src/cost/model";
import { PreviewDocument, UNKNOWN } from "../../src/plan/previewDocument";
import { check } from "../helpers/policyFixtures";
import { leanRuntime, referenceRuntime, res, stackDoc } from "./fixtures";

const RT = "dev-full-runtime";

function proofWindowEstimate(doc: PreviewDocument): Decimal {
  return totals(priceStack(costInputsOf(doc), modelDeps({ env: "dev-full" })).filter((r) => !r.free)).proofWindow;
}

/** Envelopes adding up to 300 with `runtime` as given (the rest spread over the other layers). */
function envelopes(runtime: number) {
  const rest = (300 - runtime) / 4;
  return { envelopesUsd: { core: rest, streaming: rest, runtime, data_ml: rest, ops: rest } };
}

describe("da-90-stack-within-cost-envelope (mandatory)", () => {
  it("denies the reference runtime: its proof-window estimate breaks the runtime envelope", async () => {
    const r = await check(stackWithinCostEnvelope, referenceRuntime());
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-90-stack-within-cost-envelope", enforcementLevel: "mandatory", rule: "DA-90", stack: RT });
    expect(r.violations[0].message).toMatch(/layer runtime \(dev-full-runtime\): the proof-window estimate [\d.]+ USD\/month breaks its envelope of [\d.]+ USD \(budget 300\.00 USD\)/);
    expect(r.violations[0].message).toMatch(/Largest: ig-service [\d.]+, m6f-workers [\d.]+/);
    expect(r.violations[0].message).toMatch(/unpriced resource\(s\) are not counted/);
  });

  it("allows the lean runtime within the default envelope", async () => {
    const r = await check(stackWithinCostEnvelope, leanRuntime());
    expect(r.violations).toEqual([]);
  });

  it("denies the same lean runtime once its envelope is set below its estimate (policy config)", async () => {
    const estimate = proofWindowEstimate(leanRuntime());
    const below = Number(estimate.round(0, "floor").minus(1).toString());
    const r = await check(stackWithinCostEnvelope, leanRuntime(), { "da-90-stack-within-cost-envelope": envelopes(below) });
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toContain(`breaks its envelope of ${below.toFixed(2)} USD`);
  });

  it("rejects envelopes that do not add up to the budget", async () => {
    const r = await check(stackWithinCostEnvelope, leanRuntime(), { "da-90-stack-within-cost-envelope": { envelopesUsd: { core: 10, streaming: 10, runtime: 10, data_ml: 10, ops: 10 } } });
    expect(r.violations.map((v) => v.message)).toEqual([expect.stringMatching(/add up to 50 USD, not the monthly budget limit 300 USD/)]);
  });

  it("is not applicable to resources of no layer stack", async () => {
    const doc = stackDoc("scratch", res("scratch", "aws:eks/cluster:Cluster", "eks", {}));
    const r = await check(stackWithinCostEnvelope, doc);
    expect(r.violations).toEqual([]);
    expect(r.summary.notApplicable).toBe(1);
  });
});

describe("da-90-stack-cost-alert-levels (advisory)", () => {
  const estimate = () => proofWindowEstimate(leanRuntime());

  it("warns at alert 2 when the estimate is 80% of the envelope (alerts at 40/70/90% = 120/210/270 of 300)", async () => {
    const envelope = Number(estimate().div("0.8", 0, "ceil").toString());
    const r = await check(stackCostAlertLevels, leanRuntime(), { "da-90-stack-cost-alert-levels": envelopes(envelope) });
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ enforcementLevel: "advisory", policy: "da-90-stack-cost-alert-levels" });
    expect(r.violations[0].message).toMatch(/reaches alert 2: [\d.]+ of its [\d.]+ USD envelope, as the budget alerts at 210\.00 of 300\.00 USD/);
  });

  it("stays quiet below alert 1 and leaves a broken envelope to the mandatory policy", async () => {
    const roomy = Number(estimate().times(3).ceilInt().toString());
    expect((await check(stackCostAlertLevels, leanRuntime(), { "da-90-stack-cost-alert-levels": envelopes(roomy) })).violations).toEqual([]);
    const tight = Number(estimate().round(0, "floor").minus(1).toString());
    expect((await check(stackCostAlertLevels, leanRuntime(), { "da-90-stack-cost-alert-levels": envelopes(tight) })).violations).toEqual([]);
  });
});

describe("da-90-stack-resources-priced (advisory)", () => {
  it("names each resource the model cannot price (never counted as 0)", async () => {
    const doc = stackDoc(RT, res(RT, "aws:sns/topic:Topic", "alerts", {}), res(RT, "aws:eks/nodeGroup:NodeGroup", "ng", { scalingConfig: { desiredSize: UNKNOWN } }), res(RT, "aws:kms/key:Key", "key", {}));
    const r = await check(stackResourcesPriced, doc);
    expect(r.violations.map((v) => [v.urn?.split("::").pop(), v.enforcementLevel])).toEqual([
      ["alerts", "advisory"],
      ["ng", "advisory"],
    ]);
    expect(r.violations[1].message).toContain("input scalingConfig.desiredSize is not known at preview");
  });

  it("stays quiet when everything is priced", async () => {
    const r = await check(stackResourcesPriced, stackDoc(RT, res(RT, "aws:kms/key:Key", "key", {}), res(RT, "aws:iam/role:Role", "role", {})));
    expect(r.violations).toEqual([]);
  });
});

describe("da-90-budget-limit-matches-registry (mandatory)", () => {
  const OPS = "dev-full-ops";
  const budget = (inputs: Record<string, unknown>) =>
    stackDoc(OPS, res(OPS, "aws:budgets/budget:Budget", "monthly", { name: "fraud-platform-dev-full-monthly", budgetType: "COST", timeUnit: "MONTHLY", ...inputs } as never));

  it.each([["300"], ["300.0"], ["300.00"]])("stays quiet on limitAmount %p USD", async (amount) => {
    expect((await check(budgetLimitMatchesRegistry, budget({ limitAmount: amount, limitUnit: "USD" }))).violations).toEqual([]);
  });

  it.each([
    [{ limitAmount: "250", limitUnit: "USD" }, /limitAmount is "250", expected 300 \(DEV_FULL_MONTHLY_BUDGET_LIMIT_USD\)/],
    [{ limitAmount: "300", limitUnit: "EUR" }, /limitUnit is "EUR", expected "USD" \(BUDGET_CURRENCY\)/],
    [{ limitUnit: "USD" }, /limitAmount is not set/],
  ])("fires on %p", async (inputs, message) => {
    const r = await check(budgetLimitMatchesRegistry, budget(inputs));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-90-budget-limit-matches-registry", enforcementLevel: "mandatory", severity: "critical" });
    expect(r.violations[0].message).toMatch(message);
  });

  it("downgrades to a can't-run note when the limit is unknown at preview", async () => {
    const r = await check(budgetLimitMatchesRegistry, budget({ limitAmount: UNKNOWN, limitUnit: "USD" }));
    expect(r.violations.map((v) => v.enforcementLevel)).toEqual(["advisory"]);
    expect(r.violations[0].message).toMatch(/can't run policy/);
  });
});

describe("pack wiring", () => {
  it("exposes four DA-90 policies with schema defaults taken from the usage profile", () => {
    expect(budgetPolicies.map((p) => p.name)).toEqual(["da-90-stack-within-cost-envelope", "da-90-stack-cost-alert-levels", "da-90-stack-resources-priced", "da-90-budget-limit-matches-registry"]);
    const schema = stackWithinCostEnvelope.configSchema?.properties.envelopesUsd as { default?: Record<string, number> };
    expect(Object.values(schema.default ?? {}).reduce((a, b) => a + b, 0)).toBe(300);
  });
});
