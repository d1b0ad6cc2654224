/**
 * EC2 / VPC:
 * - SB-19 (mandatory, high): default security groups are closed: a stack that declares a VPC also declares its
 *   `aws:ec2/defaultSecurityGroup` (which strips the default rules), and that resource declares no ingress or
 *   egress. FSBP EC2.2.
 * - SB-20 (mandatory, medium): every declared VPC has a flow log (`aws:ec2/flowLog` on the VPC) capturing ALL (or
 *   at least REJECT) traffic to a log destination. FSBP EC2.6.
 * - SB-21 (mandatory, high): data-tier security groups (those an RDS cluster/instance, ElastiCache or MSK
 *   Serverless cluster uses) send egress only inside the VPC (the declared VPC's CIDR, else RFC 1918 space), to a
 *   prefix list (gateway endpoints) or to another security group; never 0.0.0.0/0, ::/0 or a public range.
 *   Found through the store's dependencies on the group, and the rules' dependencies on it.
 * - SB-22 (mandatory, high): instances, launch templates and launch configurations require IMDSv2
 *   (metadataOptions.httpTokens "required", or the endpoint disabled), and EKS managed node groups use a launch
 *   template (which is then checked). FSBP EC2.8, EC2.170, AutoScaling.3.
 * - SB-23 (mandatory, medium): subnets do not assign public IPs on launch (mapPublicIpOnLaunch not true). FSBP
 *   EC2.15.
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { listOf } from "../../lib/knownValues";
import { checksOf, resourceRule, stackRule } from "../../lib/rule";

const VPC = "aws:ec2/vpc:Vpc";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
/** Resources whose security groups are data tier. */
export const DATA_TIER_TYPES = new Set([
  "aws:rds/cluster:Cluster",
  "aws:rds/instance:Instance",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:elasticache/serverlessCache:ServerlessCache",
  "aws:msk/serverlessCluster:ServerlessCluster",
  "aws:msk/cluster:Cluster",
]);

const dependsOn = (r: policy.PolicyResource, urn: string) => r.dependencies.some((d) => d.urn === urn);

export const defaultSecurityGroupClosed = stackRule(
  {
    id: "SB-19",
    slug: "default-security-group-closed",
    description:
      "A stack that declares a VPC must declare its aws.ec2.DefaultSecurityGroup with no ingress and no egress rules (ingress: [], egress: []), so nothing can use the default group: build the VPC with the PlatformNetwork component.",
    severity: "high",
  },
  (args, reportViolation) => {
    const groups = args.resources.filter((r) => r.type === DEFAULT_SG);
    for (const g of groups) {
      const p = g.props as Record<string, unknown>;
      const rules = [...listOf(p.ingress).map(() => "ingress"), ...listOf(p.egress).map(() => "egress")];
      if (rules.length > 0)
        reportViolation(
          `the default security group declares ${listOf(p.ingress).length} ingress and ${listOf(p.egress).length} egress rule(s): members of the default group reach each other. Set ingress: [] and egress: [].`,
          g.urn,
        );
    }
    for (const vpc of args.resources.filter((r) => r.type === VPC)) {
      if (!groups.some((g) => dependsOn(g, vpc.urn)))
        reportViolation(
          `VPC ${vpc.name} has no aws.ec2.DefaultSecurityGroup: its default group keeps AWS's allow-all rules between members. Declare new aws.ec2.DefaultSecurityGroup({ vpcId: vpc.id, ingress: [], egress: [] }).`,
          vpc.urn,
        );
    }
  },
);

