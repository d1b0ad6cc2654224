/** The layer a stack policy is looking at, from the stack segment of its resources' URNs (`<env>-<layer>`). */
import type * as policy from "@pulumi/policy";
import { Layer, parseStackName } from "../../src/layers";
import { handlesOfAbsentSurfaces } from "../../src/window/surfaces";
import { registry } from "./registry";

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

/**
 * Handles this stack defers with a surface it does not declare (registry/surfaces.yaml `handles`; a closed proof
 * window is the usual cause): the rules that require a handle's resource skip them here. A handle counts as
 * declared when some resource carries its pinned value as a physical name (`name`, `dashboardName`, `alarmName`).
 */
export function deferredSurfaceHandles(resources: readonly policy.PolicyResource[], layer: Layer): Set<string> {
  const r = registry();
  const names = new Set(
    resources.flatMap((res) => [res.props.name, res.props.dashboardName, res.props.alarmName].filter((v): v is string => typeof v === "string")),
  );
  const declared = (handle: string) => {
    const value = r.has(handle) ? r.handle(handle).value : undefined;
    return typeof value === "string" && names.has(value);
  };
  return handlesOfAbsentSurfaces(
    resources.map((res) => ({ urn: res.urn, type: res.type, name: res.name, parent: res.parent?.urn })),
    layer,
    declared,
  );
}
