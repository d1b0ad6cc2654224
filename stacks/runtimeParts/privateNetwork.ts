/**
 * The runtime layer's private network: interface endpoints and the S3/DynamoDB gateways (core has no NAT), and the
 * private workloads' security group (Flink, EMR Serverless, ECS services, EKS nodes). Every listener in the VPC
 * admits the private subnets only (never the public tier, where load balancers live).
 */
import * as pulumi from "@pulumi/pulumi";
import { AURORA_PORT } from "../../components/auroraServerlessCluster";
import { PrivateEndpoints } from "../../components/privateEndpoints";
import { REDIS_PORT } from "../../components/redisCache";
import { WorkloadSecurityGroup } from "../../components/workloadSecurityGroup";
import { surfaceUp } from "../../src/window/surfaces";
import { RuntimeContext, RuntimePart } from "./context";

/** Where private workloads run: what they need before they boot without NAT, and their security group. */
export interface PrivatePlacement {
  /** The VPC endpoints (nodes and tasks boot through them). */
  bootDependencies?: pulumi.Resource[];
  workloadSecurityGroupId: pulumi.Input<string>;
}

export interface PrivateNetwork extends RuntimePart {
  endpoints: PrivateEndpoints;
  workloads: WorkloadSecurityGroup;
  placement: PrivatePlacement;
}

export function privateNetwork(ctx: RuntimeContext): PrivateNetwork {
  const { r, tags } = ctx;
  const privateSubnetCidrs = ctx.env.settings.network.privateSubnetCidrs;
  const endpoints = new PrivateEndpoints("runtime-endpoints", {
    vpcId: ctx.core.vpcId,
    clientCidrs: privateSubnetCidrs,
    subnetIds: ctx.core.privateSubnetIds,
    privateRouteTableId: ctx.core.privateRouteTableId,
    region: ctx.region,
    // Interface endpoints bill per AZ-hour: only while a proof window needs them (the free gateways always stay).
    interfaceServices: surfaceUp(ctx.env, "endpoints") ? ctx.settings.vpcEndpoints.interfaceServices : [],
    securityGroupName: r.string("RUNTIME_ENDPOINTS_SECURITY_GROUP_NAME"),
    tags,
  });
  // S3/DynamoDB through the gateway prefix lists, endpoints/MSK/Aurora/Redis in the private subnets; the MSK group
  // stays the brokers'.
  const workloads = new WorkloadSecurityGroup("runtime-workloads-sg", {
    securityGroupName: r.string("RUNTIME_WORKLOADS_SECURITY_GROUP_NAME"),
    vpcId: ctx.core.vpcId,
    privateSubnetCidrs,
    gatewayPrefixListIds: endpoints.gatewayPrefixListIds,
    ports: { msk: r.number("MSK_IAM_PORT"), aurora: AURORA_PORT, redis: REDIS_PORT },
    tags,
  });
  return {
    endpoints,
    workloads,
    placement: { bootDependencies: endpoints.endpoints, workloadSecurityGroupId: workloads.securityGroupId },
    handles: {
      RUNTIME_ENDPOINTS_SECURITY_GROUP_NAME: pulumi.output(r.string("RUNTIME_ENDPOINTS_SECURITY_GROUP_NAME")),
      RUNTIME_WORKLOADS_SECURITY_GROUP_NAME: pulumi.output(r.string("RUNTIME_WORKLOADS_SECURITY_GROUP_NAME")),
    },
    outputs: {
      runtime_endpoints_security_group_id: endpoints.securityGroupId,
      runtime_interface_vpc_endpoint_ids: endpoints.interfaceEndpointIds,
      runtime_s3_gateway_vpc_endpoint_id: endpoints.gatewayEndpointIds.s3,
      runtime_dynamodb_gateway_vpc_endpoint_id: endpoints.gatewayEndpointIds.dynamodb,
      runtime_gateway_prefix_list_ids: endpoints.gatewayPrefixListIds,
      runtime_workloads_security_group_id: workloads.securityGroupId,
    },
    materialization: {
      VPC_ENDPOINT_S3_GATEWAY_ID: endpoints.gatewayEndpointIds.s3,
      VPC_ENDPOINT_INTERFACE_IDS: endpoints.interfaceEndpointIds,
    },
  };
}
