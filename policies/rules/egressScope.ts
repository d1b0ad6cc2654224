/**
 * DA-18 (advisory, medium): outbound access limited to the managed services a workload needs. Security-group
 * egress to anywhere (0.0.0.0/0 or ::/0) is reported: a standalone `aws:vpc/securityGroupEgressRule`, an
 * `aws:ec2/securityGroupRule` of type egress, or an inline `egress` block of `aws:ec2/securityGroup`. Prefer VPC
 * endpoints, prefix lists or the VPC CIDR. Values unknown at preview are skipped.
 */
import { knownString, listOf, rawOf } from "../lib/knownValues";
import { resourceRule } from "../lib/rule";

const ANYWHERE = new Set(["0.0.0.0/0", "::/0"]);
const open = (v: unknown): string[] => listOf(rawOf(v)).filter((c): c is string => typeof c === "string" && ANYWHERE.has(c));

export const egressScoped = resourceRule(
  {
    id: "DA-18",
    slug: "egress-scoped",
    description:
      "Security-group egress should reach only the managed services the workload needs (VPC endpoints, prefix lists, the VPC CIDR), not 0.0.0.0/0 or ::/0.",
    severity: "medium",
    enforcementLevel: "advisory",
  },
  (args, reportViolation) => {
    const props = rawOf<Record<string, unknown>>(args.props);
    switch (args.type) {
      case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":
        for (const key of ["cidrIpv4", "cidrIpv6"]) {
          const cidr = knownString(props, key);
          if (cidr && ANYWHERE.has(cidr)) reportViolation(`egress rule allows ${key} ${cidr}.`);
        }
        return;
      case "aws:ec2/securityGroupRule:SecurityGroupRule":
        if (knownString(props, "type") !== "egress") return args.notApplicable("ingress rule");
        for (const cidr of [...open(props.cidrBlocks), ...open(props.ipv6CidrBlocks)]) reportViolation(`egress rule allows ${cidr}.`);
        return;
      case "aws:ec2/securityGroup:SecurityGroup":
        listOf(rawOf(props.egress)).forEach((e, i) => {
          const rule = rawOf<Record<string, unknown>>(e) ?? {};
          for (const cidr of [...open(rule.cidrBlocks), ...open(rule.ipv6CidrBlocks)]) reportViolation(`inline egress[${i}] allows ${cidr}.`);
        });
        return;
      default:
        return args.notApplicable("not a security-group egress");
    }
  },
);
