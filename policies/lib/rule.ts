/**
 * Shared shape of the pack's policies: every policy implements one design rule (DA-xx) or a small family, is
 * named `da-<nn>-<what-it-checks>`, and says in its description what to fix.
 */
import type * as policy from "@pulumi/policy";

export interface RuleMeta {
  /** Design-rule id, e.g. `DA-10`. */
  id: `DA-${number}`;
  /** Kebab-case slug of what the policy checks. */
  slug: string;
  /** What the rule requires and how to fix a violation. */
  description: string;
  severity: policy.Severity;
  /** Mandatory unless the checklist says advisory. */
  enforcementLevel?: policy.EnforcementLevel;
  configSchema?: policy.PolicyConfigSchema;
}

export function policyName(meta: Pick<RuleMeta, "id" | "slug">): string {
  return `${meta.id.toLowerCase()}-${meta.slug}`;
}

function common(meta: RuleMeta) {
  return {
    name: policyName(meta),
    description: `[${meta.id}] ${meta.description}`,
    severity: meta.severity,
    enforcementLevel: meta.enforcementLevel ?? "mandatory",
    ...(meta.configSchema ? { configSchema: meta.configSchema } : {}),
  };
}

export function resourceRule(meta: RuleMeta, validateResource: policy.ResourceValidation | policy.ResourceValidation[]): policy.ResourceValidationPolicy {
  return { ...common(meta), validateResource };
}

export function stackRule(meta: RuleMeta, validateStack: policy.StackValidation): policy.StackValidationPolicy {
  return { ...common(meta), validateStack };
}
