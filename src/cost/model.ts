/**
 * The cost model: prices each resource of the plan's preview documents (or of a CrossGuard stack) from its
 * known inputs, per layer, for three postures of a 730-hour month:
 *
 * - alwaysOn: everything at proof-window capacity 24/7 (the "leave it running" month);
 * - proofWindow: each surface class at window capacity for its profile hours, idle-safe for the rest;
 * - idleSafe: after P17 teardown: only what survives (protected resources, and control planes the idle-safe
 *   switch keeps at zero capacity) at its idle rate.
 *
 * For every component, with h the window hours of its class and `idle` counted only if the resource survives:
 * alwaysOn = active x 730, proofWindow = active x h + idle x (730 - h), idleSafe = idle x 730 (divided by 24
 * for per-day units, 730 for per-month units). Since idle <= active and h <= 730, idleSafe <= proofWindow <=
 * alwaysOn always holds. A missing SKU or `usd: null` leaves the cost unknown (null), never 0.
 */
import { CostSettings } from "../config/costSettings";
import { parseStackName } from "../layers";
import { LAYERS, Layer } from "../registry/schema";
import { Registry, loadRegistry } from "../registry/registry";
import { POSTURES, Posture } from "./report";
import { Decimal } from "./decimal";
import { COMPONENT_FAMILIES, FAMILIES, isCapacityType } from "./families";
import { ComponentSpec, ModelContext, StackIndex, SurfaceClass } from "./families/types";
import { CostInput, Inputs, UnknownInputError, isComponent } from "./inputs";
import { Price, PriceTable, loadPriceTable } from "./prices";
import { CostProfile, loadCostProfile } from "./profile";

export const HOURS_PER_MONTH = 730;
const MONTH = Decimal.of(HOURS_PER_MONTH);
const DIVISORS: Record<NonNullable<ComponentSpec["per"]>, Decimal> = { hour: Decimal.ONE, day: Decimal.of(24), month: MONTH };
/** Money precision of the model: 1/100 cent. Quantities carry 6 decimals. */
export const MONEY_DECIMALS = 4;
export const QUANTITY_DECIMALS = 6;

/** Everything the model needs besides the resources. */
export interface ModelDeps {
  profile: CostProfile;
  prices: PriceTable;
  registry: Registry;
}

export function modelDeps(options: { env: string; projectDir?: string; profile?: CostProfile; prices?: PriceTable; registry?: Registry }): ModelDeps {
  const registry = options.registry ?? loadRegistry();
  return {
    registry,
    prices: options.prices ?? loadPriceTable(),
    profile: options.profile ?? loadCostProfile(options.env, options.projectDir, registry),
  };
}

export type PostureValues<T> = Record<Posture, T>;

export interface PricedComponent {
  spec: ComponentSpec;
  /** The table's price, or undefined when the SKU is not in the table. */
  price?: Price;
  window: SurfaceClass;
  quantity: PostureValues<Decimal>;
  /** null: unknown price (and a non-zero quantity). */
  cost: PostureValues<Decimal | null>;
}

export interface PricedResource {
  input: CostInput;
  layer: Layer;
  stackName: string;
  /** Set for resources that bill nothing themselves (they are not listed among the report's resources). */
  free?: string;
  surfaceClass: SurfaceClass;
  /** Survives P17 (its idle rate bills in idleSafe and between windows). */
  retainedAtIdle: boolean;
  components: PricedComponent[];
  unpricedReasons: string[];
  notes: string[];
  /** Sum of the known component costs; null when nothing is known. */
  monthly: PostureValues<Decimal | null>;
}

export function windowHours(cls: SurfaceClass, settings: CostSettings): Decimal {
  return cls === "alwaysOn" ? MONTH : Decimal.of(settings.proofWindowHours[cls]);
}

