/**
 * Builds `cost-report.json` (contract in report.ts) from preview documents: per resource and per layer, for
 * the three postures, with the budget, headroom, hourly burn, dominant resources and unpriced resources.
 * Money is written as decimal strings with 4 decimals; component costs are rounded once and every total is
 * an exact sum of them, so the file adds up.
 */
import { LAYERS, Layer, stackNameFor } from "../layers";
import { PreviewDocument } from "../plan/previewDocument";
import { Decimal } from "./decimal";
import { costInputsOf } from "./inputs";
import { HOURS_PER_MONTH, MONEY_DECIMALS, ModelDeps, PostureValues, PricedResource, priceResources, stackOfUrn, totals } from "./model";
import { CostReport, CostResource, LayerCost, Money, POSTURES, Posture, PostureTotal } from "./report";
import { idleMonth, phaseWindows, windowTargets } from "./windows";

const DOMINANT = 5;
const MONTH = Decimal.of(HOURS_PER_MONTH);

export function money(value: Decimal): Money {
  return value.toFixed(MONEY_DECIMALS);
}

function moneyOrNull(value: Decimal | null): Money | null {
  return value === null ? null : money(value);
}

function postures<T, U>(values: PostureValues<T>, f: (v: T) => U): Record<Posture, U> {
  return { alwaysOn: f(values.alwaysOn), proofWindow: f(values.proofWindow), idleSafe: f(values.idleSafe) };
}

function stackOfDoc(doc: PreviewDocument): string | undefined {
  return doc.stack ?? (doc.steps.find((s) => s.urn) ? stackOfUrn(doc.steps.find((s) => s.urn)?.urn ?? "") : undefined);
}

export function isUnpriced(r: PricedResource): boolean {
  return r.unpricedReasons.length > 0;
}

function costResourceOf(r: PricedResource): CostResource {
  const unpriced = isUnpriced(r);
  const partial = unpriced && r.components.some((c) => c.price?.usd);
  return {
    urn: r.input.urn,
    name: r.input.name,
    resourceType: r.input.type,
    layer: r.layer,
    costComponents: r.components.map((c) => ({
      name: c.spec.name,
      unit: c.spec.unit,
      priceSku: c.spec.sku,
      price: c.price?.usd ? c.price.usd.toString() : null,
      monthlyQuantity: postures(c.quantity, (q) => q.toString()),
      monthlyCost: postures(c.cost, moneyOrNull),
    })),
    monthlyCost: postures(r.monthly, moneyOrNull),
    unpriced,
    ...(unpriced ? { unpricedReason: `${r.unpricedReasons.join("; ")}${partial ? " (monthly cost is a lower bound: the known components only)" : ""}` } : {}),
    surfaceClass: r.surfaceClass,
    retainedAtIdle: r.retainedAtIdle,
    ...(r.notes.length ? { notes: r.notes } : {}),
  };
}

function dominant(resources: readonly PricedResource[], p: Posture): PostureTotal["dominantResources"] {
  return resources
    .filter((r) => r.monthly[p]?.gt(0))
    .sort((a, b) => (b.monthly[p] as Decimal).cmp(a.monthly[p] as Decimal) || a.input.urn.localeCompare(b.input.urn))
    .slice(0, DOMINANT)
    .map((r) => ({ urn: r.input.urn, monthlyCost: money(r.monthly[p] as Decimal) }));
}

/** The closed-window plan a report prices `betweenWindows` from. */
export interface ClosedWindowPlan {
  docs: readonly PreviewDocument[];
  /** Where the documents came from (shown in the report). */
  source: string;
}

/** The report of already priced resources. */
export function costReportOfPriced(
  priced: readonly PricedResource[],
  deps: ModelDeps,
  env: string,
  stacks: readonly string[],
  closed?: ClosedWindowPlan,
): CostReport {
  const { profile, prices } = deps;
  const limit = profile.budget.limitUsd;
  const billed = priced.filter((r) => !r.free);
  const total = totals(billed);

  const layers: LayerCost[] = LAYERS.map((layer: Layer) => {
    const stackName = stackNameFor(env, layer);
    const mine = billed.filter((r) => r.layer === layer);
    const sums = totals(mine);
    const envelope = Decimal.of(profile.settings.envelopesUsd[layer]);
    return {
      layer,
      stackName,
      envelopeUsd: money(envelope),
      monthlyCost: postures(sums, money),
      unpricedResources: mine.filter(isUnpriced).length,
      planned: stacks.includes(stackName) || priced.some((r) => r.layer === layer),
      overEnvelope: sums.proofWindow.gt(envelope),
    };
  });

  const postureTotals = {} as Record<Posture, PostureTotal>;
  for (const p of POSTURES) {
    const burnBase = p === "proofWindow" ? total.alwaysOn : total[p];
    postureTotals[p] = {
      monthlyCost: money(total[p]),
      headroom: money(limit.minus(total[p])),
      hourlyBurn: money(burnBase.div(MONTH, MONEY_DECIMALS, "ceil")),
      overBudget: total[p].gt(limit),
      dominantResources: dominant(billed, p),
    };
  }

  const between = closed ? idleMonth(closed.docs.flatMap(costInputsOf), deps, `closed-window plan ${closed.source}`) : undefined;
  const windows = phaseWindows(priced, deps, env);
  const unpricedCount = billed.filter(isUnpriced).length;
  const pricedCount = billed.length - unpricedCount;
  const skus = [...new Set(billed.flatMap((r) => r.components.map((c) => c.spec.sku)))].sort();
  return {
    version: "0.2",
    currency: "USD",
    env,
    hoursPerMonth: 730,
    budget: {
      name: profile.budget.name,
      limitUsd: money(limit),
      alertThresholdsUsd: profile.budget.alertsUsd.map(money),
      costCaptureScope: profile.budget.costCaptureScope,
    },
    postures: {
      ...postureTotals,
      ...(between ? { betweenWindows: between } : {}),
      idleSafeSwitch: idleMonth(
        priced.map((r) => r.input),
        deps,
        "the full plan at idle rates: the idle-safe switch scales node groups, services and Flink to zero but keeps MSK, EKS, Aurora, Redis, endpoints",
      ),
    },
    phaseWindows: windows,
    windowTargets: windowTargets(windows, between, limit),
    layers,
    resources: billed.map(costResourceOf),
    confidence: billed.length === 0 ? "1.0000" : Decimal.of(pricedCount).div(billed.length, 4, "floor").toFixed(4),
    priceTable: {
      file: prices.source,
      region: prices.region,
      prices: skus.map((sku) => {
        const p = prices.price(sku);
        return { sku, usd: p?.usd ? p.usd.toString() : null, region: p?.region ?? prices.region, source: p?.source ?? null, asOf: p?.asOf ?? null };
      }),
    },
    stacks: [...stacks],
    summary: { resources: priced.length, priced: pricedCount, unpriced: unpricedCount, free: priced.length - billed.length },
    profile: {
      source: profile.source,
      proofWindowHours: { ...profile.settings.proofWindowHours },
      phaseEnvelopeSafetyMarginPercent: profile.settings.phaseEnvelope.safetyMarginPercent,
    },
  };
}

/** The cost report of preview documents (one per stack) for an environment. */
export function costReportOf(docs: readonly PreviewDocument[], deps: ModelDeps, env: string, closed?: ClosedWindowPlan): CostReport {
  const inputs = docs.flatMap(costInputsOf);
  const stacks = docs.map(stackOfDoc).filter((s): s is string => Boolean(s));
  return costReportOfPriced(priceResources(inputs, deps), deps, env, stacks, closed);
}
