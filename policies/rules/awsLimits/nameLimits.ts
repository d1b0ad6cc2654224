/**
 * The documented length and character limits of the physical names the five stacks set, one row per (resource
 * type, input). A name outside these limits passes `pulumi preview` and fails the create call at `pulumi up`; SB-40
 * (`names.ts`) evaluates every row with one generic checker. Lengths are in characters (code points), as the API
 * references state them. Each row cites the AWS page the limit is taken from.
 */

/** A pattern with the words a message uses for it. */
export interface NamePattern {
  re: RegExp;
  says: string;
}

export interface NameLimit {
  /** Pulumi type token, e.g. `aws:s3/bucket:Bucket`. */
  type: string;
  /** The input holding the physical name. */
  property: string;
  /** What the name is, for messages: "S3 bucket name". */
  what: string;
  min: number;
  max: number;
  /** One allowed character (a single-character class). */
  chars: NamePattern;
  /** What the first character must be. */
  first?: NamePattern;
  /** What the last character must be. */
  last?: NamePattern;
  /** Whole-name patterns that must not match (reserved prefixes and suffixes, forbidden sequences). */
  not?: NamePattern[];
  /** Whole-name patterns that must match. */
  must?: NamePattern[];
  /** Most `/`-separated hierarchy levels. */
  maxDepth?: number;
  /** Boolean input that makes this a FIFO name: then the name must end in `.fifo` (not checked against `chars`). */
  fifoFlag?: string;
  /** The AWS documentation page stating the limit. */
  doc: string;
}

