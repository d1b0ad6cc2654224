/**
 * Mocks of the streaming layer's types: MSK Serverless (its id is its ARN; the cluster uuid carries its `-s<n>`
 * suffix), the bootstrap parameter, the Glue schema registry and schemas, and Kafka topics.
 */
import { ResourceTable, hex, uuid } from "./resource";

export const STREAMING_RESOURCES: ResourceTable = {
  "aws:msk/serverlessCluster:ServerlessCluster": (_args, { seed, name, region, arn }) => {
    const clusterUuid = `${uuid(seed)}-s1`;
    const clusterArn = arn("kafka", `cluster/${name}/${clusterUuid}`);
    return {
      id: clusterArn,
      state: { clusterUuid, arn: clusterArn, bootstrapBrokersSaslIam: `boot-${hex(`${seed}:boot`, 8)}.c1.kafka-serverless.${region.code}.amazonaws.com:9098` },
    };
  },
  "aws:ssm/parameter:Parameter": (_args, { inputs, name, arn }) => ({
    id: name,
    state: {
      arn: arn("ssm", `parameter${name.startsWith("/") ? "" : "/"}${name}`),
      version: 1,
      tier: inputs.tier ?? "Standard",
      dataType: inputs.dataType ?? "text",
    },
  }),
  "aws:glue/registry:Registry": (_args, { name, arn }) => {
    const registryArn = arn("glue", `registry/${name}`);
    return { id: registryArn, state: { arn: registryArn } };
  },
  "aws:glue/schema:Schema": (args, { inputs, arn }) => {
    const registryName =
      String(inputs.registryArn ?? "")
        .split("/")
        .pop() ?? "";
    const schemaArn = arn("glue", `schema/${registryName}/${String(inputs.schemaName ?? args.name)}`);
    return { id: schemaArn, state: { registryName, arn: schemaArn, schemaCheckpoint: 1, latestSchemaVersion: 1, nextSchemaVersion: 2 } };
  },
  "kafka:index/topic:Topic": (_args, { name }) => ({ id: name, state: {} }),
};
