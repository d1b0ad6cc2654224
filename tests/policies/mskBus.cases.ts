import { mskBootstrapPublished, mskSaslIamOnly, mskServerlessOnlyBus } from "../../policies/rules/mskBus";
import { check, doc, mutate, resource, urnOf } from "../helpers/policyFixtures";
import { CLUSTER, PARAMETER, streamingCompliant } from "../helpers/streamingFixtures";

describe("DA-40 MSK Serverless is the only bus", () => {
  it("stays quiet on the pinned serverless cluster", async () => {
    const r = await check(mskServerlessOnlyBus, doc(resource(CLUSTER, "msk", streamingCompliant.cluster())));
    expect(r.violations).toEqual([]);
  });
  it.each([
    ["aws:msk/cluster:Cluster", { clusterName: "fraud-platform-dev-full-msk", kafkaVersion: "3.6.0" }, /provisioned MSK cluster/],
    ["aws:kinesis/stream:Stream", { name: "fraud-platform-dev-full-events", shardCount: 1 }, /Kinesis data stream/],
    ["aws:mq/broker:Broker", { brokerName: "fraud-platform-dev-full-mq" }, /Amazon MQ broker/],
  ])("fires on %s", async (type, inputs, message) => {
    const r = await check(mskServerlessOnlyBus, doc(resource(type, "bus", inputs)));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-40-msk-serverless-only-bus", rule: "DA-40", enforcementLevel: "mandatory", type });
    expect(r.violations[0].message).toMatch(message);
  });
  it("fires on a second serverless cluster under another name", async () => {
    const r = await check(
      mskServerlessOnlyBus,
      doc(resource(CLUSTER, "msk2", mutate(streamingCompliant.cluster(), "clusterName", "fraud-platform-dev-full-msk-2"))),
    );
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(/second bus; the only cluster is fraud-platform-dev-full-msk/);
  });
});

describe("DA-17 SASL/IAM only", () => {
  it("stays quiet when IAM client auth is enabled", async () => {
    const r = await check(mskSaslIamOnly, doc(resource(CLUSTER, "msk", streamingCompliant.cluster())));
    expect(r.violations).toEqual([]);
  });
  it.each([
    ["clientAuthentication.sasl.iam.enabled", false],
    ["clientAuthentication.sasl.iam", undefined],
    ["clientAuthentication", undefined],
  ])("fires when %s is %p", async (path, value) => {
    const r = await check(mskSaslIamOnly, doc(resource(CLUSTER, "msk", mutate(streamingCompliant.cluster(), path, value))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-17-msk-sasl-iam-only", enforcementLevel: "mandatory" });
    expect(r.violations[0].message).toMatch(/iam\.enabled is (false|null), expected true/);
  });
});

describe("DA-43 bootstrap string published (stack)", () => {
  const clusterUrn = urnOf(CLUSTER, "msk");
  const cluster = resource(CLUSTER, "msk", streamingCompliant.cluster());
  it("stays quiet when the pinned parameter takes its value from the cluster", async () => {
    const r = await check(mskBootstrapPublished, doc(cluster, resource(PARAMETER, "boot", streamingCompliant.parameter(), { dependencies: [clusterUrn] })));
    expect(r.violations).toEqual([]);
  });
  it("does not apply to stacks without the cluster", async () => {
    const r = await check(mskBootstrapPublished, doc(resource(PARAMETER, "boot", streamingCompliant.parameter())));
    expect(r.violations).toEqual([]);
    expect(r.summary.notApplicable).toBe(1);
  });
  it("fires when no parameter holds the bootstrap string", async () => {
    const r = await check(
      mskBootstrapPublished,
      doc(cluster, resource(PARAMETER, "other", streamingCompliant.parameter("/fraud-platform/dev_full/msk/other"), { dependencies: [clusterUrn] })),
    );
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ urn: clusterUrn });
    expect(r.violations[0].message).toMatch(/no SSM parameter \/fraud-platform\/dev_full\/msk\/bootstrap_brokers/);
  });
  it("fires when the parameter's value does not come from the cluster", async () => {
    const r = await check(mskBootstrapPublished, doc(cluster, resource(PARAMETER, "boot", streamingCompliant.parameter())));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(/does not take its value from the MSK cluster/);
  });
});
