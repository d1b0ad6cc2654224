import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arns } from "../src/iam/arns";
import * as random from "@pulumi/random";
import { HandlerAppSettings, IngressEnvelope, envelopeProblems, integrationTimeoutMs, routeKeys } from "../src/ingress/envelope";
import { serviceTrust } from "../src/iam/policy";
import { workloadEgressSpecs } from "../src/network/workloadEgress";
import { Tags } from "../src/tags";
import { WorkloadRole } from "./workloadRole";
import { declareWorkloadEgress } from "./workloadSecurityGroup";
import { ACCESS_LOG_FORMAT, DLQ_RETENTION_SECONDS, executionRoleStatements, handlerFunctionArgs } from "../src/ingress/edgeSpecs";
export {
  ACCESS_LOG_FORMAT,
  DLQ_RETENTION_SECONDS,
  IDEMPOTENCY_TABLE_ACTIONS,
  idempotencyTableStatements,
  executionRoleStatements,
  handlerFunctionArgs,
} from "../src/ingress/edgeSpecs";

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
    const problems = envelopeProblems(args.envelope);
    if (problems.length) throw new Error(`${name}: the ingress envelope in registry/handles.yaml is inconsistent: ${problems.join("; ")}`);
    const child = { parent: this };
    const scope = { region: args.region, accountId: args.accountId };
    const state = declareEdgeState(name, args, child);
    const logs = declareEdgeLogs(name, args, child);
    const sg = declareHandlerSecurityGroup(name, args, child);
    // ARNs composed from the names the program chose (known at preview, so the PR's preview judges the policies
    // and the handler's environment); the names are the resources' own inputs, so the dependencies stay.
    const tableArn = arns.dynamodbTable(scope, state.table.name);
    const queueArn = arns.sqsQueue(scope, state.queue.name);
    const executionRole = new WorkloadRole(
      `${name}-lambda-execution`,
      {
        roleName: args.roleNames.execution,
        trust: serviceTrust("lambda.amazonaws.com"),
        statements: executionRoleStatements(args, { tableArn, queueArn, functionLogGroupArn: arns.logGroup(scope, logs.functionLogs.name) }),
        // Produce/consume exactly the ig lane's catalog topics (built by the streaming layer from the catalog).
        extraPolicyJson: args.streamAccessPolicyJson ? { "stream-access-ig": args.streamAccessPolicyJson } : {},
        tags: args.tags,
      },
      child,
    );
    const environment = { table: state.table.name, queueUrl: arns.sqsQueueUrl(scope, state.queue.name), functionLogGroup: logs.functionLogs.name };
    // The role's policies (ENIs, logs) must exist before Lambda validates the VPC config.
    const handler = new aws.lambda.Function(`${name}-handler`, handlerFunctionArgs(args, executionRole.roleArn, sg.id, environment), {
      ...child,
      dependsOn: [executionRole, logs.functionLogs],
    });
    const { api, integration, routes, stage, invokeRole } = declareEdgeApi(name, args, handler, logs.accessLogs, child);
    const timeoutMs = integrationTimeoutMs(args.envelope.requestTimeoutSeconds);

    this.apiId = api.id;
    this.apiEndpoint = api.apiEndpoint;
    this.baseUrl = pulumi.interpolate`${api.apiEndpoint}/${stage.name}`;
    this.stageName = stage.name;
    this.routeKeys = pulumi.all(routes.map((r) => r.routeKey));
    this.integrationTimeoutMs = integration.timeoutMilliseconds.apply((t) => t ?? timeoutMs);
    this.functionName = handler.name;
    this.functionArn = handler.arn;
    this.tableName = state.table.name;
    this.tableArn = tableArn;
    this.queueName = state.queue.name;
    this.queueUrl = state.queue.url;
    this.queueArn = queueArn;
    this.apiKeyParameterName = state.apiKeyParameter.name;
    this.accessLogGroupName = logs.accessLogs.name;
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

/** Resource tags of one edge resource: the layer's tags, extras, and which edge resource it is. */
function edgeTags(args: IngressEdgeArgs, resource: string, extra: Tags = {}): Tags {
  return { ...args.tags, ...extra, fp_resource: resource };
}

