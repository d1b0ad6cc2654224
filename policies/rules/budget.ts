/**
 * DA-90 cost guard, evaluated before anything is created (the reference only noticed overspend on the bill):
 * - `da-90-stack-within-cost-envelope` (mandatory, high): the cost model (src/cost) prices the stack from the
 *   inputs known at preview; a stack whose monthly proof-window estimate breaks its layer's envelope is denied.
 *   Envelopes add up to the registry's monthly budget; they come from the environment's usage profile
 *   (`fraud-platform:cost` in Pulumi.<env>.yaml) and can be overridden through this policy's config.
 * - `da-90-stack-cost-alert-levels` (advisory, medium): warns when the estimate reaches the alert levels
 *   (DEV_FULL_BUDGET_ALERT_1..3_USD) scaled to the layer's share of the budget.
 * - `da-90-stack-resources-priced` (advisory, low): names every resource the model cannot price (unknown SKU,
 *   `usd: null`, input unknown at preview); they are never counted as 0.
 * - `da-90-capacity-priced` (mandatory, high): a resource that bills provisioned capacity by the hour (instances,
 *   clusters, nodes, ACUs, endpoints) must have a known price for it. Sizes missing from the table are priced from
 *   another size of the same family (normalization factors, src/cost/prices.ts); what is still unknown is denied,
 *   never counted as 0, unless a reviewed exemption allows it. The other unpriced resources stay advisory.
 * - `da-90-budget-limit-matches-registry` (mandatory, critical): a declared AWS Budget caps spend at the
 *   registry's DEV_FULL_MONTHLY_BUDGET_LIMIT_USD in BUDGET_CURRENCY.
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { Decimal } from "../../src/cost/decimal";
import { fromPolicyResource } from "../../src/cost/inputs";
import { PricedResource, layerOf, modelDeps, priceStack, stackOfUrn, totals, unpricedCapacity } from "../../src/cost/model";
import { CostProfile, loadCostProfile } from "../../src/cost/profile";
import { InputError } from "../../src/errors";
import { DEFAULT_ENV, LAYERS, Layer, parseStackName } from "../../src/layers";
import { registry } from "../lib/registry";
import { resourceRule, stackRule } from "../lib/rule";

type Envelopes = Record<Layer, number>;

/** Envelopes of the default environment's usage profile: the config schema's defaults (never repeated in code). */
function profileDefaults(): Envelopes | undefined {
  try {
    return { ...loadCostProfile(DEFAULT_ENV).settings.envelopesUsd };
  } catch {
    return undefined; // no usable profile: the stack policy reports it when it runs
  }
}
const DEFAULT_ENVELOPES = profileDefaults();

const envelopeSchema: policy.PolicyConfigSchema = {
  properties: {
    envelopesUsd: {
      type: "object",
      description:
        "Monthly envelope of each layer in USD; they must add up to DEV_FULL_MONTHLY_BUDGET_LIMIT_USD. Default: the usage profile of Pulumi.<env>.yaml.",
      properties: Object.fromEntries(LAYERS.map((l) => [l, { type: "number", minimum: 0 }])),
      required: [...LAYERS],
      additionalProperties: false,
      ...(DEFAULT_ENVELOPES ? { default: DEFAULT_ENVELOPES } : {}),
    },
  },
};

interface StackCost {
  /** URN of the stack's root resource, where stack-level violations point. */
  rootUrn?: string;
  layer: Layer;
  stackName: string;
  profile: CostProfile;
  envelope: Decimal;
  proofWindow: Decimal;
  priced: PricedResource[];
}

type Outcome = { ok: true; cost: StackCost } | { ok: false; problem: string };

function money(d: Decimal): string {
  return d.toFixed(2);
}

