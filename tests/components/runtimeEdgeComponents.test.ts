/** Pure parts of the runtime edge-and-data components (no mocks needed). */
import {
  ACCESS_LOG_FORMAT,
  IDEMPOTENCY_TABLE_ACTIONS,
  executionRoleStatements,
  handlerFunctionArgs,
  idempotencyTableStatements,
} from "../../components/ingressEdge";
import { auroraArgsProblems, auroraInstanceArgs } from "../../components/auroraServerlessCluster";
import { GATEWAY_SERVICES, interfaceServiceProblems, serviceKey } from "../../components/privateEndpoints";
import { redisTopology, replicationGroupArgs } from "../../components/redisCache";
import { policyDocument } from "../../src/iam/policy";
import { HandlerAppSettings, envelopeFromRegistry } from "../../src/ingress/envelope";
import { loadRegistry } from "../../src/registry/registry";

describe("PrivateEndpoints helpers", () => {
  it("accepts the reference's eight services and names them for logical names", () => {
    expect(interfaceServiceProblems(["ec2", "ecr.api", "ecr.dkr", "execute-api", "logs", "sqs", "ssm", "sts"])).toEqual([]);
    expect(serviceKey("ecr.api")).toBe("ecr-api");
  });
  it("rejects gateway services, duplicates and malformed names", () => {
    expect(interfaceServiceProblems(["s3", "sts", "sts", "ECR API"])).toEqual([
      "s3 is a gateway endpoint here (free, on the route table), not an interface endpoint",
      "sts is listed twice",
      '"ECR API" is not an AWS service endpoint name',
    ]);
    expect(GATEWAY_SERVICES).toEqual(["s3", "dynamodb"]);
  });
});

describe("RedisCache topology", () => {
  it("turns failover and Multi-AZ on only with a replica", () => {
    expect(redisTopology(1)).toEqual({ numCacheClusters: 1, automaticFailoverEnabled: false, multiAzEnabled: false });
    expect(redisTopology(2)).toEqual({ numCacheClusters: 2, automaticFailoverEnabled: true, multiAzEnabled: true });
    expect(() => redisTopology(0)).toThrow(/1\.\.6/);
  });
});

describe("IngressEdge helpers", () => {
  it("grants table access without deletes, and the key only through DynamoDB", () => {
    const doc = policyDocument(
      idempotencyTableStatements("Idempotency", "arn:aws:dynamodb:eu-west-2:123456789012:table/t", "arn:aws:kms:eu-west-2:123456789012:key/k", "eu-west-2"),
    );
    expect(IDEMPOTENCY_TABLE_ACTIONS.some((a) => a.includes("Delete"))).toBe(false);
    expect((doc.Statement as unknown[])[1]).toMatchObject({ Condition: { StringEquals: { "kms:ViaService": "dynamodb.eu-west-2.amazonaws.com" } } });
  });
  it("logs the reference's eleven access-log fields as JSON", () => {
    expect(Object.keys(JSON.parse(ACCESS_LOG_FORMAT))).toEqual([
      "request_id",
      "api_id",
      "stage",
      "route_key",
      "status",
      "integration_status",
      "integration_error_message",
      "response_latency_ms",
      "response_length",
      "source_ip",
      "request_time",
    ]);
  });
});

