/**
 * Identity of the MWAA environment. While AIRFLOW_MODE is deferred the execution role can read only its webserver
 * parameter. Once MWAA is on, it also gets what an environment needs to run, each scoped to
 * that environment: metrics of the environment, DAGs read-only from the artifacts bucket, its own `airflow-<env>-*`
 * log groups and `airflow-celery-*` queues (names MWAA fixes), and the AWS-owned queue key through SQS only.
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StatementSpec, s3PrefixStatements, ssmReadStatements } from "../iam/policy";

/** Trust for the two MWAA service principals, bound to this account. */
export function mwaaTrust(accountId: string): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: ["airflow.amazonaws.com", "airflow-env.amazonaws.com"] },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  };
}

export interface MwaaStatementsInput {
  region: string;
  accountId: pulumi.Input<string>;
  /** Platform key (decrypts the webserver parameter if it is ever a SecureString). */
  platformKeyArn: pulumi.Input<string>;
  webserverParameterPath: string;
  /** Set once an environment exists (AIRFLOW_MODE not deferred). */
  environment?: { name: string; artifactsBucketArn: pulumi.Input<string>; dagPrefix: string };
}

export function mwaaExecutionStatements(i: MwaaStatementsInput): StatementSpec[] {
  const base = ssmReadStatements({
    sid: "Mwaa",
    region: i.region,
    accountId: i.accountId,
    parameterPaths: [i.webserverParameterPath],
    kmsKeyArn: i.platformKeyArn,
  });
  if (!i.environment) return base;
  const e = i.environment;
  return [
    ...base,
    {
      sid: "MwaaPublishMetrics",
      actions: ["airflow:PublishMetrics"],
      resources: [pulumi.interpolate`arn:aws:airflow:${i.region}:${i.accountId}:environment/${e.name}`],
    },
    ...s3PrefixStatements({ sid: "MwaaDags", bucketArn: e.artifactsBucketArn, prefix: e.dagPrefix, access: "read" }),
    { sid: "MwaaDagBucket", actions: ["s3:GetBucketLocation", "s3:GetBucketPublicAccessBlock"], resources: [e.artifactsBucketArn] },
    {
      sid: "MwaaLogs",
      actions: [
        "logs:CreateLogStream",
        "logs:CreateLogGroup",
        "logs:PutLogEvents",
        "logs:GetLogEvents",
        "logs:GetLogRecord",
        "logs:GetLogGroupFields",
        "logs:GetQueryResults",
      ],
      resources: [pulumi.interpolate`arn:aws:logs:${i.region}:${i.accountId}:log-group:airflow-${e.name}-*`],
    },
    {
      sid: "MwaaAccountReads",
      actions: ["logs:DescribeLogGroups", "s3:GetAccountPublicAccessBlock", "cloudwatch:PutMetricData"],
      resources: ["*"],
      wildcardJustification: "MWAA checks log groups and the account's public access block, and publishes metrics; none of these has a resource-level scope.",
    },
    {
      sid: "MwaaCeleryQueues",
      actions: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:SendMessage"],
      resources: [pulumi.interpolate`arn:aws:sqs:${i.region}:*:airflow-celery-*`],
    },
    {
      sid: "MwaaQueueKey",
      actions: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:Encrypt"],
      resources: ["*"],
      conditions: { StringLike: { "kms:ViaService": [`sqs.${i.region}.amazonaws.com`] } },
      wildcardJustification: "The Celery queues use an AWS-owned key whose ARN is not known in advance; use is limited to SQS in the home region.",
    },
  ];
}
