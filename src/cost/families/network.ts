/**
 * Networking that bills by the hour: NAT gateways, interface VPC endpoints (per AZ), public IPv4 addresses
 * (Elastic IPs, internet-facing load balancers) and load balancers. Gateway endpoints (S3, DynamoDB) bill
 * nothing. Endpoints and NAT belong to the `network` surface class: they exist only while some lane proves,
 * unless the stack protects them.
 */
import { Decimal } from "../decimal";
import { CostInput, Inputs, UnknownInputError } from "../inputs";
import { ONE, ZERO, hourly, n, usage } from "./common";
import { ComponentSpec, Family, ModelContext } from "./types";

/** AZ count of a resource placed in subnets: the subnet list, else the environment's AZ count (noted). */
function azCount(inputs: Inputs, paths: string[], ctx: ModelContext, notes: string[], unpriced: string[]): Decimal {
  let unknown = false;
  for (const p of paths) {
    try {
      const list = inputs.array(p);
      if (list && list.length > 0) return n(list.length);
    } catch (e) {
      if (!(e instanceof UnknownInputError)) throw e;
      unknown = true;
    }
  }
  const why = unknown ? "subnets unknown at preview" : "no subnets in the inputs";
  const fallback = ctx.profile.availabilityZoneCount;
  if (fallback !== undefined) {
    notes.push(`${why}: assumed the environment's ${fallback} availability zones`);
    return n(fallback);
  }
  unpriced.push(`the number of availability zones is not known (${why})`);
  return ZERO;
}

export const natGateway: Family = (_r, inputs, ctx) => {
  const components = [hourly("NAT gateway hours", "hours", "nat.hour", ONE)];
  components.push(usage("Data processed", "GB", "nat.gb-processed", n(ctx.settings.usagePerProofHour.natGbProcessed)));
  const notes = inputs.string("connectivityType") === "private" ? [] : ["its public IPv4 address is billed on the Elastic IP resource"];
  return { surfaceClass: "network", idleSafe: "retainIfProtected", components, notes };
};

export const elasticIp: Family = () => ({
  surfaceClass: "network",
  idleSafe: "retainIfProtected",
  components: [hourly("Public IPv4 address hours", "hours", "ipv4.hour", ONE)],
});

export const vpcEndpoint: Family = (_r, inputs, ctx) => {
  const kind = inputs.string("vpcEndpointType") ?? "Gateway";
  if (kind === "Gateway")
    return { surfaceClass: "network", idleSafe: "retainIfProtected", components: [], free: "gateway endpoints (S3, DynamoDB) have no charge" };
  const notes: string[] = [];
  const unpriced: string[] = [];
  if (kind !== "Interface") {
    return {
      surfaceClass: "network",
      idleSafe: "retainIfProtected",
      components: [hourly(`${kind} endpoint hours`, "hours", `vpce.${kind.toLowerCase()}.hour`, ONE)],
    };
  }
  const azs = azCount(inputs, ["subnetIds", "subnetConfigurations"], ctx, notes, unpriced);
  const service = inputs.string("serviceName")?.split(".").slice(3).join(".") || "interface";
  const components: ComponentSpec[] = [
    hourly(`Endpoint AZ-hours (${service}, ${azs.toString()} AZ)`, "AZ-hours", "vpce.interface.az-hour", azs),
    usage("Data processed", "GB", "vpce.interface.gb-processed", n(ctx.settings.usagePerProofHour.endpointGbProcessed)),
  ];
  return { surfaceClass: "network", idleSafe: "retainIfProtected", components, notes, unpriced };
};

export const loadBalancer: Family = (_r: CostInput, inputs, ctx) => {
  const kind = inputs.string("loadBalancerType") ?? "application";
  const notes: string[] = [];
  const unpriced: string[] = [];
  const sku = kind === "application" ? "alb.hour" : kind === "network" ? "nlb.hour" : `${kind}-lb.hour`;
  const components: ComponentSpec[] = [hourly(`${kind === "application" ? "ALB" : kind === "network" ? "NLB" : kind} hours`, "hours", sku, ONE)];
  if (kind === "application") components.push(usage("Load balancer capacity units", "LCU-hours", "alb.lcu-hour", n(ctx.settings.usagePerProofHour.albLcus)));
  if (inputs.boolean("internal") !== true) {
    const azs = azCount(inputs, ["subnets", "subnetMappings"], ctx, notes, unpriced);
    components.push(hourly(`Public IPv4 addresses (${azs.toString()}, one per AZ)`, "address-hours", "ipv4.hour", azs));
  }
  return { surfaceClass: "runtime", idleSafe: "retainIfProtected", components, notes, unpriced };
};

export const ec2Instance: Family = (_r, inputs) => {
  const type = inputs.string("instanceType") ?? "unknown";
  const notes = ["root and data volumes are not modelled for plain instances"];
  return {
    surfaceClass: "runtime",
    idleSafe: "retainIfProtected",
    components: [hourly(`Instance hours (${type})`, "instance-hours", `ec2.${type}`, ONE)],
    notes,
  };
};
