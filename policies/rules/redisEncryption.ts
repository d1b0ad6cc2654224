/**
 * DA-59 (mandatory, high): Redis is ElastiCache Redis `fraud-platform-dev-full-redis` (REDIS_MODE
 * elasticache_redis) with encryption in transit and at rest. A replication group must enable both; a
 * serverless cache is always encrypted but must run the redis engine; a standalone cache cluster (outside a
 * replication group) cannot encrypt at rest and is rejected.
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { registry } from "../lib/registry";
import { resourceRule } from "../lib/rule";

export const redisEncrypted = resourceRule(
  {
    id: "DA-59",
    slug: "redis-encrypted",
    description:
      "Redis is the ElastiCache Redis replication group fraud-platform-dev-full-redis with transitEncryptionEnabled and atRestEncryptionEnabled true (a serverless cache must run the redis engine; standalone cache clusters are not allowed).",
    severity: "high",
  },
  [
    policy.validateResourceOfType(aws.elasticache.ReplicationGroup, (group, _args, reportViolation) => {
      const name = registry().string("REDIS_CLUSTER_NAME");
      if (group.replicationGroupId !== name)
        reportViolation(`replicationGroupId is ${JSON.stringify(group.replicationGroupId ?? null)}; the platform's Redis is ${name}.`);
      if (group.engine !== undefined && group.engine !== "redis")
        reportViolation(`engine is ${JSON.stringify(group.engine)}; REDIS_MODE pins ElastiCache Redis.`);
      if (group.transitEncryptionEnabled !== true) reportViolation("transitEncryptionEnabled is not true (clients must use TLS).");
      if (group.atRestEncryptionEnabled !== true) reportViolation("atRestEncryptionEnabled is not true.");
    }),
    policy.validateResourceOfType(aws.elasticache.ServerlessCache, (cache, _args, reportViolation) => {
      if (cache.engine !== "redis") reportViolation(`engine is ${JSON.stringify(cache.engine ?? null)}; REDIS_MODE pins ElastiCache Redis.`);
    }),
    policy.validateResourceOfType(aws.elasticache.Cluster, (cluster, args, reportViolation) => {
      if (typeof cluster.replicationGroupId === "string" && cluster.replicationGroupId !== "") return args.notApplicable("member of a replication group");
      reportViolation("a standalone ElastiCache cluster cannot encrypt at rest; use a replication group.");
    }),
  ],
);
