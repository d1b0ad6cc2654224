/**
 * The whole-environment part of DA-24 and DA-25, which no single stack's preview can see: a required SSM parameter
 * path or a required role declared by a stack that does not own it, or by more than one resource. Each stack's
 * own share (it declares what it owns; a TO_PIN role is pinned) is a policy of the pack
 * (`policies/rules/requiredHandles.ts`) and runs in every real preview. This part runs over the preview documents
 * of all five stacks together (`plan` of all layers, `policy-check` with five files, the PR workflow).
 */
import { LAYER_SPECS, parseStackName } from "../layers";
import { PreviewDocument } from "../plan/previewDocument";
import { declaredPins } from "../../policies/lib/pins";
import { Registry } from "../registry/registry";
import { Layer } from "../registry/schema";
import { PolicyReport, PolicyViolation, proposedResources, stackOf } from "./report";

export const CROSS_STACK_POLICIES = {
  ssmPaths: {
    name: "da-24-required-ssm-paths",
    description: "[DA-24] Each required SSM parameter is declared exactly once, by the stack the registry names as its owner.",
  },
  roles: { name: "da-25-required-roles", description: "[DA-25] Each required role is declared exactly once, by the stack the registry names as its owner." },
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
    violations.push({
      policy: policy.name,
      rule: policy.name.slice(0, 5).toUpperCase(),
      stack: at?.stack,
      urn: at?.urn,
      enforcementLevel: "mandatory",
      severity: "high",
      message: `${policy.description}\n${message}`,
    });
  };

  for (const required of registry.file.required_secret_paths) {
    const found = parameters.get(required.path) ?? [];
    if (found.length > 1)
      violation(
        CROSS_STACK_POLICIES.ssmPaths,
        `${required.path} is declared by ${found.length} resources (${found.map((f) => f.stack).join(", ")}); exactly one stack owns it.`,
        found[1],
      );
    else if (found.length === 1 && found[0].layer !== required.owner)
      violation(
        CROSS_STACK_POLICIES.ssmPaths,
        `${required.path} is declared by ${found[0].stack}; the registry gives it to the ${required.owner} layer.`,
        found[0],
      );
  }

  // TO_PIN roles are named by the pins the documents declare (`fp_pinned_handle`), the one source of pins.
  const pins = declaredPins(docs.flatMap((d) => proposedResources(d).map((r) => ({ type: r.type, props: r.inputs as Record<string, unknown> }))));
  for (const role of registry.roles()) {
    if (!(LAYER_SPECS.map((s) => s.layer) as string[]).includes(role.owner)) continue; // bootstrap principals live outside the stacks
    const name = role.role_name ?? pins[role.handle];
    const found = name ? (roles.get(name) ?? []) : [];
    if (found.length > 1)
      violation(
        CROSS_STACK_POLICIES.roles,
        `role ${name} (${role.handle}) is declared by ${found.length} resources (${found.map((f) => f.stack).join(", ")}); exactly one stack owns it.`,
        found[1],
      );
    else if (found.length === 1 && found[0].layer !== role.owner)
      violation(
        CROSS_STACK_POLICIES.roles,
        `role ${name} (${role.handle}) is declared by ${found[0].stack}; the registry gives it to the ${role.owner} layer.`,
        found[0],
      );
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
