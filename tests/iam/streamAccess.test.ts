/** The typed stream-access builder: lane mapping as data, ARN construction, least-privilege documents. */
import fc from "fast-check";
import { loadRegistry } from "../../src/registry/registry";
import {
  LANES_BY_PARTY,
  STREAM_LANES,
  StreamAccessDocument,
  clusterArnOf,
  consumerGroupPrefix,
  groupArn,
  laneAccessFromCatalog,
  parseClusterArn,
  schemaRegistryResources,
  streamAccessPolicies,
  streamAccessPolicy,
  topicArn,
} from "../../src/iam/streamAccess";

const registry = loadRegistry();
const catalog = registry.topics();
const PATTERN = registry.string("KAFKA_CONSUMER_GROUP_PATTERN");
const CLUSTER_ARN = "arn:aws:kafka:eu-west-2:123456789012:cluster/fraud-platform-dev-full-msk/6d6d345b-fb39-4e7b-a245-53525b4648b6-s3";
const ref = parseClusterArn(CLUSTER_ARN);
const PREFIX = "arn:aws:kafka:eu-west-2:123456789012";
const UUID = "6d6d345b-fb39-4e7b-a245-53525b4648b6-s3";

const resourcesOf = (doc: StreamAccessDocument, sid: string): string[] => doc.Statement.find((s) => s.Sid === sid)?.Resource ?? [];
const actionsOf = (doc: StreamAccessDocument): string[] => doc.Statement.flatMap((s) => s.Action);

describe("cluster, topic and group ARNs", () => {
  it("parses a cluster ARN keeping the uuid's -s<n> suffix", () => {
    expect(ref).toEqual({ partition: "aws", region: "eu-west-2", accountId: "123456789012", clusterName: "fraud-platform-dev-full-msk", clusterUuid: UUID });
    expect(clusterArnOf(ref)).toBe(CLUSTER_ARN);
  });

  it("builds topic and group ARNs in AWS's form", () => {
    expect(topicArn(ref, "fp.bus.control.v1")).toBe(`${PREFIX}:topic/fraud-platform-dev-full-msk/${UUID}/fp.bus.control.v1`);
    expect(groupArn(ref, "fraud-platform-dev-full-rtdl-*")).toBe(`${PREFIX}:group/fraud-platform-dev-full-msk/${UUID}/fraud-platform-dev-full-rtdl-*`);
  });

  it.each([
    "arn:aws:kafka:eu-west-2:123456789012:topic/fraud-platform-dev-full-msk/uuid/t",
    "arn:aws:kafka:eu-west-2:1234:cluster/x/y",
    "arn:aws:kafka:eu-west-2:123456789012:cluster/fraud-platform-dev-full-msk",
    "",
  ])("rejects %p as a cluster ARN", (arn) => {
    expect(() => parseClusterArn(arn)).toThrow(/not an MSK cluster ARN/);
  });

  it("rejects topic names and group ids that would widen the ARN", () => {
    expect(() => topicArn(ref, "*")).toThrow(/not a Kafka topic name/);
    expect(() => topicArn(ref, "a/b")).toThrow(/not a Kafka topic name/);
    expect(() => groupArn(ref, "*")).toThrow(/not a consumer group/);
  });

  it("round-trips any well-formed cluster ARN (property)", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,30}$/);
    fc.assert(
      fc.property(
        fc.constantFrom("aws", "aws-us-gov", "aws-cn"),
        fc.constantFrom("eu-west-2", "us-east-1", "ap-southeast-2"),
        fc.stringMatching(/^\d{12}$/),
        segment,
        segment,
        (partition, region, accountId, clusterName, clusterUuid) => {
          const parsed = { partition, region, accountId, clusterName, clusterUuid };
          expect(parseClusterArn(clusterArnOf(parsed))).toEqual(parsed);
        },
      ),
    );
  });

  it("keeps every topic ARN inside its cluster's topic space (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._-]{1,60}$/), (topic) => {
        const arn = topicArn(ref, topic);
        expect(arn.startsWith(`${PREFIX}:topic/fraud-platform-dev-full-msk/${UUID}/`)).toBe(true);
        expect(arn.endsWith(`/${topic}`)).toBe(true);
      }),
    );
  });
});

