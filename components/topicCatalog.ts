import * as kafka from "@pulumi/kafka";
import * as pulumi from "@pulumi/pulumi";
import { TopicSpec } from "../src/registry/schema";

export interface TopicCatalogArgs {
  /** Topics to declare: the registry's topic catalog (name, partitions, retention, cleanup policy). */
  topics: readonly TopicSpec[];
  /** SASL/IAM bootstrap string of the cluster (comma-separated `host:9098` list). */
  bootstrapBrokers: pulumi.Input<string>;
  /** Region of the cluster; the Kafka provider signs the SASL handshake (AWS_MSK_IAM) for it. */
  region: string;
  /** Replication factor of every topic (MSK Serverless fixes it at 3; the provider requires it). */
  replicationFactor: number;
}

/** The topic-level settings a catalog entry pins, as Kafka config keys. */
export function topicConfigOf(topic: Pick<TopicSpec, "retention_ms" | "cleanup_policy">): Record<string, string> {
  return { "retention.ms": String(topic.retention_ms), "cleanup.policy": topic.cleanup_policy };
}

/** Catalog problems that would make a topic declaration wrong (empty: none). */
export function topicCatalogProblems(topics: readonly TopicSpec[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const t of topics) {
    if (seen.has(t.name)) problems.push(`topic ${t.name} is listed twice`);
    seen.add(t.name);
  }
  if (topics.length === 0) problems.push("the catalog is empty");
  return problems;
}

/**
 * The bus's topics, declared through an explicit Kafka provider that authenticates to MSK with IAM (SASL
 * `aws-iam` over TLS, SigV4 with the caller's AWS credentials). The topic list, partitions, retention and
 * cleanup policy are the registry's catalog, so the catalog is the only place a topic is defined. MSK
 * Serverless has no public endpoint: whoever runs `pulumi up` with this component must reach the VPC.
 * Topics are retained on delete (see below): only creating or changing them needs that reach.
 */
export class TopicCatalog extends pulumi.ComponentResource {
  /** Topic names in catalog order. */
  readonly topicNames: pulumi.Output<string[]>;
  /** Topic name by catalog handle (e.g. FP_BUS_CONTROL_V1). */
  readonly topicsByHandle: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: TopicCatalogArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:streaming:TopicCatalog", name, {}, opts);
    const problems = topicCatalogProblems(args.topics);
    if (problems.length) throw new Error(`${name}: invalid topic catalog: ${problems.join("; ")}`);

    const provider = new kafka.Provider(
      `${name}-msk-iam`,
      {
        bootstrapServers: pulumi.output(args.bootstrapBrokers).apply((brokers) =>
          brokers
            .split(",")
            .map((b) => b.trim())
            .filter(Boolean),
        ),
        saslMechanism: "aws-iam",
        saslAwsRegion: args.region,
        tlsEnabled: true,
      },
      { parent: this },
    );

    const byHandle: Record<string, pulumi.Output<string>> = {};
    for (const t of args.topics) {
      const topicArgs: kafka.TopicArgs = {
        name: t.name,
        partitions: t.partitions,
        replicationFactor: args.replicationFactor,
        config: topicConfigOf(t),
      };
      // Topics live and die with the cluster: deleting the cluster deletes them. Retained on delete, so neither a
      // destroy nor switching the topic layer off needs Kafka reach into the VPC (a teardown from outside would
      // otherwise fail and leave the cluster billing). A change Kafka cannot make in place (fewer partitions) then
      // fails on create ("already exists") instead of silently dropping the topic's data.
      const topic = new kafka.Topic(`${name}-${t.name}`, topicArgs, { parent: this, provider, retainOnDelete: true });
      byHandle[t.handle] = topic.name;
    }

    this.topicsByHandle = byHandle;
    this.topicNames = pulumi.all(args.topics.map((t) => byHandle[t.handle]));
    this.registerOutputs({ topicNames: this.topicNames });
  }
}
