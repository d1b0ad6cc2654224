/**
 * Kafka topics. DA-14 (mandatory, high): topic names match `^fp\.bus\.[a-z_.]+\.v1$` and are in the registry's
 * 14-topic catalog. DA-42 (mandatory, high): each topic's partitions, `retention.ms` and `cleanup.policy` are
 * its catalog entry's, its replication factor is MSK Serverless's; and a stack that declares topics declares
 * exactly the catalog (no topic missing, none extra, none twice). All values are plain inputs, known at preview.
 */
import * as kafka from "@pulumi/kafka";
import * as policy from "@pulumi/policy";
import { TopicSpec } from "../../src/registry/schema";
import { registry } from "../lib/registry";
import { resourceRule, stackRule } from "../lib/rule";

export const TOPIC_NAME_PATTERN = /^fp\.bus\.[a-z_.]+\.v1$/;
const TOPIC_TYPE = "kafka:index/topic:Topic";

function catalogEntry(name: unknown): TopicSpec | undefined {
  return registry()
    .topics()
    .find((t) => t.name === name);
}

export const topicNameInCatalog = resourceRule(
  {
    id: "DA-14",
    slug: "topic-name-in-catalog",
    description:
      "Kafka topic names must match ^fp\\.bus\\.[a-z_.]+\\.v1$ and be one of the 14 catalog topics (registry topic_catalog): add a topic to the registry first.",
    severity: "high",
  },
  policy.validateResourceOfType(kafka.Topic, (topic, _args, reportViolation) => {
    const name = topic.name;
    if (typeof name !== "string" || !TOPIC_NAME_PATTERN.test(name)) {
      reportViolation(`topic name ${JSON.stringify(name ?? null)} does not match ${TOPIC_NAME_PATTERN.source}.`);
      return;
    }
    if (!catalogEntry(name)) reportViolation(`topic ${name} is not in the topic catalog.`);
  }),
);

export const topicSettingsMatchCatalog = resourceRule(
  {
    id: "DA-42",
    slug: "topic-settings-match-catalog",
    description:
      "Topic partitions, retention.ms and cleanup.policy must be the catalog entry's (high-volume 6/7d, low-volume 3/30d, governance 3/90d, delete) and the replication factor MSK Serverless's: declare topics with the TopicCatalog component.",
    severity: "high",
  },
  policy.validateResourceOfType(kafka.Topic, (topic, args, reportViolation) => {
    const entry = catalogEntry(topic.name);
    if (!entry) return args.notApplicable("not a catalog topic (DA-14 reports it)");
    const config = (topic.config ?? {}) as Record<string, unknown>;
    const replication = registry().number("MSK_SERVERLESS_REPLICATION_FACTOR");
    const problems: string[] = [];
    if (topic.partitions !== entry.partitions) problems.push(`partitions ${JSON.stringify(topic.partitions ?? null)} (catalog: ${entry.partitions})`);
    const expected: Record<string, string> = { "retention.ms": String(entry.retention_ms), "cleanup.policy": entry.cleanup_policy };
    for (const [key, value] of Object.entries(expected)) {
      const actual = config[key];
      if (actual === undefined || String(actual) !== value) problems.push(`${key} ${JSON.stringify(actual ?? null)} (catalog: ${JSON.stringify(value)})`);
    }
    if (topic.replicationFactor !== replication)
      problems.push(`replicationFactor ${JSON.stringify(topic.replicationFactor ?? null)} (MSK Serverless: ${replication})`);
    if (problems.length) reportViolation(`topic ${entry.name}: ${problems.join("; ")}.`);
  }),
);

export const topicSetEqualsCatalog = stackRule(
  {
    id: "DA-42",
    slug: "topic-set-equals-catalog",
    description: "A stack that declares Kafka topics declares exactly the 14 catalog topics, each once.",
    severity: "high",
  },
  (args, reportViolation) => {
    const topics = args.resources.filter((r) => r.type === TOPIC_TYPE);
    if (topics.length === 0) return args.notApplicable("no Kafka topics declared (topic layer switched off or another stack)");
    const declared = topics.map((t) => String(t.props.name));
    const catalog = registry()
      .topics()
      .map((t) => t.name);
    const missing = catalog.filter((n) => !declared.includes(n));
    const extra = [...new Set(declared.filter((n) => !catalog.includes(n)))];
    const twice = [...new Set(declared.filter((n, i) => declared.indexOf(n) !== i))];
    const problems = [
      missing.length ? `missing: ${missing.join(", ")}` : "",
      extra.length ? `not in the catalog: ${extra.join(", ")}` : "",
      twice.length ? `declared more than once: ${twice.join(", ")}` : "",
    ].filter(Boolean);
    if (problems.length) reportViolation(`topic set differs from the catalog; ${problems.join("; ")}.`);
  },
);

export const kafkaTopicPolicies = [topicNameInCatalog, topicSettingsMatchCatalog, topicSetEqualsCatalog];
