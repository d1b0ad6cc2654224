/**
 * SB-40 AWS name limits: every row of the limits table stays quiet on a valid name and fires on one over its
 * length limit; the character and shape rules the issue names each fire with a message naming the property, the
 * offending length or character, the limit and the fix; unknown or absent names are skipped.
 */
import { PHYSICAL_NAME_PROPERTY } from "../../policies/lib/physicalNames";
import { NAME_LIMITS, NameLimit } from "../../policies/rules/awsLimits/nameLimits";
import { awsNameLimitPolicies, nameProblems, slugOf } from "../../policies/rules/awsLimits/names";
import { UNKNOWN } from "../../src/plan/previewDocument";
import { check, doc, resource } from "../helpers/policyFixtures";

/** A valid name per row (`type property`); every row needs one. */
const VALID: Record<string, string> = {
  "aws:s3/bucket:Bucket bucket": "fraud-platform-dev-full-object-store",
  "aws:s3/bucketV2:BucketV2 bucket": "fraud-platform-dev-full-artifacts",
  "aws:iam/role:Role name": "fraud-platform-dev-full-eks-nodegroup",
  "aws:iam/policy:Policy name": "fraud-platform-dev-full-ci@deploy",
  "aws:iam/rolePolicy:RolePolicy name": "least-privilege",
  "aws:elasticache/replicationGroup:ReplicationGroup replicationGroupId": "fraud-platform-dev-full-redis",
  "aws:elasticache/subnetGroup:SubnetGroup name": "fraud-platform-dev-full-redis",
  "aws:lambda/function:Function name": "fraud-platform-dev-full-ig_handler",
  "aws:lb/loadBalancer:LoadBalancer name": "fp-dev-full-ig-internal",
  "aws:alb/loadBalancer:LoadBalancer name": "fp-dev-full-ig",
  "aws:lb/targetGroup:TargetGroup name": "fp-dev-full-ig-tg",
  "aws:alb/targetGroup:TargetGroup name": "fp-dev-full-ig-tg",
  "aws:sqs/queue:Queue name": "fraud-platform-dev-full-ig-dlq",
  "aws:sns/topic:Topic name": "fraud-platform-dev-full-ops-alarms",
  "aws:rds/cluster:Cluster clusterIdentifier": "fraud-platform-dev-full-aurora",
  "aws:rds/cluster:Cluster finalSnapshotIdentifier": "fraud-platform-dev-full-aurora-final",
  "aws:rds/instance:Instance identifier": "fraud-platform-dev-full-db",
  "aws:rds/clusterInstance:ClusterInstance identifier": "fraud-platform-dev-full-aurora-writer",
  "aws:rds/subnetGroup:SubnetGroup name": "fraud-platform-dev-full-aurora",
  "aws:ssm/parameter:Parameter name": "/fraud-platform/dev_full/msk/bootstrap_brokers",
  "eks:index:Cluster name": "fraud-platform-dev-full",
  "aws:eks/cluster:Cluster name": "fraud-platform-dev-full",
  "aws:glue/catalogDatabase:CatalogDatabase name": "fraud_platform_dev_full_ofs",
  "aws:glue/catalogTable:CatalogTable name": "ofs_features_v1",
  "aws:glue/job:Job name": "fraud-platform-dev-full-ofs-build",
  "aws:glue/registry:Registry registryName": "fraud-platform-dev-full",
  "aws:glue/schema:Schema schemaName": "fp-bus-control-v1-envelope",
  "aws:dynamodb/table:Table name": "fraud-platform-dev-full-ig-idempotency",
  "aws:sfn/stateMachine:StateMachine name": "fraud-platform-dev-full-platform-run-v0",
  "aws:cloudwatch/logGroup:LogGroup name": "/fraud-platform/dev_full/vpc/flow-logs",
  "aws:cloudwatch/logStream:LogStream name": "application",
  "aws:kms/alias:Alias name": "alias/fraud-platform-dev-full",
  "aws:ecr/repository:Repository name": "fraud-platform-dev-full/ig_handler",
  "aws:msk/serverlessCluster:ServerlessCluster clusterName": "fraud-platform-dev-full-msk",
  "aws:msk/cluster:Cluster clusterName": "fraud-platform-dev-full-msk",
  "aws:secretsmanager/secret:Secret name": "fraud-platform/dev_full/databricks-token",
  "aws:ec2/securityGroup:SecurityGroup name": "fraud-platform-dev-full-msk-client-sg",
  "aws:ec2/launchTemplate:LaunchTemplate name": "fraud-platform-dev-full-lane-workers",
  "aws:ecs/cluster:Cluster name": "fraud-platform-dev-full-wsp-ephemeral",
  "aws:kinesisanalyticsv2/application:Application name": "fraud-platform-dev-full-rtdl-ieg-ofp-v0",
  "aws:emrserverless/application:Application name": "fraud-platform-dev-full-oracle-stream-sort-v0",
  "aws:sagemaker/modelPackageGroup:ModelPackageGroup modelPackageGroupName": "fraud-platform-dev-full-models",
  "aws:cloudwatch/dashboard:Dashboard dashboardName": "fraud-platform-dev-full-cost-guardrail",
  "aws:cloudwatch/metricAlarm:MetricAlarm name": "fraud-platform-dev-full-ig-lambda-errors",
  "aws:budgets/budget:Budget name": "fraud-platform-dev-full-monthly",
  "aws:eks/nodeGroup:NodeGroup nodeGroupName": "fraud-platform-dev-full-lane-workers",
  "aws:apigatewayv2/api:Api name": "fraud-platform-dev-full-ig-edge",
  "aws:mwaa/environment:Environment name": "fraud-platform-dev-full-airflow",
  "aws:emrcontainers/virtualCluster:VirtualCluster name": "fraud-platform-dev-full-lane-jobs",
};