export const vpcFlowLogs = stackRule(
  {
    id: "SB-20",
    slug: "vpc-flow-logs",
    description:
      "Every VPC needs a flow log (aws.ec2.FlowLog with vpcId = the VPC, trafficType ALL or REJECT) delivered to a KMS-encrypted log group with the pinned retention: build the VPC with the PlatformNetwork component.",
    severity: "medium",
  },
  (args, reportViolation) => {
    const logs = args.resources.filter((r) => r.type === FLOW_LOG);
    for (const vpc of args.resources.filter((r) => r.type === VPC)) {
      const mine = logs.filter((l) => dependsOn(l, vpc.urn));
      if (mine.length === 0) {
        reportViolation(
          `VPC ${vpc.name} has no flow log: rejected and accepted traffic is not recorded. Declare an aws.ec2.FlowLog with vpcId = the VPC, trafficType "ALL" and a log group destination.`,
          vpc.urn,
        );
        continue;
      }
      for (const l of mine) {
        const p = l.props as Record<string, unknown>;
        if (p.trafficType !== "ALL" && p.trafficType !== "REJECT")
          reportViolation(`flow log ${l.name}: trafficType is ${JSON.stringify(p.trafficType ?? null)}; set "ALL" (or at least "REJECT").`, l.urn);
        if (p.logDestination === undefined && p.logGroupName === undefined)
          reportViolation(`flow log ${l.name}: no logDestination: set it to the flow-log group's ARN.`, l.urn);
      }
    }
  },
);

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}
function parseCidr(cidr: string): { base: number; bits: number } | undefined {
  const [ip, len] = cidr.split("/");
  const base = ipv4ToInt(ip);
  const bits = Number(len);
  if (base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
  return { base, bits };
}
/** Whether IPv4 CIDR `inner` lies inside `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
  const a = parseCidr(inner);
  const b = parseCidr(outer);
  if (!a || !b || a.bits < b.bits) return false;
  const mask = b.bits === 0 ? 0 : (~0 << (32 - b.bits)) >>> 0;
  return (a.base & mask) >>> 0 === (b.base & mask) >>> 0;
}
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/** Problems of one egress destination, given the ranges counted as inside the VPC. */
function egressProblems(
  where: string,
  dest: {
    cidrIpv4?: unknown;
    cidrIpv6?: unknown;
    cidrs?: unknown;
    ipv6Cidrs?: unknown;
    prefixListIds?: unknown;
    prefixListId?: unknown;
    referencedSecurityGroupId?: unknown;
    groups?: unknown;
    self?: unknown;
  },
  inside: string[],
): string[] {
  const problems: string[] = [];
  const v4 = [...(typeof dest.cidrIpv4 === "string" ? [dest.cidrIpv4] : []), ...listOf(dest.cidrs).filter((c): c is string => typeof c === "string")];
  const v6 = [...(typeof dest.cidrIpv6 === "string" ? [dest.cidrIpv6] : []), ...listOf(dest.ipv6Cidrs).filter((c): c is string => typeof c === "string")];
  for (const c of v4) if (!inside.some((o) => cidrWithin(c, o))) problems.push(`${where} allows egress to ${c}, outside the VPC (${inside.join(", ")})`);
  for (const c of v6) problems.push(`${where} allows egress to IPv6 ${c}`);
  return problems;
}

export const dataTierEgressScoped = stackRule(
  {
    id: "SB-21",
    slug: "data-tier-egress-scoped",
    description:
      "Security groups of the data tier (Aurora/RDS, ElastiCache, MSK) may send egress only inside the VPC (its CIDR), to the gateway endpoints' prefix lists or to other security groups: replace 0.0.0.0/0, ::/0 or public CIDRs with the VPC CIDR (core's vpc_cidr) or a prefix list.",
    severity: "high",
  },
  (args, reportViolation) => {
    const vpcCidrs = args.resources
      .filter((r) => r.type === VPC)
      .map((v) => (v.props as Record<string, unknown>).cidrBlock)
      .filter((c): c is string => typeof c === "string");
    const inside = vpcCidrs.length > 0 ? vpcCidrs : PRIVATE_RANGES;
    const groups = new Map(args.resources.filter((r) => r.type === SECURITY_GROUP).map((r) => [r.urn, r]));
    const dataTier = new Set(
      args.resources.filter((r) => DATA_TIER_TYPES.has(r.type)).flatMap((r) => r.dependencies.filter((d) => groups.has(d.urn)).map((d) => d.urn)),
    );
    for (const urn of dataTier) {
      const sg = groups.get(urn) as policy.PolicyResource;
      listOf((sg.props as Record<string, unknown>).egress).forEach((e, i) => {
        const rule = e as Record<string, unknown>;
        for (const m of egressProblems(`inline egress[${i}]`, { cidrs: rule.cidrBlocks, ipv6Cidrs: rule.ipv6CidrBlocks }, inside))
          reportViolation(`data-tier security group ${sg.name}: ${m}. Limit egress to the VPC CIDR or a prefix list.`, sg.urn);
      });
    }
    for (const r of args.resources) {
      if (r.type !== EGRESS_RULE && r.type !== SG_RULE) continue;
      const owner = r.dependencies.find((d) => dataTier.has(d.urn));
      if (!owner) continue;
      const p = r.props as Record<string, unknown>;
      if (r.type === SG_RULE && p.type !== "egress") continue;
      const dest = r.type === EGRESS_RULE ? { cidrIpv4: p.cidrIpv4, cidrIpv6: p.cidrIpv6 } : { cidrs: p.cidrBlocks, ipv6Cidrs: p.ipv6CidrBlocks };
      for (const m of egressProblems(`rule ${r.name}`, dest, inside))
        reportViolation(`data-tier security group ${owner.name}: ${m}. Limit egress to the VPC CIDR or a prefix list.`, r.urn);
    }
  },
);

function checkMetadata(options: unknown, report: (m: string) => void): void {
  const o = (options ?? {}) as { httpTokens?: unknown; httpEndpoint?: unknown };
  if (o.httpEndpoint === "disabled") return;
  if (o.httpTokens !== "required")
    report(
      `metadataOptions.httpTokens is ${JSON.stringify(o.httpTokens ?? "optional")}: IMDSv1 lets any SSRF read the instance credentials. Set metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } (2 for containers).`,
    );
}

export const imdsv2Required = resourceRule(
  {
    id: "SB-22",
    slug: "imdsv2-required",
    description:
      'EC2 instances, launch templates and launch configurations must require IMDSv2: metadataOptions.httpTokens "required" (or httpEndpoint "disabled"); EKS node groups must use such a launch template.',
    severity: "high",
  },
  [
    policy.validateResourceOfType(aws.ec2.Instance, (i, _args, report) => checkMetadata(i.metadataOptions, report)),
    policy.validateResourceOfType(aws.ec2.LaunchTemplate, (t, _args, report) => checkMetadata(t.metadataOptions, report)),
    policy.validateResourceOfType(aws.ec2.LaunchConfiguration, (c, _args, report) => checkMetadata(c.metadataOptions, report)),
    checksOf(
      aws.eks.NodeGroup,
      (group) =>
        group.launchTemplate === undefined &&
        'launchTemplate is not set: the nodes get EKS\'s default launch template, which does not require IMDSv2. Give the node group a launch template with metadataOptions.httpTokens "required" (and the root volume in its blockDeviceMappings).',
    ),
  ],
);

export const subnetsNoPublicIp = resourceRule(
  {
    id: "SB-23",
    slug: "subnets-no-public-ip-on-launch",
    description: "Subnets must not assign public IPv4 addresses on launch: leave mapPublicIpOnLaunch false (load balancers get their addresses without it).",
    severity: "medium",
  },
  checksOf(
    aws.ec2.Subnet,
    (subnet) =>
      subnet.mapPublicIpOnLaunch === true && "mapPublicIpOnLaunch is true: every instance launched there gets a public IP. Set mapPublicIpOnLaunch: false.",
  ),
);

export const networkBaselinePolicies = [defaultSecurityGroupClosed, vpcFlowLogs, dataTierEgressScoped, imdsv2Required, subnetsNoPublicIp];
