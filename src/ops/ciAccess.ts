/**
 * What each GitHub Actions workflow's identity needs, as data the roles are built from and the tests derive from:
 *
 * - {@link SdkCall}: the IAM action behind one AWS SDK v3 command (the residual scan and the proof window export
 *   a table of the commands they send; the idle-guard role is built from those tables);
 * - {@link PROVIDER_ACCESS}: per provider module of the plan (`aws:s3`, `aws:ec2`, `kafka`, ...), the read calls
 *   a refresh makes (the PR preview role) and the IAM services `pulumi up` writes (the deploy role);
 * - the state backend (the one-time bootstrap bucket, docs/ops.md) and the secrets provider (the platform key).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { StatementSpec } from "../iam/policy";

/** One AWS SDK v3 command a module sends, and the IAM action it needs. */
export interface SdkCall {
  /** SDK package, e.g. `@aws-sdk/client-ecs`. */
  client: string;
  /** Operation (the command class without `Command`, or the paginator without `paginate`). */
  operation: string;
  /** IAM action the call is authorised by. */
  action: string;
}

/** The distinct IAM actions of a call table, in table order. */
export function actionsOf(calls: readonly SdkCall[]): string[] {
  return [...new Set(calls.map((c) => c.action))];
}

/** Who a role trusts: the OIDC `sub` forms GitHub issues (docs.github.com, "About security hardening with OpenID Connect"). */
export type GithubSubject = { kind: "branch"; branch: string } | { kind: "pull_request" } | { kind: "environment"; environment: string };

export function githubSubject(repository: string, s: GithubSubject): string {
  switch (s.kind) {
    case "branch":
      return `repo:${repository}:ref:refs/heads/${s.branch}`;
    case "pull_request":
      return `repo:${repository}:pull_request`;
    case "environment":
      return `repo:${repository}:environment:${s.environment}`;
  }
}

/** Access of one provider module: read calls a refresh makes, and the IAM services an update writes. */
export interface ProviderAccess {
  /** Describe/List/Get actions the provider's Read makes for the module's resources (PR preview, refresh). */
  read: string[];
  /** IAM service prefixes `pulumi up` creates, updates and deletes resources of this module in (deploy). */
  services: string[];
}

/** A provider whose credentials are not AWS IAM (or that calls nothing): what it needs instead. */
export interface NonIamAccess {
  /** IAM actions it still needs, if any (e.g. the EKS token of the Kubernetes provider). */
  read: string[];
  services: string[];
  why: string;
}

const rw = (read: string[], ...services: string[]): ProviderAccess => ({ read, services });

/**
 * Per provider module (`aws:<module>` from a type token `aws:<module>/<name>:<Type>`, or the package name of other
 * providers). A type of the plan whose module is not here stops the CI identity test: say what it needs first.
 */
