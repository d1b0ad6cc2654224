/**
 * Least-privilege statements of the data_ml roles, built with the typed IAM builder (src/iam/policy.ts), so the
 * builder's rules (no delete, no oracle-store writes, justified wildcards) hold for them too.
 *
 * - SageMaker execution: reads the parameters it needs, the OFS warehouse (read-only), writes run evidence and model
 *   artifacts under their prefixes, pulls the platform image, writes its own logs/metrics, registers candidates
 *   in the model package group. Its logs grant is scoped to `/aws/sagemaker/*`, and GetBucketLocation carries no
 *   `s3:prefix` condition (which that call can never match).
 * - Databricks Unity Catalog role: read-only on the object store (no put, no delete), decrypt only through S3, the
 *   self-assume Unity Catalog requires, and the workspace URL / tracking URI parameters, never the token (Databricks'
 *   control plane cannot read it).
 */
import * as pulumi from "@pulumi/pulumi";
import { s3KmsStatement } from "../iam/laneStatements";
import { StatementSpec, s3PrefixStatements, ssmReadStatements } from "../iam/policy";

/** The fixed part of a key pattern: `evidence/runs/{platform_run_id}/` -> `evidence/runs/`. */
export function staticPrefixOf(pattern: string): string {
  const head = pattern.split("{")[0];
  const prefix = head.slice(0, head.lastIndexOf("/") + 1);
  if (prefix === "") throw new Error(`pattern ${JSON.stringify(pattern)} has no fixed prefix`);
  return prefix;
}

export interface SagemakerRoleInputs {
  region: string;
  accountId: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  evidenceBucketArn: pulumi.Input<string>;
  objectStoreBucketArn: pulumi.Input<string>;
  /** OFS Iceberg warehouse prefix (read-only). */
  warehousePrefix: string;
  /** Model artifact prefix (read-write, no delete). */
  trainingOutputPrefix: string;
  /** Run evidence prefix, `evidence/runs/` (read-write, no delete). */
  evidenceRunsPrefix: string;
  /** SSM parameter paths the jobs read. */
  parameterPaths: string[];
  /** Platform image repository (custom training/inference images). */
  ecrRepositoryName: pulumi.Input<string>;
  /** Model package group candidates are registered in. */
  modelPackageGroupName: string;
}

export function sagemakerRoleStatements(i: SagemakerRoleInputs): StatementSpec[] {
  const logGroups = pulumi.interpolate`arn:aws:logs:${i.region}:${i.accountId}:log-group:/aws/sagemaker/*`;
  return [
    ...ssmReadStatements({ sid: "SageMaker", region: i.region, accountId: i.accountId, parameterPaths: i.parameterPaths, kmsKeyArn: i.kmsKeyArn }),
    ...s3PrefixStatements({ sid: "EvidenceRuns", bucketArn: i.evidenceBucketArn, prefix: i.evidenceRunsPrefix, access: "readwrite" }),
    ...s3PrefixStatements({ sid: "OfsWarehouse", bucketArn: i.objectStoreBucketArn, prefix: i.warehousePrefix, access: "read" }),
    ...s3PrefixStatements({ sid: "ModelArtifacts", bucketArn: i.objectStoreBucketArn, prefix: i.trainingOutputPrefix, access: "readwrite" }),
    { sid: "PlatformBucketsLocation", actions: ["s3:GetBucketLocation"], resources: [i.evidenceBucketArn, i.objectStoreBucketArn] },
    s3KmsStatement("SageMaker", i.region, i.kmsKeyArn),
    {
      sid: "SageMakerLogs",
      actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      resources: [logGroups, pulumi.interpolate`${logGroups}:log-stream:*`],
    },
    {
      sid: "SageMakerMetrics",
      actions: ["cloudwatch:PutMetricData"],
      resources: ["*"],
      conditions: { StringLike: { "cloudwatch:namespace": "/aws/sagemaker/*" } },
      wildcardJustification: "PutMetricData has no resource-level scope; the namespace condition limits it to SageMaker's namespaces.",
    },
    {
      sid: "EcrAuthorization",
      actions: ["ecr:GetAuthorizationToken"],
      resources: ["*"],
      wildcardJustification: "GetAuthorizationToken is account-wide by design; image reads below are limited to the platform repository.",
    },
    {
      sid: "PlatformImagePull",
      actions: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
      resources: [pulumi.interpolate`arn:aws:ecr:${i.region}:${i.accountId}:repository/${i.ecrRepositoryName}`],
    },
    {
      sid: "ModelRegistryCandidates",
      actions: ["sagemaker:DescribeModelPackageGroup", "sagemaker:CreateModelPackage", "sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"],
      resources: [
        pulumi.interpolate`arn:aws:sagemaker:${i.region}:${i.accountId}:model-package-group/${i.modelPackageGroupName}`,
        pulumi.interpolate`arn:aws:sagemaker:${i.region}:${i.accountId}:model-package/${i.modelPackageGroupName}/*`,
      ],
    },
  ];
}

export interface DatabricksRoleInputs {
  region: string;
  accountId: pulumi.Input<string>;
  /** The role's own name (Unity Catalog requires it to assume itself). */
  roleName: string;
  kmsKeyArn: pulumi.Input<string>;
  objectStoreBucketArn: pulumi.Input<string>;
  /** Parameters Databricks jobs read (workspace URL, tracking URI; never the token). */
  parameterPaths: string[];
}

export function databricksRoleStatements(i: DatabricksRoleInputs): StatementSpec[] {
  return [
    // Unity Catalog lists the external location from its root, so listing is bucket-wide; object reads are read-only.
    { sid: "ObjectStoreList", actions: ["s3:ListBucket", "s3:GetBucketLocation"], resources: [i.objectStoreBucketArn] },
    { sid: "ObjectStoreRead", actions: ["s3:GetObject", "s3:GetObjectVersion"], resources: [pulumi.interpolate`${i.objectStoreBucketArn}/*`] },
    {
      sid: "ObjectStoreDecrypt",
      actions: ["kms:Decrypt", "kms:DescribeKey"],
      resources: [i.kmsKeyArn],
      conditions: { StringEquals: { "kms:ViaService": `s3.${i.region}.amazonaws.com` } },
    },
    { sid: "UnityCatalogSelfAssume", actions: ["sts:AssumeRole"], resources: [pulumi.interpolate`arn:aws:iam::${i.accountId}:role/${i.roleName}`] },
    ...ssmReadStatements({ sid: "Databricks", region: i.region, accountId: i.accountId, parameterPaths: i.parameterPaths, kmsKeyArn: i.kmsKeyArn }),
  ];
}
