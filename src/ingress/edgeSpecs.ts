/** The ingress edge's pure parts: its access log format, the idempotency table and execution role statements, and the handler function's args. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { handlerStaticEnvironment } from "../ingress/envelope";
import { StatementSpec, s3PrefixStatements, ssmReadStatements } from "../iam/policy";
import type { IngressEdgeArgs } from "../../components/ingressEdge";

/** JSON access log line of the stage: the reference's 11 fields. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  request_id: "$context.requestId",
  api_id: "$context.apiId",
  stage: "$context.stage",
  route_key: "$context.routeKey",
  status: "$context.status",
  integration_status: "$context.integrationStatus",
  integration_error_message: "$context.integrationErrorMessage",
  response_latency_ms: "$context.responseLatency",
  response_length: "$context.responseLength",
  source_ip: "$context.identity.sourceIp",
  request_time: "$context.requestTime",
});

/** Messages wait this long in the DLQ for the replay workflow (SQS maximum, 14 days). */
export const DLQ_RETENTION_SECONDS = 1_209_600;

/** Data-plane actions on the idempotency table: conditional admission writes, reads; never deletes (TTL expires items). */
export const IDEMPOTENCY_TABLE_ACTIONS = [
  "dynamodb:DescribeTable",
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:Query",
];

/** Table access plus the platform key through DynamoDB (the table is encrypted with it). */
export function idempotencyTableStatements(sid: string, tableArn: pulumi.Input<string>, kmsKeyArn: pulumi.Input<string>, region: string): StatementSpec[] {
  return [
    { sid: `${sid}Table`, actions: IDEMPOTENCY_TABLE_ACTIONS, resources: [tableArn] },
    {
      sid: `${sid}TableKms`,
      actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      resources: [kmsKeyArn],
      conditions: { StringEquals: { "kms:ViaService": `dynamodb.${region}.amazonaws.com` } },
    },
  ];
}

/**
 * What the handler's execution role may do: the idempotency table (no deletes), the DLQ, the API key and the MSK
 * bootstrap parameter only, `quarantine/` of the object store, its own log group, and its VPC network interfaces.
 */
export function executionRoleStatements(
  args: Pick<IngressEdgeArgs, "envelope" | "app" | "kmsKeyArn" | "region" | "accountId" | "objectStore">,
  refs: { tableArn: pulumi.Input<string>; queueArn: pulumi.Input<string>; functionLogGroupArn: pulumi.Input<string> },
): StatementSpec[] {
  const viaService = (service: string) => ({ StringEquals: { "kms:ViaService": `${service}.${args.region}.amazonaws.com` } });
  return [
    ...idempotencyTableStatements("Idempotency", refs.tableArn, args.kmsKeyArn, args.region),
    { sid: "DlqSend", actions: ["sqs:SendMessage"], resources: [refs.queueArn] },
    { sid: "DlqKms", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [args.kmsKeyArn], conditions: viaService("sqs") },
    // The API key and the MSK bootstrap string only (the reference's IRSA roles could read the whole tree).
    ...ssmReadStatements({
      sid: "Ig",
      region: args.region,
      accountId: args.accountId,
      parameterPaths: [args.envelope.apiKeyParameterPath, args.app.bootstrapParameterPath],
      kmsKeyArn: args.kmsKeyArn,
    }),
    ...s3PrefixStatements({ sid: "Quarantine", bucketArn: args.objectStore.bucketArn, prefix: "quarantine/", access: "readwrite" }),
    { sid: "ObjectStoreKms", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [args.kmsKeyArn], conditions: viaService("s3") },
    { sid: "HandlerLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [pulumi.interpolate`${refs.functionLogGroupArn}:*`] },
    {
      sid: "VpcNetworkInterfaces",
      actions: [
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSubnets",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
      ],
      resources: ["*"],
      wildcardJustification:
        "Lambda manages the function's VPC network interfaces; EC2 Describe* calls have no resource-level scope and the ENI ids are not known in advance.",
    },
  ];
}

/** The handler's function: the envelope's sizing, the package, the private placement, and an environment of names only. */
export function handlerFunctionArgs(
  args: Pick<IngressEdgeArgs, "envelope" | "app" | "code" | "network" | "objectStore" | "tags">,
  roleArn: pulumi.Input<string>,
  securityGroupId: pulumi.Input<string>,
  refs: { table: pulumi.Input<string>; queueUrl: pulumi.Input<string>; functionLogGroup: pulumi.Input<string> },
): aws.lambda.FunctionArgs {
  const e = args.envelope;
  const variables: Record<string, pulumi.Input<string>> = {
    ...handlerStaticEnvironment(e, args.app),
    IG_IDEMPOTENCY_TABLE: refs.table,
    IG_DLQ_URL: refs.queueUrl,
    PLATFORM_STORE_ROOT: pulumi.interpolate`s3://${args.objectStore.bucketName}`,
  };
  return {
    name: e.functionName,
    description: "fraud-platform ingestion gate (managed edge): admits, dedupes and publishes ingress events",
    role: roleArn,
    runtime: args.code.runtime,
    handler: args.code.handler,
    architectures: [args.code.architecture],
    packageType: "Zip",
    s3Bucket: args.code.bucket,
    s3Key: args.code.key,
    memorySize: e.memoryMb,
    timeout: e.timeoutSeconds,
    reservedConcurrentExecutions: e.reservedConcurrency,
    vpcConfig: { subnetIds: args.network.subnetIds, securityGroupIds: [securityGroupId] },
    environment: { variables },
    loggingConfig: { logFormat: "JSON", logGroup: refs.functionLogGroup, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
    tags: { ...args.tags, Name: e.functionName, fp_resource: "ig_lambda_handler" },
  };
}
