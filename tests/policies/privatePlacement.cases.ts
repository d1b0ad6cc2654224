import { privatePlacement } from "../../policies/rules/privatePlacement";
import { check, doc, mutate, resource } from "../helpers/policyFixtures";
import { T, runtimeCompliant } from "../helpers/runtimeFixtures";

describe("DA-16 private data stores and compute", () => {
  it("stays quiet on the runtime layer's placement", async () => {
    const r = await check(
      privatePlacement,
      doc(
        resource(T.cluster, "aurora", runtimeCompliant.cluster()),
        resource(T.instance, "writer", runtimeCompliant.instance("writer", "eu-west-2a")),
        resource(T.replicationGroup, "redis", runtimeCompliant.replicationGroup()),
        resource(T.mskServerless, "msk", {
          clusterName: "fraud-platform-dev-full-msk",
          vpcConfigs: [{ subnetIds: ["subnet-0a", "subnet-0b"], securityGroupIds: ["sg-0c"] }],
        }),
        resource(T.ecsService, "svc", { name: "svc", networkConfiguration: { subnets: ["subnet-0a"], assignPublicIp: false } }),
        resource(T.cacheCluster, "member", { clusterId: "m", replicationGroupId: "fraud-platform-dev-full-redis" }),
      ),
    );
    expect(r.violations).toEqual([]);
  });

  it.each([
    [T.instance, runtimeCompliant.instance("writer", "eu-west-2a"), "publiclyAccessible", true, /publiclyAccessible is true/],
    [T.rdsInstance, { identifier: "db", publiclyAccessible: false }, "publiclyAccessible", true, /publiclyAccessible is true/],
    [T.cluster, runtimeCompliant.cluster(), "dbSubnetGroupName", undefined, /no dbSubnetGroupName/],
    [T.replicationGroup, runtimeCompliant.replicationGroup(), "subnetGroupName", undefined, /no subnetGroupName/],
    [T.cacheCluster, { clusterId: "c", subnetGroupName: "g" }, "subnetGroupName", undefined, /no subnetGroupName/],
    [T.serverlessCache, { name: "c", engine: "redis", subnetIds: ["subnet-0a"] }, "subnetIds", [], /no subnetIds/],
    [T.mskServerless, { clusterName: "m", vpcConfigs: [{ subnetIds: ["subnet-0a"] }] }, "vpcConfigs", [], /name no subnets/],
    [
      T.ecsService,
      { name: "svc", networkConfiguration: { subnets: ["subnet-0a"], assignPublicIp: false } },
      "networkConfiguration.assignPublicIp",
      true,
      /assignPublicIp is true/,
    ],
  ])("fires on %s when %s is %p", async (type, inputs, path, value, message) => {
    const r = await check(privatePlacement, doc(resource(type, "x", mutate(inputs, path, value as never))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(message);
  });
});
