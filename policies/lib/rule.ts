/**
 * Shared shape of the pack's policies: every policy implements one design rule (DA-xx) or one security-baseline
 * control group (SB-xx, docs/security-baseline.md) or a small family, is named `da-<nn>-<what-it-checks>` (or
 * `sb-<nn>-...`), says in its description what to fix, and honours reviewed exemptions
 * (`exemptions.ts`): a valid exemption silences the rule for that resource, an invalid one is a violation.
 */
import * as policy from "@pulumi/policy";
import type { Resource, Unwrap } from "@pulumi/pulumi";
import { ExemptionCheck, ExemptionRecord, exemptionFor, exemptionsConfigSchema, todayOf } from "./exemptions";

/** The analyzer's "value unknown during preview" error (the same module instance the server checks against). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { UnknownValueError } = require("@pulumi/policy/proxy") as { UnknownValueError: new (...args: unknown[]) => Error };

export interface RuleMeta {
  /** Design-rule id, e.g. `DA-10`, or security-baseline id, e.g. `SB-01` (docs/security-baseline.md). */
  id: `DA-${number}` | `SB-${number}`;
  /** Kebab-case slug of what the policy checks. */
  slug: string;
  /** What the rule requires and how to fix a violation. */
  description: string;
  severity: policy.Severity;
  /** Mandatory unless the checklist says advisory. */
  enforcementLevel?: policy.EnforcementLevel;
  /** Rule-specific config properties (every rule also takes `exemptions` and `today`). */
  configSchema?: policy.PolicyConfigSchema;
}

/** Config every rule understands. */
interface CommonConfig {
  exemptions?: ExemptionRecord[];
  today?: string;
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
    configSchema: {
      ...meta.configSchema,
      properties: {
        ...meta.configSchema?.properties,
        exemptions: exemptionsConfigSchema,
        today: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "Date exemptions are checked against (default: today, UTC)." },
      },
    } satisfies policy.PolicyConfigSchema,
  };
}

/**
 * Wraps a validation so a valid exemption skips it and an invalid one is reported. Keeps the type filter: a typed
 * validation (from `validateResourceOfType`) looks at nothing of a resource of another type, as the analyzer
 * server runs every validation of a list on every resource and leaves the type check to the validation.
 *
 * The exemption is read after the validation ran, so a rule that does not apply (notApplicable) never reads
 * `tags`. When `tags` are unknown at preview, a compliant resource passes, and a violating one is "can't run"
 * (its exemption can't be read), as the analyzer reports any unknown it touches.
 */
function withExemptions(name: string, validation: policy.ResourceValidation): policy.ResourceValidation {
  const typed = (validation as { __pulumiType?: string }).__pulumiType;
  const wrapped: policy.ResourceValidation = async (args, reportViolation) => {
    if (typed && args.type !== typed) return;
    const found: Array<[string, string | undefined]> = [];
    await validation(args, (message, urn) => found.push([message, urn]));
    const config = args.getConfig<CommonConfig>();
    let check: ExemptionCheck;
    try {
      check = exemptionFor(name, args.urn, args.props, config.exemptions ?? [], todayOf(config));
    } catch (e) {
      if (found.length === 0 && e instanceof UnknownValueError) return;
      throw e;
    }
    if (check.kind === "valid") return args.notApplicable(`exempted: ${check.record.reason}`);
    if (check.kind === "invalid") reportViolation(`${check.problem}; the rule applies until a valid exemption is recorded.`);
    for (const [message, urn] of found) reportViolation(message, urn);
  };
  if (typed) Object.assign(wrapped, { __pulumiType: typed });
  return wrapped;
}

export function resourceRule(meta: RuleMeta, validateResource: policy.ResourceValidation | policy.ResourceValidation[]): policy.ResourceValidationPolicy {
  const name = policyName(meta);
  const validations = Array.isArray(validateResource) ? validateResource.map((v) => withExemptions(name, v)) : withExemptions(name, validateResource);
  return { ...common(meta), validateResource: validations };
}

/** One check of a resource's props: the problem to report (what is wrong, how to fix it) when it fails; `false` or `undefined` when it holds. */
export type PropsCheck<TProps> = (props: TProps) => string | false | undefined;

/**
 * A validation of one resource type made of independent checks, run in order, each reporting its own problem:
 * `checksOf(aws.s3.Bucket, (b) => b.forceDestroy === true && "forceDestroy is true.")`.
 */
export function checksOf<TResource extends Resource, TArgs>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resourceClass: { new (name: string, args: TArgs, ...rest: any[]): TResource },
  ...checks: Array<PropsCheck<Unwrap<NonNullable<TArgs>>>>
): policy.ResourceValidation {
  return policy.validateResourceOfType(resourceClass, (props, _args, reportViolation) => {
    for (const check of checks) {
      const problem = check(props);
      if (problem) reportViolation(problem);
    }
  });
}

export function stackRule(meta: RuleMeta, validateStack: policy.StackValidation): policy.StackValidationPolicy {
  const name = policyName(meta);
  const wrapped: policy.StackValidation = (args, reportViolation) => {
    const config = args.getConfig<CommonConfig>();
    const today = todayOf(config);
    const byUrn = new Map(args.resources.map((r) => [r.urn, r]));
    const report: policy.ReportViolation = (message, urn) => {
      const resource = urn ? byUrn.get(urn) : undefined;
      const check = urn ? exemptionFor(name, urn, resource?.props ?? {}, config.exemptions ?? [], today) : { kind: "none" as const };
      if (check.kind === "valid") return;
      reportViolation(check.kind === "invalid" ? `${message} (${check.problem})` : message, urn);
    };
    return validateStack(args, report);
  };
  const typed = (validateStack as { __pulumiType?: string }).__pulumiType;
  if (typed) Object.assign(wrapped, { __pulumiType: typed });
  return { ...common(meta), validateStack: wrapped };
}
