/**
 * Stack outputs keyed by registry handle. A layer must export exactly the handles it owns that name, locate or
 * identify something (INTERFACES.md, Outputs); a missing or foreign handle is a programming error caught before
 * the stack finishes, so parity with the registry cannot drift silently. A handle whose surface a switch keeps
 * off is exported as `null` with its reason under `deferred_handles`, so the evidence emitter can tell "deferred
 * by design" from "missing".
 */
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../src/config/environment";

export type StackOutputs = Record<string, pulumi.Input<unknown>>;

/** Output key listing the handles a switch keeps unmaterialised, with the reason (handle -> reason). */
export const DEFERRED_HANDLES_OUTPUT = "deferred_handles";

/** A handle whose surface is off by a switch: exported as null, its reason listed under `deferred_handles`. */
export class Deferred {
  constructor(readonly reason: string) {}
}

export function deferred(reason: string): Deferred {
  return new Deferred(reason);
}

export function handleOutputs(env: Environment, byHandle: StackOutputs): StackOutputs {
  const owned = env.registry.exportedBy(env.layer).map((h) => h.name);
  const missing = owned.filter((name) => !(name in byHandle));
  const foreign = Object.keys(byHandle).filter((name) => !owned.includes(name) && !isOwnedExtra(env, name));
  if (missing.length || foreign.length) {
    throw new Error(
      `stack ${env.stackName}: outputs out of step with registry/handles.yaml` +
        (missing.length ? `; missing handles owned by ${env.layer}: ${missing.join(", ")}` : "") +
        (foreign.length ? `; handles not owned by ${env.layer}: ${foreign.join(", ")}` : ""),
    );
  }
  const reasons: Record<string, string> = {};
  const outputs: StackOutputs = {};
  for (const [name, value] of Object.entries(byHandle)) {
    if (value instanceof Deferred) reasons[name] = value.reason;
    outputs[name] = value instanceof Deferred ? null : value;
  }
  return Object.keys(reasons).length ? { ...outputs, [DEFERRED_HANDLES_OUTPUT]: reasons } : outputs;
}

/**
 * A layer's final outputs: every {@link Deferred} value, at the top level or one level down in a plain map (the
 * `<layer>_handle_materialization` maps), is exported as `null` and its reason joins the handles' reasons under
 * `deferred_handles` (keyed by the output or map key). So a reference output that is off by design is a documented
 * null, never a missing key.
 */
export function withDeferred(outputs: StackOutputs): StackOutputs {
  const reasons: Record<string, string> = { ...((outputs[DEFERRED_HANDLES_OUTPUT] as Record<string, string> | undefined) ?? {}) };
  const resolved: StackOutputs = {};
  for (const [key, value] of Object.entries(outputs)) {
    if (key === DEFERRED_HANDLES_OUTPUT) continue;
    if (value instanceof Deferred) {
      reasons[key] = value.reason;
      resolved[key] = null;
    } else if (isPlainMap(value)) {
      resolved[key] = Object.fromEntries(
        Object.entries(value).map(([inner, v]) => {
          if (!(v instanceof Deferred)) return [inner, v];
          reasons[inner] ??= v.reason;
          return [inner, null];
        }),
      );
    } else {
      resolved[key] = value;
    }
  }
  return Object.keys(reasons).length ? { ...resolved, [DEFERRED_HANDLES_OUTPUT]: reasons } : resolved;
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** Other kinds a layer owns (patterns, thresholds, ...) may be exported too. */
function isOwnedExtra(env: Environment, name: string): boolean {
  return env.registry.has(name) && env.registry.handle(name).owner === env.layer;
}