/** The edge's state: idempotency table, dead-letter queue, and the API key (generated, held in SSM only). */
function declareEdgeState(name: string, args: IngressEdgeArgs, child: pulumi.CustomResourceOptions) {
  const e = args.envelope;
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
      tags: edgeTags(args, "ig_idempotency_table", { Name: e.tableName }),
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
      tags: edgeTags(args, "ig_dlq", { Name: e.queueName }),
    },
    child,
  );
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
      tags: edgeTags(args, "ig_api_key"),
    },
    child,
  );
  return { table, queue, apiKeyParameter };
}

/** The stage's access log group and the handler's log group, with the pinned retention under the platform key. */
function declareEdgeLogs(name: string, args: IngressEdgeArgs, child: pulumi.CustomResourceOptions) {
  const group = (suffix: string, groupName: string, resource: string) =>
    new aws.cloudwatch.LogGroup(
      `${name}-${suffix}`,
      { name: groupName, retentionInDays: args.logs.retentionDays, kmsKeyId: args.kmsKeyArn, tags: edgeTags(args, resource) },
      child,
    );
  return {
    accessLogs: group("access-logs", args.logs.accessLogGroupName, "ig_api_access_logs"),
    functionLogs: group("handler-logs", args.logs.functionLogGroupName, "ig_lambda_logs"),
  };
}

/** The handler's security group: no ingress; egress to the endpoints and MSK in the VPC, and to S3/DynamoDB gateways. */
function declareHandlerSecurityGroup(name: string, args: IngressEdgeArgs, child: pulumi.CustomResourceOptions): aws.ec2.SecurityGroup {
  const net = args.network;
  const sg = new aws.ec2.SecurityGroup(
    `${name}-handler-sg`,
    {
      name: net.securityGroupName,
      description: "Ingress Lambda: no ingress; egress to VPC endpoints, MSK and S3/DynamoDB gateways",
      vpcId: net.vpcId,
      tags: edgeTags(args, "ig_lambda_sg", { Name: net.securityGroupName }),
    },
    child,
  );
  declareWorkloadEgress(name, sg.id, workloadEgressSpecs(net.privateSubnetCidrs, { msk: net.mskPort }), net.gatewayPrefixListIds, args.tags, child);
  return sg;
}

/** The HTTP API: the invoke role (the one invoke path), the Lambda proxy integration, the routes and the stage. */
function declareEdgeApi(
  name: string,
  args: IngressEdgeArgs,
  handler: aws.lambda.Function,
  accessLogs: aws.cloudwatch.LogGroup,
  child: pulumi.CustomResourceOptions,
) {
  const e = args.envelope;
  const scope = { region: args.region, accountId: args.accountId };
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
    {
      name: e.apiName,
      protocolType: "HTTP",
      description: "fraud-platform ingress edge (API key checked by the handler)",
      tags: edgeTags(args, "ig_api_edge", { Name: e.apiName }),
    },
    child,
  );
  const integration = new aws.apigatewayv2.Integration(
    `${name}-lambda`,
    {
      apiId: api.id,
      integrationType: "AWS_PROXY",
      integrationMethod: "POST",
      integrationUri: handler.arn,
      payloadFormatVersion: "2.0",
      timeoutMilliseconds: integrationTimeoutMs(e.requestTimeoutSeconds),
      // One invoke path: API Gateway assumes the invoke role (no additional resource-based permission).
      credentialsArn: invokeRole.roleArn,
    },
    { ...child, dependsOn: [invokeRole] },
  );
  const routes = Object.entries(routeKeys(e)).map(
    ([key, routeKey]) =>
      new aws.apigatewayv2.Route(
        `${name}-${key}`,
        { apiId: api.id, routeKey, target: pulumi.interpolate`integrations/${integration.id}`, authorizationType: "NONE" },
        child,
      ),
  );
  const stage = new aws.apigatewayv2.Stage(
    `${name}-stage`,
    {
      apiId: api.id,
      name: e.stageName,
      autoDeploy: true,
      defaultRouteSettings: {
        throttlingRateLimit: e.throttleRateLimit,
        throttlingBurstLimit: e.throttleBurstLimit,
        detailedMetricsEnabled: args.detailedMetrics,
      },
      accessLogSettings: { destinationArn: arns.logGroup(scope, accessLogs.name), format: ACCESS_LOG_FORMAT },
      tags: edgeTags(args, "ig_api_stage"),
    },
    { ...child, dependsOn: routes },
  );
  return { api, integration, routes, stage, invokeRole };
}