describe("lanes from the catalog", () => {
  const access = laneAccessFromCatalog(catalog);
  const lane = (name: string) => access.find((a) => a.lane === name);

  it("maps every producer and consumer label of the catalog to a lane", () => {
    const labels = new Set(catalog.flatMap((t) => [...t.producers, ...t.consumers]));
    for (const label of labels) expect({ label, mapped: (LANES_BY_PARTY[label] ?? []).length > 0 }).toEqual({ label, mapped: true });
  });

  it("gives every catalog topic at least one producing and one consuming lane", () => {
    for (const t of catalog) {
      expect({ topic: t.name, produced: access.some((a) => a.produces.includes(t.name)) }).toEqual({ topic: t.name, produced: true });
      expect({ topic: t.name, consumed: access.some((a) => a.consumes.includes(t.name)) }).toEqual({ topic: t.name, consumed: true });
    }
  });

  it("derives the expected lane table", () => {
    expect(access.map((a) => a.lane)).toEqual([...STREAM_LANES]);
    expect(lane("ig")).toEqual({
      lane: "ig",
      produces: ["fp.bus.context.arrival_entities.v1", "fp.bus.context.arrival_events.v1", "fp.bus.context.flow_anchor.fraud.v1", "fp.bus.traffic.fraud.v1"],
      consumes: [],
    });
    expect(lane("rtdl")).toMatchObject({ produces: [], consumes: expect.arrayContaining(["fp.bus.traffic.fraud.v1", "fp.bus.context.flow_anchor.fraud.v1"]) });
    expect(lane("decision_lane")).toEqual({
      lane: "decision_lane",
      produces: ["fp.bus.audit.v1", "fp.bus.rtdl.v1"],
      consumes: ["fp.bus.learning.registry.events.v1", "fp.bus.rtdl.v1"],
    });
    expect(lane("archive")).toEqual({ lane: "archive", produces: [], consumes: ["fp.bus.control.v1"] });
    expect(lane("learning")?.produces).toContain("fp.bus.learning.registry.events.v1");
    expect(lane("orchestrator")?.produces).toEqual(["fp.bus.control.v1", "fp.bus.learning.mf.requests.v1", "fp.bus.learning.ofs.requests.v1"]);
  });

  it("refuses a catalog party that has no lane, naming it and the topic", () => {
    const withNewParty = [...catalog, { name: "fp.bus.new.v1", producers: ["Mystery service"], consumers: ["IG"] }];
    expect(() => laneAccessFromCatalog(withNewParty)).toThrow(/"Mystery service" \(fp\.bus\.new\.v1\).*LANES_BY_PARTY/);
  });
});

