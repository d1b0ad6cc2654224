/**
 * Lookups over a stack's resources that stack rules share, built once per resource list: by URN, by type (in the
 * list's order), and each resource's position in the list. A rule that asks "which role does this policy belong
 * to" for every policy then costs a lookup per dependency instead of a scan of the stack.
 */
import type * as policy from "@pulumi/policy";

export interface StackIndex {
  byUrn: ReadonlyMap<string, policy.PolicyResource>;
  /** Resources of a type, in the list's order (empty when there are none). */
  ofType(type: string): readonly policy.PolicyResource[];
  /** A resource's position in the list. */
  position(r: policy.PolicyResource): number;
  /** Of the resources `r` depends on, those of `type`, in the list's order. */
  dependenciesOfType(r: policy.PolicyResource, type: string): policy.PolicyResource[];
}

const indexes = new WeakMap<readonly policy.PolicyResource[], StackIndex>();

export function stackIndex(resources: readonly policy.PolicyResource[]): StackIndex {
  const known = indexes.get(resources);
  if (known) return known;
  const byUrn = new Map<string, policy.PolicyResource>();
  const byType = new Map<string, policy.PolicyResource[]>();
  const positions = new Map<policy.PolicyResource, number>();
  resources.forEach((r, i) => {
    if (!byUrn.has(r.urn)) byUrn.set(r.urn, r);
    const list = byType.get(r.type);
    if (list) list.push(r);
    else byType.set(r.type, [r]);
    positions.set(r, i);
  });
  const position = (r: policy.PolicyResource) => positions.get(r) ?? -1;
  const index: StackIndex = {
    byUrn,
    ofType: (type) => byType.get(type) ?? [],
    position,
    dependenciesOfType: (r, type) =>
      [...new Set(r.dependencies.map((d) => byUrn.get(d.urn)).filter((d): d is policy.PolicyResource => d?.type === type))].sort(
        (a, b) => position(a) - position(b),
      ),
  };
  indexes.set(resources, index);
  return index;
}
