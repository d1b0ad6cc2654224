import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arns } from "../src/iam/arns";
import * as random from "@pulumi/random";
import { HandlerAppSettings, IngressEnvelope, envelopeProblems, handlerStaticEnvironment, integrationTimeoutMs, routeKeys } from "../src/ingress/envelope";
import { StatementSpec, s3PrefixStatements, serviceTrust, ssmReadStatements } from "../src/iam/policy";
import { workloadEgressSpecs } from "../src/network/workloadEgress";
import { Tags } from "../src/tags";
import { WorkloadRole } from "./workloadRole";
import { declareWorkloadEgress } from "./workloadSecurityGroup";

export interface IngressEdgeArgs {
  /** The registry-pinned envelope: names, limits, routes (src/ingress/envelope.ts). */
  envelope: IngressEnvelope;
  /** Handler settings that are not pinned (run id, Kafka client, modes). */
  app: HandlerAppSettings;
  /** The handler package and how to run it. */
  code: {
    /** Artifacts bucket (core's s3_bucket_names.artifacts). */
    bucket: pulumi.Input<string>;
    /** Key of the .zip under the Lambda prefix (validated by the stack). */
    key: string;
    handler: string;
    runtime: aws.lambda.Runtime;
    architecture: "x86_64" | "arm64";
  };
  /** Placement of the VPC-attached function. */
  network: {
    vpcId: pulumi.Input<string>;
    /** CIDRs of those private subnets (the environment's network.privateSubnetCidrs): egress to endpoints and MSK. */
    privateSubnetCidrs: string[];
    /** Private subnets (core's private_subnet_ids). */
    subnetIds: pulumi.Input<string[]>;
    /** Prefix lists of the S3 and DynamoDB gateway endpoints (egress is scoped to them). */
    gatewayPrefixListIds: pulumi.Input<Record<"s3" | "dynamodb", string>>;
    /** MSK Serverless SASL/IAM port (MSK_IAM_PORT). */
    mskPort: number;
    /** Physical name of the function's security group (LAMBDA_IG_SECURITY_GROUP_NAME). */
    securityGroupName: string;
  };
  /** Names of the edge's log groups and their retention. */
  logs: { accessLogGroupName: string; functionLogGroupName: string; retentionDays: number };
  /** Physical names of the two edge identities (registry role names). */
  roleNames: { execution: string; invoke: string };
  /** Platform KMS key: table, queue and API-key encryption. */
  kmsKeyArn: pulumi.Input<string>;
  /** Account and region, for exact SSM parameter ARNs. */
  accountId: pulumi.Input<string>;
  region: string;
  /** Object store (core): the handler writes quarantined payloads under `quarantine/` only. */
  objectStore: { bucketName: pulumi.Input<string>; bucketArn: pulumi.Input<string> };
  /** The streaming layer's stream-access policy document (JSON) for the `ig` lane; absent while the bus is down. */
  streamAccessPolicyJson?: pulumi.Input<string>;
  /** Bump to rotate the API key (a new one is generated and written to SSM). */
  apiKeyGeneration: number;
  /** Point-in-time recovery of the idempotency table. */
  pointInTimeRecovery: boolean;
  /** Per-route CloudWatch metrics on the stage. */
  detailedMetrics: boolean;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

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
export const IDEMPOTENCY_TABLE_ACTIONS = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem", "dynamodb:Query"];

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
 * The ingress edge (phase P4/P5 ingress): an HTTP API with stage `v1` and two routes proxying to a VPC-attached
 * Lambda, an idempotency table, an SQS dead-letter queue and an API key held only in SSM, each encrypted with
 * the platform key, plus the edge's two identities (one role per workload: the handler writes the idempotency
 * table with its own execution role). Fixes against the reference:
 * route keys without the stage segment, a generated (never literal) API key that survives applies, a KMS
 * queue, one invoke path (the credentials role, no redundant resource permission), managed log groups under
 * `/fraud-platform/dev_full/` with retention, and egress limited to the VPC endpoints, MSK and the gateway
 * prefix lists.
 */
