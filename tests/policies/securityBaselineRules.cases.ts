/**
 * Security baseline (SB-xx) resource rules: each fires on a minimal bad resource with a message naming the setting
 * and the fix, and stays quiet on a compliant one.
 */
import type * as policy from "@pulumi/policy";
import { PropertyMap } from "../../src/plan/previewDocument";
import { dataStoresEncrypted, elasticacheHardened, rdsClusterHardened, stateStoresRecoverable } from "../../policies/rules/securityBaseline/dataStores";
import { ecrRepositoryHardened } from "../../policies/rules/securityBaseline/ecr";
import { eksSecretsEncryptedAndLogged } from "../../policies/rules/securityBaseline/eks";
import { kmsDecryptScoped, noServiceWildcardActions, oidcTrustSubScoped, passRoleScoped } from "../../policies/rules/securityBaseline/iam";
import { kmsKeysExplicitPolicy } from "../../policies/rules/securityBaseline/kms";
import { functionUrlIamAuth, lambdaInVpcMultiAz, lambdaSupportedRuntime } from "../../policies/rules/securityBaseline/lambda";
import { logGroupsEncrypted } from "../../policies/rules/securityBaseline/logs";
import { queuesTopicsEncrypted } from "../../policies/rules/securityBaseline/messaging";
import { imdsv2Required, subnetsNoPublicIp } from "../../policies/rules/securityBaseline/network";
import { noPublicResourcePolicies } from "../../policies/rules/securityBaseline/resourcePolicies";
import { alarmsAct, apiStageAccessLogging, ecsContainerInsights, stateMachineLogging } from "../../policies/rules/securityBaseline/services";
import { check, doc, resource } from "../helpers/policyFixtures";