/** Prices the stack; chooses the envelope from config (when set to something else than the defaults) or the profile. */
function stackCost(args: policy.StackValidationArgs): Outcome | undefined {
  const inputs = args.resources.map(fromPolicyResource);
  const first = inputs.find((r) => layerOf(r) !== undefined);
  if (!first) return undefined;
  const layer = layerOf(first) as Layer;
  const stackName = stackOfUrn(first.urn);
  let env = DEFAULT_ENV;
  try {
    env = parseStackName(stackName).env;
  } catch {
    // layer from the fp_stack tag: keep the default environment
  }
  let deps;
  try {
    deps = modelDeps({ env });
  } catch (e) {
    if (e instanceof InputError) return { ok: false, problem: `no usable usage profile for environment ${env}: ${e.message}` };
    throw e;
  }
  const configured = args.getConfig<{ envelopesUsd?: Envelopes }>().envelopesUsd;
  const fromConfig = configured && JSON.stringify(configured) !== JSON.stringify(DEFAULT_ENVELOPES);
  const envelopes: Envelopes = fromConfig && configured ? configured : deps.profile.settings.envelopesUsd;
  const sum = Decimal.sum(LAYERS.map((l) => Decimal.of(envelopes[l])));
  if (!sum.eq(deps.profile.budget.limitUsd)) {
    return {
      ok: false,
      problem: `the layer envelopes add up to ${sum.toString()} USD, not the monthly budget limit ${deps.profile.budget.limitUsd.toString()} USD (DEV_FULL_MONTHLY_BUDGET_LIMIT_USD).`,
    };
  }
  const priced = priceStack(inputs, deps).filter((r) => r.layer === layer && !r.free);
  const rootUrn = inputs.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
  return {
    ok: true,
    cost: {
      ...(rootUrn ? { rootUrn } : {}),
      layer,
      stackName,
      profile: deps.profile,
      envelope: Decimal.of(envelopes[layer]),
      proofWindow: totals(priced).proofWindow,
      priced,
    },
  };
}

function largest(priced: readonly PricedResource[]): string {
  return priced
    .filter((r) => r.monthly.proofWindow?.gt(0))
    .sort((a, b) => (b.monthly.proofWindow as Decimal).cmp(a.monthly.proofWindow as Decimal))
    .slice(0, 3)
    .map((r) => `${r.input.name} ${money(r.monthly.proofWindow as Decimal)}`)
    .join(", ");
}

function unpricedNote(priced: readonly PricedResource[]): string {
  const n = priced.filter((r) => r.unpricedReasons.length > 0).length;
  return n ? ` ${n} unpriced resource(s) are not counted, so the estimate is a lower bound.` : "";
}

export const stackWithinCostEnvelope = stackRule(
  {
    id: "DA-90",
    slug: "stack-within-cost-envelope",
    description:
      "The stack's monthly proof-window cost estimate must stay within its layer's envelope (the envelopes add up to the monthly budget). Lower capacity or minimum sizes, shorten proof windows, or re-split the envelopes in the usage profile.",
    severity: "high",
    configSchema: envelopeSchema,
  },
  (args, reportViolation) => {
    const outcome = stackCost(args);
    if (!outcome) return args.notApplicable("no resource of a layer stack");
    if (outcome.ok === false) return reportViolation(outcome.problem);
    const c = outcome.cost;
    if (c.proofWindow.gt(c.envelope)) {
      reportViolation(
        `layer ${c.layer} (${c.stackName}): the proof-window estimate ${money(c.proofWindow)} USD/month breaks its envelope of ${money(c.envelope)} USD (budget ${money(c.profile.budget.limitUsd)} USD). Largest: ${largest(c.priced)}.${unpricedNote(c.priced)}`,
        c.rootUrn,
      );
    }
  },
);

