/**
 * DA-15 (mandatory, critical): private by default. No security group admits ingress from anywhere (`0.0.0.0/0`
 * or `::/0`), whether the rule is inline on `aws:ec2/securityGroup`, a standalone
 * `aws:vpc/securityGroupIngressRule` or a legacy `aws:ec2/securityGroupRule` of type ingress. A boundary
 * endpoint that must face the internet is designated explicitly with a reviewed exemption
 * (`fp_exempt_da-15-no-open-ingress` tag, or the policy's `exemptions` config for untaggable rules).
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { resourceRule } from "../lib/rule";

/** CIDRs that mean "anywhere". */
export const OPEN_CIDRS: ReadonlySet<string> = new Set(["0.0.0.0/0", "::/0"]);

function openOf(cidrs: ReadonlyArray<unknown> | undefined): string[] {
  return (cidrs ?? []).filter((c): c is string => typeof c === "string" && OPEN_CIDRS.has(c));
}

function ports(from: unknown, to: unknown, protocol: unknown): string {
  if (protocol === "-1" || protocol === "all") return "all traffic";
  return from === to ? `${String(protocol)}/${String(from)}` : `${String(protocol)}/${String(from)}-${String(to)}`;
}

const FIX = "admit the VPC CIDR, a peer security group or a prefix list instead, or record a reviewed boundary-endpoint exemption";

export const noOpenIngress = resourceRule(
  {
    id: "DA-15",
    slug: "no-open-ingress",
    description: "Security groups must not admit ingress from 0.0.0.0/0 or ::/0; only designated boundary endpoints (reviewed exemption) may.",
    severity: "critical",
  },
  [
    policy.validateResourceOfType(aws.ec2.SecurityGroup, (sg, _args, reportViolation) => {
      (sg.ingress ?? []).forEach((rule, i) => {
        const open = [...openOf(rule.cidrBlocks), ...openOf(rule.ipv6CidrBlocks)];
        if (open.length) reportViolation(`ingress[${i}] (${ports(rule.fromPort, rule.toPort, rule.protocol)}) admits ${open.join(", ")}; ${FIX}.`);
      });
    }),
    policy.validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (rule, _args, reportViolation) => {
      const open = openOf([rule.cidrIpv4, rule.cidrIpv6]);
      if (open.length) reportViolation(`ingress rule (${ports(rule.fromPort, rule.toPort, rule.ipProtocol)}) admits ${open.join(", ")}; ${FIX}.`);
    }),
    policy.validateResourceOfType(aws.ec2.SecurityGroupRule, (rule, args, reportViolation) => {
      if (rule.type !== "ingress") return args.notApplicable("egress rule");
      const open = [...openOf(rule.cidrBlocks), ...openOf(rule.ipv6CidrBlocks)];
      if (open.length) reportViolation(`ingress rule (${ports(rule.fromPort, rule.toPort, rule.protocol)}) admits ${open.join(", ")}; ${FIX}.`);
    }),
  ],
);
