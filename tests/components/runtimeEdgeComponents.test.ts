/** Pure parts of the runtime edge-and-data components (no mocks needed). */
import { ACCESS_LOG_FORMAT, IDEMPOTENCY_TABLE_ACTIONS, idempotencyTableStatements } from "../../components/ingressEdge";
import { GATEWAY_SERVICES, interfaceServiceProblems, serviceKey } from "../../components/privateEndpoints";
import { redisTopology } from "../../components/redisCache";
import { policyDocument } from "../../src/iam/policy";

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
    const doc = policyDocument(idempotencyTableStatements("Idempotency", "arn:aws:dynamodb:eu-west-2:123456789012:table/t", "arn:aws:kms:eu-west-2:123456789012:key/k", "eu-west-2"));
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
