/**
 * What a private workload may send, as data: the egress rules of the runtime layer's workload security group
 * (Flink on MSF, EMR Serverless, ECS services, EKS nodes) and the client CIDRs every in-VPC listener admits.
 * Pure, so the rules are testable without mocks; components/workloadSecurityGroup.ts declares them.
 */

/** The two services the private tier reaches through gateway endpoints (prefix-list routes, no NAT). */
export type GatewayService = "s3" | "dynamodb";

/** Where one egress rule sends: a CIDR, or the prefix list of a gateway endpoint (resolved by the component). */
export type EgressDestination = { cidrIpv4: string } | { gateway: GatewayService };

export interface EgressRuleSpec {
  /** Logical-name suffix, unique within the group. */
  key: string;
  description: string;
  /** TCP port (from = to). */
  port: number;
  destination: EgressDestination;
}

/** Ports of the in-VPC services a workload talks to; a service left out gets no rule. */
export interface WorkloadPorts {
  /** MSK Serverless SASL/IAM (MSK_IAM_PORT). */
  msk?: number;
  /** Aurora PostgreSQL. */
  aurora?: number;
  /** ElastiCache Redis (TLS). */
  redis?: number;
}

/** HTTPS: interface endpoints and the gateway services. */
export const HTTPS_PORT = 443;

/** `10.70.10.0/24` -> `10-70-10-0-24`: the logical-name form of a CIDR. */
export function cidrKey(cidr: string): string {
  return cidr.replace(/[./]/g, "-");
}

/**
 * A private workload's egress: HTTPS to the S3 and DynamoDB gateway prefix lists; HTTPS (interface endpoints) and
 * each listed port (MSK, PostgreSQL, Redis) to each private subnet, where those listeners live. Nothing to
 * 0.0.0.0/0, nothing to the public subnets.
 */
export function workloadEgressSpecs(privateSubnetCidrs: readonly string[], ports: WorkloadPorts): EgressRuleSpec[] {
  if (privateSubnetCidrs.length === 0) throw new Error("workload egress needs at least one private subnet CIDR");
  const listed: Array<[string, string, number | undefined]> = [
    ["https", "HTTPS to the interface VPC endpoints", HTTPS_PORT],
    ["msk", "Kafka SASL/IAM to MSK Serverless", ports.msk],
    ["aurora", "PostgreSQL to Aurora", ports.aurora],
    ["redis", "Redis (TLS) to ElastiCache", ports.redis],
  ];
  const inVpc = listed.filter((e): e is [string, string, number] => e[2] !== undefined);
  return [
    { key: "https-to-s3", description: "HTTPS to S3 through the gateway endpoint", port: HTTPS_PORT, destination: { gateway: "s3" } },
    { key: "https-to-dynamodb", description: "HTTPS to DynamoDB through the gateway endpoint", port: HTTPS_PORT, destination: { gateway: "dynamodb" } },
    ...inVpc.flatMap(([key, description, port]) =>
      privateSubnetCidrs.map((cidr): EgressRuleSpec => ({
        key: `${key}-to-${cidrKey(cidr)}`,
        description: `${description} (private subnet ${cidr})`,
        port,
        destination: { cidrIpv4: cidr },
      })),
    ),
  ];
}
