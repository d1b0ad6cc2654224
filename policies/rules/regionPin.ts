/**
 * DA-13 (mandatory, high): regional resources live in the home region (AWS_REGION); only billing metrics and
 * their alarms use the billing region (AWS_BILLING_REGION). Checked on AWS providers and on the per-resource
 * `region` argument of @pulumi/aws v7.
 */
import { registry } from "../lib/registry";
import { resourceRule } from "../lib/rule";

/** What may live in the billing region: providers, billing-metric alarms and the topics they notify. */
function billingRegionAllowed(type: string, props: Record<string, unknown>): boolean {
  if (type === "pulumi:providers:aws" || type === "aws:sns/topic:Topic") return true;
  return type === "aws:cloudwatch/metricAlarm:MetricAlarm" && props.namespace === "AWS/Billing";
}

export const regionPin = resourceRule(
  {
    id: "DA-13",
    slug: "region-pin",
    description: "Regional resources must be in the home region (eu-west-2); only billing alarms and their providers may use the billing region (us-east-1).",
    severity: "high",
  },
  (args, reportViolation) => {
    const region: unknown = args.props.region;
    if (region === undefined) {
      if (args.type === "pulumi:providers:aws") reportViolation("AWS provider without an explicit region; set aws:region in the stack config.");
      return;
    }
    const home = registry().string("AWS_REGION");
    const billing = registry().string("AWS_BILLING_REGION");
    if (region === home) return;
    if (region === billing && billingRegionAllowed(args.type, args.props)) return;
    reportViolation(`region ${JSON.stringify(region)} is not allowed for ${args.type}: use the home region ${home} (only billing alarms use ${billing}).`);
  },
);
