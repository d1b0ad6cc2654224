/**
 * Proof-window postures of the cost report (issue 14):
 * - `betweenWindows`: what bills while no window is open, priced from the closed-window plan (the stacks planned
 *   with `fraud-platform:window: closed`): every resource of that plan at its idle rate, 730 hours;
 * - `idleSafeSwitch`: what the idle-safe switch really leaves (every resource of the full plan at its idle rate);
 * - `phaseWindows`: per phase of the ladder, the burn while its window is open (persistent surfaces plus the
 *   ephemeral surfaces it names, each resource at window capacity) and its envelope (burn x its hours + margin);
 * - `targets`: betweenWindows <= 5 USD/month, median window burn <= 1.50 USD/h, the profile's month <= the budget.
 * Unpriced resources are listed, never counted as 0: a figure with unpriced parts is a lower bound.
 */
import { Layer } from "../layers";
import { AttributableResource, SurfaceCatalog, loadSurfaceCatalog, surfaceOf } from "../window/surfaces";
import { Decimal } from "./decimal";
import { maxSpend } from "./envelope";
import { CostInput } from "./inputs";
import { HOURS_PER_MONTH, MONEY_DECIMALS, ModelDeps, PricedResource, priceResources } from "./model";
import { Money } from "./report";

const MONTH = Decimal.of(HOURS_PER_MONTH);

export const TARGETS = {
  betweenWindowsUsdPerMonth: Decimal.of(5),
  medianWindowBurnUsdPerHour: Decimal.of("1.50"),
} as const;

export interface WindowPosture {
  monthlyCost: Money;
  hourlyBurn: Money;
  /** Resources whose cost is unknown or a lower bound (never counted as 0). */
  unpriced: string[];
  dominantResources: Array<{ urn: string; monthlyCost: Money }>;
  /** Where the figure comes from. */
  source: string;
}

export interface PhaseWindow {
  phase: string;
  name: string;
  /** The ephemeral surfaces the phase's window brings up. */
  surfaces: string[];
  /** Stacks whose resources the window changes (layers of its surfaces), in apply order. */
  stacks: string[];
  /** USD/h while the window is open: persistent surfaces plus its surfaces at window capacity. */
  hourlyBurn: Money;
  /** Hours a month of this phase's windows (usage profile `phaseWindowHours`). */
  hours: number;
  /** burn x hours, rounded up to cents, plus the profile's margin. */
  envelope: Money;
  /** Surfaces by burn, most expensive first (USD/h). */
  dominantSurfaces: Array<{ surface: string; hourlyBurn: Money }>;
  /** Resources of the window whose price is unknown (the burn is then a lower bound). */
  unpriced: string[];
}

export interface WindowTarget {
  name: string;
  limit: Money;
  value: Money | null;
  ok: boolean;
  detail: string;
}

/** Resources attributed to surfaces (per stack, through the parent chain). */
export function attribute(priced: readonly PricedResource[], catalog: SurfaceCatalog): Map<PricedResource, string> {
  const byUrn = new Map<string, AttributableResource>(priced.map((p) => [p.input.urn, p.input]));
  return new Map(priced.map((p) => [p, surfaceOf(p.input, p.layer as Layer, byUrn, catalog).id]));
}

function dominant(priced: readonly PricedResource[], value: (r: PricedResource) => Decimal | null): WindowPosture["dominantResources"] {
  return priced
    .map((r) => [r, value(r)] as const)
    .filter((x): x is readonly [PricedResource, Decimal] => x[1] !== null && x[1].gt(0))
    .sort((a, b) => b[1].cmp(a[1]) || a[0].input.urn.localeCompare(b[0].input.urn))
    .slice(0, 5)
    .map(([r, v]) => ({ urn: r.input.urn, monthlyCost: v.toFixed(MONEY_DECIMALS) }));
}

/** Every resource at its idle rate all month (as if it survives): the posture of what a plan leaves standing. */
export function idleMonth(resources: readonly CostInput[], deps: ModelDeps, source: string): WindowPosture {
  const priced = priceResources(
    resources.map((r) => ({ ...r, protect: true })),
    deps,
  ).filter((r) => !r.free);
  const total = Decimal.sum(priced.map((r) => r.monthly.idleSafe ?? Decimal.ZERO));
  return {
    monthlyCost: total.toFixed(MONEY_DECIMALS),
    hourlyBurn: total.div(MONTH, MONEY_DECIMALS, "ceil").toFixed(MONEY_DECIMALS),
    unpriced: priced.filter((r) => r.unpricedReasons.length > 0).map((r) => r.input.name),
    dominantResources: dominant(priced, (r) => r.monthly.idleSafe),
    source,
  };
}

function layerStack(env: string, layer: Layer): string {
  return `${env}-${layer.replace("_", "-")}`;
}

const APPLY_ORDER: readonly Layer[] = ["core", "streaming", "runtime", "data_ml", "ops"];