export const stackCostAlertLevels = stackRule(
  {
    id: "DA-90",
    slug: "stack-cost-alert-levels",
    description:
      "Warns when the stack's proof-window estimate reaches a budget alert level (DEV_FULL_BUDGET_ALERT_1..3_USD) scaled to its layer's share of the budget.",
    severity: "medium",
    enforcementLevel: "advisory",
    configSchema: envelopeSchema,
  },
  (args, reportViolation) => {
    const outcome = stackCost(args);
    if (!outcome || outcome.ok === false) return args.notApplicable("no priced layer stack");
    const c = outcome.cost;
    if (c.proofWindow.gt(c.envelope)) return; // the mandatory envelope policy reports it
    const limit = c.profile.budget.limitUsd;
    const alerts = c.profile.budget.alertsUsd;
    let level = 0;
    for (let i = 0; i < alerts.length; i++) if (c.proofWindow.gte(c.envelope.times(alerts[i]).div(limit, 6))) level = i + 1;
    if (level === 0) return;
    const alert = alerts[level - 1];
    const share = c.envelope.times(alert).div(limit, 2);
    reportViolation(
      `layer ${c.layer} (${c.stackName}): the proof-window estimate ${money(c.proofWindow)} USD/month reaches alert ${level}: ${money(share)} of its ${money(c.envelope)} USD envelope, as the budget alerts at ${money(alert)} of ${money(limit)} USD. Largest: ${largest(c.priced)}.${unpricedNote(c.priced)}`,
      c.rootUrn,
    );
  },
);

export const stackResourcesPriced = stackRule(
  {
    id: "DA-90",
    slug: "stack-resources-priced",
    description:
      "Every resource should be priced: one the model cannot price (SKU missing or null in pricing/prices.yaml, input unknown at preview, no cost model) makes the estimate a lower bound. Add the price with its source, or a cost model.",
    severity: "low",
    enforcementLevel: "advisory",
  },
  (args, reportViolation) => {
    const outcome = stackCost(args);
    if (!outcome || outcome.ok === false) return args.notApplicable("no priced layer stack");
    for (const r of outcome.cost.priced.filter((p) => p.unpricedReasons.length > 0)) {
      reportViolation(`${r.input.name} (${r.input.type}) is unpriced: ${r.unpricedReasons.join("; ")}.`, r.input.urn);
    }
  },
);

export const capacityPriced = stackRule(
  {
    id: "DA-90",
    slug: "capacity-priced",
    description:
      "A resource that bills provisioned capacity by the hour (instances, clusters, nodes, ACUs, endpoints) must be priced: an unknown capacity price could hide any amount, so it is denied, never counted as 0. Choose a size of a priced family, add the price with its source to pricing/prices.yaml, or record a reviewed exemption.",
    severity: "high",
  },
  (args, reportViolation) => {
    const outcome = stackCost(args);
    if (!outcome) return args.notApplicable("no resource of a layer stack");
    if (outcome.ok === false) return reportViolation(outcome.problem);
    for (const r of outcome.cost.priced) {
      const reasons = unpricedCapacity(r);
      if (reasons.length) reportViolation(`${r.input.name} (${r.input.type}) bills capacity at an unknown price: ${reasons.join("; ")}.`, r.input.urn);
    }
  },
);

export const budgetLimitMatchesRegistry = resourceRule(
  {
    id: "DA-90",
    slug: "budget-limit-matches-registry",
    description:
      "The AWS Budget must cap monthly spend at DEV_FULL_MONTHLY_BUDGET_LIMIT_USD in BUDGET_CURRENCY (handles registry): take limitAmount and limitUnit from the registry.",
    severity: "critical",
  },
  policy.validateResourceOfType(aws.budgets.Budget, (budget, _args, reportViolation) => {
    const r = registry();
    const limit = Decimal.of(r.number("DEV_FULL_MONTHLY_BUDGET_LIMIT_USD"));
    const currency = r.string("BUDGET_CURRENCY");
    if (budget.limitAmount === undefined) {
      reportViolation(`limitAmount is not set (planned or auto-adjusting limits are not the pinned cap); expected ${limit.toString()}.`);
    } else {
      const amount = Decimal.tryOf(budget.limitAmount);
      if (!amount || !amount.eq(limit))
        reportViolation(`limitAmount is ${JSON.stringify(budget.limitAmount)}, expected ${limit.toString()} (DEV_FULL_MONTHLY_BUDGET_LIMIT_USD).`);
    }
    if (budget.limitUnit !== currency)
      reportViolation(`limitUnit is ${JSON.stringify(budget.limitUnit ?? null)}, expected ${JSON.stringify(currency)} (BUDGET_CURRENCY).`);
  }),
);

export const budgetPolicies = [stackWithinCostEnvelope, stackCostAlertLevels, stackResourcesPriced, capacityPriced, budgetLimitMatchesRegistry];
