/**
 * The runtime layer's private network, data stores and ingress edge as `npm run plan` sees it: core, streaming and runtime
 * planned in child processes (one plan per file), then the resources of stacks/runtime.md §3.1-3.3 with their
 * fixes of the defects the reference inventory lists, every handle these parts export, and the policy verdict of their rules.
 */
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../policies/pack";
import { PlanResult } from "../../src/plan/engine";
import { evaluatePolicies } from "../../src/policy/harness";
import { LayerPlan, PreviewDocument, PropertyMap, RecordedResource, SECRET_SIG, SIG_KEY, isSecretValue } from "../../src/plan/previewDocument";
import { loadRegistry } from "../../src/registry/registry";
import { sharedPlan } from "../helpers/sharedPlan";

const registry = loadRegistry();
const RUNTIME_A_RULES = [
  "da-15-no-open-ingress",
  "da-16-private-data-stores-and-compute",
  "da-20-no-admin-workload-roles",
  "da-23-env-holds-no-credentials",
  "da-23-db-password-generated-secret",
  "da-51-ingress-edge-envelope",
  "da-52-idempotency-table-keys",
  "da-53-api-key-in-ssm-only",
  "da-58-aurora-serverless-v2-pinned",
  "da-58-aurora-multi-az-instances",
  "da-59-redis-encrypted",
  "da-62-no-local-endpoints",
];

let outDir: string;
let result: PlanResult;
let runtime: LayerPlan;
let core: LayerPlan;
let streaming: LayerPlan;

beforeAll(async () => {
  ({ result, outDir } = await sharedPlan(["core", "streaming", "runtime"]));
  const plans = Object.fromEntries(result.outcomes.map((o) => [o.layer, o.plan]));
  if (!plans.runtime || !plans.core || !plans.streaming)
    throw new Error(`runtime plan failed: ${JSON.stringify(result.outcomes.map((o) => [o.layer, o.status, o.failure?.message]))}`);
  [core, streaming, runtime] = [plans.core, plans.streaming, plans.runtime];
});

const ofType = (type: string, pred: (r: RecordedResource) => boolean = () => true): RecordedResource[] =>
  runtime.resources.filter((r) => r.type === type && pred(r));
const one = (type: string, pred: (r: RecordedResource) => boolean = () => true): RecordedResource => {
  const found = ofType(type, pred);
  expect(found).toHaveLength(1);
  return found[0];
};
const named = (type: string, name: string) => one(type, (r) => r.name === name);
const parentOf = (r: RecordedResource) => runtime.resources.find((p) => p.urn === r.parent);
const out = (plan: LayerPlan, key: string) => plan.outputs[key];
/** The S3 and DynamoDB gateway endpoints' prefix lists, as the runtime layer exports them. */
const prefixLists = () => out(runtime, "runtime_gateway_prefix_list_ids") as { s3: string; dynamodb: string };
const secret = expect.objectContaining({ [SIG_KEY]: SECRET_SIG });
const wrapped = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
const policyJson = (r: RecordedResource) => JSON.parse(String(r.inputs.policy)) as { Statement: Array<Record<string, unknown>> };
const statements = (roleName: string) =>
  ofType("aws:iam/rolePolicy:RolePolicy", (p) => p.name === `${roleName}-least-privilege`).flatMap((p) => policyJson(p).Statement);