const IAM_QUOTAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html";
const IAM_CHARS: NamePattern = { re: /[\w+=,.@-]/, says: "letters, digits and + = , . @ _ -" };
const ALNUM_HYPHEN: NamePattern = { re: /[a-zA-Z0-9-]/, says: "letters, digits and hyphens" };
const LETTER_FIRST: NamePattern = { re: /^[A-Za-z]/, says: "a letter" };
const ALNUM_EDGE: NamePattern = { re: /[A-Za-z0-9]/, says: "a letter or digit" };
const NO_DOUBLE_HYPHEN: NamePattern = { re: /--/, says: "two consecutive hyphens" };
const NO_TRAILING_HYPHEN: NamePattern = { re: /-$/, says: "a trailing hyphen" };
const SINGLE_LINE: NamePattern = { re: /[^\r\n]/, says: "a single line of text" };
const NO_UPPERCASE: NamePattern = {
  re: /[A-Z]/,
  says: "uppercase letters (Glue stores catalog names in lowercase, so the stored name never matches and every update diffs)",
};
const GLUE_REGISTRY_CHARS: NamePattern = { re: /[a-zA-Z0-9_$#.-]/, says: "letters, digits and - _ $ # ." };

const rdsIdentifier = (type: string, property: string, what: string, max: number, doc: string): NameLimit => ({
  type,
  property,
  what,
  min: 1,
  max,
  chars: ALNUM_HYPHEN,
  first: LETTER_FIRST,
  not: [NO_DOUBLE_HYPHEN, NO_TRAILING_HYPHEN],
  doc,
});

const elbName = (type: string, what: string, doc: string, loadBalancer: boolean): NameLimit => ({
  type,
  property: "name",
  what,
  min: 1,
  max: 32,
  chars: ALNUM_HYPHEN,
  first: ALNUM_EDGE,
  last: ALNUM_EDGE,
  not: loadBalancer ? [{ re: /^internal-/, says: 'the reserved prefix "internal-"' }] : [],
  doc,
});

const ELB_CREATE_LB = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html";
const ELB_CREATE_TG = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html";
const S3_BUCKET: Omit<NameLimit, "type"> = {
  property: "bucket",
  what: "S3 bucket name",
  min: 3,
  max: 63,
  chars: { re: /[a-z0-9.-]/, says: "lowercase letters, digits, periods and hyphens" },
  first: { re: /^[a-z0-9]/, says: "a lowercase letter or digit" },
  last: { re: /[a-z0-9]$/, says: "a lowercase letter or digit" },
  not: [
    { re: /\.\./, says: "two adjacent periods" },
    { re: /^\d{1,3}(\.\d{1,3}){3}$/, says: "the form of an IP address" },
    { re: /^xn--/, says: 'the reserved prefix "xn--"' },
    { re: /^sthree-/, says: 'the reserved prefix "sthree-"' },
    { re: /^amzn-s3-demo-/, says: 'the reserved prefix "amzn-s3-demo-"' },
    { re: /-s3alias$/, says: 'the reserved suffix "-s3alias"' },
    { re: /--ol-s3$/, says: 'the reserved suffix "--ol-s3"' },
    { re: /\.mrap$/, says: 'the reserved suffix ".mrap"' },
    { re: /--x-s3$/, says: 'the reserved suffix "--x-s3"' },
  ],
  doc: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
};

const mskName = (type: string, doc: string): NameLimit => ({
  type,
  property: "clusterName",
  what: "MSK cluster name",
  min: 1,
  max: 64,
  chars: ALNUM_HYPHEN,
  first: ALNUM_EDGE,
  doc,
});

const eksName = (type: string): NameLimit => ({
  type,
  property: "name",
  what: "EKS cluster name",
  min: 1,
  max: 100,
  chars: { re: /[A-Za-z0-9_-]/, says: "letters, digits, hyphens and underscores" },
  first: ALNUM_EDGE,
  doc: "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html",
});

export const NAME_LIMITS: readonly NameLimit[] = [
  { type: "aws:s3/bucket:Bucket", ...S3_BUCKET },
  { type: "aws:s3/bucketV2:BucketV2", ...S3_BUCKET },
  { type: "aws:iam/role:Role", property: "name", what: "IAM role name", min: 1, max: 64, chars: IAM_CHARS, doc: IAM_QUOTAS },
  { type: "aws:iam/policy:Policy", property: "name", what: "IAM managed policy name", min: 1, max: 128, chars: IAM_CHARS, doc: IAM_QUOTAS },
  {
    type: "aws:iam/rolePolicy:RolePolicy",
    property: "name",
    what: "IAM inline policy name",
    min: 1,
    max: 128,
    chars: IAM_CHARS,
    doc: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html",
  },
  {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    property: "replicationGroupId",
    what: "ElastiCache replication group id",
    min: 1,
    max: 40,
    chars: ALNUM_HYPHEN,
    first: LETTER_FIRST,
    not: [NO_DOUBLE_HYPHEN, NO_TRAILING_HYPHEN],
    doc: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html",
  },
  {
    type: "aws:elasticache/subnetGroup:SubnetGroup",
    property: "name",
    what: "ElastiCache subnet group name",
    min: 1,
    max: 255,
    chars: ALNUM_HYPHEN,
    doc: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateCacheSubnetGroup.html",
  },
  {
    type: "aws:lambda/function:Function",
    property: "name",
    what: "Lambda function name",
    min: 1,
    max: 64,
    chars: { re: /[a-zA-Z0-9_-]/, says: "letters, digits, hyphens and underscores" },
    doc: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html",
  },
  elbName("aws:lb/loadBalancer:LoadBalancer", "load balancer name", ELB_CREATE_LB, true),
  elbName("aws:alb/loadBalancer:LoadBalancer", "load balancer name", ELB_CREATE_LB, true),
  elbName("aws:lb/targetGroup:TargetGroup", "target group name", ELB_CREATE_TG, false),
  elbName("aws:alb/targetGroup:TargetGroup", "target group name", ELB_CREATE_TG, false),
  {
    type: "aws:sqs/queue:Queue",
    property: "name",
    what: "SQS queue name",
    min: 1,
    max: 80,
    chars: { re: /[a-zA-Z0-9_-]/, says: "letters, digits, hyphens and underscores (plus the .fifo suffix of a FIFO queue)" },
    fifoFlag: "fifoQueue",
    doc: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
  },
  {
    type: "aws:sns/topic:Topic",
    property: "name",
    what: "SNS topic name",
    min: 1,
    max: 256,
    chars: { re: /[a-zA-Z0-9_-]/, says: "letters, digits, hyphens and underscores (plus the .fifo suffix of a FIFO topic)" },
    fifoFlag: "fifoTopic",
    doc: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
  },
  rdsIdentifier(
    "aws:rds/cluster:Cluster",
    "clusterIdentifier",
    "Aurora/RDS cluster identifier",
    63,
    "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html",
  ),
  rdsIdentifier(
    "aws:rds/cluster:Cluster",
    "finalSnapshotIdentifier",
    "RDS cluster final snapshot identifier",
    255,
    "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBCluster.html",
  ),
  rdsIdentifier(
    "aws:rds/instance:Instance",
    "identifier",
    "RDS instance identifier",
    63,
    "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
  ),
  rdsIdentifier(
    "aws:rds/clusterInstance:ClusterInstance",
    "identifier",
    "Aurora instance identifier",
    63,
    "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
  ),
  {
    type: "aws:rds/subnetGroup:SubnetGroup",
    property: "name",
    what: "DB subnet group name",
    min: 1,
    max: 255,
    chars: { re: /[A-Za-z0-9._ -]/, says: "letters, digits, periods, underscores, spaces and hyphens" },
    not: [{ re: /^default$/i, says: 'the reserved name "default"' }],
    doc: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html",
  },
  {
    type: "aws:ssm/parameter:Parameter",
    property: "name",
    what: "SSM parameter name",
    min: 1,
    max: 1011,
    chars: { re: /[a-zA-Z0-9_.\-/]/, says: "letters, digits, _ . - and / between hierarchy levels" },
    not: [{ re: /^\/?(aws|ssm)/i, says: 'the reserved prefix "aws" or "ssm" (any case)' }],
    must: [{ re: /^(\/|[^/]*$)/, says: "a leading / when the name has hierarchy levels" }],
    maxDepth: 15,
    doc: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html",
  },
  eksName("eks:index:Cluster"),
  eksName("aws:eks/cluster:Cluster"),
  {
    type: "aws:glue/catalogDatabase:CatalogDatabase",
    property: "name",
    what: "Glue database name",
    min: 1,
    max: 255,
    chars: SINGLE_LINE,
    not: [NO_UPPERCASE],
    doc: "https://docs.aws.amazon.com/glue/latest/webapi/API_DatabaseInput.html",
  },
  {
    type: "aws:glue/catalogTable:CatalogTable",
    property: "name",
    what: "Glue table name",
    min: 1,
    max: 255,
    chars: SINGLE_LINE,
    not: [NO_UPPERCASE],
    doc: "https://docs.aws.amazon.com/glue/latest/webapi/API_TableInput.html",
  },
  {
    type: "aws:glue/job:Job",
    property: "name",
    what: "Glue job name",
    min: 1,
    max: 255,
    chars: SINGLE_LINE,
    doc: "https://docs.aws.amazon.com/glue/latest/webapi/API_CreateJob.html",
  },
  {
    type: "aws:glue/registry:Registry",
    property: "registryName",
    what: "Glue schema registry name",
    min: 1,
    max: 255,
    chars: GLUE_REGISTRY_CHARS,
    doc: "https://docs.aws.amazon.com/glue/latest/webapi/API_CreateRegistry.html",
  },
  {
    type: "aws:glue/schema:Schema",
    property: "schemaName",
    what: "Glue schema name",
    min: 1,
    max: 255,
    chars: GLUE_REGISTRY_CHARS,
    doc: "https://docs.aws.amazon.com/glue/latest/webapi/API_CreateSchema.html",
  },
  {
    type: "aws:dynamodb/table:Table",
    property: "name",
    what: "DynamoDB table name",
    min: 3,
    max: 255,
    chars: { re: /[a-zA-Z0-9_.-]/, says: "letters, digits, underscores, hyphens and periods" },
    doc: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html",
  },
  {
    type: "aws:sfn/stateMachine:StateMachine",
    property: "name",
    what: "Step Functions state machine name",
    min: 1,
    max: 80,
    chars: {
      // eslint-disable-next-line no-control-regex -- control characters are what the name rule refuses
      re: /[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/,
      says: 'no whitespace, brackets, wildcards, control characters or any of " # % \\ ^ | ~ ` $ & , ; : /',
    },
    doc: "https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html",
  },
  {
    type: "aws:cloudwatch/logGroup:LogGroup",
    property: "name",
    what: "CloudWatch log group name",
    min: 1,
    max: 512,
    chars: { re: /[.\-_/#A-Za-z0-9]/, says: "letters, digits and . - _ / #" },
    not: [{ re: /^aws\//, says: 'the reserved prefix "aws/"' }],
    doc: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
  },
  {
    type: "aws:cloudwatch/logStream:LogStream",
    property: "name",
    what: "CloudWatch log stream name",
    min: 1,
    max: 512,
    chars: { re: /[^:*]/, says: "any character but : and *" },
    doc: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html",
  },
  {
    type: "aws:kms/alias:Alias",
    property: "name",
    what: "KMS alias name",
    min: 1,
    max: 256,
    chars: { re: /[a-zA-Z0-9/_-]/, says: "letters, digits, / _ -" },
    must: [{ re: /^alias\/./, says: 'the prefix "alias/" followed by the alias' }],
    not: [{ re: /^alias\/aws\//i, says: 'the reserved prefix "alias/aws/"' }],
    doc: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html",
  },
  {
    type: "aws:ecr/repository:Repository",
    property: "name",
    what: "ECR repository name",
    min: 2,
    max: 256,
    chars: { re: /[a-z0-9._/-]/, says: "lowercase letters, digits and . _ - /" },
    must: [
      {
        re: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
        says: "/-separated parts that start and end with a letter or digit, with one . _ or - between letters and digits",
      },
    ],
    doc: "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html",
  },
  mskName("aws:msk/serverlessCluster:ServerlessCluster", "https://docs.aws.amazon.com/MSK/2.0/APIReference/v2-clusters.html"),
  mskName("aws:msk/cluster:Cluster", "https://docs.aws.amazon.com/msk/1.0/apireference/clusters.html"),
  {
    type: "aws:secretsmanager/secret:Secret",
    property: "name",
    what: "Secrets Manager secret name",
    min: 1,
    max: 512,
    chars: { re: /[A-Za-z0-9/_+=.@-]/, says: "letters, digits and / _ + = . @ -" },
    doc: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html",
  },
  {
    type: "aws:ec2/securityGroup:SecurityGroup",
    property: "name",
    what: "security group name",
    min: 1,
    max: 255,
    chars: { re: /[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]/, says: "letters, digits, spaces and . _ - : / ( ) # , @ [ ] + = & ; { } ! $ *" },
    not: [{ re: /^sg-/i, says: 'the reserved prefix "sg-"' }],
    doc: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
  },
  {
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    property: "name",
    what: "launch template name",
    min: 3,
    max: 128,
    chars: { re: /[a-zA-Z0-9().\-/_]/, says: "letters, digits and ( ) . - / _" },
    doc: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html",
  },
  {
    type: "aws:ecs/cluster:Cluster",
    property: "name",
    what: "ECS cluster name",
    min: 1,
    max: 255,
    chars: { re: /[a-zA-Z0-9_-]/, says: "letters, digits, hyphens and underscores" },
    doc: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html",
  },
  {
    type: "aws:kinesisanalyticsv2/application:Application",
    property: "name",
    what: "Managed Flink application name",
    min: 1,
    max: 128,
    chars: { re: /[a-zA-Z0-9_.-]/, says: "letters, digits, underscores, hyphens and periods" },
    doc: "https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CreateApplication.html",
  },
  {
    type: "aws:emrserverless/application:Application",
    property: "name",
    what: "EMR Serverless application name",
    min: 1,
    max: 64,
    chars: { re: /[A-Za-z0-9._/#-]/, says: "letters, digits and . _ / # -" },
    doc: "https://docs.aws.amazon.com/emr-serverless/latest/APIReference/API_CreateApplication.html",
  },
  {
    type: "aws:sagemaker/modelPackageGroup:ModelPackageGroup",
    property: "modelPackageGroupName",
    what: "SageMaker model package group name",
    min: 1,
    max: 63,
    chars: ALNUM_HYPHEN,
    first: ALNUM_EDGE,
    last: ALNUM_EDGE,
    doc: "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModelPackageGroup.html",
  },
  {
    type: "aws:cloudwatch/dashboard:Dashboard",
    property: "dashboardName",
    what: "CloudWatch dashboard name",
    min: 1,
    max: 255,
    chars: { re: /[A-Za-z0-9_-]/, says: "letters, digits, hyphens and underscores" },
    doc: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html",
  },
  {
    type: "aws:cloudwatch/metricAlarm:MetricAlarm",
    property: "name",
    what: "CloudWatch alarm name",
    min: 1,
    max: 255,
    // eslint-disable-next-line no-control-regex -- control characters are what the name rule refuses
    chars: { re: /[^\u0000-\u001f]/, says: "no control characters" },
    doc: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
  },
  {
    type: "aws:eks/nodeGroup:NodeGroup",
    property: "nodeGroupName",
    what: "EKS node group name",
    min: 1,
    max: 63,
    chars: { re: /[A-Za-z0-9_-]/, says: "letters, digits, hyphens and underscores" },
    first: ALNUM_EDGE,
    doc: "https://docs.aws.amazon.com/eks/latest/userguide/create-managed-node-group.html",
  },
  {
    type: "aws:apigatewayv2/api:Api",
    property: "name",
    what: "API Gateway API name",
    min: 1,
    max: 128,
    chars: { re: /[\s\S]/, says: "any character" },
    doc: "https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis.html",
  },
  {
    type: "aws:mwaa/environment:Environment",
    property: "name",
    what: "MWAA environment name",
    min: 1,
    max: 80,
    chars: { re: /[0-9a-zA-Z_-]/, says: "letters, digits, hyphens and underscores" },
    first: LETTER_FIRST,
    doc: "https://docs.aws.amazon.com/mwaa/latest/API/API_CreateEnvironment.html",
  },
  {
    type: "aws:emrcontainers/virtualCluster:VirtualCluster",
    property: "name",
    what: "EMR on EKS virtual cluster name",
    min: 1,
    max: 64,
    chars: { re: /[.\-_/#A-Za-z0-9]/, says: "letters, digits and . - _ / #" },
    doc: "https://docs.aws.amazon.com/emr-on-eks/latest/APIReference/API_CreateVirtualCluster.html",
  },
  {
    type: "aws:budgets/budget:Budget",
    property: "name",
    what: "budget name",
    min: 1,
    max: 100,
    chars: { re: /[^:\\]/, says: "any character but : and \\" },
    doc: "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html",
  },
];