/** Monthly quantities of one component, before the unit's time base is applied. */
function accrued(spec: ComponentSpec, hours: Decimal, retained: boolean): PostureValues<Decimal> {
  const active = spec.active;
  const idle = retained ? Decimal.min(spec.idle ?? Decimal.ZERO, active) : Decimal.ZERO;
  return {
    alwaysOn: active.times(MONTH),
    proofWindow: active.times(hours).plus(idle.times(MONTH.minus(hours))),
    idleSafe: idle.times(MONTH),
  };
}

function priceComponent(spec: ComponentSpec, cls: SurfaceClass, retained: boolean, deps: ModelDeps): PricedComponent {
  const window = spec.window ?? cls;
  const divisor = DIVISORS[spec.per ?? "hour"];
  const num = accrued(spec, windowHours(window, deps.profile.settings), retained);
  const price = deps.prices.price(spec.sku);
  const usd = price?.usd ?? null;
  const quantity = {} as PostureValues<Decimal>;
  const cost = {} as PostureValues<Decimal | null>;
  for (const p of POSTURES) {
    quantity[p] = num[p].div(divisor, QUANTITY_DECIMALS);
    cost[p] = usd === null ? (num[p].isZero() ? Decimal.ZERO : null) : usd.times(num[p]).div(divisor, MONEY_DECIMALS, "halfUp");
  }
  return { spec, ...(price ? { price } : {}), window, quantity, cost };
}

/** Stack name of a URN (`urn:pulumi:<stack>::<project>::...`). */
export function stackOfUrn(urn: string): string {
  return urn.split("::")[0].split(":").pop() ?? "";
}

/** Layer of a resource: from its URN's stack name (`dev-full-<layer>`), else its `fp_stack` tag. */
export function layerOf(r: CostInput): Layer | undefined {
  try {
    return parseStackName(stackOfUrn(r.urn)).layer;
  } catch {
    try {
      const tag = new Inputs(r.inputs).string("tags.fp_stack")?.replace(/-/g, "_");
      return (LAYERS as readonly string[]).includes(tag ?? "") ? (tag as Layer) : undefined;
    } catch {
      return undefined;
    }
  }
}

function sumKnown(values: Array<Decimal | null>): Decimal | null {
  const known = values.filter((v): v is Decimal => v !== null);
  return known.length ? Decimal.sum(known) : null;
}

