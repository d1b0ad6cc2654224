import { budgetDeclared, budgetShape, budgetWholeAccount } from "../../policies/rules/budgetGuardrail";
import { UNKNOWN } from "../../src/plan/previewDocument";
import { DATA_ML_STACK, OPS_STACK, T, opsCompliant, res, stackDoc } from "../helpers/dataMlOpsFixtures";
import { check, mutate } from "../helpers/policyFixtures";

const budget = (inputs = opsCompliant.budget()) => stackDoc(OPS_STACK, res(OPS_STACK, T.budget, "monthly", inputs));
const last = (m: string) => m.split("\n").pop();

describe("DA-90 the monthly budget itself", () => {
  it("stays quiet on the pinned budget", async () => {
    expect((await check([budgetDeclared, budgetShape, budgetWholeAccount], budget())).violations).toEqual([]);
  });

  it("accepts a subscriber unknown during the plan (TO_PIN not yet pinned), without an advisory note", async () => {
    const inputs = opsCompliant.budget();
    for (const n of inputs.notifications as Array<Record<string, unknown>>) n.subscriberEmailAddresses = [UNKNOWN];
    expect((await check(budgetShape, budget(inputs))).violations).toEqual([]);
  });

  it("fires on a notification without any subscriber", async () => {
    const r = await check(budgetShape, budget(mutate(opsCompliant.budget(), "notifications.2.subscriberEmailAddresses", [])));
    expect(r.violations.map((v) => last(v.message))).toEqual([
      "notification at 270 has no subscriber; pin AWS_BUDGET_NOTIFICATION_EMAIL (never drop the notification).",
    ]);
  });

  it.each([
    ["name", "monthly", /name "monthly", expected fraud-platform-dev-full-monthly/],
    ["budgetType", "USAGE", /budgetType "USAGE", expected "COST"/],
    ["timeUnit", "QUARTERLY", /timeUnit "QUARTERLY", expected "MONTHLY"/],
    ["notifications.0.thresholdType", "PERCENTAGE", /notification at 120: thresholdType "PERCENTAGE"/],
    ["notifications.1.notificationType", "FORECASTED", /notification at 210: notificationType "FORECASTED"/],
    ["notifications.2.comparisonOperator", "EQUAL_TO", /notification at 270: comparisonOperator "EQUAL_TO"/],
  ])("fires when %s is %p", async (path, value, message) => {
    const r = await check(budgetShape, budget(mutate(opsCompliant.budget(), path, value)));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-90-budget-shape", enforcementLevel: "mandatory" });
    expect(r.violations[0].message).toMatch(message);
  });

  it("fires when an alert level is missing or moved", async () => {
    const r = await check(budgetShape, budget(mutate(opsCompliant.budget(), "notifications.1.threshold", 250)));
    expect(r.violations.map((v) => last(v.message))).toEqual([
      "no notification at 210 (alert 2).",
      "notification at 250 is not an alert level of the registry (120, 210, 270).",
    ]);
  });

  it("fires when the ops stack drops the budget, or declares two", async () => {
    expect((await check(budgetDeclared, stackDoc(OPS_STACK))).violations.map((v) => last(v.message))).toEqual([
      "the ops stack declares no budget fraud-platform-dev-full-monthly.",
    ]);
    const two = stackDoc(
      OPS_STACK,
      res(OPS_STACK, T.budget, "a", opsCompliant.budget()),
      res(OPS_STACK, T.budget, "b", mutate(opsCompliant.budget(), "name", "extra")),
    );
    expect((await check(budgetDeclared, two)).violations.map((v) => last(v.message))).toEqual([
      "2 budgets declared; exactly one (fraud-platform-dev-full-monthly).",
    ]);
    expect((await check(budgetDeclared, stackDoc(DATA_ML_STACK))).violations).toEqual([]);
  });
});

describe("DA-91 the budget covers the whole account", () => {
  it("fires on cost filters and on a filter expression", async () => {
    const filtered = await check(
      budgetWholeAccount,
      budget(mutate(opsCompliant.budget(), "costFilters", [{ name: "TagKeyValue", values: ["user:project$fraud-platform"] }])),
    );
    expect(filtered.violations).toEqual([expect.objectContaining({ policy: "da-91-budget-whole-account", message: expect.stringContaining("costFilters") })]);
    const expression = await check(
      budgetWholeAccount,
      budget(mutate(opsCompliant.budget(), "filterExpression", { dimensions: { key: "SERVICE", values: ["Amazon EC2"] } })),
    );
    expect(expression.violations.map((v) => last(v.message))).toEqual(["filterExpression narrows the budget; remove it."]);
  });
});
