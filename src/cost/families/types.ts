/**
 * The contract between the model (src/cost/model.ts) and the service families: a family maps one resource's
 * known inputs to cost components, each a quantity per hour while its proof window is open (`active`) and per
 * hour while the resource sits idle between windows or after P17 (`idle`). The model turns those rates into
 * monthly quantities for the three postures and prices them.
 */
import { CostSettings, WindowedSurfaceClass } from "../../config/costSettings";
import { Registry } from "../../registry/registry";
import { Decimal } from "../decimal";
import { CostInput, Inputs } from "../inputs";
import { PriceTable } from "../prices";
import { CostProfile } from "../profile";

/** When a surface runs at window capacity: always (730 h a month) or during its class's proof windows. */
export type SurfaceClass = "alwaysOn" | WindowedSurfaceClass;

export interface ComponentSpec {
  /** What is billed, e.g. "Instance hours (t3.medium)". */
  name: string;
  /** Unit of the quantity, e.g. "hours", "GB-month", "1M requests". */
  unit: string;
  /** SKU in pricing/prices.yaml. */
  sku: string;
  /** Quantity accrued per hour while the proof window is open. */
  active: Decimal;
  /** Quantity accrued per hour while idle, if the resource survives idle (default 0). Never above `active`. */
  idle?: Decimal;
  /** Time base of the unit: per hour (instance-hours), per day (budget-days) or per month (GB-month, key-month). */
  per?: "hour" | "day" | "month";
  /** Whose window the active rate follows; defaults to the resource's class (e.g. S3 requests follow runtime). */
  window?: SurfaceClass;
  /**
   * How it bills: `capacity` = per hour of provisioned capacity while the resource exists (instances, cluster
   * hours, ACUs, endpoint AZ-hours), `usage` = per request or unit of work, `storage` = per GB-month or item-month.
   * An unpriced capacity component is denied by `da-90-capacity-priced`; the others only lower the confidence.
   */
  billing?: ComponentBilling;
}

export type ComponentBilling = "capacity" | "usage" | "storage";

/**
 * What happens to a resource at idle (after P17 teardown): `keep` = it stays, scaled to zero capacity by the
 * idle-safe switch (its idle quantities still bill); `retainIfProtected` = P17 destroys it unless the stack
 * declares it `protect: true`.
 */
export type IdleSafeBehaviour = "keep" | "retainIfProtected";

export interface ResourceModel {
  surfaceClass: SurfaceClass;
  idleSafe: IdleSafeBehaviour;
  components: ComponentSpec[];
  /** Why (part of) the resource cannot be priced: unknown inputs, unsupported options. */
  unpriced?: string[];
  /** Assumptions worth reading next to the figures. */
  notes?: string[];
  /** Set when this configuration bills nothing itself (e.g. a gateway endpoint), with the reason. */
  free?: string;
}

/** Cross-references inside one stack: children, dependencies, resources of a type. */
export class StackIndex {
  private readonly byUrn: ReadonlyMap<string, CostInput>;
  private readonly children: ReadonlyMap<string, CostInput[]>;

  constructor(readonly resources: readonly CostInput[]) {
    this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    const children = new Map<string, CostInput[]>();
    for (const r of resources) {
      if (!r.parent) continue;
      const list = children.get(r.parent) ?? [];
      list.push(r);
      children.set(r.parent, list);
    }
    this.children = children;
  }

  get(urn: string): CostInput | undefined {
    return this.byUrn.get(urn);
  }

  childrenOf(urn: string): readonly CostInput[] {
    return this.children.get(urn) ?? [];
  }

  ofType(type: string): CostInput[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The resources of a type this resource depends on. */
  dependenciesOf(r: CostInput, type: string): CostInput[] {
    return r.dependencies.map((d) => this.byUrn.get(d)).filter((d): d is CostInput => d !== undefined && d.type === type);
  }

  /**
   * The one resource of `type` a resource refers to: through a dependency, else through an input value equal
   * to one of the target's identifying inputs, else the only one of its type in the stack.
   */
  referenced(r: CostInput, type: string, match?: { input: string; targetInputs: string[] }): CostInput | undefined {
    const deps = this.dependenciesOf(r, type);
    if (deps.length === 1) return deps[0];
    const candidates = this.ofType(type);
    if (match) {
      let wanted: string | undefined;
      try {
        wanted = new Inputs(r.inputs).string(match.input);
      } catch {
        wanted = undefined;
      }
      if (wanted) {
        const hits = candidates.filter((c) =>
          match.targetInputs.some((k) => {
            try {
              const v = new Inputs(c.inputs).string(k);
              return v !== undefined && (v === wanted || wanted?.includes(`/${v}`) || wanted?.startsWith(`${v}:`));
            } catch {
              return false;
            }
          }),
        );
        if (hits.length === 1) return hits[0];
      }
    }
    return deps.length === 0 && candidates.length === 1 ? candidates[0] : undefined;
  }
}

export interface ModelContext {
  profile: CostProfile;
  settings: CostSettings;
  prices: PriceTable;
  registry: Registry;
  stack: StackIndex;
}

export type Family = (r: CostInput, inputs: Inputs, ctx: ModelContext) => ResourceModel;