describe("IngressEdge pure parts: the execution role's statements and the handler's function", () => {
  const envelope = envelopeFromRegistry(loadRegistry());
  const app: HandlerAppSettings = {
    profileId: "dev_full",
    region: "eu-west-2",
    runIdEnvKey: "REQUIRED_PLATFORM_RUN_ID",
    requiredPlatformRunId: "platform_20260101T000000Z",
    bootstrapParameterPath: "/fraud-platform/dev_full/msk/bootstrap_brokers",
    kafkaRequestTimeoutMs: 10000,
    kafkaPublishRetries: 3,
    receiptStorageMode: "s3",
    healthBusProbeMode: "describe",
    policyActivationAuditMode: "off",
  };
  const objectStore = { bucketName: "fraud-platform-dev-full-object-store", bucketArn: "arn:aws:s3:::fraud-platform-dev-full-object-store" };

  it("grants the table without deletes, the DLQ, two parameters, quarantine/ only and the handler's own logs", () => {
    const specs = executionRoleStatements(
      { envelope, app, kmsKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/k", region: "eu-west-2", accountId: "123456789012", objectStore },
      { tableArn: "arn:table", queueArn: "arn:queue", functionLogGroupArn: "arn:logs" },
    );
    const actions = specs.flatMap((s) => s.actions);
    expect(actions.filter((a) => /Delete(Item|Object)|^s3:\*|^\*$/.test(a))).toEqual([]);
    expect(specs.filter((s) => s.resources.includes("*")).map((s) => s.sid)).toEqual(["VpcNetworkInterfaces"]);
    expect(specs.find((s) => s.sid === "DlqSend")).toEqual({ sid: "DlqSend", actions: ["sqs:SendMessage"], resources: ["arn:queue"] });
    const ssm = specs.filter((s) => s.actions.includes("ssm:GetParameter"));
    expect(ssm).toHaveLength(1);
    expect(ssm[0].resources).toHaveLength(2);
    expect(() => policyDocument(specs)).not.toThrow();
  });

  it("sizes the handler from the envelope, places it privately and gives it names, never credentials", () => {
    const fn = handlerFunctionArgs(
      {
        envelope,
        app,
        objectStore,
        tags: { project: "fraud-platform" },
        code: { bucket: "artifacts", key: "lambda/ig_handler/ig.zip", handler: "app.handler", runtime: "python3.12", architecture: "arm64" },
        network: {
          vpcId: "vpc-1",
          privateSubnetCidrs: ["10.0.0.0/24"],
          subnetIds: ["subnet-a"],
          gatewayPrefixListIds: { s3: "pl-s3", dynamodb: "pl-ddb" },
          mskPort: 9098,
          securityGroupName: "sg",
        },
      },
      "arn:role",
      "sg-1",
      { table: "tbl", queueUrl: "https://sqs/q", functionLogGroup: "/fraud-platform/dev_full/lambda/ig" },
    );
    expect(fn).toMatchObject({
      name: envelope.functionName,
      memorySize: envelope.memoryMb,
      timeout: envelope.timeoutSeconds,
      reservedConcurrentExecutions: envelope.reservedConcurrency,
      role: "arn:role",
    });
    expect(fn.vpcConfig).toEqual({ subnetIds: ["subnet-a"], securityGroupIds: ["sg-1"] });
    expect(fn.tags).toEqual({ project: "fraud-platform", Name: envelope.functionName, fp_resource: "ig_lambda_handler" });
    const variables = (fn.environment as { variables: Record<string, unknown> }).variables;
    expect(variables).toMatchObject({ IG_IDEMPOTENCY_TABLE: "tbl", IG_DLQ_URL: "https://sqs/q" });
    expect(Object.keys(variables).filter((k) => /PASSWORD|SECRET|TOKEN|API_KEY$/.test(k))).toEqual([]);
  });
});

describe("AuroraServerlessCluster pure parts", () => {
  it("refuses another engine and a cluster without a reader", () => {
    expect(auroraArgsProblems({ engine: "aurora-postgresql", readerCount: 1 })).toEqual([]);
    expect(auroraArgsProblems({ engine: "aurora-mysql", readerCount: 0 })).toEqual([
      'engine must be aurora-postgresql (AURORA_ENGINE), got "aurora-mysql"',
      "readerCount must be a whole number >= 1 (DA-58: writer + reader), got 0",
    ]);
  });

  it("makes instance 0 the private writer (tier 0) and the others readers (tier 1) in their own zones", () => {
    const refs = { clusterId: "c", engineVersion: "16.4", availabilityZone: "eu-west-2b", subnetGroupName: "sn" };
    const args = { clusterIdentifier: "fraud-platform-dev-full-aurora", tags: { project: "fraud-platform" } };
    expect(auroraInstanceArgs(args, 0, refs)).toMatchObject({
      identifier: "fraud-platform-dev-full-aurora-writer",
      promotionTier: 0,
      publiclyAccessible: false,
      instanceClass: "db.serverless",
    });
    expect(auroraInstanceArgs(args, 1, refs)).toMatchObject({
      identifier: "fraud-platform-dev-full-aurora-reader-1",
      promotionTier: 1,
      availabilityZone: "eu-west-2b",
      tags: { project: "fraud-platform", Name: "fraud-platform-dev-full-aurora-reader-1", fp_resource: "aurora_reader" },
    });
  });
});

describe("RedisCache replication group args", () => {
  it("encrypts in transit (required) and at rest under the platform key, with the AUTH token passed in", () => {
    const args = {
      replicationGroupId: "fraud-platform-dev-full-redis",
      nodeType: "cache.t4g.micro",
      nodeCount: 1,
      engineVersion: "7.1",
      snapshotRetentionDays: 1,
      preferredMaintenanceWindow: "sun:03:00-sun:04:00",
      vpcId: "vpc-1",
      clientCidrs: ["10.0.0.0/24"],
      subnetIds: ["subnet-a"],
      kmsKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/k",
      securityGroupName: "sg",
      endpointParameterPath: "/fraud-platform/dev_full/redis/endpoint",
      authTokenParameterPath: "/fraud-platform/dev_full/redis/auth_token",
      tags: { project: "fraud-platform" },
    };
    expect(replicationGroupArgs(args, { subnetGroupName: "sn", securityGroupId: "sg-1", authToken: "t" })).toMatchObject({
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      atRestEncryptionEnabled: true,
      kmsKeyId: args.kmsKeyArn,
      authToken: "t",
      securityGroupIds: ["sg-1"],
      numCacheClusters: 1,
      automaticFailoverEnabled: false,
      tags: { project: "fraud-platform", Name: "fraud-platform-dev-full-redis", fp_resource: "redis_replication_group" },
    });
  });
});
