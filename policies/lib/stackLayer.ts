/** The layer a stack policy is looking at, from the stack segment of its resources' URNs (`<env>-<layer>`). */
import type * as policy from "@pulumi/policy";
import { Layer, parseStackName } from "../../src/layers";

export function layerOfStack(resources: readonly policy.PolicyResource[]): Layer | undefined {
  const stack = resources[0]?.urn.split("::")[0].split(":").pop();
  if (!stack) return undefined;
  try {
    return parseStackName(stack).layer;
  } catch {
    return undefined;
  }
}

/** URN of the stack's root resource, where stack-level violations point. */
export function rootUrnOf(resources: readonly policy.PolicyResource[]): string | undefined {
  return resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
}