const key = (row: NameLimit) => `${row.type} ${row.property}`;
const named = (row: NameLimit, value: string, extra: Record<string, unknown> = {}) =>
  doc(resource(row.type, "thing", { [row.property]: value, ...extra } as never));
const policyOf = (row: NameLimit) => awsNameLimitPolicies.find((p) => p.name === `sb-40-${slugOf(row.what)}`) as (typeof awsNameLimitPolicies)[number];
const find = (type: string, property: string) => NAME_LIMITS.find((r) => r.type === type && r.property === property) as NameLimit;

describe("SB-40 name limits table", () => {
  it("has a valid example for every row and cites an AWS documentation page in every row", () => {
    expect(NAME_LIMITS.map(key).filter((k) => VALID[k] === undefined)).toEqual([]);
    for (const row of NAME_LIMITS) expect(row.doc).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/\S+$/);
    expect(new Set(NAME_LIMITS.map(key)).size).toBe(NAME_LIMITS.length);
  });

  it("covers every AWS physical name DA-06 pins (Kafka topic names are not an AWS limit)", () => {
    const missing = Object.entries(PHYSICAL_NAME_PROPERTY)
      .filter(([type]) => !type.startsWith("kafka:"))
      .filter(([type, property]) => !NAME_LIMITS.some((r) => r.type === type && r.property === property));
    expect(missing).toEqual([]);
  });

  it("has one policy per kind of name, whose description cites each of its rows' pages", () => {
    expect(awsNameLimitPolicies.map((p) => p.name)).toEqual([...new Set(NAME_LIMITS.map((r) => `sb-40-${slugOf(r.what)}`))]);
    for (const row of NAME_LIMITS) expect(policyOf(row).description).toContain(row.doc);
  });

  it.each(NAME_LIMITS.map((row) => [key(row), row] as const))("%s: quiet on a valid name", async (_k, row) => {
    const r = await check(awsNameLimitPolicies, named(row, VALID[key(row)]));
    expect(r.violations).toEqual([]);
  });

  it.each(NAME_LIMITS.map((row) => [key(row), row] as const))("%s: fires on a name over its length limit", async (_k, row) => {
    const long = VALID[key(row)] + "a".repeat(row.max);
    const r = await check(awsNameLimitPolicies, named(row, long));
    expect(r.violations).toHaveLength(1);
    expect(r.violations).toContainEqual(
      expect.objectContaining({
        policy: `sb-40-${slugOf(row.what)}`,
        enforcementLevel: "mandatory",
        message: expect.stringContaining(
          `\`${row.property}\` is ${[...long].length} characters, over the ${row.what} limit of ${row.max}: shorten \`${row.property}\` to ${row.max} characters or fewer`,
        ),
      }),
    );
    expect(r.violations[0].message.split("\n")[1]).toMatch(/^thing: /);
    expect(r.violations[0].message).toContain(row.doc);
  });
});

