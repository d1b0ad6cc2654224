import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arns } from "../src/iam/arns";
import { serviceTrust } from "../src/iam/policy";
import { cidrKey } from "../src/network/workloadEgress";
import { Tags } from "../src/tags";
import { WorkloadRole } from "./workloadRole";

export interface PlatformNetworkArgs {
  /** Prefix of Name tags, e.g. `fraud-platform-dev-full`. */
  namePrefix: string;
  /** CIDR block of the VPC. */
  vpcCidr: string;
  /** Availability zones to spread over, in order; subnet i goes to zone i. */
  availabilityZones: pulumi.Input<string[]>;
  /** Public subnet CIDRs, one per zone. */
  publicSubnetCidrs: string[];
  /** Private subnet CIDRs, one per zone. */
  privateSubnetCidrs: string[];
  /** Physical name of the MSK Serverless brokers' security group (MSK_CLIENT_SECURITY_GROUP_NAME). */
  mskSecurityGroupName: string;
  /** The one port MSK Serverless listens on (SASL/IAM). */
  mskPort: number;
  /** The VPC's flow log (ALL traffic) to a CloudWatch log group. */
  flowLogs: {
    /** Log group name (VPC_FLOW_LOG_GROUP_NAME, under the environment's prefix). */
    logGroupName: string;
    /** Role VPC Flow Logs assumes to write the group (VPC_FLOW_LOG_ROLE_NAME). */
    roleName: string;
    /** Days the group keeps logs (LOG_RETENTION_DAYS). */
    retentionInDays: number;
    /** KMS key the group is encrypted with (the platform key, whose policy admits CloudWatch Logs for it). */
    kmsKeyArn: pulumi.Input<string>;
    /** Account id (the role's trust is bound to it). */
    accountId: pulumi.Input<string>;
    /** Region of the group (its ARN is composed from the name, so the role's policy is known at preview). */
    region: string;
  };
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/** Actions VPC Flow Logs needs on its log group (the group is declared, so it never creates one). */
export const FLOW_LOG_DELIVERY_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:DescribeLogGroups"];

/**
 * The platform VPC: public and private subnets across the configured AZs (tagged for EKS load-balancer
 * discovery), an internet gateway for the public tier, a private tier with no internet route, the VPC's default
 * security group stripped of all rules, a flow log of ALL traffic to a KMS-encrypted log group with the pinned
 * retention (written through its own role, trusted by vpc-flow-logs.amazonaws.com for this account only), and
 * the security group of the MSK Serverless brokers (SASL/IAM on 9098 from the private subnets only; the runtime
 * layer's workloads have their own group, components/workloadSecurityGroup.ts).
 */
export class PlatformNetwork extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly vpcCidr: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly privateRouteTableId: pulumi.Output<string>;
  readonly mskSecurityGroupId: pulumi.Output<string>;
  readonly flowLogGroupName: pulumi.Output<string>;
  readonly flowLogRoleName: pulumi.Output<string>;

  constructor(name: string, args: PlatformNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:core:PlatformNetwork", name, {}, opts);
    if (args.publicSubnetCidrs.length !== args.privateSubnetCidrs.length) {
      throw new Error(`${name}: publicSubnetCidrs and privateSubnetCidrs must have one entry per availability zone`);
    }
    const child = { parent: this };
    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.vpcCidr,
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: { ...nameTag(args, "vpc"), fp_vpc_role: "platform_base", fp_managed_by: "pulumi" },
      },
      child,
    );
    // The default security group allows all traffic between its members; nothing should use it.
    new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, ingress: [], egress: [], tags: nameTag(args, "default-sg-locked") }, child);
    const { flowLogGroup, flowLogRole } = declareFlowLogs(name, args, vpc, child);
    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: nameTag(args, "igw") }, child);
    const publicRouteTable = new aws.ec2.RouteTable(
      `${name}-public-rt`,
      { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags: nameTag(args, "public-rt") },
      child,
    );
    // No NAT and no internet route: private workloads reach AWS through the runtime layer's VPC endpoints.
    const privateRouteTable = new aws.ec2.RouteTable(`${name}-private-rt`, { vpcId: vpc.id, tags: nameTag(args, "private-rt") }, child);
    const publicSubnets = declareTier(name, args, "public", vpc, publicRouteTable, child);
    const privateSubnets = declareTier(name, args, "private", vpc, privateRouteTable, child);
    const mskSg = declareMskClientGroup(name, args, vpc, child);

    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;
    this.publicSubnetIds = pulumi.all(publicSubnets.map((s) => s.id));
    this.privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
    this.privateRouteTableId = privateRouteTable.id;
    this.mskSecurityGroupId = mskSg.id;
    this.flowLogGroupName = flowLogGroup.name;
    this.flowLogRoleName = flowLogRole.roleName;
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      privateRouteTableId: this.privateRouteTableId,
      mskSecurityGroupId: this.mskSecurityGroupId,
      flowLogGroupName: this.flowLogGroupName,
      flowLogRoleName: this.flowLogRoleName,
    });
  }
}

