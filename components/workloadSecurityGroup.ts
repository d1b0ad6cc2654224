import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EgressRuleSpec, GatewayService, WorkloadPorts, workloadEgressSpecs } from "../src/network/workloadEgress";
import { Tags } from "../src/tags";

export interface WorkloadSecurityGroupArgs {
  /** Physical name (RUNTIME_WORKLOADS_SECURITY_GROUP_NAME). */
  securityGroupName: string;
  /** VPC of the core layer. */
  vpcId: pulumi.Input<string>;
  /** Private subnet CIDRs (the environment's network settings): where endpoints, MSK, Aurora and Redis listen. */
  privateSubnetCidrs: string[];
  /** Prefix lists of the S3 and DynamoDB gateway endpoints (PrivateEndpoints.gatewayPrefixListIds). */
  gatewayPrefixListIds: pulumi.Input<Record<GatewayService, string>>;
  /** Ports of MSK, Aurora and Redis. */
  ports: WorkloadPorts;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/**
 * The security group of the runtime layer's private workloads (Flink on MSF, EMR Serverless, ECS services, EKS
 * nodes): no ingress; egress exactly as src/network/workloadEgress.ts lists it (HTTPS to the S3 and DynamoDB
 * gateway prefix lists, HTTPS/MSK/PostgreSQL/Redis to the private subnets). The MSK group stays the brokers' own.
 */
export class WorkloadSecurityGroup extends pulumi.ComponentResource {
  readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: WorkloadSecurityGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:runtime:WorkloadSecurityGroup", name, {}, opts);
    const sg = new aws.ec2.SecurityGroup(
      name,
      {
        name: args.securityGroupName,
        description: "Private workloads: no ingress; egress to the S3/DynamoDB gateways and, in the private subnets, endpoints, MSK, Aurora, Redis",
        vpcId: args.vpcId,
        tags: { ...args.tags, Name: args.securityGroupName, fp_resource: "runtime_workloads_sg" },
      },
      { parent: this },
    );
    declareWorkloadEgress(name, sg.id, workloadEgressSpecs(args.privateSubnetCidrs, args.ports), args.gatewayPrefixListIds, args.tags, { parent: this });
    this.securityGroupId = sg.id;
    this.registerOutputs({ securityGroupId: this.securityGroupId });
  }
}

/**
 * One egress rule per spec of src/network/workloadEgress.ts on security group `securityGroupId`: a CIDR, or the
 * prefix list of the named gateway endpoint (a missing one is an error, never an open rule).
 */
export function declareWorkloadEgress(
  name: string,
  securityGroupId: pulumi.Input<string>,
  specs: readonly EgressRuleSpec[],
  gatewayPrefixListIds: pulumi.Input<Record<GatewayService, string>>,
  tags: Tags,
  opts: pulumi.CustomResourceOptions,
): void {
  const prefixLists = pulumi.output(gatewayPrefixListIds);
  for (const spec of specs) {
    const d = spec.destination;
    const prefixListOf = (gateway: GatewayService) =>
      prefixLists.apply((p) => {
        const id = p[gateway];
        if (!id) throw new Error(`${name}: no prefix list for the ${gateway} gateway endpoint`);
        return id;
      });
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-${spec.key}`,
      {
        securityGroupId,
        description: spec.description,
        ipProtocol: "tcp",
        fromPort: spec.port,
        toPort: spec.port,
        ...("cidrIpv4" in d ? { cidrIpv4: d.cidrIpv4 } : { prefixListId: prefixListOf(d.gateway) }),
        tags,
      },
      opts,
    );
  }
}
