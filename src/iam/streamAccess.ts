/**
 * Stream access for the bus: which lane produces and consumes which catalog topic, and the least-privilege IAM
 * policy document each lane's roles need on MSK Serverless (SASL/IAM). Pure functions over the topic catalog and
 * the cluster ARN, so the streaming stack exports finished documents and the runtime stack attaches them without
 * re-deriving ARNs, and each lane is granted only its own topics. Topic and group ARNs follow AWS's form for MSK:
 * `arn:<partition>:kafka:<region>:<account>:topic/<cluster-name>/<cluster-uuid>/<topic>` (and `group/...`).
 */
import * as aws from "@pulumi/aws";
import { TopicSpec } from "../registry/schema";

/** The lanes that talk to the bus. Each gets one policy document; a role attaches the documents of its lane. */
export const STREAM_LANES = ["ig", "wsp", "orchestrator", "rtdl", "decision_lane", "case_labels", "obs_gov", "learning", "archive"] as const;
export type StreamLane = (typeof STREAM_LANES)[number];

/**
 * The lane of every producer/consumer label used in the topic catalog (`producers` / `consumers`). Data, not
 * logic: a label the catalog gains without an entry here makes {@link laneAccessFromCatalog} throw, so a new
 * party can never silently get no access (or someone else's).
 */
export const LANES_BY_PARTY: Readonly<Record<string, readonly StreamLane[]>> = {
  // Control/ingress: the ingress edge, the replay producer (READY-triggered) and the run orchestrators.
  IG: ["ig"],
  WSP: ["wsp"],
  SR: ["orchestrator"],
  "orchestrators (Step Functions)": ["orchestrator"],
  Orchestrator: ["orchestrator"],
  // Real-time decision loop (IEG/OFP on Managed Flink).
  "RTDL ingress": ["rtdl"],
  "RTDL context": ["rtdl"],
  "RTDL join plane": ["rtdl"],
  // Decision lane: decision fabric, action layer, decision log/audit, and the guards that follow model promotion.
  DF: ["decision_lane"],
  AL: ["decision_lane"],
  DLA: ["decision_lane"],
  "runtime guards": ["decision_lane"],
  // Downstream of fp.bus.rtdl.v1: the audit writer (decision lane) and the case trigger (case/labels lane).
  "RTDL downstream lanes": ["decision_lane", "case_labels"],
  // Case and labels.
  CaseTrigger: ["case_labels"],
  CM: ["case_labels"],
  LS: ["case_labels"],
  // Observability and governance: reporters and evidence sinks.
  reporters: ["obs_gov"],
  reporter: ["obs_gov"],
  reporting: ["obs_gov"],
  "evidence sinks": ["obs_gov"],
  // Learning: offline feature store, model factory, model promotion registry.
  Learning: ["learning"],
  "OFS runner": ["learning"],
  "MF runner": ["learning"],
  MPR: ["learning"],
  // Archive writer (ECS batch consumer to S3).
  "archive connector (ARCHIVE_CONNECTOR_SOURCE_TOPIC)": ["archive"],
};

/** What one lane may do on the bus: topic names it writes and reads. */
export interface LaneAccess {
  lane: StreamLane;
  /** Topics the lane writes (sorted). */
  produces: string[];
  /** Topics the lane reads (sorted). */
  consumes: string[];
}

/** An MSK cluster as IAM sees it: the parts of its ARN that topic and group ARNs are built from. */
export interface MskClusterRef {
  partition: string;
  region: string;
  accountId: string;
  clusterName: string;
  /** The cluster UUID with its `-s<n>` suffix, as it appears in the ARN. */
  clusterUuid: string;
}

const CLUSTER_ARN = /^arn:([a-z-]+):kafka:([a-z0-9-]+):(\d{12}):cluster\/([A-Za-z0-9-]+)\/([A-Za-z0-9-]+)$/;

/** Parses `arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>`; anything else is an error naming the value. */
export function parseClusterArn(arn: string): MskClusterRef {
  const m = CLUSTER_ARN.exec(arn);
  if (!m) throw new Error(`not an MSK cluster ARN (arn:<partition>:kafka:<region>:<account>:cluster/<name>/<uuid>): ${JSON.stringify(arn)}`);
  const [, partition, region, accountId, clusterName, clusterUuid] = m;
  return { partition, region, accountId, clusterName, clusterUuid };
}

function kafkaArn(ref: MskClusterRef, kind: "cluster" | "topic" | "group", suffix?: string): string {
  const base = `arn:${ref.partition}:kafka:${ref.region}:${ref.accountId}:${kind}/${ref.clusterName}/${ref.clusterUuid}`;
  return suffix === undefined ? base : `${base}/${suffix}`;
}

export function clusterArnOf(ref: MskClusterRef): string {
  return kafkaArn(ref, "cluster");
}

/** ARN of a topic of the cluster (`topic/<cluster>/<uuid>/<topic>`). */
export function topicArn(ref: MskClusterRef, topic: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(topic)) throw new Error(`not a Kafka topic name: ${JSON.stringify(topic)}`);
  return kafkaArn(ref, "topic", topic);
}

/** ARN of a consumer group (or a group prefix ending in `*`) of the cluster. */
export function groupArn(ref: MskClusterRef, group: string): string {
  if (!/^[A-Za-z0-9._-]+\*?$/.test(group)) throw new Error(`not a consumer group id or prefix: ${JSON.stringify(group)}`);
  return kafkaArn(ref, "group", group);
}

/** `fraud-platform-dev-full-{lane}-*` + `decision_lane` -> `fraud-platform-dev-full-decision-lane-*`. */
export function consumerGroupPrefix(pattern: string, lane: StreamLane): string {
  if (!pattern.includes("{lane}") || !pattern.endsWith("*")) {
    throw new Error(`consumer group pattern must contain {lane} and end with *: ${JSON.stringify(pattern)}`);
  }
  return pattern.replace("{lane}", lane.replace(/_/g, "-"));
}

