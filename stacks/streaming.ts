/**
 * streaming: the event bus (MSK Serverless, SASL/IAM only) with its bootstrap parameter, the Glue schema
 * registry with the anchor schema, the 14 catalog topics, and the per-lane stream access policy documents the
 * runtime layer attaches to its roles. Reads core's placement and key through a StackReference.
 * Parity target: ../shared/spec/stacks/streaming.md, with its defects fixed (no plain bootstrap output, parameter
 * under the platform key, no `overwrite`, no silent fallbacks for missing core outputs, retained registry).
 */
import * as pulumi from "@pulumi/pulumi";
import { MskServerlessCluster } from "../components/mskServerlessCluster";
import { SchemaRegistry } from "../components/schemaRegistry";
import { TopicCatalog } from "../components/topicCatalog";
import { Environment } from "../src/config/environment";
import { streamAccessPolicies } from "../src/iam/streamAccess";
import { controlEnvelopeDefinition } from "../src/streaming/controlEnvelope";
import { tagsFor } from "../src/tags";
import { downReason, surfaceUp } from "../src/window/surfaces";
import { DEFERRED_HANDLES_OUTPUT, StackOutputs, deferred, handleOutputs, withDeferred } from "./handleOutputs";
import { CoreOutputs } from "./upstreamOutputs";

export function streamingStack(env: Environment): StackOutputs {
  const r = env.registry;
  const tags = tagsFor(env);
  const catalog = r.topics();

  // A missing or malformed core output is an error naming it, never an empty fallback.
  const core = new CoreOutputs(env);

  // Proof window (fraud-platform:window): the cluster and its topics exist only while a window needs the bus.
  const mskUp = surfaceUp(env, "msk");
  const mskDown = deferred(downReason(env, "msk"));
  const clientSubnetIds = core.mskClientSubnetIds;
  const mskSecurityGroupId = core.mskSecurityGroupId;
  const msk = mskUp
    ? new MskServerlessCluster("msk", {
        clusterName: r.string("MSK_CLUSTER_NAME"),
        subnetIds: clientSubnetIds,
        securityGroupId: mskSecurityGroupId,
        bootstrapParameterName: r.string("SSM_MSK_BOOTSTRAP_BROKERS_PATH"),
        kmsKeyArn: core.kmsKeyArn,
        tags,
      })
    : undefined;

  const schemas = new SchemaRegistry("schemas", {
    registryName: r.string("GLUE_SCHEMA_REGISTRY_NAME"),
    compatibility: r.string("GLUE_SCHEMA_COMPATIBILITY_MODE"),
    anchorSchemaName: r.string("GLUE_ANCHOR_SCHEMA_NAME"),
    anchorSchemaDefinition: controlEnvelopeDefinition(),
    tags,
  });

  // Off when `pulumi up` runs outside the VPC (docs/streaming.md): the topic names stay pinned either way.
  const topicsManaged = env.settings.streaming.topicsEnabled;
  const topics =
    topicsManaged && msk
      ? new TopicCatalog("bus", {
          topics: catalog,
          bootstrapBrokers: msk.bootstrapBrokers,
          region: env.region,
          replicationFactor: r.number("MSK_SERVERLESS_REPLICATION_FACTOR"),
        })
      : undefined;
  const topicHandles = Object.fromEntries(catalog.map((t) => [t.handle, msk ? (topics?.topicsByHandle[t.handle] ?? pulumi.output(t.name)) : mskDown]));

  const groupPattern = r.string("KAFKA_CONSUMER_GROUP_PATTERN");
  // No cluster, no grant: between windows the lanes' roles carry no stream access (runtime reads the same window).
  // Consuming lanes also read the registry's schemas (to decode events).
  const accessPolicies = msk
    ? pulumi
        .all([msk.clusterArn, schemas.registryArn])
        .apply(([arn, registryArn]) =>
          Object.fromEntries(
            Object.entries(streamAccessPolicies(arn, catalog, groupPattern, undefined, registryArn)).map(([lane, doc]) => [lane, JSON.stringify(doc)]),
          ),
        )
    : pulumi.output({} as Record<string, string>);

  return streamingOutputs(env, { msk, schemas, topicHandles, accessPolicies, clientSubnetIds, mskSecurityGroupId, topicsManaged: topicsManaged && mskUp });
}

