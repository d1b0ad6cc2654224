/**
 * Compliant fixtures of the runtime edge-and-data resource types for policy tests (same shape as policyFixtures:
 * build a compliant resource, mutate one field, evaluate with the plan's harness). Values mirror what
 * stacks/runtimeParts/ (data stores, ingress, orchestration) declares.
 */
import { PropertyMap, REDACTED, ResourceState, SECRET_SIG, SIG_KEY } from "../../src/plan/previewDocument";
import { TAGS, resource, urnOf } from "./policyFixtures";

export const RUNTIME_TAGS = { ...TAGS, fp_stack: "runtime" };
export const KEY_ARN = "arn:aws:kms:eu-west-2:123456789012:key/0567e6a2-3213-46fa-a50d-0eb2441b9fb9";
/** A secret as a preview document carries it. */
export const SECRET = { [SIG_KEY]: SECRET_SIG, value: REDACTED };

export const T = {
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  cluster: "aws:rds/cluster:Cluster",
  instance: "aws:rds/clusterInstance:ClusterInstance",
  rdsInstance: "aws:rds/instance:Instance",
  password: "random:index/randomPassword:RandomPassword",
  replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
  cacheCluster: "aws:elasticache/cluster:Cluster",
  serverlessCache: "aws:elasticache/serverlessCache:ServerlessCache",
  mskServerless: "aws:msk/serverlessCluster:ServerlessCluster",
  ecsService: "aws:ecs/service:Service",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  lambda: "aws:lambda/function:Function",
  api: "aws:apigatewayv2/api:Api",
  stage: "aws:apigatewayv2/stage:Stage",
  integration: "aws:apigatewayv2/integration:Integration",
  route: "aws:apigatewayv2/route:Route",
  table: "aws:dynamodb/table:Table",
  queue: "aws:sqs/queue:Queue",
  parameter: "aws:ssm/parameter:Parameter",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  managedPolicy: "aws:iam/policy:Policy",
  stateMachine: "aws:sfn/stateMachine:StateMachine",
} as const;

/** The ingress handler's environment as the stack sets it. */
export function handlerEnv(): Record<string, string> {
  return {
    IG_IDEMPOTENCY_TABLE: "fraud-platform-dev-full-ig-idempotency",
    IG_HASH_KEY: "dedupe_key",
    IG_TTL_ATTRIBUTE: "ttl_epoch",
    IG_API_KEY_PATH: "/fraud-platform/dev_full/ig/api_key",
    IG_AUTH_MODE: "api_key",
    IG_AUTH_HEADER_NAME: "X-IG-Api-Key",
    IG_MAX_REQUEST_BYTES: "1048576",
    IG_REQUEST_TIMEOUT_SECONDS: "30",
    IG_INTERNAL_RETRY_MAX_ATTEMPTS: "3",
    IG_INTERNAL_RETRY_BACKOFF_MS: "250",
    IG_IDEMPOTENCY_TTL_SECONDS: "259200",
    IG_RATE_LIMIT_RPS: "3000",
    IG_RATE_LIMIT_BURST: "6000",
    IG_DLQ_URL: "https://sqs.eu-west-2.amazonaws.com/123456789012/fraud-platform-dev-full-ig-dlq",
    KAFKA_BOOTSTRAP_BROKERS_PARAM_PATH: "/fraud-platform/dev_full/msk/bootstrap_brokers",
    PLATFORM_STORE_ROOT: "s3://fraud-platform-dev-full-object-store",
    REQUIRED_PLATFORM_RUN_ID: "no-active-run",
  };
}