function nameTag(args: Pick<PlatformNetworkArgs, "tags" | "namePrefix">, suffix: string): Tags {
  return { ...args.tags, Name: `${args.namePrefix}-${suffix}` };
}

/** Flow logs of the whole VPC into a log group under the platform key, delivered by a role only the service assumes. */
function declareFlowLogs(name: string, args: PlatformNetworkArgs, vpc: aws.ec2.Vpc, child: pulumi.CustomResourceOptions) {
  const flow = args.flowLogs;
  const flowLogGroup = new aws.cloudwatch.LogGroup(
    `${name}-flow-logs`,
    { name: flow.logGroupName, retentionInDays: flow.retentionInDays, kmsKeyId: flow.kmsKeyArn, tags: { ...args.tags, fp_resource: "vpc_flow_log_group" } },
    child,
  );
  const flowLogGroupArn = arns.logGroup({ region: flow.region, accountId: flow.accountId }, flowLogGroup.name);
  const flowLogRole = new WorkloadRole(
    `${name}-flow-logs`,
    {
      roleName: flow.roleName,
      trust: pulumi
        .output(flow.accountId)
        .apply((accountId) => serviceTrust("vpc-flow-logs.amazonaws.com", { StringEquals: { "aws:SourceAccount": accountId } })),
      statements: [{ sid: "FlowLogDelivery", actions: FLOW_LOG_DELIVERY_ACTIONS, resources: [flowLogGroupArn, pulumi.interpolate`${flowLogGroupArn}:*`] }],
      tags: args.tags,
    },
    child,
  );
  new aws.ec2.FlowLog(
    `${name}-flow-log`,
    {
      vpcId: vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: flowLogGroupArn,
      iamRoleArn: flowLogRole.roleArn,
      maxAggregationInterval: 600,
      tags: nameTag(args, "flow-log"),
    },
    child,
  );
  return { flowLogGroup, flowLogGroupArn, flowLogRole };
}

/** Key of subnet i of a tier: `public-01`, `private-02`, ... */
export function subnetKey(tier: "public" | "private", i: number): string {
  return `${tier}-${String(i + 1).padStart(2, "0")}`;
}

/** Tags of a subnet: its name and tier, and the Kubernetes load-balancer role of the tier. */
export function subnetTags(args: Pick<PlatformNetworkArgs, "tags" | "namePrefix">, tier: "public" | "private", i: number): Tags {
  return {
    ...nameTag(args, subnetKey(tier, i)),
    fp_subnet_tier: tier,
    [tier === "public" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"]: "1",
  };
}

/** One subnet per zone of a tier, each associated with the tier's route table. */
function declareTier(
  name: string,
  args: PlatformNetworkArgs,
  tier: "public" | "private",
  vpc: aws.ec2.Vpc,
  routeTable: aws.ec2.RouteTable,
  child: pulumi.CustomResourceOptions,
): aws.ec2.Subnet[] {
  const cidrs = tier === "public" ? args.publicSubnetCidrs : args.privateSubnetCidrs;
  return cidrs.map((cidrBlock, i) => {
    const key = subnetKey(tier, i);
    const availabilityZone = pulumi.output(args.availabilityZones).apply((zones) => {
      if (zones.length <= i) throw new Error(`${name}: the region offers ${zones.length} available zones, ${i + 1} are needed`);
      return zones[i];
    });
    // Nothing launches into the public tier but load balancers; instances never get public IPs.
    const subnet = new aws.ec2.Subnet(
      `${name}-${key}`,
      { vpcId: vpc.id, cidrBlock, availabilityZone, mapPublicIpOnLaunch: false, tags: subnetTags(args, tier, i) },
      child,
    );
    new aws.ec2.RouteTableAssociation(`${name}-${key}-rta`, { subnetId: subnet.id, routeTableId: routeTable.id }, child);
    return subnet;
  });
}

/** The MSK client group: clients and brokers live in the private tier only (the public subnets never reach MSK). */
function declareMskClientGroup(name: string, args: PlatformNetworkArgs, vpc: aws.ec2.Vpc, child: pulumi.CustomResourceOptions): aws.ec2.SecurityGroup {
  const mskSg = new aws.ec2.SecurityGroup(
    `${name}-msk-client-sg`,
    {
      name: args.mskSecurityGroupName,
      description: "MSK Serverless cluster and clients: SASL/IAM on 9098 from inside the VPC",
      vpcId: vpc.id,
      tags: { ...args.tags, Name: args.mskSecurityGroupName },
    },
    child,
  );
  for (const cidr of args.privateSubnetCidrs) {
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-msk-iam-ingress-${cidrKey(cidr)}`,
      {
        securityGroupId: mskSg.id,
        description: `Kafka over TLS + IAM (MSK Serverless) from private subnet ${cidr}`,
        ipProtocol: "tcp",
        fromPort: args.mskPort,
        toPort: args.mskPort,
        cidrIpv4: cidr,
        tags: args.tags,
      },
      child,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-msk-egress-${cidrKey(cidr)}`,
      { securityGroupId: mskSg.id, description: `Brokers and peers in private subnet ${cidr} only`, ipProtocol: "-1", cidrIpv4: cidr, tags: args.tags },
      child,
    );
  }
  return mskSg;
}
