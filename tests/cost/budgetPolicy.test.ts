/**
 * DA-90 budget policies, run through the same harness as the plan (CrossGuard semantics: PolicyResource props
 * behind the unknown-checking proxy, config defaults from the schema). The stack policies use the real
 * dev-full usage profile; envelopes are set through policy config relative to the model's own estimate, so the
 * tests hold whatever the profile's hours are.
 */
import {
  budgetLimitMatchesRegistry,
  budgetPolicies,
  capacityPriced,
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
    expect(r.violations[0].message).toMatch(
      /layer runtime \(dev-full-runtime\): the proof-window estimate [\d.]+ USD\/month breaks its envelope of [\d.]+ USD \(budget 300\.00 USD\)/,
    );
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
    const r = await check(stackWithinCostEnvelope, leanRuntime(), {
      "da-90-stack-within-cost-envelope": { envelopesUsd: { core: 10, streaming: 10, runtime: 10, data_ml: 10, ops: 10 } },
    });
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
    const doc = stackDoc(
      RT,
      res(RT, "aws:sns/topic:Topic", "alerts", {}),
      res(RT, "aws:eks/nodeGroup:NodeGroup", "ng", { scalingConfig: { desiredSize: UNKNOWN } }),
      res(RT, "aws:kms/key:Key", "key", {}),
    );
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

describe("da-90-capacity-priced (mandatory): unpriced capacity is denied, never waved through", () => {
  /** Tens of thousands of USD a month, built only from sizes that are not rows of the price table. */
  const oversized = () =>
    stackDoc(
      RT,
      res(RT, "aws:eks/nodeGroup:NodeGroup", "big-workers", {
        instanceTypes: ["m6i.4xlarge"],
        scalingConfig: { desiredSize: 40, minSize: 40, maxSize: 40 },
        diskSize: 20,
      }),
      res(RT, "aws:rds/cluster:Cluster", "big-db", { engine: "aurora-postgresql", clusterIdentifier: "big-db" }),
      res(RT, "aws:rds/clusterInstance:ClusterInstance", "big-db-writer", { instanceClass: "db.r6g.8xlarge", clusterIdentifier: "big-db" }),
    );

  it("denies the unpriced Aurora size and, with the node size priced from m6i.large, the envelope denies the rest", async () => {
    const r = await check(capacityPriced, oversized());
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-90-capacity-priced", enforcementLevel: "mandatory", rule: "DA-90", stack: RT });
    expect(r.violations[0].urn).toMatch(/::big-db-writer$/);
    expect(r.violations[0].message).toMatch(/Instance hours \(db\.r6g\.8xlarge\): SKU aurora\.db\.r6g\.8xlarge\.instance-hour is not in the price table/);
    const envelope = await check(stackWithinCostEnvelope, oversized());
    expect(envelope.violations).toHaveLength(1);
    expect(envelope.violations[0].message).toMatch(/Largest: big-workers [\d.]+/);
    // 40 x 0.888 USD/h (m6i.large 0.111 x 32/4) all month: the node group alone is over 25,000 USD
    const priced = priceStack(costInputsOf(oversized()), modelDeps({ env: "dev-full" }));
    expect(priced.find((p) => p.input.name === "big-workers")?.monthly.alwaysOn?.gt(25000)).toBe(true);
  });

  it("denies a capacity type sized by an input unknown at preview, and a started Flink application at an unknown KPU price", async () => {
    const doc = stackDoc(
      RT,
      res(RT, "aws:eks/nodeGroup:NodeGroup", "ng", { scalingConfig: { desiredSize: UNKNOWN } }),
      res(RT, "aws:kinesisanalyticsv2/application:Application", "flink", { runtimeEnvironment: "FLINK-1_20", startApplication: true }),
    );
    const r = await check(capacityPriced, doc);
    expect(r.violations.map((v) => v.urn?.split("::").pop())).toEqual(["ng", "flink"]);
    expect(r.violations[0].message).toMatch(/bills capacity by the hour and could not be priced \(input scalingConfig\.desiredSize is not known at preview\)/);
    expect(r.violations[1].message).toMatch(/KPU hours \(2 KPUs\): SKU msf\.kpu-hour has no price/);
  });

  it("stays quiet on the lean runtime, a stopped Flink application and usage-only unpriced resources", async () => {
    expect((await check(capacityPriced, leanRuntime())).violations).toEqual([]);
    const doc = stackDoc(
      RT,
      res(RT, "aws:kinesisanalyticsv2/application:Application", "flink", { runtimeEnvironment: "FLINK-1_20", startApplication: false }),
      res(RT, "aws:sqs/queue:Queue", "dlq", {}),
      res(RT, "aws:eks/nodeGroup:NodeGroup", "small", { instanceTypes: ["t3.xlarge"], scalingConfig: { desiredSize: 0, minSize: 0, maxSize: 2 } }),
    );
    expect((await check(capacityPriced, doc)).violations).toEqual([]);
  });

  it("lets a reviewed exemption allow an unpriced size", async () => {
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const doc = stackDoc(
      RT,
      res(RT, "aws:rds/cluster:Cluster", "big-db", { engine: "aurora-postgresql", clusterIdentifier: "big-db" }),
      res(RT, "aws:rds/clusterInstance:ClusterInstance", "big-db-writer", {
        instanceClass: "db.r6g.8xlarge",
        clusterIdentifier: "big-db",
        tags: { "fp_exempt_da-90-capacity-priced": `expires=${expires} approver=finops reason=load-test-priced-from-the-AWS-calculator` },
      }),
    );
    expect((await check(capacityPriced, doc)).violations).toEqual([]);
  });
});

describe("da-90-budget-limit-matches-registry (mandatory)", () => {
  const OPS = "dev-full-ops";
  const budget = (inputs: Record<string, unknown>) =>
    stackDoc(
      OPS,
      res(OPS, "aws:budgets/budget:Budget", "monthly", {
        name: "fraud-platform-dev-full-monthly",
        budgetType: "COST",
        timeUnit: "MONTHLY",
        ...inputs,
      } as never),
    );

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
  it("exposes five DA-90 policies with schema defaults taken from the usage profile", () => {
    expect(budgetPolicies.map((p) => p.name)).toEqual([
      "da-90-stack-within-cost-envelope",
      "da-90-stack-cost-alert-levels",
      "da-90-stack-resources-priced",
      "da-90-capacity-priced",
      "da-90-budget-limit-matches-registry",
    ]);
    const schema = stackWithinCostEnvelope.configSchema?.properties.envelopesUsd as { default?: Record<string, number> };
    expect(Object.values(schema.default ?? {}).reduce((a, b) => a + b, 0)).toBe(300);
  });
});