export const PROVIDER_ACCESS: Readonly<Record<string, ProviderAccess | NonIamAccess>> = {
  "aws:apigatewayv2": rw(["apigateway:GET"], "apigateway"),
  "aws:budgets": rw(["budgets:ViewBudget", "budgets:ListTagsForResource"], "budgets"),
  "aws:cloudwatch": rw(
    [
      "logs:DescribeLogGroups",
      "logs:DescribeLogStreams",
      "logs:ListTagsForResource",
      "logs:ListTagsLogGroup",
      "cloudwatch:DescribeAlarms",
      "cloudwatch:GetDashboard",
      "cloudwatch:ListTagsForResource",
    ],
    "logs",
    "cloudwatch",
  ),
  "aws:dynamodb": rw(
    ["dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTimeToLive", "dynamodb:ListTagsOfResource"],
    "dynamodb",
  ),
  "aws:ec2": rw(["ec2:Describe*"], "ec2"),
  "aws:ecr": rw(["ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource"], "ecr"),
  "aws:ecs": rw(
    ["ecs:DescribeClusters", "ecs:DescribeServices", "ecs:DescribeTaskDefinition", "ecs:DescribeCapacityProviders", "ecs:ListTagsForResource"],
    "ecs",
  ),
  "aws:eks": rw(["eks:Describe*", "eks:List*"], "eks"),
  "aws:elasticache": rw(["elasticache:Describe*", "elasticache:ListTagsForResource"], "elasticache"),
  "aws:emrcontainers": rw(["emr-containers:DescribeVirtualCluster", "emr-containers:ListTagsForResource"], "emr-containers"),
  "aws:emrserverless": rw(["emr-serverless:GetApplication", "emr-serverless:ListTagsForResource"], "emr-serverless"),
  "aws:glue": rw(["glue:GetRegistry", "glue:GetSchema", "glue:GetSchemaVersion", "glue:ListSchemaVersions", "glue:GetDatabase", "glue:GetTags"], "glue"),
  "aws:iam": rw(["iam:Get*", "iam:List*"], "iam"),
  "aws:index": rw(["ec2:DescribeAvailabilityZones"], "sts"),
  "aws:kinesisanalyticsv2": rw(["kinesisanalytics:DescribeApplication", "kinesisanalytics:ListTagsForResource"], "kinesisanalytics"),
  "aws:kms": rw(["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:GetPublicKey", "kms:ListAliases", "kms:ListResourceTags"], "kms"),
  "aws:lambda": rw(
    ["lambda:GetFunction", "lambda:GetFunctionCodeSigningConfig", "lambda:GetPolicy", "lambda:ListVersionsByFunction", "lambda:ListTags"],
    "lambda",
  ),
  "aws:lb": rw(["elasticloadbalancing:Describe*"], "elasticloadbalancing"),
  "aws:msk": rw(["kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers", "kafka:ListTagsForResource"], "kafka"),
  "aws:mwaa": rw(["airflow:GetEnvironment", "airflow:ListTagsForResource"], "airflow"),
  "aws:rds": rw(["rds:Describe*", "rds:ListTagsForResource"], "rds"),
  "aws:s3": rw(
    [
      "s3:GetBucket*",
      "s3:GetAccelerateConfiguration",
      "s3:GetEncryptionConfiguration",
      "s3:GetLifecycleConfiguration",
      "s3:GetReplicationConfiguration",
      "s3:ListBucket",
    ],
    "s3",
  ),
  "aws:sagemaker": rw(["sagemaker:Describe*", "sagemaker:List*"], "sagemaker"),
  "aws:servicediscovery": rw(["servicediscovery:GetNamespace", "servicediscovery:GetService", "servicediscovery:ListTagsForResource"], "servicediscovery"),
  "aws:sfn": rw(["states:DescribeStateMachine", "states:ListTagsForResource"], "states"),
  "aws:sns": rw(["sns:GetTopicAttributes", "sns:GetSubscriptionAttributes", "sns:ListTagsForResource"], "sns"),
  "aws:sqs": rw(["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags"], "sqs"),
  "aws:ssm": rw(["ssm:GetParameter", "ssm:GetParameters", "ssm:DescribeParameters", "ssm:ListTagsForResource"], "ssm"),
  "aws:vpc": rw(["ec2:DescribeSecurityGroupRules"], "ec2"),
  kafka: {
    read: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration"],
    services: ["kafka-cluster"],
    why: "the Kafka provider reads topics over MSK IAM authentication",
  },
  kubernetes: {
    read: ["eks:DescribeCluster"],
    services: [],
    why: "the Kubernetes provider authenticates with an EKS token; what it may do in the cluster is the role's EKS access policy (view for preview, admin for deploy)",
  },
  databricks: { read: [], services: [], why: "the Databricks provider authenticates with the workspace token, not AWS IAM" },
  random: { read: [], services: [], why: "random values live in the state only" },
};

