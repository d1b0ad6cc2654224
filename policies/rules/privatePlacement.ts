/**
 * DA-16 (mandatory, critical): data stores and compute are not publicly reachable. What a preview can check:
 * Aurora/RDS instances are not `publiclyAccessible`; ECS services do not assign public IPs; RDS clusters,
 * ElastiCache and MSK Serverless are placed in explicit subnets (without a subnet group they land in the
 * account's default VPC, whose subnets are public). Whether the subnets are the private tier is a property of
 * core's outputs, not visible at preview: the runtime layer reads core's `private_subnet_ids` only.
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { listOf } from "../lib/knownValues";
import { resourceRule } from "../lib/rule";

const nonEmpty = (v: unknown): boolean => (typeof v === "string" && v !== "") || (Array.isArray(v) && v.length > 0);

export const privatePlacement = resourceRule(
  {
    id: "DA-16",
    slug: "private-data-stores-and-compute",
    description:
      "Data stores and compute stay private: RDS/Aurora instances publiclyAccessible=false, ECS services assignPublicIp=false, RDS clusters, ElastiCache and MSK Serverless in explicit (private) subnets.",
    severity: "critical",
  },
  [
    policy.validateResourceOfType(aws.rds.ClusterInstance, (instance, _args, reportViolation) => {
      if (instance.publiclyAccessible === true) reportViolation("publiclyAccessible is true; set it to false (clients reach Aurora from inside the VPC).");
    }),
    policy.validateResourceOfType(aws.rds.Instance, (instance, _args, reportViolation) => {
      if (instance.publiclyAccessible === true) reportViolation("publiclyAccessible is true; set it to false.");
    }),
    policy.validateResourceOfType(aws.rds.Cluster, (cluster, _args, reportViolation) => {
      if (!nonEmpty(cluster.dbSubnetGroupName))
        reportViolation("no dbSubnetGroupName: RDS would place the cluster in the default VPC; use a subnet group of core's private subnets.");
    }),
    policy.validateResourceOfType(aws.elasticache.ReplicationGroup, (group, _args, reportViolation) => {
      if (!nonEmpty(group.subnetGroupName))
        reportViolation("no subnetGroupName: the cache would land in the default VPC; use a subnet group of core's private subnets.");
    }),
    policy.validateResourceOfType(aws.elasticache.Cluster, (cluster, args, reportViolation) => {
      if (nonEmpty(cluster.replicationGroupId)) return args.notApplicable("member of a replication group (placed by the group)");
      if (!nonEmpty(cluster.subnetGroupName)) reportViolation("no subnetGroupName: the cache would land in the default VPC.");
    }),
    policy.validateResourceOfType(aws.elasticache.ServerlessCache, (cache, _args, reportViolation) => {
      if (!nonEmpty(cache.subnetIds)) reportViolation("no subnetIds: the cache would use the default VPC's subnets; list core's private subnets.");
    }),
    policy.validateResourceOfType(aws.msk.ServerlessCluster, (cluster, _args, reportViolation) => {
      const subnets = (cluster.vpcConfigs ?? []).flatMap((c) => listOf(c.subnetIds));
      if (subnets.length === 0) reportViolation("vpcConfigs name no subnets; place the cluster in core's private subnets.");
    }),
    policy.validateResourceOfType(aws.ecs.Service, (service, _args, reportViolation) => {
      if (service.networkConfiguration?.assignPublicIp === true)
        reportViolation("networkConfiguration.assignPublicIp is true; tasks run in private subnets without public IPs.");
    }),
  ],
);