/** What streaming declared and passes through, for its outputs. */
interface StreamingParts {
  /** Undefined while the proof window keeps the bus down. */
  msk?: MskServerlessCluster;
  schemas: SchemaRegistry;
  /** Each catalog topic's handle -> its name (deferred while the bus is down). */
  topicHandles: StackOutputs;
  accessPolicies: pulumi.Output<Record<string, string>>;
  clientSubnetIds: pulumi.Output<string[]>;
  mskSecurityGroupId: pulumi.Output<string>;
  topicsManaged: boolean;
}

function streamingOutputs(env: Environment, p: StreamingParts): StackOutputs {
  const { msk, schemas, topicHandles, clientSubnetIds, mskSecurityGroupId } = p;
  const catalog = env.registry.topics();
  const mskDown = deferred(downReason(env, "msk"));
  const handles = handleOutputs(env, {
    MSK_CLUSTER_NAME: msk ? msk.clusterName : mskDown,
    MSK_CLUSTER_ARN: msk ? msk.clusterArn : mskDown,
    // An endpoint, but published as a SecureString: exported as a secret, never in plain (DA-04).
    MSK_BOOTSTRAP_BROKERS_SASL_IAM: msk ? msk.bootstrapBrokers : mskDown,
    SSM_MSK_BOOTSTRAP_BROKERS_PATH: msk ? msk.bootstrapParameterName : mskDown,
    GLUE_SCHEMA_REGISTRY_NAME: schemas.registryName,
    GLUE_SCHEMA_COMPATIBILITY_MODE: schemas.compatibility,
    GLUE_ANCHOR_SCHEMA_NAME: schemas.anchorSchemaName,
    ...topicHandles,
  });
  // The materialization map stays readable: the secret bootstrap string would turn the whole map secret, so its key
  // is a documented null (the value is the secret handle MSK_BOOTSTRAP_BROKERS_SASL_IAM and the SSM parameter).
  const { MSK_BOOTSTRAP_BROKERS_SASL_IAM: _secretBootstrap, [DEFERRED_HANDLES_OUTPUT]: _reasons, ...materialization } = handles;

  return withDeferred({
    ...handles,
    // The reference stack's outputs (stacks/streaming.md §6), its pass-through of core's client subnets and security
    // group included, plus what runtime needs to grant stream access without re-deriving ARNs.
    msk_client_subnet_ids: clientSubnetIds,
    msk_security_group_id: mskSecurityGroupId,
    msk_cluster_arn: msk?.clusterArn ?? null,
    msk_cluster_name: msk?.clusterName ?? null,
    msk_cluster_uuid: msk?.clusterUuid ?? null,
    msk_bootstrap_brokers_sasl_iam: msk?.bootstrapBrokers ?? null,
    ssm_msk_bootstrap_brokers_path: msk?.bootstrapParameterName ?? null,
    ssm_msk_bootstrap_brokers_arn: msk?.bootstrapParameterArn ?? null,
    glue_schema_registry_name: schemas.registryName,
    glue_schema_registry_arn: schemas.registryArn,
    glue_schema_compatibility_mode: schemas.compatibility,
    glue_anchor_schema_arn: schemas.anchorSchemaArn,
    kafka_topic_names: catalog.map((t) => (msk ? topicHandles[t.handle] : t.name)),
    kafka_topics_managed: p.topicsManaged,
    stream_access_policies: p.accessPolicies,
    streaming_handle_materialization: {
      ...materialization,
      MSK_BOOTSTRAP_BROKERS_SASL_IAM: msk
        ? deferred(
            "a secret (DA-04): exported as the secret output MSK_BOOTSTRAP_BROKERS_SASL_IAM and published in SSM_MSK_BOOTSTRAP_BROKERS_PATH, kept out of this plain map",
          )
        : mskDown,
      MSK_CLIENT_SUBNET_IDS: clientSubnetIds,
      MSK_SECURITY_GROUP_ID: mskSecurityGroupId,
    },
  });
}
