import { topicNameInCatalog, topicSetEqualsCatalog, topicSettingsMatchCatalog } from "../../policies/rules/kafkaTopics";
import { check, doc, mutate, resource } from "../helpers/policyFixtures";
import { TOPIC, catalog, streamingCompliant } from "../helpers/streamingFixtures";

const topics = catalog();
const control = topics.find((t) => t.name === "fp.bus.control.v1")!;
const traffic = topics.find((t) => t.name === "fp.bus.traffic.fraud.v1")!;
const governance = topics.find((t) => t.name === "fp.bus.learning.registry.events.v1")!;
const allTopics = () => topics.map((t) => resource(TOPIC, `bus-${t.name}`, streamingCompliant.topic(t)));

describe("DA-14 topic names", () => {
  it("stays quiet on every catalog topic", async () => {
    const r = await check(topicNameInCatalog, doc(...allTopics()));
    expect(r.violations).toEqual([]);
  });
  it.each([
    ["fp.bus.Control.v1", /does not match/],
    ["fp.bus.control.v2", /does not match/],
    ["events", /does not match/],
    ["fp.bus.shadow.v1", /not in the topic catalog/],
  ])("fires on %p", async (name, message) => {
    const r = await check(topicNameInCatalog, doc(resource(TOPIC, "t", mutate(streamingCompliant.topic(control), "name", name))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-14-topic-name-in-catalog", enforcementLevel: "mandatory" });
    expect(r.violations[0].message).toMatch(message);
  });
});

describe("DA-42 topic settings match the catalog", () => {
  it("stays quiet on high-volume, low-volume and governance topics as catalogued", async () => {
    const r = await check(topicSettingsMatchCatalog, doc(...[traffic, control, governance].map((t) => resource(TOPIC, t.name, streamingCompliant.topic(t)))));
    expect(r.violations).toEqual([]);
  });
  it.each([
    ["partitions", 6, /partitions 6 \(catalog: 3\)/],
    ["replicationFactor", 2, /replicationFactor 2 \(MSK Serverless: 3\)/],
  ])("fires on the control topic when %s is %p", async (path, value, message) => {
    const r = await check(topicSettingsMatchCatalog, doc(resource(TOPIC, "t", mutate(streamingCompliant.topic(control), path, value))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-42-topic-settings-match-catalog", enforcementLevel: "mandatory" });
    expect(r.violations[0].message).toMatch(message);
  });
  // Topic config keys contain dots (mutate() splits paths on dots), so these cases edit `config` directly.
  it.each([
    ["retention.ms", String(control.retention_ms), "604800000"],
    ["cleanup.policy", "delete", "compact"],
  ])("fires when %s differs from the catalog", async (key, expected, wrong) => {
    const inputs = streamingCompliant.topic(control);
    (inputs.config as Record<string, string>)[key] = wrong;
    const r = await check(topicSettingsMatchCatalog, doc(resource(TOPIC, "t", inputs)));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toContain(`${key} ${JSON.stringify(wrong)} (catalog: ${JSON.stringify(expected)})`);
  });
  it("fires when retention.ms is missing (the broker default would apply)", async () => {
    const inputs = streamingCompliant.topic(governance);
    delete (inputs.config as Record<string, string>)["retention.ms"];
    const r = await check(topicSettingsMatchCatalog, doc(resource(TOPIC, "t", inputs)));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toContain('retention.ms null (catalog: "7776000000")');
  });
  it("leaves unknown topics to DA-14", async () => {
    const r = await check(topicSettingsMatchCatalog, doc(resource(TOPIC, "t", mutate(streamingCompliant.topic(control), "name", "fp.bus.shadow.v1"))));
    expect(r.violations).toEqual([]);
  });
});

describe("DA-42 topic set equals the catalog (stack)", () => {
  it("stays quiet when all 14 topics are declared once", async () => {
    const r = await check(topicSetEqualsCatalog, doc(...allTopics()));
    expect(r.violations).toEqual([]);
  });
  it("does not apply when no topics are declared (topic layer off, or another stack)", async () => {
    const r = await check(topicSetEqualsCatalog, doc(resource("aws:msk/serverlessCluster:ServerlessCluster", "msk", streamingCompliant.cluster())));
    expect(r.violations).toEqual([]);
  });
  it("fires naming a missing topic", async () => {
    const r = await check(topicSetEqualsCatalog, doc(...allTopics().filter((t) => !t.urn.endsWith(control.name))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-42-topic-set-equals-catalog", enforcementLevel: "mandatory" });
    expect(r.violations[0].message).toMatch(/missing: fp\.bus\.control\.v1\./);
  });
  it("fires naming an extra and a duplicated topic", async () => {
    const extra = resource(TOPIC, "shadow", mutate(streamingCompliant.topic(control), "name", "fp.bus.shadow.v1"));
    const twice = resource(TOPIC, "control-again", streamingCompliant.topic(control));
    const r = await check(topicSetEqualsCatalog, doc(...allTopics(), extra, twice));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(/not in the catalog: fp\.bus\.shadow\.v1; declared more than once: fp\.bus\.control\.v1/);
  });
});
