/**
 * What the cost model reads of a resource: type, URN, protect flag, parent, dependencies and inputs, from a
 * preview document (`pulumi preview --json` or the offline plan) or from a CrossGuard `PolicyResource`. Only
 * inputs known at preview are used: reading a value Pulumi marks unknown throws {@link UnknownInputError}, and
 * the model reports that resource as unpriced instead of guessing.
 */
import type * as policy from "@pulumi/policy";
import { PROJECT_NAMESPACE } from "../config/settings";
import { PreviewDocument, PropertyMap, PropertyValue, REDACTED, ResourceState, SIG_KEY, isSecretValue } from "../plan/previewDocument";
import { Decimal } from "./decimal";

export interface CostInput {
  urn: string;
  type: string;
  /** Logical name (the URN's last segment). */
  name: string;
  /** False for component resources; undefined when the source cannot tell (a CrossGuard PolicyResource). */
  custom?: boolean;
  protect: boolean;
  parent?: string;
  dependencies: readonly string[];
  inputs: PropertyMap;
}

/** Pulumi's sentinels for values unknown during preview (engine and @pulumi/policy spellings). */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (also the engine's generic unknown)
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

export function isUnknownValue(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** An input the model needs is not known at preview. */
export class UnknownInputError extends Error {
  constructor(readonly path: string) {
    super(`input ${path} is not known at preview`);
    this.name = "UnknownInputError";
  }
}

function nameOf(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

/** Resources a preview document proposes (new states of everything not being deleted). */
export function costInputsOf(doc: PreviewDocument): CostInput[] {
  return doc.steps
    .filter((s) => s.newState && s.op !== "delete" && s.op !== "delete-replaced" && s.op !== "read")
    .map((s) => fromState(s.newState as ResourceState));
}

export function fromState(state: ResourceState): CostInput {
  return {
    urn: state.urn,
    type: state.type,
    name: nameOf(state.urn),
    custom: state.custom,
    protect: state.protect === true,
    ...(state.parent ? { parent: state.parent } : {}),
    dependencies: state.dependencies ?? [],
    inputs: state.inputs ?? {},
  };
}

/** @pulumi/policy's accessor for the object behind its unknown-checking proxy. */
const PROXY_TARGET = "__getSpecialProxyTarget";

/** A CrossGuard resource as the model reads it; unknown values stay sentinels (read through the proxy target). */
export function fromPolicyResource(r: policy.PolicyResource): CostInput {
  const props = r.props as Record<string, unknown>;
  const raw = (props[PROXY_TARGET] as Record<string, unknown> | undefined) ?? props;
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    protect: r.opts.protect === true,
    ...(r.parent ? { parent: r.parent.urn } : {}),
    dependencies: r.dependencies.map((d) => d.urn),
    inputs: plain(raw) as PropertyMap,
  };
}

/** Deep copy to plain JSON-like values (assets and resource references become strings). */
function plain(value: unknown): PropertyValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object") return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
  return String(value);
}

/** Types that are components in this project even when the source does not say (CrossGuard resources). */
const COMPONENT_TYPES: ReadonlySet<string> = new Set([
  "pulumi:pulumi:Stack",
  "eks:index:Cluster",
  "eks:index:ManagedNodeGroup",
  "eks:index:NodeGroup",
  "eks:index:NodeGroupV2",
  "eks:index:NodeGroupSecurityGroup",
  "eks:index:VpcCniAddon",
]);

export function isComponent(r: CostInput): boolean {
  if (r.custom !== undefined) return !r.custom;
  return COMPONENT_TYPES.has(r.type) || r.type.startsWith(`${PROJECT_NAMESPACE}:`);
}

/** Reads dotted paths (`scalingConfig.desiredSize`, `instanceTypes.0`) of a resource's inputs. */
export class Inputs {
  constructor(readonly raw: PropertyMap) {}

  /** The value at a path: undefined when absent; throws {@link UnknownInputError} when unknown at preview. */
  value(path: string): PropertyValue | undefined {
    let cur: PropertyValue | undefined = this.raw;
    for (const key of path.split(".")) {
      cur = unwrap(cur, path);
      if (cur === null || cur === undefined || typeof cur !== "object") return undefined;
      cur = Array.isArray(cur) ? cur[Number(key)] : cur[key];
    }
    return unwrap(cur, path) ?? undefined;
  }

  has(path: string): boolean {
    return this.value(path) !== undefined;
  }

  string(path: string): string | undefined {
    const v = this.value(path);
    return typeof v === "string" ? v : v === undefined ? undefined : String(v);
  }

  /** A number, also from numeric text (`cpu: "256"`); undefined when absent or not numeric. */
  decimal(path: string): Decimal | undefined {
    return Decimal.tryOf(this.value(path));
  }

  boolean(path: string): boolean | undefined {
    const v = this.value(path);
    return typeof v === "boolean" ? v : v === "true" ? true : v === "false" ? false : undefined;
  }

  /** A list; its elements may be unknown (their count is still known). */
  array(path: string): PropertyValue[] | undefined {
    const v = this.value(path);
    return Array.isArray(v) ? v : undefined;
  }

  /** An object value. */
  object(path: string): Inputs | undefined {
    const v = this.value(path);
    return v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v) ? new Inputs(v) : undefined;
  }
}

function unwrap(value: PropertyValue | undefined, path: string): PropertyValue | undefined {
  let v = value;
  if (isSecretValue(v)) v = (v as { value: PropertyValue }).value;
  if (v !== null && typeof v === "object" && !Array.isArray(v) && SIG_KEY in v) v = (v as { value?: PropertyValue }).value;
  if (isUnknownValue(v) || v === REDACTED) throw new UnknownInputError(path);
  return v;
}
