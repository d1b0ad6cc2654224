import { redisEncrypted } from "../../policies/rules/redisEncryption";
import { check, doc, mutate, resource } from "../helpers/policyFixtures";
import { T, runtimeCompliant } from "../helpers/runtimeFixtures";

describe("DA-59 Redis encrypted", () => {
  it("stays quiet on the encrypted replication group, a redis serverless cache and replication-group members", async () => {
    const r = await check(
      redisEncrypted,
      doc(
        resource(T.replicationGroup, "redis", runtimeCompliant.replicationGroup()),
        resource(T.serverlessCache, "s", { name: "fraud-platform-dev-full-redis", engine: "redis", subnetIds: ["subnet-0a"] }),
        resource(T.cacheCluster, "m", { clusterId: "m", replicationGroupId: "fraud-platform-dev-full-redis" }),
      ),
    );
    expect(r.violations).toEqual([]);
  });
  it.each([
    ["transitEncryptionEnabled", false, /transitEncryptionEnabled is not true/],
    ["atRestEncryptionEnabled", undefined, /atRestEncryptionEnabled is not true/],
    ["engine", "valkey", /engine is "valkey"; REDIS_MODE pins ElastiCache Redis/],
    ["replicationGroupId", "cache", /replicationGroupId is "cache"/],
  ])("fires when %s is %p", async (path, value, message) => {
    const r = await check(redisEncrypted, doc(resource(T.replicationGroup, "redis", mutate(runtimeCompliant.replicationGroup(), path, value as never))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(message);
  });
  it("fires on a standalone cache cluster and a non-redis serverless cache", async () => {
    const r = await check(
      redisEncrypted,
      doc(resource(T.cacheCluster, "c", { clusterId: "c", engine: "redis" }), resource(T.serverlessCache, "s", { name: "s", engine: "memcached" })),
    );
    expect(r.violations.map((v) => v.message.split("\n")[1])).toEqual([
      expect.stringMatching(/standalone ElastiCache cluster cannot encrypt at rest/),
      expect.stringMatching(/engine is "memcached"/),
    ]);
  });
});