const KEY = "arn:aws:kms:eu-west-2:123456789012:key/0567e6a2-3213-46fa-a50d-0eb2441b9fb9";
const ACCOUNT = "123456789012";
const json = (statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = (extra: Record<string, unknown>) => ({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", ...extra });
const tlsDeny = {
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: "arn:aws:s3:::b/*",
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const githubTrust = (condition: unknown) =>
  json([
    {
      Effect: "Allow",
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
      Action: "sts:AssumeRoleWithWebIdentity",
      ...(condition ? { Condition: condition } : {}),
    },
  ]);
const eksIssuer = "oidc.eks.eu-west-2.amazonaws.com/id/ABC";
const eksTrust = (condition: unknown) =>
  json([
    {
      Effect: "Allow",
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${eksIssuer}` },
      Action: "sts:AssumeRoleWithWebIdentity",
      ...(condition ? { Condition: condition } : {}),
    },
  ]);
const rolePolicy = (statements: unknown[]) => ({ role: "r", name: "least-privilege", policy: json(statements) });

interface Case {
  what: string;
  policy: policy.Policy;
  type: string;
  good: PropertyMap;
  bad: PropertyMap;
  message: RegExp;
}

const T = {
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  queue: "aws:sqs/queue:Queue",
  topic: "aws:sns/topic:Topic",
  key: "aws:kms/key:Key",
  repoPolicy: "aws:ecr/repositoryPolicy:RepositoryPolicy",
  permission: "aws:lambda/permission:Permission",
  functionUrl: "aws:lambda/functionUrl:FunctionUrl",
  fn: "aws:lambda/function:Function",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  managedPolicy: "aws:iam/policy:Policy",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  table: "aws:dynamodb/table:Table",
  rdsCluster: "aws:rds/cluster:Cluster",
  rdsInstance: "aws:rds/instance:Instance",
  redis: "aws:elasticache/replicationGroup:ReplicationGroup",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  eks: "eks:index:Cluster",
  awsEks: "aws:eks/cluster:Cluster",
  ecr: "aws:ecr/repository:Repository",
  instance: "aws:ec2/instance:Instance",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  subnet: "aws:ec2/subnet:Subnet",
  httpStage: "aws:apigatewayv2/stage:Stage",
  restStage: "aws:apigateway/stage:Stage",
  stateMachine: "aws:sfn/stateMachine:StateMachine",
  ecsCluster: "aws:ecs/cluster:Cluster",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};

const goodFunction = {
  name: "f",
  runtime: "python3.12",
  packageType: "Zip",
  role: "arn:aws:iam::123456789012:role/r",
  vpcConfig: { subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-1"] },
};
const goodTable = {
  name: "t",
  hashKey: "k",
  attributes: [{ name: "k", type: "S" }],
  pointInTimeRecovery: { enabled: true },
  serverSideEncryption: { enabled: true, kmsKeyArn: KEY },
};
const goodCluster = {
  clusterIdentifier: "c",
  engine: "aurora-postgresql",
  storageEncrypted: true,
  kmsKeyId: KEY,
  backupRetentionPeriod: 7,
  skipFinalSnapshot: false,
  enabledCloudwatchLogsExports: ["postgresql"],
  iamDatabaseAuthenticationEnabled: true,
  copyTagsToSnapshot: true,
};
const goodRedis = {
  replicationGroupId: "r",
  description: "r",
  atRestEncryptionEnabled: true,
  kmsKeyId: KEY,
  transitEncryptionEnabled: true,
  authToken: "generated",
  subnetGroupName: "fraud-platform-dev-full-redis",
  autoMinorVersionUpgrade: true,
};
const goodEks = { name: "c", encryptionConfigKeyArn: KEY, enabledClusterLogTypes: ["api", "audit", "authenticator"] };
const goodAwsEks = {
  name: "c",
  roleArn: "arn:aws:iam::123456789012:role/r",
  vpcConfig: { subnetIds: ["s"] },
  encryptionConfig: { provider: { keyArn: KEY }, resources: ["secrets"] },
  enabledClusterLogTypes: ["api", "audit", "authenticator", "scheduler"],
};
const goodEcr = {
  name: "r",
  imageTagMutability: "IMMUTABLE",
  imageScanningConfiguration: { scanOnPush: true },
  encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY }],
};
const accessLogs = {
  destinationArn: "arn:aws:logs:eu-west-2:123456789012:log-group:/fraud-platform/dev_full/apigateway/x",
  format: '{"request_id":"$context.requestId"}',
};
const without = (o: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key)) as PropertyMap;

const cases: Case[] = [
  // SB-01: public resource policies
  {
    what: "S3 bucket policy allowing Principal *",
    policy: noPublicResourcePolicies,
    type: T.bucketPolicy,
    good: { bucket: "b", policy: json([tlsDeny, allow({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })]) },
    bad: { bucket: "b", policy: json([tlsDeny, allow({ Principal: "*" })]) },
    message:
      /policy: Statement\[1\] allows s3:GetObject to Principal "\*" with no restricting condition\. Name the principal, or add a condition such as aws:SourceArn/,
  },
  {
    what: "SNS topic policy allowing {AWS: *}",
    policy: noPublicResourcePolicies,
    type: T.topicPolicy,
    good: {
      arn: "arn:aws:sns:eu-west-2:123456789012:t",
      policy: json([
        {
          Sid: "Alarms",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: "sns:Publish",
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        },
      ]),
    },
    bad: {
      arn: "arn:aws:sns:eu-west-2:123456789012:t",
      policy: json([{ Sid: "Open", Effect: "Allow", Principal: { AWS: "*" }, Action: "sns:Publish", Resource: "*" }]),
    },
    message: /statement Open allows sns:Publish to Principal "\*"/,
  },
  {
    what: "SQS queue policy with only an IfExists condition",
    policy: noPublicResourcePolicies,
    type: T.queuePolicy,
    good: {
      queueUrl: "q",
      policy: json([
        {
          Effect: "Allow",
          Principal: "*",
          Action: "sqs:SendMessage",
          Resource: "*",
          Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:eu-west-2:123456789012:t" } },
        },
      ]),
    },
    bad: {
      queueUrl: "q",
      policy: json([
        {
          Effect: "Allow",
          Principal: "*",
          Action: "sqs:SendMessage",
          Resource: "*",
          Condition: { ArnEqualsIfExists: { "aws:SourceArn": "arn:aws:sns:eu-west-2:123456789012:t" } },
        },
      ]),
    },
    message: /allows sqs:SendMessage to Principal "\*" with no restricting condition/,
  },
  {
    what: "SQS queue inline policy with a NotPrincipal",
    policy: noPublicResourcePolicies,
    type: T.queue,
    good: { name: "q", kmsMasterKeyId: KEY },
    bad: { name: "q", policy: json([{ Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sqs:*", Resource: "*" }]) },
    message: /allows sqs:\* to everyone but its NotPrincipal/,
  },
  {
    what: "KMS key policy allowing Principal * with a wildcard SourceAccount",
    policy: noPublicResourcePolicies,
    type: T.key,
    good: {
      policy: json([{ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT } } }]),
    },
    bad: { policy: json([{ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*", Condition: { StringLike: { "aws:SourceAccount": "*" } } }]) },
    message: /allows kms:Decrypt to Principal "\*"/,
  },
  {
    what: "ECR repository policy allowing Principal *",
    policy: noPublicResourcePolicies,
    type: T.repoPolicy,
    good: { repository: "r", policy: json([{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "ecr:BatchGetImage" }]) },
    bad: { repository: "r", policy: json([{ Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" }]) },
    message: /allows ecr:BatchGetImage to Principal "\*"/,
  },
  {
    what: "an unparsable bucket policy (fail closed)",
    policy: noPublicResourcePolicies,
    type: T.bucketPolicy,
    good: { bucket: "b", policy: json([tlsDeny]) },
    bad: { bucket: "b", policy: "{not json" },
    message: /policy is not valid JSON; write it with JSON\.stringify/,
  },
  {
    what: "a Lambda permission for principal * without a source",
    policy: noPublicResourcePolicies,
    type: T.permission,
    good: {
      action: "lambda:InvokeFunction",
      function: "f",
      principal: "apigateway.amazonaws.com",
      sourceArn: "arn:aws:execute-api:eu-west-2:123456789012:api/*",
    },
    bad: { action: "lambda:InvokeFunction", function: "f", principal: "*" },
    message: /principal is "\*" with no sourceArn, sourceAccount or principalOrgId.*set sourceArn/,
  },
  // SB-02: KMS key policies and rotation
  {
    what: "a KMS key without a key policy",
    policy: kmsKeysExplicitPolicy,
    type: T.key,
    good: { enableKeyRotation: true, policy: json([{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }]) },
    bad: { enableKeyRotation: true },
    message: /policy is not set, so the key gets the default key policy\. Declare the key policy explicitly/,
  },
  {
    what: "a symmetric key without rotation",
    policy: kmsKeysExplicitPolicy,
    type: T.key,
    good: { keyUsage: "SIGN_VERIFY", customerMasterKeySpec: "ECC_NIST_P256", enableKeyRotation: false, policy: json([]) },
    bad: { keyUsage: "ENCRYPT_DECRYPT", enableKeyRotation: false, policy: json([]) },
    message: /enableKeyRotation is not true on a symmetric encryption key\. Set enableKeyRotation: true/,
  },
  // SB-03: iam:PassRole
  {
    what: "iam:PassRole on *",
    policy: passRoleScoped,
    type: T.rolePolicy,
    good: rolePolicy([
      {
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: `arn:aws:iam::${ACCOUNT}:role/fraud-platform-dev-full-sfn`,
        Condition: { StringEquals: { "iam:PassedToService": "states.amazonaws.com" } },
      },
    ]),
    bad: rolePolicy([{ Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource: "*" }]),
    message: /policy: statement Pass allows iam:PassRole on "\*".*Set Resource to the role ARNs passed/,
  },
  {
    what: "iam:* on every role of the account (a role's inline policy)",
    policy: passRoleScoped,
    type: T.role,
    good: { name: "r", assumeRolePolicy: json([]), inlinePolicies: [{ name: "p", policy: json([{ Effect: "Allow", Action: "iam:GetRole", Resource: "*" }]) }] },
    bad: {
      name: "r",
      assumeRolePolicy: json([]),
      inlinePolicies: [{ name: "p", policy: json([{ Effect: "Allow", Action: "iam:*", Resource: `arn:aws:iam::${ACCOUNT}:role/*` }]) }],
    },
    message: /inlinePolicies\[0\]\.policy: Statement\[0\] allows iam:PassRole on "arn:aws:iam::123456789012:role\/\*"/,
  },
  // SB-04: OIDC trusts
  {
    what: "a GitHub OIDC trust without a sub condition",
    policy: oidcTrustSubScoped,
    type: T.role,
    good: {
      name: "ci",
      assumeRolePolicy: githubTrust({
        StringEquals: {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": "repo:owner/repo:ref:refs/heads/main",
        },
      }),
    },
    bad: { name: "ci", assumeRolePolicy: githubTrust({ StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } }) },
    message: /trusts token\.actions\.githubusercontent\.com with no token\.actions\.githubusercontent\.com:sub condition.*Add StringEquals/,
  },
  {
    what: "a GitHub OIDC trust with a wildcard repository",
    policy: oidcTrustSubScoped,
    type: T.role,
    good: {
      name: "ci",
      assumeRolePolicy: githubTrust({
        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
        StringLike: { "token.actions.githubusercontent.com:sub": "repo:owner/repo:environment:*" },
      }),
    },
    bad: {
      name: "ci",
      assumeRolePolicy: githubTrust({
        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
        StringLike: { "token.actions.githubusercontent.com:sub": "repo:owner/*" },
      }),
    },
    message: /:sub "repo:owner\/\*" does not pin one repository/,
  },
  {
    what: "a GitHub OIDC trust without the sts audience",
    policy: oidcTrustSubScoped,
    type: T.role,
    good: {
      name: "ci",
      assumeRolePolicy: githubTrust({
        StringEquals: {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": "repo:owner/repo:ref:refs/heads/main",
        },
      }),
    },
    bad: { name: "ci", assumeRolePolicy: githubTrust({ StringEquals: { "token.actions.githubusercontent.com:sub": "repo:owner/repo:ref:refs/heads/main" } }) },
    message: /needs StringEquals "token\.actions\.githubusercontent\.com:aud": "sts\.amazonaws\.com"/,
  },
  {
    what: "an EKS OIDC (IRSA) trust without a sub condition",
    policy: oidcTrustSubScoped,
    type: T.role,
    good: {
      name: "irsa",
      assumeRolePolicy: eksTrust({ StringEquals: { [`${eksIssuer}:sub`]: "system:serviceaccount:ns:sa", [`${eksIssuer}:aud`]: "sts.amazonaws.com" } }),
    },
    bad: { name: "irsa", assumeRolePolicy: eksTrust({ StringEquals: { [`${eksIssuer}:aud`]: "sts.amazonaws.com" } }) },
    message: /trusts the OIDC provider oidc\.eks\.eu-west-2\.amazonaws\.com\/id\/ABC with no .*:sub condition/,
  },
  // SB-05 / SB-06: identity policies
  {
    what: "kms:Decrypt on every key",
    policy: kmsDecryptScoped,
    type: T.rolePolicy,
    good: rolePolicy([{ Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: KEY }]),
    bad: rolePolicy([{ Sid: "Keys", Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }]),
    message: /statement Keys allows kms:Decrypt on every KMS key\. Set Resource to the key ARNs/,
  },
  {
    what: "kms:* on key/* (a managed policy)",
    policy: kmsDecryptScoped,
    type: T.managedPolicy,
    good: { name: "p", policy: json([{ Effect: "Allow", Action: "kms:DescribeKey", Resource: "*" }]) },
    bad: { name: "p", policy: json([{ Effect: "Allow", Action: "kms:*", Resource: `arn:aws:kms:eu-west-2:${ACCOUNT}:key/*` }]) },
    message: /Statement\[0\] allows kms:\* on every KMS key\. Set Resource to the key ARNs/,
  },
  {
    what: "a service-wide wildcard action",
    policy: noServiceWildcardActions,
    type: T.rolePolicy,
    good: rolePolicy([{ Effect: "Allow", Action: ["s3:GetObject", "kms:ReEncrypt*"], Resource: "arn:aws:s3:::b/*" }]),
    bad: rolePolicy([{ Sid: "All", Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }]),
    message: /statement All allows s3:\*: every action of the service\. List the actions/,
  },
  {
    what: "Allow with NotAction",
    policy: noServiceWildcardActions,
    type: T.rolePolicy,
    good: rolePolicy([{ Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" }]),
    bad: rolePolicy([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }]),
    message: /uses NotAction with Allow.*List the allowed actions/,
  },
  // SB-07..09: Lambda
  {
    what: "a function URL with authorizationType NONE",
    policy: functionUrlIamAuth,
    type: T.functionUrl,
    good: { functionName: "f", authorizationType: "AWS_IAM" },
    bad: { functionName: "f", authorizationType: "NONE" },
    message: /authorizationType is "NONE": the URL is open to anyone\. Set authorizationType: "AWS_IAM"/,
  },
  {
    what: "a permission with functionUrlAuthType NONE",
    policy: functionUrlIamAuth,
    type: T.permission,
    good: { action: "lambda:InvokeFunctionUrl", function: "f", principal: "arn:aws:iam::123456789012:root", functionUrlAuthType: "AWS_IAM" },
    bad: { action: "lambda:InvokeFunctionUrl", function: "f", principal: "arn:aws:iam::123456789012:root", functionUrlAuthType: "NONE" },
    message: /functionUrlAuthType is "NONE".*Use "AWS_IAM"/,
  },
  {
    what: "a deprecated Lambda runtime",
    policy: lambdaSupportedRuntime,
    type: T.fn,
    good: goodFunction,
    bad: { ...goodFunction, runtime: "python3.7" },
    message: /runtime is "python3\.7", which is not a supported Lambda runtime\. Set runtime to one of/,
  },
  {
    what: "a Lambda outside the VPC",
    policy: lambdaInVpcMultiAz,
    type: T.fn,
    good: goodFunction,
    bad: without(goodFunction, "vpcConfig"),
    message: /vpcConfig is not set: the function runs outside the VPC\. Set vpcConfig\.subnetIds/,
  },
  {
    what: "a Lambda in one subnet",
    policy: lambdaInVpcMultiAz,
    type: T.fn,
    good: goodFunction,
    bad: { ...goodFunction, vpcConfig: { subnetIds: ["subnet-a"], securityGroupIds: ["sg-1"] } },
    message: /vpcConfig\.subnetIds has 1 subnet\(s\): set at least two/,
  },
  // SB-10..12: encryption at rest
  {
    what: "an SQS queue without a KMS key",
    policy: queuesTopicsEncrypted,
    type: T.queue,
    good: { name: "q", kmsMasterKeyId: KEY },
    bad: { name: "q", sqsManagedSseEnabled: true },
    message: /kmsMasterKeyId is null: the queue is not encrypted with a customer-managed key\. Set kmsMasterKeyId/,
  },
  {
    what: "an SNS topic on the AWS-managed key",
    policy: queuesTopicsEncrypted,
    type: T.topic,
    good: { name: "t", kmsMasterKeyId: KEY },
    bad: { name: "t", kmsMasterKeyId: "alias/aws/sns" },
    message: /kmsMasterKeyId is "alias\/aws\/sns": the topic is not encrypted with a customer-managed key/,
  },
  {
    what: "a log group without kmsKeyId",
    policy: logGroupsEncrypted,
    type: T.logGroup,
    good: { name: "/fraud-platform/dev_full/x", retentionInDays: 14, kmsKeyId: KEY },
    bad: { name: "/fraud-platform/dev_full/x", retentionInDays: 14 },
    message: /kmsKeyId is null: .*Set kmsKeyId to the platform key ARN/,
  },
  {
    what: "a DynamoDB table on the AWS-owned key",
    policy: dataStoresEncrypted,
    type: T.table,
    good: goodTable,
    bad: without(goodTable, "serverSideEncryption"),
    message: /serverSideEncryption is not \{enabled: true, kmsKeyArn: <customer key>\}.*Set serverSideEncryption/,
  },
  {
    what: "an RDS cluster on the aws/rds key",
    policy: dataStoresEncrypted,
    type: T.rdsCluster,
    good: goodCluster,
    bad: without(goodCluster, "kmsKeyId"),
    message: /kmsKeyId is not set: the cluster uses the AWS-managed aws\/rds key/,
  },
  {
    what: "an unencrypted RDS cluster",
    policy: dataStoresEncrypted,
    type: T.rdsCluster,
    good: goodCluster,
    bad: { ...goodCluster, storageEncrypted: false },
    message: /storageEncrypted is not true\. Set storageEncrypted: true/,
  },
  {
    what: "an ElastiCache group without a KMS key",
    policy: dataStoresEncrypted,
    type: T.redis,
    good: goodRedis,
    bad: without(goodRedis, "kmsKeyId"),
    message: /atRestEncryptionEnabled with kmsKeyId is not set.*Set atRestEncryptionEnabled: true and kmsKeyId/,
  },
  {
    what: "bucket encryption with SSE-S3",
    policy: dataStoresEncrypted,
    type: T.sse,
    good: { bucket: "b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY } }] },
    bad: { bucket: "b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
    message: /no rule sets applyServerSideEncryptionByDefault \{sseAlgorithm: "aws:kms"/,
  },
  // SB-13: recoverability
  {
    what: "a DynamoDB table without PITR",
    policy: stateStoresRecoverable,
    type: T.table,
    good: goodTable,
    bad: { ...goodTable, pointInTimeRecovery: { enabled: false } },
    message: /pointInTimeRecovery\.enabled is not true.*Set pointInTimeRecovery: \{ enabled: true \}/,
  },
  {
    what: "an RDS cluster with 1 day of backups",
    policy: stateStoresRecoverable,
    type: T.rdsCluster,
    good: goodCluster,
    bad: { ...goodCluster, backupRetentionPeriod: 1 },
    message: /backupRetentionPeriod is 1 \(default 1\): keep automated backups at least 7 days/,
  },
  {
    what: "an RDS cluster skipping its final snapshot",
    policy: stateStoresRecoverable,
    type: T.rdsCluster,
    good: goodCluster,
    bad: { ...goodCluster, skipFinalSnapshot: true },
    message: /skipFinalSnapshot is true: a destroy loses the data\. Set skipFinalSnapshot: false/,
  },
  {
    what: "an RDS instance without backups",
    policy: stateStoresRecoverable,
    type: T.rdsInstance,
    good: { identifier: "i", backupRetentionPeriod: 7, skipFinalSnapshot: false },
    bad: { identifier: "i", backupRetentionPeriod: 0 },
    message: /backupRetentionPeriod is 0: keep automated backups at least 7 days/,
  },
  // SB-14 / SB-15
  {
    what: "an RDS cluster without log exports",
    policy: rdsClusterHardened,
    type: T.rdsCluster,
    good: goodCluster,
    bad: without(goodCluster, "enabledCloudwatchLogsExports"),
    message: /enabledCloudwatchLogsExports is empty.*Set enabledCloudwatchLogsExports: \["postgresql"\]/,
  },
  {
    what: "an RDS cluster without IAM auth",
    policy: rdsClusterHardened,
    type: T.rdsCluster,
    good: goodCluster,
    bad: without(goodCluster, "iamDatabaseAuthenticationEnabled"),
    message: /iamDatabaseAuthenticationEnabled is not true\. Set iamDatabaseAuthenticationEnabled: true/,
  },
  {
    what: "an RDS cluster not copying tags to snapshots",
    policy: rdsClusterHardened,
    type: T.rdsCluster,
    good: goodCluster,
    bad: { ...goodCluster, copyTagsToSnapshot: false },
    message: /copyTagsToSnapshot is not true.*Set copyTagsToSnapshot: true/,
  },
  {
    what: "ElastiCache without minor upgrades",
    policy: elasticacheHardened,
    type: T.redis,
    good: goodRedis,
    bad: { ...goodRedis, autoMinorVersionUpgrade: false },
    message: /autoMinorVersionUpgrade is false.*Leave autoMinorVersionUpgrade true/,
  },
  {
    what: "ElastiCache in the default subnet group",
    policy: elasticacheHardened,
    type: T.redis,
    good: goodRedis,
    bad: { ...goodRedis, subnetGroupName: "default" },
    message: /subnetGroupName is "default".*set subnetGroupName/,
  },
  {
    what: "ElastiCache without client auth",
    policy: elasticacheHardened,
    type: T.redis,
    good: goodRedis,
    bad: without(goodRedis, "authToken"),
    message: /neither authToken nor userGroupIds is set.*Set authToken/,
  },
  // SB-16: EKS
  {
    what: "an eks.Cluster without secrets encryption",
    policy: eksSecretsEncryptedAndLogged,
    type: T.eks,
    good: goodEks,
    bad: without(goodEks, "encryptionConfigKeyArn"),
    message: /encryptionConfigKeyArn is not set: Kubernetes secrets are not envelope-encrypted\. Set encryptionConfigKeyArn/,
  },
  {
    what: "an eks.Cluster without the audit log",
    policy: eksSecretsEncryptedAndLogged,
    type: T.eks,
    good: goodEks,
    bad: { ...goodEks, enabledClusterLogTypes: ["api", "authenticator"] },
    message: /enabledClusterLogTypes lacks audit.*Set enabledClusterLogTypes to include api, audit, authenticator/,
  },
  {
    what: "an aws.eks.Cluster without encryptionConfig",
    policy: eksSecretsEncryptedAndLogged,
    type: T.awsEks,
    good: goodAwsEks,
    bad: without(goodAwsEks, "encryptionConfig"),
    message: /encryptionConfig does not encrypt "secrets" with a KMS key/,
  },
  // SB-17: ECR
  {
    what: "a mutable ECR repository",
    policy: ecrRepositoryHardened,
    type: T.ecr,
    good: goodEcr,
    bad: { ...goodEcr, imageTagMutability: "MUTABLE" },
    message: /imageTagMutability is "MUTABLE".*Set imageTagMutability: "IMMUTABLE"/,
  },
  {
    what: "an ECR repository without scan on push",
    policy: ecrRepositoryHardened,
    type: T.ecr,
    good: goodEcr,
    bad: without(goodEcr, "imageScanningConfiguration"),
    message: /imageScanningConfiguration\.scanOnPush is not true/,
  },
  {
    what: "an ECR repository on the AWS-managed key",
    policy: ecrRepositoryHardened,
    type: T.ecr,
    good: goodEcr,
    bad: { ...goodEcr, encryptionConfigurations: [{ encryptionType: "AES256" }] },
    message: /encryptionConfigurations does not set encryptionType "KMS" with kmsKey/,
  },
  // SB-22 / SB-23: EC2
  {
    what: "an instance allowing IMDSv1",
    policy: imdsv2Required,
    type: T.instance,
    good: { ami: "ami-1", instanceType: "t3.micro", metadataOptions: { httpTokens: "required" } },
    bad: { ami: "ami-1", instanceType: "t3.micro" },
    message: /metadataOptions\.httpTokens is "optional": IMDSv1.*Set metadataOptions: \{ httpTokens: "required"/,
  },
  {
    what: "a launch template allowing IMDSv1",
    policy: imdsv2Required,
    type: T.launchTemplate,
    good: { metadataOptions: { httpEndpoint: "disabled" } },
    bad: { metadataOptions: { httpTokens: "optional" } },
    message: /metadataOptions\.httpTokens is "optional"/,
  },
  {
    what: "an EKS node group without a launch template",
    policy: imdsv2Required,
    type: "aws:eks/nodeGroup:NodeGroup",
    good: {
      clusterName: "c",
      nodeRoleArn: "r",
      subnetIds: ["s"],
      scalingConfig: { minSize: 0, desiredSize: 0, maxSize: 2 },
      launchTemplate: { name: "lt", version: "1" },
    },
    bad: { clusterName: "c", nodeRoleArn: "r", subnetIds: ["s"], scalingConfig: { minSize: 0, desiredSize: 0, maxSize: 2 }, diskSize: 20 },
    message: /launchTemplate is not set: .*does not require IMDSv2\. Give the node group a launch template with metadataOptions\.httpTokens "required"/,
  },
  {
    what: "a subnet mapping public IPs",
    policy: subnetsNoPublicIp,
    type: T.subnet,
    good: { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: false },
    bad: { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true },
    message: /mapPublicIpOnLaunch is true.*Set mapPublicIpOnLaunch: false/,
  },
  // SB-24..27: service logging and alerting
  {
    what: "an HTTP API stage without access logs",
    policy: apiStageAccessLogging,
    type: T.httpStage,
    good: { apiId: "a", name: "v1", accessLogSettings: accessLogs },
    bad: { apiId: "a", name: "v1" },
    message: /accessLogSettings is missing its destinationArn or format.*Set accessLogSettings/,
  },
  {
    what: "a REST API stage without a log format",
    policy: apiStageAccessLogging,
    type: T.restStage,
    good: { restApi: "a", stageName: "v1", deployment: "d", accessLogSettings: accessLogs },
    bad: { restApi: "a", stageName: "v1", deployment: "d", accessLogSettings: { destinationArn: accessLogs.destinationArn } },
    message: /accessLogSettings is missing its destinationArn or format/,
  },
  {
    what: "a state machine with logging OFF",
    policy: stateMachineLogging,
    type: T.stateMachine,
    good: {
      name: "m",
      roleArn: "r",
      definition: "{}",
      loggingConfiguration: { level: "ERROR", logDestination: "arn:aws:logs:eu-west-2:123456789012:log-group:/x:*" },
    },
    bad: { name: "m", roleArn: "r", definition: "{}", loggingConfiguration: { level: "OFF" } },
    message: /loggingConfiguration\.level is "OFF".*Set loggingConfiguration: \{ level: "ERROR"/,
  },
  {
    what: "a state machine logging nowhere",
    policy: stateMachineLogging,
    type: T.stateMachine,
    good: {
      name: "m",
      roleArn: "r",
      definition: "{}",
      loggingConfiguration: { level: "ALL", logDestination: "arn:aws:logs:eu-west-2:123456789012:log-group:/x:*" },
    },
    bad: { name: "m", roleArn: "r", definition: "{}", loggingConfiguration: { level: "ALL" } },
    message: /loggingConfiguration\.logDestination is not set/,
  },
  {
    what: "an ECS cluster without Container Insights (advisory)",
    policy: ecsContainerInsights,
    type: T.ecsCluster,
    good: { name: "c", settings: [{ name: "containerInsights", value: "enabled" }] },
    bad: { name: "c", settings: [{ name: "containerInsights", value: "disabled" }] },
    message: /settings containerInsights is "disabled".*Set \{ name: "containerInsights", value: "enabled" \}/,
  },
  {
    what: "an alarm without actions",
    policy: alarmsAct,
    type: T.alarm,
    good: { name: "a", comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 1, alarmActions: ["arn:aws:sns:eu-west-2:123456789012:t"] },
    bad: { name: "a", comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 1 },
    message: /alarmActions is empty.*Set alarmActions to the ops alarm topic ARN/,
  },
  {
    what: "an alarm with actions disabled",
    policy: alarmsAct,
    type: T.alarm,
    good: { name: "a", alarmActions: ["arn:aws:sns:eu-west-2:123456789012:t"], actionsEnabled: true },
    bad: { name: "a", alarmActions: ["arn:aws:sns:eu-west-2:123456789012:t"], actionsEnabled: false },
    message: /actionsEnabled is false.*Remove actionsEnabled: false/,
  },
];

describe("security baseline resource rules", () => {
  it.each(cases.map((c) => [c.policy.name, c.what, c] as const))("%s fires on %s", async (_name, _what, c) => {
    const r = await check(c.policy, doc(resource(c.type, "bad", c.bad)));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].policy).toBe(c.policy.name);
    expect(r.violations[0].enforcementLevel).toBe(c.policy.enforcementLevel);
    expect(r.violations[0].message.split("\n")[1]).toMatch(c.message);
  });

  it.each(cases.map((c) => [c.policy.name, c.what, c] as const))("%s stays quiet on the compliant counterpart of %s", async (_name, _what, c) => {
    const r = await check(c.policy, doc(resource(c.type, "good", c.good)));
    expect(r.violations).toEqual([]);
  });

  it("are mandatory except Container Insights, which is advisory by nature (its description says why)", () => {
    const levels = Object.fromEntries([...new Set(cases.map((c) => c.policy))].map((p) => [p.name, p.enforcementLevel]));
    expect(Object.entries(levels).filter(([, l]) => l !== "mandatory")).toEqual([["sb-26-ecs-container-insights", "advisory"]]);
    expect(ecsContainerInsights.description).toMatch(/advisory: an observability and cost trade-off/);
  });

  it("leave resources of other types alone", async () => {
    const r = await check(
      [...new Set(cases.map((c) => c.policy))],
      doc(
        resource("aws:ec2/vpc:Vpc", "v", { cidrBlock: "10.0.0.0/16" }),
        resource("aws:iam/role:Role", "r", {
          name: "r",
          assumeRolePolicy: json([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]),
        }),
      ),
    );
    expect(r.violations).toEqual([]);
  });
});
