/**
 * The monthly budget itself (the cost model's DA-90 rules live in budget.ts; this family completes DA-90 and adds
 * DA-91). The reference created its budget only when an e-mail was set, so the guardrail silently vanished.
 * - `da-90-budget-declared` (stack): the ops stack declares exactly one budget, AWS_BUDGET_NAME.
 * - `da-90-budget-shape`: COST, MONTHLY, named AWS_BUDGET_NAME, one ACTUAL / ABSOLUTE_VALUE / GREATER_THAN
 *   notification per registry alert level (DEV_FULL_BUDGET_ALERT_1..3_USD) and nothing else, each with a
 *   subscriber: a subscriber unknown during a preview (AWS_BUDGET_NOTIFICATION_EMAIL not yet pinned) is accepted,
 *   none at all is a violation. The limit is `da-90-budget-limit-matches-registry`'s.
 * - `da-91-budget-whole-account`: no cost filters or filter expression narrowing the budget (it covers the total
 *   AWS bill).
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { registry } from "../lib/registry";
import { resourceRule, stackRule } from "../lib/rule";
import { layerOfStack, rootUrnOf } from "../lib/stackLayer";

const BUDGET = "aws:budgets/budget:Budget";
const ALERTS = ["DEV_FULL_BUDGET_ALERT_1_USD", "DEV_FULL_BUDGET_ALERT_2_USD", "DEV_FULL_BUDGET_ALERT_3_USD"];

export const budgetDeclared = stackRule(
  {
    id: "DA-90",
    slug: "budget-declared",
    description:
      "The ops stack declares the monthly budget AWS_BUDGET_NAME, exactly once, whatever else is unresolved (a missing subscriber stops the stack; it never drops the budget).",
    severity: "critical",
  },
  (args, reportViolation) => {
    if (layerOfStack(args.resources) !== "ops") return args.notApplicable("not the ops stack");
    const name = registry().string("AWS_BUDGET_NAME");
    const budgets = args.resources.filter((r) => r.type === BUDGET);
    const pinned = budgets.filter((b) => b.props.name === name);
    if (pinned.length === 0) reportViolation(`the ops stack declares no budget ${name}.`, rootUrnOf(args.resources));
    if (budgets.length > 1) reportViolation(`${budgets.length} budgets declared; exactly one (${name}).`, rootUrnOf(args.resources));
  },
);

export const budgetShape = resourceRule(
  {
    id: "DA-90",
    slug: "budget-shape",
    description:
      "The budget is AWS_BUDGET_NAME, type COST, time unit MONTHLY, with exactly one ACTUAL, ABSOLUTE_VALUE, GREATER_THAN notification at each of DEV_FULL_BUDGET_ALERT_1..3_USD, each with a subscriber (AWS_BUDGET_NOTIFICATION_EMAIL).",
    severity: "critical",
  },
  policy.validateResourceOfType(aws.budgets.Budget, (budget, _args, reportViolation) => {
    const r = registry();
    const name = r.string("AWS_BUDGET_NAME");
    const alerts = ALERTS.map((h) => r.number(h));
    if (budget.name !== name) reportViolation(`name ${JSON.stringify(budget.name ?? null)}, expected ${name}.`);
    if (budget.budgetType !== "COST") reportViolation(`budgetType ${JSON.stringify(budget.budgetType)}, expected "COST".`);
    if (budget.timeUnit !== "MONTHLY") reportViolation(`timeUnit ${JSON.stringify(budget.timeUnit)}, expected "MONTHLY".`);
    const notifications = budget.notifications ?? [];
    const thresholds = notifications.map((n) => n.threshold);
    for (const a of alerts) if (!thresholds.includes(a)) reportViolation(`no notification at ${a} (alert ${alerts.indexOf(a) + 1}).`);
    for (const t of thresholds) if (!alerts.includes(t)) reportViolation(`notification at ${t} is not an alert level of the registry (${alerts.join(", ")}).`);
    if (new Set(thresholds).size !== thresholds.length) reportViolation("two notifications share a threshold.");
    notifications.forEach((n) => {
      const at = `notification at ${n.threshold}`;
      if (n.notificationType !== "ACTUAL") reportViolation(`${at}: notificationType ${JSON.stringify(n.notificationType)}, expected "ACTUAL".`);
      if (n.thresholdType !== "ABSOLUTE_VALUE")
        reportViolation(`${at}: thresholdType ${JSON.stringify(n.thresholdType)}, expected "ABSOLUTE_VALUE" (USD, not percent).`);
      if (n.comparisonOperator !== "GREATER_THAN")
        reportViolation(`${at}: comparisonOperator ${JSON.stringify(n.comparisonOperator)}, expected "GREATER_THAN".`);
      // Only the count is read: an address unknown during a preview still counts as a subscriber.
      const subscribers = (n.subscriberEmailAddresses?.length ?? 0) + (n.subscriberSnsTopicArns?.length ?? 0);
      if (subscribers === 0) reportViolation(`${at} has no subscriber; pin AWS_BUDGET_NOTIFICATION_EMAIL (never drop the notification).`);
    });
  }),
);

export const budgetWholeAccount = resourceRule(
  {
    id: "DA-91",
    slug: "budget-whole-account",
    description: "The budget covers the total AWS bill: no costFilters and no filterExpression narrowing it to some services, tags or accounts.",
    severity: "high",
  },
  policy.validateResourceOfType(aws.budgets.Budget, (budget, _args, reportViolation) => {
    if ((budget.costFilters ?? []).length > 0) reportViolation(`costFilters ${JSON.stringify(budget.costFilters)} narrow the budget; remove them.`);
    if (budget.filterExpression !== undefined) reportViolation("filterExpression narrows the budget; remove it.");
  }),
);

export const budgetGuardrailPolicies = [budgetDeclared, budgetShape, budgetWholeAccount];
