/**
 * Cross-stack rules CrossGuard cannot check (it sees one stack at a time): DA-24, all 12 required SSM parameter
 * paths exist, each owned by exactly one stack, the one the registry names; DA-25, every required role exists
 * (design authority 7 + registry 4 + IRSA 6) and `ROLE_EKS_IRSA_LEARNING` is pinned. They run over the preview
 * documents of all five stacks together (`policy-check` with five files, and `plan` of all layers).
 */
import { LAYER_SPECS, parseStackName } from "../layers";
import { PreviewDocument } from "../plan/previewDocument";
import { Registry } from "../registry/registry";
import { Layer } from "../registry/schema";
import { PolicyReport, PolicyViolation, proposedResources, stackOf } from "./harness";

export const CROSS_STACK_POLICIES = {
  ssmPaths: { name: "da-24-required-ssm-paths", description: "[DA-24] All 12 required SSM parameters exist, each owned by exactly one stack (the registry's owner)." },
  roles: { name: "da-25-required-roles", description: "[DA-25] Every required role handle exists as a role; ROLE_EKS_IRSA_LEARNING is pinned before any learning lane." },
} as const;

interface Located {
  stack: string;
  layer?: Layer;
  urn: string;
}

function layerOf(stack: string): Layer | undefined {
  try {
    return parseStackName(stack).layer;
  } catch {
    return undefined;
  }
}

/** Which layers the documents cover. */
export function coveredLayers(docs: PreviewDocument[]): Layer[] {
  const layers = docs.map((d) => layerOf(stackOf(d) ?? "")).filter((l): l is Layer => l !== undefined);
  return LAYER_SPECS.map((s) => s.layer).filter((l) => layers.includes(l));
}

/** Cross-stack violations; empty unless the documents cover all five layers (partial sets cannot be judged). */
export function crossStackViolations(docs: PreviewDocument[], registry: Registry): PolicyViolation[] {
  if (coveredLayers(docs).length < LAYER_SPECS.length) return [];
  const parameters = new Map<string, Located[]>();
  const roles = new Map<string, Located[]>();
  for (const doc of docs) {
    const stack = stackOf(doc) ?? "";
    for (const r of proposedResources(doc)) {
      const name = r.inputs.name;
      if (typeof name !== "string") continue;
      const target = r.type === "aws:ssm/parameter:Parameter" ? parameters : r.type === "aws:iam/role:Role" ? roles : undefined;
      if (!target) continue;
      target.set(name, [...(target.get(name) ?? []), { stack, layer: layerOf(stack), urn: r.urn }]);
    }
  }

  const violations: PolicyViolation[] = [];
  const violation = (policy: { name: string; description: string }, message: string, at?: Located): void => {
    violations.push({ policy: policy.name, rule: policy.name.slice(0, 5).toUpperCase(), stack: at?.stack, urn: at?.urn, enforcementLevel: "mandatory", severity: "high", message: `${policy.description}\n${message}` });
  };

  for (const required of registry.file.required_secret_paths) {
    const found = parameters.get(required.path) ?? [];
    if (found.length === 0) violation(CROSS_STACK_POLICIES.ssmPaths, `${required.path} (${required.handle}) is declared by no stack; the ${required.owner} layer owns it.`);
    else if (found.length > 1) violation(CROSS_STACK_POLICIES.ssmPaths, `${required.path} is declared by ${found.length} resources (${found.map((f) => f.stack).join(", ")}); exactly one stack owns it.`, found[1]);
    else if (found[0].layer !== required.owner) violation(CROSS_STACK_POLICIES.ssmPaths, `${required.path} is declared by ${found[0].stack}; the registry gives it to the ${required.owner} layer.`, found[0]);
  }

  for (const role of registry.roles()) {
    if (!(LAYER_SPECS.map((s) => s.layer) as string[]).includes(role.owner)) continue; // bootstrap principals live outside the stacks
    const name = role.role_name ?? (registry.isPinned(role.handle) ? registry.roleName(role.handle) : undefined);
    if (!name) {
      violation(CROSS_STACK_POLICIES.roles, `${role.handle} is TO_PIN: pin it before any ${role.owner} lane needs it.`);
      continue;
    }
    if (!roles.has(name)) violation(CROSS_STACK_POLICIES.roles, `role ${name} (${role.handle}) is declared by no stack; the ${role.owner} layer owns it.`);
  }
  return violations;
}

/** The report with cross-stack violations added and its summary recounted. */
export function withCrossStack(report: PolicyReport, docs: PreviewDocument[], registry: Registry): PolicyReport {
  const extra = crossStackViolations(docs, registry);
  if (extra.length === 0) return report;
  const violations = [...report.violations, ...extra];
  const byPolicy: Record<string, number> = {};
  for (const v of violations) byPolicy[v.policy] = (byPolicy[v.policy] ?? 0) + 1;
  return {
    violations,
    summary: {
      ...report.summary,
      mandatory: violations.filter((v) => v.enforcementLevel === "mandatory").length,
      advisory: violations.filter((v) => v.enforcementLevel === "advisory").length,
      byPolicy,
    },
  };
}
