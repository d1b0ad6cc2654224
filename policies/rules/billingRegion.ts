/**
 * DA-92 (mandatory, high): billing metrics exist only in AWS_BILLING_REGION (us-east-1).
 * - `da-92-billing-alarm-region`: an alarm on AWS/Billing is created there, through an explicit provider whose
 *   region is the billing region (or the per-resource `region` argument); on the default provider (home region)
 *   it would watch a metric that never exists.
 * - `da-92-billing-widgets-region`: dashboard widgets plotting AWS/Billing read the billing region.
 */
import type * as policy from "@pulumi/policy";
import { listOf, recordsOf } from "../lib/knownValues";
import { registry } from "../lib/registry";
import { resourceRule } from "../lib/rule";

function watchesBilling(props: Record<string, unknown>): boolean {
  if (props.namespace === "AWS/Billing") return true;
  return recordsOf(props.metricQueries).some((q) => (q.metric as Record<string, unknown> | undefined)?.namespace === "AWS/Billing");
}

/** Where a resource is created: its own `region` argument, else its provider's. */
export function effectiveRegion(args: policy.ResourceValidationArgs): { region?: unknown; source: string } {
  if (args.props.region !== undefined) return { region: args.props.region, source: "its region argument" };
  if (args.provider) return { region: args.provider.props.region, source: `provider ${args.provider.name}` };
  return { source: "no provider information" };
}

export const billingAlarmRegion = resourceRule(
  {
    id: "DA-92",
    slug: "billing-alarm-region",
    description: "Alarms on AWS/Billing metrics are created in AWS_BILLING_REGION (us-east-1) through an explicit aws.Provider for that region.",
    severity: "high",
  },
  (args, reportViolation) => {
    if (args.type !== "aws:cloudwatch/metricAlarm:MetricAlarm" || !watchesBilling(args.props)) return args.notApplicable("not a billing alarm");
    const billing = registry().string("AWS_BILLING_REGION");
    const { region, source } = effectiveRegion(args);
    if (region !== billing)
      reportViolation(
        `billing alarm ${JSON.stringify(args.props.name ?? args.name)} is in ${JSON.stringify(region ?? "the default region")} (${source}); create it through a provider for ${billing}.`,
      );
  },
);

export const billingWidgetsRegion = resourceRule(
  {
    id: "DA-92",
    slug: "billing-widgets-region",
    description: "Dashboard widgets that plot AWS/Billing metrics set region to AWS_BILLING_REGION (us-east-1).",
    severity: "medium",
  },
  (args, reportViolation) => {
    if (args.type !== "aws:cloudwatch/dashboard:Dashboard") return args.notApplicable("not a dashboard");
    const billing = registry().string("AWS_BILLING_REGION");
    const raw = args.props.dashboardBody;
    let body: unknown;
    try {
      body = typeof raw === "string" ? JSON.parse(raw) : raw;
    } catch {
      return; // DA-82 reports an unreadable body
    }
    for (const w of recordsOf((body as { widgets?: unknown })?.widgets)) {
      const props = (w.properties ?? {}) as Record<string, unknown>;
      const rows = listOf(props.metrics);
      if (!rows.some((row) => Array.isArray(row) && row[0] === "AWS/Billing")) continue;
      if (props.region !== billing)
        reportViolation(
          `widget ${JSON.stringify(props.title ?? "untitled")} plots AWS/Billing in ${JSON.stringify(props.region ?? null)}; billing metrics exist only in ${billing}.`,
        );
    }
  },
);

export const billingRegionPolicies = [billingAlarmRegion, billingWidgetsRegion];
