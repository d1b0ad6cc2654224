/**
 * Stack outputs keyed by registry handle. A layer must export exactly the handles it owns that name, locate or
 * identify something (INTERFACES.md, Outputs); a missing or foreign handle is a programming error caught before
 * the stack finishes, so parity with the registry cannot drift silently.
 */
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../src/config/environment";

export type StackOutputs = Record<string, pulumi.Input<unknown>>;

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
  return byHandle;
}

/** Other kinds a layer owns (patterns, thresholds, ...) may be exported too. */
function isOwnedExtra(env: Environment, name: string): boolean {
  return env.registry.has(name) && env.registry.handle(name).owner === env.layer;
}