export class IngressEdge extends pulumi.ComponentResource {
  readonly apiId: pulumi.Output<string>;
  /** Base URL of the API, without the stage. */
  readonly apiEndpoint: pulumi.Output<string>;
  /** Base URL of the stage (`.../v1`), what clients call (IG_BASE_URL). */
  readonly baseUrl: pulumi.Output<string>;
  readonly stageName: pulumi.Output<string>;
  readonly routeKeys: pulumi.Output<string[]>;
  readonly integrationTimeoutMs: pulumi.Output<number>;
  readonly functionName: pulumi.Output<string>;
  readonly functionArn: pulumi.Output<string>;
  readonly tableName: pulumi.Output<string>;
  readonly tableArn: pulumi.Output<string>;
  readonly queueName: pulumi.Output<string>;
  readonly queueUrl: pulumi.Output<string>;
  readonly queueArn: pulumi.Output<string>;
  readonly apiKeyParameterName: pulumi.Output<string>;
  readonly accessLogGroupName: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;
  readonly executionRoleArn: pulumi.Output<string>;
  readonly invokeRoleArn: pulumi.Output<string>;

  constructor(name: string, args: IngressEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:runtime:IngressEdge", name, {}, opts);
    const e = args.envelope;
    const problems = envelopeProblems(e);
    if (problems.length) throw new Error(`${name}: the ingress envelope in registry/handles.yaml is inconsistent: ${problems.join("; ")}`);
    const tags = (resource: string, extra: Tags = {}): Tags => ({ ...args.tags, ...extra, fp_resource: resource });
    const child = { parent: this };

    // --- State: idempotency table, dead-letter queue, API key --------------------------------------------------
    const table = new aws.dynamodb.Table(
      `${name}-idempotency`,
      {
        name: e.tableName,
        billingMode: "PAY_PER_REQUEST",
        hashKey: e.hashKey,
        attributes: [{ name: e.hashKey, type: "S" }],
        ttl: { attributeName: e.ttlAttribute, enabled: true },
        pointInTimeRecovery: { enabled: args.pointInTimeRecovery },
        serverSideEncryption: { enabled: true, kmsKeyArn: args.kmsKeyArn },
        // Idempotency keys expire by TTL (3 days); P17 destroys the table with the rest of the runtime layer.
        deletionProtectionEnabled: false,
        tags: tags("ig_idempotency_table", { Name: e.tableName }),
      },
      child,
    );
    const queue = new aws.sqs.Queue(
      `${name}-dlq`,
      {
        name: e.queueName,
        kmsMasterKeyId: args.kmsKeyArn,
        kmsDataKeyReusePeriodSeconds: 300,
        messageRetentionSeconds: DLQ_RETENTION_SECONDS,
        tags: tags("ig_dlq", { Name: e.queueName }),
      },
      child,
    );
    // ARNs composed from the names the program chose (known at preview, so the PR's preview judges the policies
    // and the handler's environment); the names are the resources' own inputs, so the dependencies stay.
    const scope = { region: args.region, accountId: args.accountId };
    const tableArn = arns.dynamodbTable(scope, table.name);
    const queueArn = arns.sqsQueue(scope, queue.name);
    // Generated once and kept in state: applies never reset it (the reference rewrote a seed literal every apply).
    const apiKey = new random.RandomPassword(
      `${name}-api-key`,
      { length: 48, special: false, keepers: { generation: String(args.apiKeyGeneration) } },
      { ...child, additionalSecretOutputs: ["result"] },
    );
    const apiKeyParameter = new aws.ssm.Parameter(
      `${name}-api-key`,
      {
        name: e.apiKeyParameterPath,
        description: `API key of the ingress edge (header ${e.authHeaderName}); rotate with runtime.ingress.apiKeyGeneration`,
        type: "SecureString",
        keyId: args.kmsKeyArn,
        value: pulumi.secret(apiKey.result),
        tier: "Standard",
        dataType: "text",
        tags: tags("ig_api_key"),
      },
      child,
    );

    // --- Logs ---------------------------------------------------------------------------------------------------
    const accessLogs = new aws.cloudwatch.LogGroup(
      `${name}-access-logs`,
      { name: args.logs.accessLogGroupName, retentionInDays: args.logs.retentionDays, kmsKeyId: args.kmsKeyArn, tags: tags("ig_api_access_logs") },
      child,
    );
    const functionLogs = new aws.cloudwatch.LogGroup(
      `${name}-handler-logs`,
      { name: args.logs.functionLogGroupName, retentionInDays: args.logs.retentionDays, kmsKeyId: args.kmsKeyArn, tags: tags("ig_lambda_logs") },
      child,
    );

    // --- Network: no ingress; egress to the endpoints and MSK in the VPC, and to S3/DynamoDB gateways ------------
    const sg = new aws.ec2.SecurityGroup(
      `${name}-handler-sg`,
      { name: args.network.securityGroupName, description: "Ingress Lambda: no ingress; egress to VPC endpoints, MSK and S3/DynamoDB gateways", vpcId: args.network.vpcId, tags: tags("ig_lambda_sg", { Name: args.network.securityGroupName }) },
      child,
    );
    declareWorkloadEgress(name, sg.id, workloadEgressSpecs(args.network.privateSubnetCidrs, { msk: args.network.mskPort }), args.network.gatewayPrefixListIds, args.tags, child);

    // --- Identities: one role per workload ----------------------------------------------------------------------
    const executionRole = new WorkloadRole(
      `${name}-lambda-execution`,
      {
        roleName: args.roleNames.execution,
        trust: serviceTrust("lambda.amazonaws.com"),
        statements: [
          ...idempotencyTableStatements("Idempotency", tableArn, args.kmsKeyArn, args.region),
          { sid: "DlqSend", actions: ["sqs:SendMessage"], resources: [queueArn] },
          { sid: "DlqKms", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [args.kmsKeyArn], conditions: { StringEquals: { "kms:ViaService": `sqs.${args.region}.amazonaws.com` } } },
          // The API key and the MSK bootstrap string only (the reference's IRSA roles could read the whole tree).
          ...ssmReadStatements({ sid: "Ig", region: args.region, accountId: args.accountId, parameterPaths: [e.apiKeyParameterPath, args.app.bootstrapParameterPath], kmsKeyArn: args.kmsKeyArn }),
          ...s3PrefixStatements({ sid: "Quarantine", bucketArn: args.objectStore.bucketArn, prefix: "quarantine/", access: "readwrite" }),
          { sid: "ObjectStoreKms", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [args.kmsKeyArn], conditions: { StringEquals: { "kms:ViaService": `s3.${args.region}.amazonaws.com` } } },
          { sid: "HandlerLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [pulumi.interpolate`${arns.logGroup(scope, functionLogs.name)}:*`] },
          {
            sid: "VpcNetworkInterfaces",
            actions: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
            resources: ["*"],
            wildcardJustification: "Lambda manages the function's VPC network interfaces; EC2 Describe* calls have no resource-level scope and the ENI ids are not known in advance.",
          },
        ],
        // Produce/consume exactly the ig lane's catalog topics (built by the streaming layer from the catalog).
        extraPolicyJson: args.streamAccessPolicyJson ? { "stream-access-ig": args.streamAccessPolicyJson } : {},
        tags: args.tags,
      },
      child,
    );
    // --- Handler ------------------------------------------------------------------------------------------------
    const variables: Record<string, pulumi.Input<string>> = {
      ...handlerStaticEnvironment(e, args.app),
      IG_IDEMPOTENCY_TABLE: table.name,
      IG_DLQ_URL: arns.sqsQueueUrl(scope, queue.name),
      PLATFORM_STORE_ROOT: pulumi.interpolate`s3://${args.objectStore.bucketName}`,
    };
    const functionArgs: aws.lambda.FunctionArgs = {
      name: e.functionName,
      description: "fraud-platform ingestion gate (managed edge): admits, dedupes and publishes ingress events",
      role: executionRole.roleArn,
      runtime: args.code.runtime,
      handler: args.code.handler,
      architectures: [args.code.architecture],
      packageType: "Zip",
      s3Bucket: args.code.bucket,
      s3Key: args.code.key,
      memorySize: e.memoryMb,
      timeout: e.timeoutSeconds,
      reservedConcurrentExecutions: e.reservedConcurrency,
      vpcConfig: { subnetIds: args.network.subnetIds, securityGroupIds: [sg.id] },
      environment: { variables },
      loggingConfig: { logFormat: "JSON", logGroup: functionLogs.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
      tags: tags("ig_lambda_handler", { Name: e.functionName }),
    };
    // The role's policies (ENIs, logs) must exist before Lambda validates the VPC config.
    const handler = new aws.lambda.Function(`${name}-handler`, functionArgs, { ...child, dependsOn: [executionRole, functionLogs] });

    // --- API ----------------------------------------------------------------------------------------------------
    const invokeRole = new WorkloadRole(
      `${name}-apigw-invoke`,
      {
        roleName: args.roleNames.invoke,
        trust: serviceTrust("apigateway.amazonaws.com"),
        statements: [{ sid: "InvokeHandler", actions: ["lambda:InvokeFunction"], resources: [arns.lambdaFunction(scope, handler.name)] }],
        tags: args.tags,
      },
      child,
    );

    const api = new aws.apigatewayv2.Api(
      `${name}-api`,
      { name: e.apiName, protocolType: "HTTP", description: "fraud-platform ingress edge (API key checked by the handler)", tags: tags("ig_api_edge", { Name: e.apiName }) },
      child,
    );
    const timeoutMs = integrationTimeoutMs(e.requestTimeoutSeconds);
    const integration = new aws.apigatewayv2.Integration(
      `${name}-lambda`,
      {
        apiId: api.id,
        integrationType: "AWS_PROXY",
        integrationMethod: "POST",
        integrationUri: handler.arn,
        payloadFormatVersion: "2.0",
        timeoutMilliseconds: timeoutMs,
        // One invoke path: API Gateway assumes the invoke role (no additional resource-based permission).
        credentialsArn: invokeRole.roleArn,
      },
      { ...child, dependsOn: [invokeRole] },
    );
    const keys = routeKeys(e);
    const routes = Object.entries(keys).map(
      ([key, routeKey]) => new aws.apigatewayv2.Route(`${name}-${key}`, { apiId: api.id, routeKey, target: pulumi.interpolate`integrations/${integration.id}`, authorizationType: "NONE" }, child),
    );
    const stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: api.id,
        name: e.stageName,
        autoDeploy: true,
        defaultRouteSettings: { throttlingRateLimit: e.throttleRateLimit, throttlingBurstLimit: e.throttleBurstLimit, detailedMetricsEnabled: args.detailedMetrics },
        accessLogSettings: { destinationArn: arns.logGroup(scope, accessLogs.name), format: ACCESS_LOG_FORMAT },
        tags: tags("ig_api_stage"),
      },
      { ...child, dependsOn: routes },
    );

    this.apiId = api.id;
    this.apiEndpoint = api.apiEndpoint;
    this.baseUrl = pulumi.interpolate`${api.apiEndpoint}/${stage.name}`;
    this.stageName = stage.name;
    this.routeKeys = pulumi.all(routes.map((r) => r.routeKey));
    this.integrationTimeoutMs = integration.timeoutMilliseconds.apply((t) => t ?? timeoutMs);
    this.functionName = handler.name;
    this.functionArn = handler.arn;
    this.tableName = table.name;
    this.tableArn = tableArn;
    this.queueName = queue.name;
    this.queueUrl = queue.url;
    this.queueArn = queueArn;
    this.apiKeyParameterName = apiKeyParameter.name;
    this.accessLogGroupName = accessLogs.name;
    this.securityGroupId = sg.id;
    this.executionRoleArn = executionRole.roleArn;
    this.invokeRoleArn = invokeRole.roleArn;
    this.registerOutputs({
      apiId: this.apiId,
      apiEndpoint: this.apiEndpoint,
      baseUrl: this.baseUrl,
      stageName: this.stageName,
      routeKeys: this.routeKeys,
      integrationTimeoutMs: this.integrationTimeoutMs,
      functionName: this.functionName,
      functionArn: this.functionArn,
      tableName: this.tableName,
      tableArn: this.tableArn,
      queueName: this.queueName,
      queueUrl: this.queueUrl,
      queueArn: this.queueArn,
      apiKeyParameterName: this.apiKeyParameterName,
      accessLogGroupName: this.accessLogGroupName,
      securityGroupId: this.securityGroupId,
      executionRoleArn: this.executionRoleArn,
      invokeRoleArn: this.invokeRoleArn,
    });
  }
}
