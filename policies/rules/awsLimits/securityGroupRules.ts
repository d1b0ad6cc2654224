/**
 * SB-44 (mandatory, medium): at most 60 inbound and 60 outbound rules per security group, the default VPC quota,
 * enforced separately for IPv4 and IPv6. A stack rule counts, per group, its inline `ingress`/`egress` and the
 * standalone `aws:vpc/securityGroupIngressRule`, `aws:vpc/securityGroupEgressRule` and `aws:ec2/securityGroupRule`
 * resources that target it (found by their dependency on the group, known at preview). As AWS counts them: each
 * CIDR is one rule of its family; a referenced group, prefix list or `self` is one IPv4 and one IPv6 rule (a
 * prefix list really counts its max entries, which the preview does not carry, so the count is a lower bound).
 */
import type * as policy from "@pulumi/policy";
import { rawOf } from "../../lib/knownValues";
import { stackRule } from "../../lib/rule";

export const VPC_QUOTAS_DOC = "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html";
export const SG_RULES_PER_DIRECTION = 60;

const GROUP_TYPES = new Set(["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"]);
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

export interface RuleCount {
  ipv4: number;
  ipv6: number;
}

const listLength = (v: unknown): number => {
  const raw = rawOf<unknown>(v);
  return Array.isArray(raw) ? raw.length : 0;
};
const present = (v: unknown): number => (v !== undefined && v !== null && v !== false ? 1 : 0);

/** Rules one permission entry adds, by address family (inline entries and aws.ec2.SecurityGroupRule share the shape). */
export function permissionCount(entry: Record<string, unknown>, sourceGroupKey: "securityGroups" | "sourceSecurityGroupId"): RuleCount {
  const groupRefs = sourceGroupKey === "securityGroups" ? listLength(entry.securityGroups) : present(entry.sourceSecurityGroupId);
  const shared = groupRefs + listLength(entry.prefixListIds) + (entry.self === true ? 1 : 0);
  return { ipv4: listLength(entry.cidrBlocks) + shared, ipv6: listLength(entry.ipv6CidrBlocks) + shared };
}

/** Rules one aws.vpc.SecurityGroupIngressRule/EgressRule adds (exactly one source or destination). */
export function vpcRuleCount(p: Record<string, unknown>): RuleCount {
  if (p.cidrIpv4 !== undefined) return { ipv4: 1, ipv6: 0 };
  if (p.cidrIpv6 !== undefined) return { ipv4: 0, ipv6: 1 };
  return { ipv4: 1, ipv6: 1 };
}

interface Tally {
  inbound: RuleCount;
  outbound: RuleCount;
  sources: { inbound: string[]; outbound: string[] };
}

export const securityGroupRuleLimits = stackRule(
  {
    id: "SB-44",
    slug: "security-group-rule-limits",
    description: `A security group may have at most ${SG_RULES_PER_DIRECTION} inbound and ${SG_RULES_PER_DIRECTION} outbound rules (each IPv4 and IPv6 separately; inline rules plus standalone rule resources; each CIDR counts once), which preview does not check and pulumi up's authorize call rejects: merge CIDRs into a managed prefix list, or split the workload across groups (${VPC_QUOTAS_DOC}).`,
    severity: "medium",
  },
  (args, reportViolation) => {
    const groups = args.resources.filter((r) => GROUP_TYPES.has(r.type));
    const tallies = new Map<string, Tally>(
      groups.map((g) => [g.urn, { inbound: { ipv4: 0, ipv6: 0 }, outbound: { ipv4: 0, ipv6: 0 }, sources: { inbound: [], outbound: [] } }]),
    );
    const add = (urn: string, direction: "inbound" | "outbound", n: RuleCount, source: string) => {
      const t = tallies.get(urn);
      if (!t) return;
      t[direction].ipv4 += n.ipv4;
      t[direction].ipv6 += n.ipv6;
      t.sources[direction].push(source);
    };
    for (const g of groups) {
      const p = rawOf<Record<string, unknown>>(g.props) ?? {};
      for (const [key, direction] of [
        ["ingress", "inbound"],
        ["egress", "outbound"],
      ] as const) {
        const list = rawOf<unknown>(p[key]);
        if (!Array.isArray(list)) continue;
        list.forEach((e, i) => add(g.urn, direction, permissionCount(rawOf<Record<string, unknown>>(e) ?? {}, "securityGroups"), `${key}[${i}]`));
      }
    }
    for (const r of args.resources) {
      if (r.type !== INGRESS_RULE && r.type !== EGRESS_RULE && r.type !== SG_RULE) continue;
      const target = groups.find((g) => r.dependencies.some((d) => d.urn === g.urn) && dependsAsTarget(r, g));
      if (!target) continue;
      const p = rawOf<Record<string, unknown>>(r.props) ?? {};
      if (r.type === SG_RULE) {
        const direction = p.type === "egress" ? "outbound" : "inbound";
        add(target.urn, direction, permissionCount(p, "sourceSecurityGroupId"), r.name);
      } else add(target.urn, r.type === INGRESS_RULE ? "inbound" : "outbound", vpcRuleCount(p), r.name);
    }
    for (const g of groups) {
      const t = tallies.get(g.urn) as Tally;
      for (const direction of ["inbound", "outbound"] as const) {
        for (const family of ["ipv4", "ipv6"] as const) {
          const n = t[direction][family];
          if (n > SG_RULES_PER_DIRECTION)
            reportViolation(
              `security group ${g.name} has ${n} ${direction} ${family === "ipv4" ? "IPv4" : "IPv6"} rules (from ${t.sources[direction].length} rule declarations), over the quota of ${SG_RULES_PER_DIRECTION}: merge CIDRs into a managed prefix list or split the workload across groups, until each direction has ${SG_RULES_PER_DIRECTION} or fewer (${VPC_QUOTAS_DOC}).`,
              g.urn,
            );
        }
      }
    }
  },
);

/**
 * Whether a rule that depends on group `g` targets it rather than naming it as its peer: a rule with one group
 * dependency targets that group; with two (its own and a referenced one), the group its `securityGroupId` input
 * depends on (a real preview's property dependencies), else its first group dependency.
 */
function dependsAsTarget(r: policy.PolicyResource, g: policy.PolicyResource): boolean {
  const groupDeps = r.dependencies.filter((d) => GROUP_TYPES.has(d.type));
  if (groupDeps.length <= 1) return true;
  const viaTarget = (r.propertyDependencies as Record<string, policy.PolicyResource[] | undefined> | undefined)?.securityGroupId;
  if (viaTarget && viaTarget.length > 0) return viaTarget.some((d) => d.urn === g.urn);
  return groupDeps[0].urn === g.urn;
}