describe("runtime stack (edge and data)", () => {
  it("plans with zero violations of the runtime edge-and-data rules, each evaluated (not skipped as unknown)", () => {
    expect(result.outcomes.map((o) => [o.stackName, o.status])).toEqual([
      ["dev-full-core", "planned"],
      ["dev-full-streaming", "planned"],
      ["dev-full-runtime", "planned"],
    ]);
    const ours = result.policy.violations.filter((v) => RUNTIME_A_RULES.includes(v.policy));
    expect(ours).toEqual([]);
    // Only the EKS lane's TO_PIN learning role may block this plan (it fails closed until pinned).
    expect(result.blockers.map((b) => b.handle)).toEqual(result.blockers.length ? ["ROLE_EKS_IRSA_LEARNING"] : []);
  });

  it("applies the stack-level rules to the plan's real structure: a broken stage or a single-zone reader fires", async () => {
    const preview = JSON.parse(fs.readFileSync(path.join(outDir, "dev-full-runtime.preview.json"), "utf8")) as PreviewDocument;
    for (const step of preview.steps) {
      const state = step.newState;
      if (state?.type === "aws:apigatewayv2/stage:Stage") (state.inputs.defaultRouteSettings as PropertyMap).throttlingRateLimit = 200;
      if (state?.type === "aws:rds/clusterInstance:ClusterInstance") state.inputs.availabilityZone = "eu-west-2a";
    }
    const ours = policies.filter((p) => RUNTIME_A_RULES.includes(p.name));
    const report = await evaluatePolicies([preview], { name: "runtime-a", enforcementLevel: "mandatory", policies: ours });
    expect(report.violations.map((v) => [v.policy, v.enforcementLevel])).toEqual([
      ["da-51-ingress-edge-envelope", "mandatory"],
      ["da-58-aurora-multi-az-instances", "mandatory"],
    ]);
  });

  it("puts an interface endpoint per configured service in the private subnets, private DNS on, behind an HTTPS-from-VPC group", () => {
    const services = ["ec2", "ecr.api", "ecr.dkr", "execute-api", "logs", "sqs", "ssm", "sts"];
    const sg = named("aws:ec2/securityGroup:SecurityGroup", "runtime-endpoints-sg");
    expect(sg.inputs.name).toBe("fraud-platform-dev-full-runtime-endpoints-sg");
    const interfaces = ofType("aws:ec2/vpcEndpoint:VpcEndpoint", (e) => e.inputs.vpcEndpointType === "Interface");
    expect(interfaces.map((e) => e.inputs.serviceName)).toEqual(services.map((s) => `com.amazonaws.eu-west-2.${s}`));
    for (const e of interfaces) {
      expect(e.inputs).toMatchObject({
        privateDnsEnabled: true,
        subnetIds: out(core, "private_subnet_ids"),
        securityGroupIds: [sg.id],
        vpcId: out(core, "vpc_id"),
      });
    }
    const sgRules = runtime.resources.filter((r) => r.type.startsWith("aws:vpc/securityGroup") && r.inputs.securityGroupId === sg.id);
    expect(sgRules.map((r) => [r.type, r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4])).toEqual([
      ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "tcp", 443, 443, "10.70.128.0/20"],
      ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "tcp", 443, 443, "10.70.144.0/20"],
    ]);
    const gateways = ofType("aws:ec2/vpcEndpoint:VpcEndpoint", (e) => e.inputs.vpcEndpointType === "Gateway");
    expect(gateways.map((g) => [g.inputs.serviceName, g.inputs.routeTableIds])).toEqual([
      ["com.amazonaws.eu-west-2.s3", [out(core, "private_route_table_id")]],
      ["com.amazonaws.eu-west-2.dynamodb", [out(core, "private_route_table_id")]],
    ]);
  });

  it("builds Aurora Serverless v2 from the registry: 0.5-8 ACU, platform-key storage, private, writer and reader in two zones", () => {
    const cluster = one("aws:rds/cluster:Cluster");
    expect(cluster.inputs).toMatchObject({
      clusterIdentifier: "fraud-platform-dev-full-aurora",
      engine: "aurora-postgresql",
      engineMode: "provisioned",
      engineVersion: "16.6",
      databaseName: "fraud_platform",
      masterUsername: "fp_runtime",
      masterPassword: secret,
      serverlessv2ScalingConfiguration: { minCapacity: 0.5, maxCapacity: 8 },
      storageEncrypted: true,
      kmsKeyId: out(core, "kms_key_arn"),
      dbSubnetGroupName: "fraud-platform-dev-full-aurora",
      deletionProtection: false,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: "fraud-platform-dev-full-aurora-final",
      enabledCloudwatchLogsExports: ["postgresql"],
      engineLifecycleSupport: "open-source-rds-extended-support-disabled",
    });
    expect(cluster.inputs.dbClusterParameterGroupName).toBeUndefined();
    const password = one("random:index/randomPassword:RandomPassword", (r) => r.name === "aurora-master-password");
    expect(cluster.dependencies).toContain(password.urn);
    expect(one("aws:rds/subnetGroup:SubnetGroup").inputs).toMatchObject({ name: "fraud-platform-dev-full-aurora", subnetIds: out(core, "private_subnet_ids") });
    const instances = ofType("aws:rds/clusterInstance:ClusterInstance");
    expect(
      instances.map((i) => [i.inputs.identifier, i.inputs.instanceClass, i.inputs.availabilityZone, i.inputs.publiclyAccessible, i.inputs.promotionTier]),
    ).toEqual([
      ["fraud-platform-dev-full-aurora-writer", "db.serverless", "eu-west-2a", false, 0],
      ["fraud-platform-dev-full-aurora-reader-1", "db.serverless", "eu-west-2b", false, 1],
    ]);
    const sg = named("aws:ec2/securityGroup:SecurityGroup", "aurora-sg");
    expect(sg.inputs.name).toBe("fraud-platform-dev-full-aurora-sg");
    expect(cluster.inputs.vpcSecurityGroupIds).toEqual([sg.id]);
    const auroraIngress = runtime.resources.filter(
      (r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.securityGroupId === sg.id,
    );
    expect(auroraIngress.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4])).toEqual([
      [5432, 5432, "10.70.128.0/20"],
      [5432, 5432, "10.70.144.0/20"],
    ]);
    expect(named("aws:cloudwatch/logGroup:LogGroup", "aurora-postgresql-logs").inputs).toMatchObject({
      name: "/aws/rds/cluster/fraud-platform-dev-full-aurora/postgresql",
      retentionInDays: 14,
    });
  });

  it("publishes Aurora's connection handles to SSM, the password only as a SecureString under the platform key", () => {
    const params: Record<string, PropertyMap> = Object.fromEntries(
      ofType("aws:ssm/parameter:Parameter", (p) => String(p.inputs.name).includes("/aurora/")).map((p) => [String(p.inputs.name), p.inputs]),
    );
    expect(Object.keys(params).sort()).toEqual(["endpoint", "password", "reader_endpoint", "username"].map((k) => `/fraud-platform/dev_full/aurora/${k}`));
    expect(params["/fraud-platform/dev_full/aurora/password"]).toMatchObject({ type: "SecureString", keyId: out(core, "kms_key_arn"), value: secret });
    // The SDK marks every parameter value secret; the plain ones carry the endpoints and the user name.
    expect(params["/fraud-platform/dev_full/aurora/endpoint"]).toMatchObject({
      type: "String",
      value: wrapped(expect.stringMatching(/^fraud-platform-dev-full-aurora\.cluster-[0-9a-f]+\.eu-west-2\.rds\.amazonaws\.com$/)),
    });
    expect(params["/fraud-platform/dev_full/aurora/reader_endpoint"]).toMatchObject({
      type: "String",
      value: wrapped(expect.stringContaining(".cluster-ro-")),
    });
    expect(params["/fraud-platform/dev_full/aurora/username"]).toMatchObject({ type: "String", value: wrapped("fp_runtime") });
    for (const p of Object.values(params)) expect(p.overwrite).toBeUndefined();
  });

  it("builds Redis as one encrypted cache.t4g.micro node with a generated AUTH token held only in SSM", () => {
    const group = one("aws:elasticache/replicationGroup:ReplicationGroup");
    expect(group.inputs).toMatchObject({
      replicationGroupId: "fraud-platform-dev-full-redis",
      engine: "redis",
      nodeType: "cache.t4g.micro",
      numCacheClusters: 1,
      automaticFailoverEnabled: false,
      multiAzEnabled: false,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      atRestEncryptionEnabled: true,
      kmsKeyId: out(core, "kms_key_arn"),
      authToken: secret,
      subnetGroupName: "fraud-platform-dev-full-redis",
      port: 6379,
    });
    expect(one("aws:elasticache/subnetGroup:SubnetGroup").inputs.subnetIds).toEqual(out(core, "private_subnet_ids"));
    const redisSg = named("aws:ec2/securityGroup:SecurityGroup", "redis-sg");
    const redisIngress = runtime.resources.filter(
      (r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.securityGroupId === redisSg.id,
    );
    expect(redisIngress.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4])).toEqual([
      [6379, 6379, "10.70.128.0/20"],
      [6379, 6379, "10.70.144.0/20"],
    ]);
    expect(named("aws:ssm/parameter:Parameter", "redis-endpoint").inputs).toMatchObject({
      name: "/fraud-platform/dev_full/redis/endpoint",
      type: "String",
      value: wrapped(expect.stringMatching(/^master\.fraud-platform-dev-full-redis\..*:6379$/)),
    });
    expect(named("aws:ssm/parameter:Parameter", "redis-auth-token").inputs).toMatchObject({
      name: "/fraud-platform/dev_full/redis/auth_token",
      type: "SecureString",
      keyId: out(core, "kms_key_arn"),
      value: secret,
    });
  });

  it("serves stage v1 of the HTTP API with route keys free of the stage, throttled 3000/6000, JSON access logs kept 14 days", () => {
    const api = one("aws:apigatewayv2/api:Api");
    expect(api.inputs).toMatchObject({ name: "fraud-platform-dev-full-ig-edge", protocolType: "HTTP" });
    expect(ofType("aws:apigatewayv2/route:Route").map((r) => r.inputs.routeKey)).toEqual(["POST /ingest/push", "GET /ops/health"]);
    const stage = one("aws:apigatewayv2/stage:Stage");
    expect(stage.inputs).toMatchObject({
      name: "v1",
      autoDeploy: true,
      defaultRouteSettings: { throttlingRateLimit: 3000, throttlingBurstLimit: 6000, detailedMetricsEnabled: false },
    });
    const accessLogs = named("aws:cloudwatch/logGroup:LogGroup", "ig-edge-access-logs");
    expect(accessLogs.inputs).toMatchObject({ name: "/fraud-platform/dev_full/apigateway/ig-edge-v1-access", retentionInDays: 14 });
    const stageLogs = stage.inputs.accessLogSettings as PropertyMap;
    expect(stageLogs.destinationArn).toBe(`arn:aws:logs:eu-west-2:123456789012:log-group:${String(accessLogs.inputs.name)}`);
    expect(Object.keys(JSON.parse(String(stageLogs.format)))).toHaveLength(11);
    const integration = one("aws:apigatewayv2/integration:Integration");
    expect(integration.inputs).toMatchObject({
      integrationType: "AWS_PROXY",
      payloadFormatVersion: "2.0",
      timeoutMilliseconds: 30000,
      credentialsArn: out(runtime, "ROLE_APIGW_IG_INVOKE"),
    });
    // One invoke path: the credentials role; no redundant resource-based permission, no hand-named log resource policy.
    expect(ofType("aws:lambda/permission:Permission")).toEqual([]);
    expect(ofType("aws:cloudwatch/logResourcePolicy:LogResourcePolicy")).toEqual([]);
  });

  it("runs the handler in the private subnets from the configured artifact, with the pinned envelope and only SSM paths in its environment", () => {
    const fn = one("aws:lambda/function:Function", (f) => f.inputs.name === "fraud-platform-dev-full-ig-handler");
    expect(fn.inputs).toMatchObject({
      memorySize: 2048,
      timeout: 30,
      reservedConcurrentExecutions: 600,
      runtime: "python3.12",
      s3Bucket: "fraud-platform-dev-full-artifacts",
      s3Key: expect.stringMatching(/^artifacts\/lambda\/ig_handler\/.+\.zip$/),
      vpcConfig: { subnetIds: out(core, "private_subnet_ids"), securityGroupIds: [named("aws:ec2/securityGroup:SecurityGroup", "ig-edge-handler-sg").id] },
      loggingConfig: { logGroup: "/fraud-platform/dev_full/lambda/ig-handler", logFormat: "JSON" },
    });
    const env = (fn.inputs.environment as { variables: Record<string, unknown> }).variables;
    expect(env).toMatchObject({
      IG_API_KEY_PATH: "/fraud-platform/dev_full/ig/api_key",
      KAFKA_BOOTSTRAP_BROKERS_PARAM_PATH: "/fraud-platform/dev_full/msk/bootstrap_brokers",
      IG_IDEMPOTENCY_TABLE: "fraud-platform-dev-full-ig-idempotency",
      IG_MAX_REQUEST_BYTES: "1048576",
      IG_IDEMPOTENCY_TTL_SECONDS: "259200",
      IG_RATE_LIMIT_RPS: "3000",
      REQUIRED_PLATFORM_RUN_ID: "no-active-run",
      PLATFORM_CONFIG_REVISION: expect.stringMatching(/^sha256:[0-9a-f]{12}$/),
      PLATFORM_STORE_ROOT: "s3://fraud-platform-dev-full-object-store",
    });
    expect(Object.values(env).filter(isSecretValue)).toEqual([]);
    expect(named("aws:cloudwatch/logGroup:LogGroup", "ig-edge-handler-logs").inputs.retentionInDays).toBe(14);
  });

  it("gives the handler no ingress and egress only to the S3/DynamoDB prefix lists and, in the private subnets, the endpoints and MSK", () => {
    const sg = named("aws:ec2/securityGroup:SecurityGroup", "ig-edge-handler-sg");
    expect(sg.inputs.name).toBe("fraud-platform-dev-full-ig-handler-sg");
    const rules = runtime.resources.filter((r) => r.type.startsWith("aws:vpc/securityGroup") && r.inputs.securityGroupId === sg.id);
    expect(rules.every((r) => r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")).toBe(true);
    expect(rules.map((r) => [r.inputs.fromPort, r.inputs.cidrIpv4 ?? r.inputs.prefixListId]).sort()).toEqual(
      [
        [443, prefixLists().s3],
        [443, prefixLists().dynamodb],
        [443, "10.70.128.0/20"],
        [443, "10.70.144.0/20"],
        [9098, "10.70.128.0/20"],
        [9098, "10.70.144.0/20"],
      ].sort(),
    );
  });

  it("keeps the idempotency table, the DLQ and the API key under the platform key", () => {
    expect(one("aws:dynamodb/table:Table").inputs).toMatchObject({
      name: "fraud-platform-dev-full-ig-idempotency",
      billingMode: "PAY_PER_REQUEST",
      hashKey: "dedupe_key",
      attributes: [{ name: "dedupe_key", type: "S" }],
      ttl: { attributeName: "ttl_epoch", enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: out(core, "kms_key_arn") },
      deletionProtectionEnabled: false,
    });
    expect(one("aws:sqs/queue:Queue").inputs).toMatchObject({
      name: "fraud-platform-dev-full-ig-dlq",
      kmsMasterKeyId: out(core, "kms_key_arn"),
      messageRetentionSeconds: 1209600,
    });
    expect(named("aws:ssm/parameter:Parameter", "ig-edge-api-key").inputs).toMatchObject({
      name: "/fraud-platform/dev_full/ig/api_key",
      type: "SecureString",
      keyId: out(core, "kms_key_arn"),
      value: secret,
    });
    expect(named("random:index/randomPassword:RandomPassword", "ig-edge-api-key").inputs).toMatchObject({
      length: 48,
      special: false,
      keepers: { generation: "1" },
    });
  });

  it("gives each edge workload its own least-privilege role, reading exactly the SSM parameters it needs and the ig lane's topics", () => {
    const roles = Object.fromEntries(
      ofType("aws:iam/role:Role", (r) => parentOf(r)?.name.startsWith("ig-edge-") ?? false).map((r) => [
        r.inputs.name,
        JSON.parse(String(r.inputs.assumeRolePolicy)).Statement[0].Principal.Service,
      ]),
    );
    expect(roles).toEqual({
      "fraud-platform-dev-full-lambda-ig-execution": "lambda.amazonaws.com",
      "fraud-platform-dev-full-apigw-ig-invoke": "apigateway.amazonaws.com",
    });
    // No table-only role: the handler is the table's one writer (decision 0009).
    expect(ofType("aws:iam/role:Role", (r) => r.inputs.name === "fraud-platform-dev-full-ddb-ig-idempotency-rw")).toEqual([]);
    const execution = statements("ig-edge-lambda-execution");
    const ssmRead = execution.find((s) => s.Sid === "IgSsmRead");
    expect(ssmRead?.Resource).toEqual([
      "arn:aws:ssm:eu-west-2:123456789012:parameter/fraud-platform/dev_full/ig/api_key",
      "arn:aws:ssm:eu-west-2:123456789012:parameter/fraud-platform/dev_full/msk/bootstrap_brokers",
    ]);
    const allActions = execution.flatMap((s) => s.Action as string[]);
    expect(allActions.filter((a) => /^s3:Delete|^dynamodb:DeleteItem$|\*$/.test(a))).toEqual([]);
    const wildcards = execution.filter((s) => (s.Resource as string[]).includes("*"));
    expect(wildcards.map((s) => s.Sid)).toEqual(["VpcNetworkInterfaces"]);
    const laneDoc = named("aws:iam/rolePolicy:RolePolicy", "ig-edge-lambda-execution-stream-access-ig");
    expect(JSON.parse(String(laneDoc.inputs.policy))).toEqual(JSON.parse((out(streaming, "stream_access_policies") as Record<string, string>).ig));
    expect(statements("ig-edge-apigw-invoke")).toEqual([
      expect.objectContaining({ Action: ["lambda:InvokeFunction"], Resource: [out(runtime, "lambda_ig_handler_arn")] }),
    ]);
    // The handler is the table's writer: its own role holds the table statements (no DeleteItem).
    expect(
      statements("ig-edge-lambda-execution")
        .filter((s) => String(s.Sid).startsWith("IdempotencyTable"))
        .map((s) => s.Sid),
    ).toEqual(["IdempotencyTable", "IdempotencyTableKms"]);
    expect(ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment", (a) => parentOf(a)?.name.startsWith("ig-edge-") ?? false)).toEqual([]);
  });

  it("exports every handle of the edge, data stores and private network under its registry name, with the values it names", () => {
    const edgeAndData = [
      ...[
        "APIGW_IG_API_NAME",
        "APIGW_IG_API_ID",
        "APIGW_IG_STAGE",
        "APIGW_IG_ACCESS_LOG_GROUP_NAME",
        "IG_BASE_URL",
        "LAMBDA_IG_HANDLER_NAME",
        "LAMBDA_IG_LOG_GROUP_NAME",
        "LAMBDA_IG_SECURITY_GROUP_NAME",
      ],
      ...[
        "DDB_IG_IDEMPOTENCY_TABLE",
        "IG_DLQ_QUEUE_NAME",
        "SSM_IG_API_KEY_PATH",
        "ROLE_LAMBDA_IG_EXECUTION",
        "ROLE_APIGW_IG_INVOKE",
        "ROLE_DDB_IG_IDEMPOTENCY_RW",
      ],
      ...["AURORA_CLUSTER_IDENTIFIER", "AURORA_DB_NAME", "AURORA_SECURITY_GROUP_NAME", "AURORA_POSTGRESQL_LOG_GROUP_NAME"],
      ...["SSM_AURORA_ENDPOINT_PATH", "SSM_AURORA_READER_ENDPOINT_PATH", "SSM_AURORA_USERNAME_PATH", "SSM_AURORA_PASSWORD_PATH"],
      ...[
        "REDIS_CLUSTER_NAME",
        "REDIS_SECURITY_GROUP_NAME",
        "SSM_REDIS_ENDPOINT_PATH",
        "SSM_REDIS_AUTH_TOKEN_PATH",
        "RUNTIME_ENDPOINTS_SECURITY_GROUP_NAME",
        "RUNTIME_WORKLOADS_SECURITY_GROUP_NAME",
      ],
    ];
    // Every one is a runtime handle of the registry.
    const ours = registry.exportedBy("runtime").filter((h) => edgeAndData.includes(h.name));
    expect(ours.map((h) => h.name).sort()).toEqual([...edgeAndData].sort());
    // The removed table role is the one deferred handle of these parts (decision 0009).
    expect(out(runtime, "ROLE_DDB_IG_IDEMPOTENCY_RW")).toBeNull();
    expect((out(runtime, "deferred_handles") as Record<string, string>).ROLE_DDB_IG_IDEMPOTENCY_RW).toMatch(/0009-idempotency-table-role-removed/);
    for (const h of ours.filter((x) => x.name !== "ROLE_DDB_IG_IDEMPOTENCY_RW")) {
      const value = out(runtime, h.name);
      if (h.kind === "materialized_output") expect([h.name, typeof value]).toEqual([h.name, "string"]);
      else expect([h.name, value]).toEqual([h.name, h.value]);
    }
    expect(out(runtime, "ROLE_LAMBDA_IG_EXECUTION")).toBe("arn:aws:iam::123456789012:role/fraud-platform-dev-full-lambda-ig-execution");
    expect(out(runtime, "APIGW_IG_API_ID")).toMatch(/^[0-9a-z]{10}$/);
    expect(out(runtime, "IG_BASE_URL")).toBe(`https://${String(out(runtime, "APIGW_IG_API_ID"))}.execute-api.eu-west-2.amazonaws.com/v1`);
  });

  it("exports the reference's snake_case outputs, paths in plain and no secret value anywhere in its outputs", () => {
    expect(runtime.outputs).toMatchObject({
      apigw_ig_route_keys: ["POST /ingest/push", "GET /ops/health"],
      apigw_ig_integration_timeout_ms: 30000,
      apigw_ig_stage_throttle_rps: 3000,
      apigw_ig_stage_throttle_burst: 6000,
      ssm_aurora_password_path: "/fraud-platform/dev_full/aurora/password",
      aurora_instance_identifiers: ["fraud-platform-dev-full-aurora-writer", "fraud-platform-dev-full-aurora-reader-1"],
      runtime_path_governance_contract: { PHASE_RUNTIME_PATH_MODE: "single_active_path_per_phase_run", PHASE_RUNTIME_PATH_PIN_REQUIRED: true },
    });
    expect(Object.keys(runtime.outputs.runtime_interface_vpc_endpoint_ids as PropertyMap)).toHaveLength(8);
    expect(runtime.outputs.runtime_s3_gateway_vpc_endpoint_id).toMatch(/^vpce-/);
    expect(runtime.outputs.runtime_dynamodb_gateway_vpc_endpoint_id).toMatch(/^vpce-/);
    expect(runtime.secretOutputNames).toEqual([]);
    const written = fs.readFileSync(path.join(outDir, "dev-full-runtime.outputs.json"), "utf8");
    expect(written).not.toContain("[secret]");
  });
});