export const runtimeCompliant = {
  securityGroup: (): PropertyMap => ({
    name: "fraud-platform-dev-full-aurora-sg",
    vpcId: "vpc-0abc",
    ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.70.0.0/16"] }],
    tags: RUNTIME_TAGS,
  }),
  ingressRule: (): PropertyMap => ({ securityGroupId: "sg-0abc", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.70.0.0/16", tags: RUNTIME_TAGS }),
  sgRule: (): PropertyMap => ({ type: "ingress", securityGroupId: "sg-0abc", protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["10.70.0.0/16"] }),
  cluster: (): PropertyMap => ({
    clusterIdentifier: "fraud-platform-dev-full-aurora",
    engine: "aurora-postgresql",
    engineMode: "provisioned",
    engineVersion: "16.6",
    databaseName: "fraud_platform",
    masterUsername: "fp_runtime",
    masterPassword: SECRET,
    dbSubnetGroupName: "fraud-platform-dev-full-aurora",
    storageEncrypted: true,
    kmsKeyId: KEY_ARN,
    serverlessv2ScalingConfiguration: { minCapacity: 0.5, maxCapacity: 8 },
    tags: RUNTIME_TAGS,
  }),
  instance: (role: string, zone: string): PropertyMap => ({
    identifier: `fraud-platform-dev-full-aurora-${role}`,
    clusterIdentifier: "fraud-platform-dev-full-aurora",
    engine: "aurora-postgresql",
    instanceClass: "db.serverless",
    availabilityZone: zone,
    publiclyAccessible: false,
    tags: RUNTIME_TAGS,
  }),
  replicationGroup: (): PropertyMap => ({
    replicationGroupId: "fraud-platform-dev-full-redis",
    description: "redis",
    engine: "redis",
    nodeType: "cache.t4g.micro",
    numCacheClusters: 1,
    subnetGroupName: "fraud-platform-dev-full-redis",
    transitEncryptionEnabled: true,
    atRestEncryptionEnabled: true,
    kmsKeyId: KEY_ARN,
    authToken: SECRET,
    tags: RUNTIME_TAGS,
  }),
  handler: (): PropertyMap => ({
    name: "fraud-platform-dev-full-ig-handler",
    role: "arn:aws:iam::123456789012:role/fraud-platform-dev-full-lambda-ig-execution",
    runtime: "python3.12",
    memorySize: 2048,
    timeout: 30,
    reservedConcurrentExecutions: 600,
    environment: { variables: handlerEnv() },
    tags: RUNTIME_TAGS,
  }),
  api: (): PropertyMap => ({ name: "fraud-platform-dev-full-ig-edge", protocolType: "HTTP", tags: RUNTIME_TAGS }),
  stage: (): PropertyMap => ({
    apiId: "abc123defg",
    name: "v1",
    defaultRouteSettings: { throttlingRateLimit: 3000, throttlingBurstLimit: 6000 },
    tags: RUNTIME_TAGS,
  }),
  integration: (): PropertyMap => ({ apiId: "abc123defg", integrationType: "AWS_PROXY", payloadFormatVersion: "2.0", timeoutMilliseconds: 30000 }),
  route: (routeKey: string): PropertyMap => ({ apiId: "abc123defg", routeKey, target: "integrations/abc1234" }),
  table: (): PropertyMap => ({
    name: "fraud-platform-dev-full-ig-idempotency",
    billingMode: "PAY_PER_REQUEST",
    hashKey: "dedupe_key",
    attributes: [{ name: "dedupe_key", type: "S" }],
    ttl: { attributeName: "ttl_epoch", enabled: true },
    tags: RUNTIME_TAGS,
  }),
  queue: (): PropertyMap => ({ name: "fraud-platform-dev-full-ig-dlq", kmsMasterKeyId: KEY_ARN, tags: RUNTIME_TAGS }),
  apiKeyParameter: (): PropertyMap => ({
    name: "/fraud-platform/dev_full/ig/api_key",
    type: "SecureString",
    keyId: KEY_ARN,
    value: SECRET,
    tags: RUNTIME_TAGS,
  }),
  rolePolicy: (statements: unknown[]): PropertyMap => ({
    role: "fraud-platform-dev-full-lambda-ig-execution",
    name: "least-privilege",
    policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
  }),
  taskDefinition: (environment: Array<{ name: string; value: string }>): PropertyMap => ({
    family: "fraud-platform-dev-full-wsp-ephemeral",
    containerDefinitions: JSON.stringify([
      {
        name: "app",
        image: "repo@sha256:abc",
        environment,
        secrets: [{ name: "IG_API_KEY_VALUE", valueFrom: "arn:aws:ssm:eu-west-2:123456789012:parameter/fraud-platform/dev_full/ig/api_key" }],
      },
    ]),
    tags: RUNTIME_TAGS,
  }),
};

/** The ingress edge as one set of resources with the stack's dependencies (stage/routes/integration -> API). */
export function ingressEdgeResources(
  overrides: Partial<Record<"api" | "stage" | "integration" | "ingest" | "health" | "handler" | "table" | "queue", PropertyMap | null>> = {},
): ResourceState[] {
  const apiUrn = urnOf(T.api, "ig-edge-api");
  const pick = (key: keyof typeof overrides, fallback: PropertyMap) => (key in overrides ? overrides[key] : fallback);
  const entries: Array<[string, string, PropertyMap | null | undefined, string[]]> = [
    [T.api, "ig-edge-api", pick("api", runtimeCompliant.api()), []],
    [T.stage, "ig-edge-stage", pick("stage", runtimeCompliant.stage()), [apiUrn]],
    [T.integration, "ig-edge-lambda", pick("integration", runtimeCompliant.integration()), [apiUrn]],
    [T.route, "ig-edge-ingest", pick("ingest", runtimeCompliant.route("POST /ingest/push")), [apiUrn]],
    [T.route, "ig-edge-health", pick("health", runtimeCompliant.route("GET /ops/health")), [apiUrn]],
    [T.lambda, "ig-edge-handler", pick("handler", runtimeCompliant.handler()), []],
    [T.table, "ig-edge-idempotency", pick("table", runtimeCompliant.table()), []],
    [T.queue, "ig-edge-dlq", pick("queue", runtimeCompliant.queue()), []],
  ];
  return entries.filter(([, , inputs]) => inputs).map(([type, name, inputs, dependencies]) => resource(type, name, inputs as PropertyMap, { dependencies }));
}