type CatalogEntry = Pick<TopicSpec, "name" | "producers" | "consumers">;

/** Each lane's produce/consume sets derived from the catalog; lanes with no access are left out. */
export function laneAccessFromCatalog(
  topics: readonly CatalogEntry[],
  lanesByParty: Readonly<Record<string, readonly StreamLane[]>> = LANES_BY_PARTY,
): LaneAccess[] {
  const produces = new Map<StreamLane, Set<string>>();
  const consumes = new Map<StreamLane, Set<string>>();
  const unmapped: string[] = [];
  const add = (into: Map<StreamLane, Set<string>>, party: string, topic: string) => {
    const lanes = lanesByParty[party];
    if (!lanes || lanes.length === 0) {
      unmapped.push(`${JSON.stringify(party)} (${topic})`);
      return;
    }
    for (const lane of lanes) {
      if (!into.has(lane)) into.set(lane, new Set());
      into.get(lane)?.add(topic);
    }
  };
  for (const t of topics) {
    for (const p of t.producers) add(produces, p, t.name);
    for (const c of t.consumers) add(consumes, c, t.name);
  }
  if (unmapped.length) {
    throw new Error(`topic catalog parties without a stream lane: ${unmapped.join(", ")}; add them to LANES_BY_PARTY in src/iam/streamAccess.ts`);
  }
  return STREAM_LANES.filter((lane) => produces.has(lane) || consumes.has(lane)).map((lane) => ({
    lane,
    produces: [...(produces.get(lane) ?? [])].sort(),
    consumes: [...(consumes.get(lane) ?? [])].sort(),
  }));
}

/** A statement with only plain strings, so documents are comparable and serialisable without Outputs. */
export interface StreamAccessStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string[];
}

/** A finished stream-access document: a plain `aws.iam.PolicyDocument`. */
export interface StreamAccessDocument extends aws.iam.PolicyDocument {
  Version: "2012-10-17";
  Statement: StreamAccessStatement[];
}

/** Actions a consumer's deserializer calls on the Glue Schema Registry to decode events (read only). */
export const SCHEMA_READ_ACTIONS = ["glue:GetSchemaVersion", "glue:GetSchemaByDefinition", "glue:GetRegistry", "glue:GetSchema"];

const REGISTRY_ARN = /^arn:([a-z-]+):glue:([a-z0-9-]+):(\d{12}):registry\/([A-Za-z0-9_$#.-]+)$/;

/** The registry's ARN and the ARN pattern of its schemas (`schema/<registry>/*`), the only scope of schema reads. */
export function schemaRegistryResources(registryArn: string): [string, string] {
  const m = REGISTRY_ARN.exec(registryArn);
  if (!m) throw new Error(`not a Glue schema registry ARN (arn:<partition>:glue:<region>:<account>:registry/<name>): ${JSON.stringify(registryArn)}`);
  const [, partition, region, accountId, name] = m;
  return [registryArn, `arn:${partition}:glue:${region}:${accountId}:schema/${name}/*`];
}

/**
 * The policy document of one lane: connect to the cluster; write its produced topics (idempotent producers
 * need `WriteDataIdempotently` on the cluster, the Kafka client default); read its consumed topics and use
 * consumer groups under its own prefix only; and, for a lane that consumes (decodes events), read the schemas of
 * the platform's schema registry (the registry and its schemas, nothing else). No `kafka-cluster:*`, no topic
 * wildcards, no admin actions, no schema writes.
 */
export function streamAccessPolicy(ref: MskClusterRef, access: LaneAccess, groupPattern: string, schemaRegistryArn?: string): StreamAccessDocument {
  const cluster = clusterArnOf(ref);
  const statements: StreamAccessStatement[] = [
    {
      Sid: "ConnectToCluster",
      Effect: "Allow",
      Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", ...(access.produces.length ? ["kafka-cluster:WriteDataIdempotently"] : [])],
      Resource: [cluster],
    },
  ];
  if (access.produces.length) {
    statements.push({
      Sid: "ProduceLaneTopics",
      Effect: "Allow",
      Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
      Resource: access.produces.map((t) => topicArn(ref, t)),
    });
  }
  if (access.consumes.length) {
    statements.push(
      {
        Sid: "ConsumeLaneTopics",
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
        Resource: access.consumes.map((t) => topicArn(ref, t)),
      },
      {
        Sid: "UseLaneConsumerGroups",
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
        Resource: [groupArn(ref, consumerGroupPrefix(groupPattern, access.lane))],
      },
    );
    if (schemaRegistryArn !== undefined) {
      statements.push({ Sid: "ReadEventSchemas", Effect: "Allow", Action: SCHEMA_READ_ACTIONS, Resource: schemaRegistryResources(schemaRegistryArn) });
    }
  }
  return { Version: "2012-10-17", Statement: statements };
}

/** Every lane's document for a cluster (consumers with schema reads on the registry, if given), keyed by lane. */
export function streamAccessPolicies(
  clusterArn: string,
  topics: readonly CatalogEntry[],
  groupPattern: string,
  lanesByParty?: Readonly<Record<string, readonly StreamLane[]>>,
  schemaRegistryArn?: string,
): Partial<Record<StreamLane, StreamAccessDocument>> {
  const ref = parseClusterArn(clusterArn);
  return Object.fromEntries(
    laneAccessFromCatalog(topics, lanesByParty).map((access) => [access.lane, streamAccessPolicy(ref, access, groupPattern, schemaRegistryArn)]),
  );
}