describe("lane policy documents", () => {
  const docs = streamAccessPolicies(CLUSTER_ARN, catalog, PATTERN);

  it("derives consumer group prefixes from the registry pattern", () => {
    expect(consumerGroupPrefix(PATTERN, "decision_lane")).toBe("fraud-platform-dev-full-decision-lane-*");
    expect("fraud-platform-dev-full-rtdl-core-v0".startsWith(consumerGroupPrefix(PATTERN, "rtdl").slice(0, -1))).toBe(true);
    expect(() => consumerGroupPrefix("fixed-group", "rtdl")).toThrow(/must contain \{lane\}/);
  });

  it("lets a producing-only lane connect and write its topics, nothing else", () => {
    const ig = docs.ig as StreamAccessDocument;
    expect(ig.Version).toBe("2012-10-17");
    expect(ig.Statement.map((s) => s.Sid)).toEqual(["ConnectToCluster", "ProduceLaneTopics"]);
    expect(resourcesOf(ig, "ConnectToCluster")).toEqual([CLUSTER_ARN]);
    expect(actionsOf(ig)).toEqual([
      "kafka-cluster:Connect",
      "kafka-cluster:DescribeCluster",
      "kafka-cluster:WriteDataIdempotently",
      "kafka-cluster:DescribeTopic",
      "kafka-cluster:WriteData",
    ]);
    expect(resourcesOf(ig, "ProduceLaneTopics")).toContain(`${PREFIX}:topic/fraud-platform-dev-full-msk/${UUID}/fp.bus.traffic.fraud.v1`);
  });

  it("lets a consuming lane read its topics and use only its own consumer groups", () => {
    const rtdl = docs.rtdl as StreamAccessDocument;
    expect(rtdl.Statement.map((s) => s.Sid)).toEqual(["ConnectToCluster", "ConsumeLaneTopics", "UseLaneConsumerGroups"]);
    expect(actionsOf(rtdl)).not.toContain("kafka-cluster:WriteData");
    expect(resourcesOf(rtdl, "UseLaneConsumerGroups")).toEqual([`${PREFIX}:group/fraud-platform-dev-full-msk/${UUID}/fraud-platform-dev-full-rtdl-*`]);
  });

  it("never grants wildcards on actions, topics or the cluster", () => {
    for (const [lane, doc] of Object.entries(docs)) {
      for (const s of (doc as StreamAccessDocument).Statement) {
        for (const a of s.Action) expect({ lane, action: a }).toEqual({ lane, action: expect.stringMatching(/^kafka-cluster:[A-Za-z]+$/) });
        for (const r of s.Resource) {
          expect(r.startsWith(PREFIX)).toBe(true);
          if (r.includes("*"))
            expect({ lane, resource: r }).toEqual({
              lane,
              resource: expect.stringMatching(new RegExp(`:group/.*/fraud-platform-dev-full-${lane.replace(/_/g, "-")}-\\*$`)),
            });
        }
      }
    }
  });

  it("matches the catalog for every lane (property: each topic a lane touches is in its document)", () => {
    for (const access of laneAccessFromCatalog(catalog)) {
      const doc = streamAccessPolicy(ref, access, PATTERN);
      expect(resourcesOf(doc, "ProduceLaneTopics")).toEqual(access.produces.map((t) => topicArn(ref, t)));
      expect(resourcesOf(doc, "ConsumeLaneTopics")).toEqual(access.consumes.map((t) => topicArn(ref, t)));
    }
  });
});

describe("schema registry reads of the lanes that decode events", () => {
  const REGISTRY_ARN = "arn:aws:glue:eu-west-2:123456789012:registry/fraud-platform-dev-full";
  const docs = streamAccessPolicies(CLUSTER_ARN, catalog, PATTERN, undefined, REGISTRY_ARN);

  it("gives every consuming lane the four read actions on the registry and its schemas only", () => {
    for (const access of laneAccessFromCatalog(catalog).filter((a) => a.consumes.length > 0)) {
      const doc = docs[access.lane] as StreamAccessDocument;
      const read = doc.Statement.find((s) => s.Sid === "ReadEventSchemas");
      expect({ lane: access.lane, read }).toEqual({
        lane: access.lane,
        read: {
          Sid: "ReadEventSchemas",
          Effect: "Allow",
          Action: ["glue:GetSchemaVersion", "glue:GetSchemaByDefinition", "glue:GetRegistry", "glue:GetSchema"],
          Resource: [REGISTRY_ARN, "arn:aws:glue:eu-west-2:123456789012:schema/fraud-platform-dev-full/*"],
        },
      });
    }
  });

  it("gives a lane that only produces no schema statement, and no lane a schema write", () => {
    expect((docs.ig as StreamAccessDocument).Statement.map((s) => s.Sid)).toEqual(["ConnectToCluster", "ProduceLaneTopics"]);
    const actions = Object.values(docs).flatMap((d) => (d as StreamAccessDocument).Statement.flatMap((s) => s.Action));
    expect(actions.filter((a) => a.startsWith("glue:") && !/^glue:Get/.test(a))).toEqual([]);
  });

  it("refuses something that is not a registry ARN, naming it", () => {
    expect(() => schemaRegistryResources("arn:aws:glue:eu-west-2:123456789012:schema/x/y")).toThrow(/not a Glue schema registry ARN .*schema\/x\/y/);
  });
});