/** Prices the resources of one stack (cross-references stay inside the stack). */
export function priceStack(resources: readonly CostInput[], deps: ModelDeps): PricedResource[] {
  const stack = new StackIndex(resources);
  const ctx: ModelContext = { profile: deps.profile, settings: deps.profile.settings, prices: deps.prices, registry: deps.registry, stack };
  const out: PricedResource[] = [];
  for (const r of resources) {
    const layer = layerOf(r);
    if (!layer) continue; // not a layer stack's resource (e.g. a fixture without a stack name): nothing to attribute it to
    const base = { input: r, layer, stackName: stackOfUrn(r.urn), components: [] as PricedComponent[], unpricedReasons: [] as string[], notes: [] as string[] };
    const zero: PostureValues<Decimal | null> = { alwaysOn: Decimal.ZERO, proofWindow: Decimal.ZERO, idleSafe: Decimal.ZERO };
    const componentFamily = COMPONENT_FAMILIES[r.type];
    const family = isComponent(r) ? (componentFamily && stack.childrenOf(r.urn).length === 0 ? componentFamily : undefined) : FAMILIES[r.type];
    if (!family) {
      const free = isComponent(r) ? "component resource: its children carry the cost" : deps.prices.freeReason(r.type);
      if (free) {
        out.push({ ...base, free, surfaceClass: "alwaysOn", retainedAtIdle: r.protect, monthly: zero });
      } else {
        out.push({
          ...base,
          surfaceClass: "alwaysOn",
          retainedAtIdle: r.protect,
          unpricedReasons: [`no cost model for ${r.type}`],
          monthly: { alwaysOn: null, proofWindow: null, idleSafe: null },
        });
      }
      continue;
    }
    let model;
    try {
      model = family(r, new Inputs(r.inputs), ctx);
    } catch (e) {
      if (!(e instanceof UnknownInputError)) throw e;
      out.push({
        ...base,
        surfaceClass: "alwaysOn",
        retainedAtIdle: r.protect,
        unpricedReasons: [e.message],
        monthly: { alwaysOn: null, proofWindow: null, idleSafe: null },
      });
      continue;
    }
    const retained = model.idleSafe === "keep" || r.protect;
    if (model.free !== undefined && model.components.length === 0) {
      out.push({ ...base, free: model.free, surfaceClass: model.surfaceClass, retainedAtIdle: retained, monthly: zero });
      continue;
    }
    const components = model.components.map((c) => priceComponent(c, model.surfaceClass, retained, deps));
    const unpricedReasons = [...(model.unpriced ?? [])];
    for (const c of components) {
      if (!c.price) unpricedReasons.push(`SKU ${c.spec.sku} is not in the price table`);
      else if (c.price.usd === null) unpricedReasons.push(`SKU ${c.spec.sku} has no price (usd: null)`);
    }
    if (components.length === 0 && unpricedReasons.length === 0) unpricedReasons.push("no billable component could be derived");
    const monthly = {} as PostureValues<Decimal | null>;
    for (const p of POSTURES) monthly[p] = sumKnown(components.map((c) => c.cost[p]));
    out.push({ ...base, surfaceClass: model.surfaceClass, retainedAtIdle: retained, components, unpricedReasons, notes: model.notes ?? [], monthly });
  }
  return out;
}

/** Prices resources of several stacks: each stack's resources are cross-referenced among themselves only. */
export function priceResources(resources: readonly CostInput[], deps: ModelDeps): PricedResource[] {
  const byStack = new Map<string, CostInput[]>();
  for (const r of resources) {
    const s = stackOfUrn(r.urn);
    byStack.set(s, [...(byStack.get(s) ?? []), r]);
  }
  return [...byStack.values()].flatMap((list) => priceStack(list, deps));
}

/** Total per posture of priced resources (unknown costs count as nothing, so totals are lower bounds). */
export function totals(resources: readonly PricedResource[]): PostureValues<Decimal> {
  const out = {} as PostureValues<Decimal>;
  for (const p of POSTURES) out[p] = Decimal.sum(resources.map((r) => r.monthly[p] ?? Decimal.ZERO));
  return out;
}

/** USD per hour while the proof windows are open: every surface at window capacity (= alwaysOn / 730). */
export function proofWindowBurn(resources: readonly PricedResource[]): Decimal {
  return totals(resources).alwaysOn.div(MONTH, MONEY_DECIMALS, "ceil");
}

/**
 * Why a resource's provisioned capacity is unpriced: a capacity component (instance, cluster, node, ACU hours ...)
 * with a non-zero quantity whose SKU is missing or null, or a capacity-billed type that could not be priced at all
 * (no cost model, an input unknown at preview). Empty when every capacity it bills has a known price.
 */
export function unpricedCapacity(r: PricedResource): string[] {
  if (r.free) return [];
  const reasons: string[] = [];
  for (const c of r.components) {
    if (c.spec.billing !== "capacity" || c.spec.active.isZero()) continue;
    if (!c.price) reasons.push(`${c.spec.name}: SKU ${c.spec.sku} is not in the price table and no other size of its family is priced`);
    else if (c.price.usd === null) reasons.push(`${c.spec.name}: SKU ${c.spec.sku} has no price (usd: null)`);
  }
  if (r.components.length === 0 && r.unpricedReasons.length > 0 && isCapacityType(r.input.type)) {
    reasons.push(`${r.input.type} bills capacity by the hour and could not be priced (${r.unpricedReasons.join("; ")})`);
  }
  return reasons;
}