/** The access key of a custom resource type or invoke token (`aws:s3/bucket:Bucket` -> `aws:s3`, `kafka:index/topic:Topic` -> `kafka`). */
export function accessKeyOf(token: string): string {
  const [pkg, mod = ""] = token.split(":");
  return pkg === "aws" ? `aws:${mod.split("/")[0]}` : pkg;
}

/** The backend's objects (`.pulumi/`: stacks, history, backups, locks) in the state bucket (TF_STATE_BUCKET). */
export const STATE_PREFIX = ".pulumi/";

/** Read of the self-managed S3 backend: `pulumi preview` and StackReferences read stack state, never write. */
export const STATE_READ_ACTIONS = ["s3:GetObject", "s3:GetObjectVersion"];
/** Write of the S3 backend: an update writes the state, its history and backup, and takes and removes a lock object. */
export const STATE_WRITE_ACTIONS = ["s3:PutObject", "s3:DeleteObject"];
/** The bucket itself: the backend lists stacks and locks (`ListBucket`) and resolves the region. */
export const STATE_BUCKET_ACTIONS = ["s3:ListBucket", "s3:GetBucketLocation"];

export function stateBackendStatements(sid: string, stateBucket: string, access: "read" | "readwrite"): StatementSpec[] {
  const bucketArn = `arn:aws:s3:::${stateBucket}`;
  return [
    { sid: `${sid}StateBucket`, actions: STATE_BUCKET_ACTIONS, resources: [bucketArn] },
    {
      sid: `${sid}StateObjects`,
      actions: access === "read" ? STATE_READ_ACTIONS : [...STATE_READ_ACTIONS, ...STATE_WRITE_ACTIONS],
      resources: [`${bucketArn}/${STATE_PREFIX}*`],
    },
  ];
}

/**
 * The secrets provider (`awskms://` with the platform key, decision 0001): opening a stack decrypts its data key;
 * `stack init` and `change-secrets-provider` encrypt a new one.
 */
export function secretsProviderStatement(sid: string, platformKeyArn: pulumi.Input<string>, access: "decrypt" | "encrypt"): StatementSpec {
  return {
    sid: `${sid}SecretsProvider`,
    actions: access === "decrypt" ? ["kms:Decrypt"] : ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
    resources: [platformKeyArn],
  };
}

/** The access entries of the plan's custom resource types and invokes; an unknown module throws (fail closed). */
export function accessOf(tokens: Iterable<string>): Map<string, ProviderAccess | NonIamAccess> {
  const out = new Map<string, ProviderAccess | NonIamAccess>();
  const unknown: string[] = [];
  for (const t of tokens) {
    const key = accessKeyOf(t);
    const a = PROVIDER_ACCESS[key];
    if (a) out.set(key, a);
    else unknown.push(t);
  }
  if (unknown.length)
    throw new Error(`no CI access known for ${[...new Set(unknown)].join(", ")}; add the provider module to PROVIDER_ACCESS in src/ops/ciAccess.ts`);
  return out;
}

/** Read calls of a refresh over every provider module of the platform (the PR preview role). */
export function refreshReadActions(keys: Iterable<string> = Object.keys(PROVIDER_ACCESS)): string[] {
  return [...new Set([...keys].flatMap((k) => PROVIDER_ACCESS[k]?.read ?? []))].sort();
}

/** IAM services `pulumi up` writes over every provider module (the deploy role), IAM itself excluded (scoped apart). */
export function deployServices(keys: Iterable<string> = Object.keys(PROVIDER_ACCESS)): string[] {
  return [...new Set([...keys].flatMap((k) => PROVIDER_ACCESS[k]?.services ?? []))].filter((s) => s !== "iam").sort();
}

/** A read-only action (Describe/List/Get/View, API Gateway GET, an MSK describe, or a decrypt). */
export function isReadOnlyAction(action: string): boolean {
  return /^[a-z0-9-]+:(Describe|List|Get|BatchGet|View|GET$|Connect$|Decrypt$)/.test(action);
}
