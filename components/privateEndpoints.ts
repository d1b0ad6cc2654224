import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { cidrKey } from "../src/network/workloadEgress";
import { Tags } from "../src/tags";

export interface PrivateEndpointsArgs {
  /** VPC the endpoints live in (core's vpc_id). */
  vpcId: pulumi.Input<string>;
  /** Private subnet CIDRs: the only sources allowed to reach the interface endpoints (never the public tier). */
  clientCidrs: string[];
  /** Private subnets that get one endpoint network interface each (core's private_subnet_ids). */
  subnetIds: pulumi.Input<string[]>;
  /** Route table of the private tier, where the gateway endpoints add their prefix-list routes. */
  privateRouteTableId: pulumi.Input<string>;
  /** Region of the service names (`com.amazonaws.<region>.<service>`). */
  region: string;
  /** Services that get an interface endpoint, e.g. `ecr.api` (settings runtime.vpcEndpoints.interfaceServices). */
  interfaceServices: string[];
  /** Physical name of the endpoints' security group (RUNTIME_ENDPOINTS_SECURITY_GROUP_NAME). */
  securityGroupName: string;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/** The two services AWS offers as free gateway endpoints. */
export const GATEWAY_SERVICES = ["s3", "dynamodb"] as const;
export type GatewayService = (typeof GATEWAY_SERVICES)[number];

/** `ecr.api` -> `ecr-api`: the logical-name and tag form of a service. */
export function serviceKey(service: string): string {
  return service.replace(/\./g, "-");
}

/** What is wrong with an interface service list (empty: nothing). */
export function interfaceServiceProblems(services: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const s of services) {
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(s)) problems.push(`${JSON.stringify(s)} is not an AWS service endpoint name`);
    if ((GATEWAY_SERVICES as readonly string[]).includes(s))
      problems.push(`${s} is a gateway endpoint here (free, on the route table), not an interface endpoint`);
    if (seen.has(s)) problems.push(`${s} is listed twice`);
    seen.add(s);
  }
  return problems;
}

/**
 * How private workloads reach AWS without a NAT gateway (core has none): one interface endpoint per listed
 * service in every private subnet, with private DNS on, behind a security group that admits HTTPS from the private
 * subnets only (the reference admitted the whole VPC, public subnets included); and the S3 and DynamoDB gateway endpoints on the
 * private route table. Gateway endpoints expose their prefix lists so workloads can scope egress to them.
 */
export class PrivateEndpoints extends pulumi.ComponentResource {
  readonly securityGroupId: pulumi.Output<string>;
  /** Interface endpoint id by service name (`ecr.api` -> `vpce-...`). */
  readonly interfaceEndpointIds: pulumi.Output<Record<string, string>>;
  /** Gateway endpoint id by service (`s3`, `dynamodb`). */
  readonly gatewayEndpointIds: pulumi.Output<Record<GatewayService, string>>;
  /** Managed prefix list of each gateway service, for security group egress rules. */
  readonly gatewayPrefixListIds: pulumi.Output<Record<GatewayService, string>>;
  /** Every endpoint resource, for `dependsOn` from workloads that must not boot before their endpoints exist. */
  readonly endpoints: aws.ec2.VpcEndpoint[];

  constructor(name: string, args: PrivateEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:runtime:PrivateEndpoints", name, {}, opts);
    const problems = interfaceServiceProblems(args.interfaceServices);
    if (problems.length) throw new Error(`${name}: invalid interface endpoint services: ${problems.join("; ")}`);

    const sg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        name: args.securityGroupName,
        description: "Runtime interface VPC endpoints: HTTPS from the VPC only",
        vpcId: args.vpcId,
        tags: { ...args.tags, Name: args.securityGroupName, fp_resource: "runtime_endpoints_sg" },
      },
      { parent: this },
    );
    for (const cidr of args.clientCidrs) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-https-from-${cidrKey(cidr)}`,
        {
          securityGroupId: sg.id,
          description: `HTTPS to the endpoints from private subnet ${cidr}`,
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrIpv4: cidr,
          tags: args.tags,
        },
        { parent: this },
      );
    }
    // Interface endpoints only answer; no egress rule is needed (security groups are stateful).

    const interfaceEndpoints = args.interfaceServices.map(
      (service) =>
        [
          service,
          new aws.ec2.VpcEndpoint(
            `${name}-${serviceKey(service)}`,
            {
              vpcId: args.vpcId,
              serviceName: `com.amazonaws.${args.region}.${service}`,
              vpcEndpointType: "Interface",
              subnetIds: args.subnetIds,
              securityGroupIds: [sg.id],
              privateDnsEnabled: true,
              tags: {
                ...args.tags,
                Name: `${args.securityGroupName.replace(/-sg$/, "")}-${serviceKey(service)}`,
                fp_resource: `runtime_endpoint_${service.replace(/[.-]/g, "_")}`,
              },
            },
            { parent: this },
          ),
        ] as const,
    );
    const gateway = (service: GatewayService) =>
      new aws.ec2.VpcEndpoint(
        `${name}-${service}-gateway`,
        {
          vpcId: args.vpcId,
          serviceName: `com.amazonaws.${args.region}.${service}`,
          vpcEndpointType: "Gateway",
          routeTableIds: [args.privateRouteTableId],
          tags: { ...args.tags, Name: `${args.securityGroupName.replace(/-sg$/, "")}-${service}-gateway`, fp_resource: `runtime_endpoint_${service}_gateway` },
        },
        { parent: this },
      );
    const gateways: Record<GatewayService, aws.ec2.VpcEndpoint> = { s3: gateway("s3"), dynamodb: gateway("dynamodb") };

    this.securityGroupId = sg.id;
    this.interfaceEndpointIds = pulumi
      .all(interfaceEndpoints.map(([service, e]) => e.id.apply((id) => [service, id] as const)))
      .apply((pairs) => Object.fromEntries(pairs));
    this.gatewayEndpointIds = pulumi.all([gateways.s3.id, gateways.dynamodb.id]).apply(([s3, dynamodb]) => ({ s3, dynamodb }));
    this.gatewayPrefixListIds = pulumi.all([gateways.s3.prefixListId, gateways.dynamodb.prefixListId]).apply(([s3, dynamodb]) => ({ s3, dynamodb }));
    this.endpoints = [...interfaceEndpoints.map(([, e]) => e), gateways.s3, gateways.dynamodb];
    this.registerOutputs({
      securityGroupId: this.securityGroupId,
      interfaceEndpointIds: this.interfaceEndpointIds,
      gatewayEndpointIds: this.gatewayEndpointIds,
      gatewayPrefixListIds: this.gatewayPrefixListIds,
    });
  }
}