describe("SB-40 character and shape rules", () => {
  const S3 = find("aws:s3/bucket:Bucket", "bucket");
  it.each([
    ["uppercase", "Fraud-platform-logs", 'contains "F" at position 1'],
    ["an underscore", "fraud_platform", 'contains "_" at position 6'],
    ["two adjacent periods", "fraud..platform", "has two adjacent periods"],
    ["an IP address", "192.168.5.4", "has the form of an IP address"],
    ["the xn-- prefix", "xn--fraud-platform", 'has the reserved prefix "xn--"'],
    ["the -s3alias suffix", "fraud-platform-s3alias", 'has the reserved suffix "-s3alias"'],
    ["a leading hyphen", "-fraud-platform", 'starts with "-"'],
    ["a trailing period", "fraud-platform.", 'ends with "."'],
    ["2 characters", "fp", "is 2 characters, under the S3 bucket name minimum of 3: lengthen `bucket` to at least 3 characters"],
  ])("S3 bucket names: fires on %s", (_what, value, expected) => {
    expect(nameProblems(S3, value).join("\n")).toContain(expected);
  });

  it.each([
    ["aws:iam/role:Role", "name", "fraud platform role", 'contains " " at position 6'],
    ["aws:iam/policy:Policy", "name", "ci/deploy", 'contains "/" at position 3'],
    ["aws:elasticache/replicationGroup:ReplicationGroup", "replicationGroupId", "1fraud-redis", 'starts with "1"'],
    ["aws:elasticache/replicationGroup:ReplicationGroup", "replicationGroupId", "fraud--redis", "has two consecutive hyphens"],
    ["aws:elasticache/replicationGroup:ReplicationGroup", "replicationGroupId", "fraud-redis-", "has a trailing hyphen"],
    ["aws:lambda/function:Function", "name", "fraud.handler", 'contains "." at position 6'],
    ["aws:lb/loadBalancer:LoadBalancer", "name", "internal-fp-ig", 'has the reserved prefix "internal-"'],
    ["aws:lb/targetGroup:TargetGroup", "name", "fp-ig-tg-", 'ends with "-"'],
    ["aws:rds/cluster:Cluster", "clusterIdentifier", "fraud--aurora", "has two consecutive hyphens"],
    ["aws:rds/cluster:Cluster", "clusterIdentifier", "9aurora", 'starts with "9"'],
    ["aws:rds/clusterInstance:ClusterInstance", "identifier", "aurora-writer-", "has a trailing hyphen"],
    ["aws:ssm/parameter:Parameter", "name", "/aws/fraud/x", 'has the reserved prefix "aws" or "ssm"'],
    ["aws:ssm/parameter:Parameter", "name", "ssm-fraud", 'has the reserved prefix "aws" or "ssm"'],
    ["aws:ssm/parameter:Parameter", "name", "/fraud platform/x", 'contains " " at position 7'],
    [
      "aws:ssm/parameter:Parameter",
      "name",
      `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join("/")}`,
      "has 16 hierarchy levels, over the SSM parameter name limit of 15",
    ],
    ["aws:ssm/parameter:Parameter", "name", "fraud/x", "lacks a leading / when the name has hierarchy levels"],
    ["eks:index:Cluster", "name", "-fraud", 'starts with "-"'],
    ["aws:eks/cluster:Cluster", "name", "fraud.platform", 'contains "." at position 6'],
    ["aws:glue/catalogDatabase:CatalogDatabase", "name", "Fraud_OFS", "has uppercase letters"],
    ["aws:glue/registry:Registry", "registryName", "fraud platform", 'contains " " at position 6'],
    ["aws:dynamodb/table:Table", "name", "ab", "under the DynamoDB table name minimum of 3"],
    ["aws:sfn/stateMachine:StateMachine", "name", "run:v0", 'contains ":" at position 4'],
    ["aws:cloudwatch/logGroup:LogGroup", "name", "/fraud platform", 'contains " " at position 7'],
    ["aws:cloudwatch/logGroup:LogGroup", "name", "aws/fraud", 'has the reserved prefix "aws/"'],
    ["aws:kms/alias:Alias", "name", "fraud-platform-key", 'lacks the prefix "alias/" followed by the alias'],
    ["aws:kms/alias:Alias", "name", "alias/aws/fraud", 'has the reserved prefix "alias/aws/"'],
    ["aws:ecr/repository:Repository", "name", "Fraud/IG", 'contains "F" at position 1'],
    ["aws:ecr/repository:Repository", "name", "fraud--ig", "lacks /-separated parts"],
    ["aws:msk/serverlessCluster:ServerlessCluster", "clusterName", "fraud_msk", 'contains "_" at position 6'],
    ["aws:secretsmanager/secret:Secret", "name", "fraud token", 'contains " " at position 6'],
    ["aws:ec2/securityGroup:SecurityGroup", "name", "sg-fraud", 'has the reserved prefix "sg-"'],
    ["aws:sagemaker/modelPackageGroup:ModelPackageGroup", "modelPackageGroupName", "fraud-models-", 'ends with "-"'],
    ["aws:budgets/budget:Budget", "name", "fraud:monthly", 'contains ":" at position 6'],
    ["aws:rds/subnetGroup:SubnetGroup", "name", "default", 'has the reserved name "default"'],
    ["aws:eks/nodeGroup:NodeGroup", "nodeGroupName", "_workers", 'starts with "_"'],
    ["aws:mwaa/environment:Environment", "name", "1-airflow", 'starts with "1"'],
    ["aws:emrcontainers/virtualCluster:VirtualCluster", "name", "lane jobs", 'contains " " at position 5'],
  ])("%s `%s` %p fires: %s", (type, property, value, expected) => {
    const problems = nameProblems(find(type, property), value);
    expect(problems.join("\n")).toContain(expected);
    expect(problems.join("\n")).toContain(`\`${property}\``);
  });

  it("FIFO queues and topics need the .fifo suffix, which then passes the character check", () => {
    const sqs = find("aws:sqs/queue:Queue", "name");
    const sns = find("aws:sns/topic:Topic", "name");
    expect(nameProblems(sqs, "fraud-ig-dlq.fifo", { fifoQueue: true })).toEqual([]);
    expect(nameProblems(sqs, "fraud-ig-dlq", { fifoQueue: true })).toEqual([expect.stringContaining('does not end in ".fifo"')]);
    expect(nameProblems(sqs, "fraud-ig-dlq.fifo", {})).toEqual([expect.stringContaining('contains "." at position 13')]);
    expect(nameProblems(sns, "ops-alarms.fifo", { fifoTopic: true })).toEqual([]);
    expect(nameProblems(sqs, `${"q".repeat(76)}.fifo`, { fifoQueue: true })).toEqual([
      expect.stringContaining("is 81 characters, over the SQS queue name limit of 80"),
    ]);
  });

  it("counts characters, not UTF-16 units", () => {
    const alarm = find("aws:cloudwatch/metricAlarm:MetricAlarm", "name");
    expect(nameProblems(alarm, "🚨".repeat(255))).toEqual([]);
    expect(nameProblems(alarm, "🚨".repeat(256))).toEqual([expect.stringContaining("is 256 characters")]);
  });
});

describe("SB-40 values it cannot judge", () => {
  it("skips a name unknown at preview (no violation, no can't-run note)", async () => {
    const r = await check(awsNameLimitPolicies, doc(resource("aws:iam/role:Role", "r", { name: UNKNOWN, assumeRolePolicy: UNKNOWN })));
    expect(r.violations).toEqual([]);
  });
  it("skips an auto-named resource (no physical name set)", async () => {
    const r = await check(
      awsNameLimitPolicies,
      doc(resource("aws:s3/bucket:Bucket", "b", {}), resource("aws:lambda/function:Function", "f", { runtime: "python3.12" })),
    );
    expect(r.violations).toEqual([]);
  });
  it("still judges a known name beside unknown inputs", async () => {
    const r = await check(awsNameLimitPolicies, doc(resource("aws:iam/role:Role", "r", { name: "r".repeat(65), assumeRolePolicy: UNKNOWN })));
    expect(r.violations.map((v) => v.message)).toEqual([expect.stringContaining("`name` is 65 characters, over the IAM role name limit of 64")]);
  });
});
