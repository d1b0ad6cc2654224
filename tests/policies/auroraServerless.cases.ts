import { auroraMultiAzInstances, auroraServerlessPinned } from "../../policies/rules/auroraServerless";
import { check, doc, mutate, resource, urnOf } from "../helpers/policyFixtures";
import { T, runtimeCompliant } from "../helpers/runtimeFixtures";

const messages = (r: { violations: Array<{ message: string }> }) => r.violations.map((v) => v.message.split("\n")[1]);

describe("DA-58 Aurora Serverless v2 pinned", () => {
  it("stays quiet on the pinned cluster", async () => {
    expect((await check(auroraServerlessPinned, doc(resource(T.cluster, "aurora", runtimeCompliant.cluster())))).violations).toEqual([]);
  });
  it.each([
    ["clusterIdentifier", "my-db", /clusterIdentifier is "my-db"/],
    ["databaseName", "postgres", /databaseName is "postgres", expected "fraud_platform"/],
    ["serverlessv2ScalingConfiguration.maxCapacity", 4, /expected min 0.5 \/ max 8 ACU/],
    ["serverlessv2ScalingConfiguration", undefined, /serverlessv2ScalingConfiguration is null/],
    ["engineMode", "serverless", /Serverless v2 runs in "provisioned" mode/],
    ["storageEncrypted", false, /storageEncrypted is not true/],
    ["kmsKeyId", "alias/aws/rds", /kmsKeyId is "alias\/aws\/rds"; storage must be encrypted with the platform key/],
    ["kmsKeyId", undefined, /kmsKeyId is null/],
  ])("fires when %s is %p", async (path, value, message) => {
    const r = await check(auroraServerlessPinned, doc(resource(T.cluster, "aurora", mutate(runtimeCompliant.cluster(), path, value as never))));
    expect(messages(r)).toEqual([expect.stringMatching(message)]);
  });
});

describe("DA-58 Aurora writer and reader in different zones", () => {
  const cluster = resource(T.cluster, "aurora", runtimeCompliant.cluster());
  const instance = (role: string, zone: string | undefined, extra: Record<string, string> = {}) =>
    resource(
      T.instance,
      `aurora-${role}`,
      { ...mutate(runtimeCompliant.instance(role, "z"), "availabilityZone", zone), ...extra },
      { dependencies: [urnOf(T.cluster, "aurora")] },
    );

  it("stays quiet on a writer and a reader in two zones", async () => {
    expect((await check(auroraMultiAzInstances, doc(cluster, instance("writer", "eu-west-2a"), instance("reader-1", "eu-west-2b")))).violations).toEqual([]);
  });
  it("fires on a single instance (the reference's defect)", async () => {
    const r = await check(auroraMultiAzInstances, doc(cluster, instance("writer", "eu-west-2a")));
    expect(messages(r)).toEqual([expect.stringMatching(/has 1 db.serverless instance\(s\) \(of 1\); it needs a writer and at least one reader/)]);
    expect(r.violations[0].urn).toBe(urnOf(T.cluster, "aurora"));
  });
  it("fires on two instances in one zone, and on instances without an explicit zone", async () => {
    expect(messages(await check(auroraMultiAzInstances, doc(cluster, instance("writer", "eu-west-2a"), instance("reader-1", "eu-west-2a"))))).toEqual([
      expect.stringMatching(/all instances are in eu-west-2a/),
    ]);
    const unzoned = instance("reader-1", undefined);
    expect(messages(await check(auroraMultiAzInstances, doc(cluster, instance("writer", "eu-west-2a"), unzoned)))).toEqual([
      expect.stringMatching(/needs an explicit availabilityZone/),
    ]);
  });
  it("fires on a provisioned instance class next to two serverless ones", async () => {
    const r = await check(
      auroraMultiAzInstances,
      doc(cluster, instance("writer", "eu-west-2a"), instance("reader-1", "eu-west-2b"), instance("reader-2", "eu-west-2a", { instanceClass: "db.r6g.large" })),
    );
    expect(messages(r)).toEqual([expect.stringMatching(/class "db.r6g.large", expected db.serverless/)]);
  });
});
