/**
 * Compliant fixtures of the streaming layer's resource types for policy tests (same shape as policyFixtures:
 * build a compliant resource, mutate one field, evaluate with the plan's harness).
 */
import { PropertyMap } from "../../src/plan/previewDocument";
import { loadRegistry } from "../../src/registry/registry";
import { TopicSpec } from "../../src/registry/schema";
import { TAGS } from "./policyFixtures";

export const STREAMING_TAGS = { ...TAGS, fp_stack: "streaming" };
export const PLATFORM_KEY_ARN = "arn:aws:kms:eu-west-2:123456789012:key/0567e6a2-3213-46fa-a50d-0eb2441b9fb9";

export const CLUSTER = "aws:msk/serverlessCluster:ServerlessCluster";
export const PARAMETER = "aws:ssm/parameter:Parameter";
export const TOPIC = "kafka:index/topic:Topic";
export const GLUE_REGISTRY = "aws:glue/registry:Registry";
export const GLUE_SCHEMA = "aws:glue/schema:Schema";

export const catalog = (): readonly TopicSpec[] => loadRegistry().topics();

export const streamingCompliant = {
  cluster: (): PropertyMap => ({
    clusterName: "fraud-platform-dev-full-msk",
    clientAuthentication: { sasl: { iam: { enabled: true } } },
    vpcConfigs: [{ subnetIds: ["subnet-0aaa", "subnet-0bbb"], securityGroupIds: ["sg-0ccc"] }],
    tags: { ...STREAMING_TAGS, Name: "fraud-platform-dev-full-msk" },
  }),
  parameter: (name = "/fraud-platform/dev_full/msk/bootstrap_brokers"): PropertyMap => ({
    name,
    type: "SecureString",
    keyId: PLATFORM_KEY_ARN,
    value: "boot-abcd1234.c1.kafka-serverless.eu-west-2.amazonaws.com:9098",
    tags: STREAMING_TAGS,
  }),
  topic: (t: TopicSpec): PropertyMap => ({
    name: t.name,
    partitions: t.partitions,
    replicationFactor: 3,
    config: { "retention.ms": String(t.retention_ms), "cleanup.policy": t.cleanup_policy },
  }),
  glueRegistry: (): PropertyMap => ({ registryName: "fraud-platform-dev-full", tags: STREAMING_TAGS }),
  glueSchema: (): PropertyMap => ({
    registryArn: "arn:aws:glue:eu-west-2:123456789012:registry/fraud-platform-dev-full",
    schemaName: "fp-bus-control-v1-envelope",
    dataFormat: "JSON",
    compatibility: "BACKWARD",
    schemaDefinition: "{}",
    tags: STREAMING_TAGS,
  }),
};