/** The window of one phase, priced from the full plan's resources. */
export function phaseWindowOf(
  phaseId: string,
  priced: readonly PricedResource[],
  deps: ModelDeps,
  env: string,
  catalog: SurfaceCatalog = loadSurfaceCatalog(),
  hours?: number,
): PhaseWindow {
  const phase = catalog.phase(phaseId);
  // Attribution walks the parent chain, which runs through free component resources: attribute them all.
  const bySurface = attribute(priced, catalog);
  const up = new Set(catalog.upIn(phaseId).map((s) => s.id));
  const inWindow = priced.filter((r) => {
    if (r.free) return false;
    const s = catalog.get(bySurface.get(r) ?? catalog.platform.id);
    return s.kind === "persistent" || up.has(s.id);
  });
  const burnOf = (list: readonly PricedResource[]) => Decimal.sum(list.map((r) => r.monthly.alwaysOn ?? Decimal.ZERO)).div(MONTH, MONEY_DECIMALS, "ceil");
  const burn = burnOf(inWindow);
  const h = hours ?? deps.profile.settings.phaseWindowHours[phaseId] ?? 0;
  const { total } = maxSpend(burn, Math.round(h * 60), deps.profile.settings.phaseEnvelope.safetyMarginPercent);
  const surfaceBurns = [...up].map((id) => ({ surface: id, burn: burnOf(inWindow.filter((r) => bySurface.get(r) === id)) }));
  surfaceBurns.push({ surface: catalog.platform.id, burn: burnOf(inWindow.filter((r) => catalog.get(bySurface.get(r) ?? "platform").kind === "persistent")) });
  const layers = new Set(catalog.upIn(phaseId).map((s) => s.layer));
  return {
    phase: phase.id,
    name: phase.name,
    surfaces: phase.surfaces,
    stacks: APPLY_ORDER.filter((l) => layers.has(l)).map((l) => layerStack(env, l)),
    hourlyBurn: burn.toFixed(MONEY_DECIMALS),
    hours: h,
    envelope: total.toFixed(2),
    dominantSurfaces: surfaceBurns
      .filter((s) => s.burn.gt(0))
      .sort((a, b) => b.burn.cmp(a.burn) || a.surface.localeCompare(b.surface))
      .slice(0, 3)
      .map((s) => ({ surface: s.surface, hourlyBurn: s.burn.toFixed(MONEY_DECIMALS) })),
    unpriced: inWindow.filter((r) => r.unpricedReasons.length > 0 && !r.free).map((r) => r.input.name),
  };
}

export function phaseWindows(priced: readonly PricedResource[], deps: ModelDeps, env: string, catalog: SurfaceCatalog = loadSurfaceCatalog()): PhaseWindow[] {
  return catalog.phases.map((p) => phaseWindowOf(p.id, priced, deps, env, catalog));
}

/** Median of the phases' window burns (the middle value; the mean of the two middle ones for an even count). */
export function medianBurn(windows: readonly PhaseWindow[]): Decimal {
  const sorted = windows.map((w) => Decimal.of(w.hourlyBurn)).sort((a, b) => a.cmp(b));
  if (sorted.length === 0) return Decimal.ZERO;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : sorted[mid - 1].plus(sorted[mid]).div(2, MONEY_DECIMALS, "ceil");
}

/** The usage profile's month under proof windows: each phase's burn x its hours, the rest of the month between windows. */
export function windowedMonth(windows: readonly PhaseWindow[], between: WindowPosture | undefined): Decimal | null {
  if (!between) return null;
  const hours = windows.reduce((s, w) => s + w.hours, 0);
  const inWindows = Decimal.sum(windows.map((w) => Decimal.of(w.hourlyBurn).times(Decimal.of(w.hours))));
  const rest = Decimal.of(between.hourlyBurn).times(Decimal.of(Math.max(0, HOURS_PER_MONTH - hours)));
  return inWindows.plus(rest).round(MONEY_DECIMALS, "ceil");
}

export function windowTargets(windows: readonly PhaseWindow[], between: WindowPosture | undefined, budgetUsd: Decimal): WindowTarget[] {
  const limitBw = TARGETS.betweenWindowsUsdPerMonth;
  const limitBurn = TARGETS.medianWindowBurnUsdPerHour;
  const median = medianBurn(windows);
  const month = windowedMonth(windows, between);
  const over = windows.filter((w) => Decimal.of(w.hourlyBurn).gt(limitBurn));
  return [
    {
      name: "betweenWindows",
      limit: limitBw.toFixed(2),
      value: between ? between.monthlyCost : null,
      ok: between !== undefined && Decimal.of(between.monthlyCost).lte(limitBw),
      detail: between
        ? `closed-window plan at idle rates, USD/month${between.unpriced.length ? `; lower bound: ${between.unpriced.length} unpriced (${between.unpriced.join(", ")})` : ""}`
        : "no closed-window plan was priced (npm run plan writes it to <plan>/window-closed/): not met until it is",
    },
    {
      name: "medianWindowBurn",
      limit: limitBurn.toFixed(2),
      value: median.toFixed(MONEY_DECIMALS),
      ok: windows.length > 0 && median.lte(limitBurn),
      detail:
        `median of ${windows.length} phase windows, USD/h` +
        (over.length
          ? `; over ${limitBurn.toFixed(2)}: ${over.map((w) => `${w.phase} ${Decimal.of(w.hourlyBurn).toFixed(2)} (${w.dominantSurfaces.map((d) => `${d.surface} ${Decimal.of(d.hourlyBurn).toFixed(2)}`).join(", ")})`).join("; ")}`
          : ""),
    },
    {
      name: "profileMonth",
      limit: budgetUsd.toFixed(2),
      value: month ? month.toFixed(MONEY_DECIMALS) : null,
      ok: month !== null && month.lte(budgetUsd),
      detail: month
        ? `sum of phase burn x phaseWindowHours (${windows.reduce((s, w) => s + w.hours, 0)} h) + betweenWindows for the rest of the 730 h, USD`
        : "needs the closed-window plan",
    },
  ];
}
