/**
 * Compliant fixtures of the data_ml and ops resource types for policy tests (same shape as policyFixtures: build a
 * compliant resource, mutate one field, evaluate with the plan's harness), plus stack documents for stack rules.
 */
import { PreviewDocument, PropertyMap, ResourceState } from "../../src/plan/previewDocument";
import { clusterPolicyDefinition } from "../../src/dataml/databricks";
import { TAGS } from "./policyFixtures";

export const DATA_ML_STACK = "dev-full-data-ml";
export const OPS_STACK = "dev-full-ops";
export const ACCOUNT = "123456789012";

export const T = {
  cluster: "databricks:index/cluster:Cluster",
  job: "databricks:index/job:Job",
  clusterPolicy: "databricks:index/clusterPolicy:ClusterPolicy",
  endpoint: "aws:sagemaker/endpoint:Endpoint",
  modelPackageGroup: "aws:sagemaker/modelPackageGroup:ModelPackageGroup",
  mlflowServer: "aws:sagemaker/mlflowTrackingServer:MlflowTrackingServer",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  instance: "aws:ec2/instance:Instance",
  deployment: "kubernetes:apps/v1:Deployment",
  glueDatabase: "aws:glue/catalogDatabase:CatalogDatabase",
  glueTable: "aws:glue/catalogTable:CatalogTable",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  budget: "aws:budgets/budget:Budget",
  mwaa: "aws:mwaa/environment:Environment",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  policy: "aws:iam/policy:Policy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  awsProvider: "pulumi:providers:aws",
} as const;

export function stackUrn(stack: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::fraud-platform::${type}::${name}`;
}

/** A resource of `stack` (optionally managed by `provider`, a provider state of the same document). */
export function res(stack: string, type: string, name: string, inputs: PropertyMap, provider?: ResourceState): ResourceState {
  return {
    urn: stackUrn(stack, type, name),
    type,
    custom: true,
    protect: false,
    retainOnDelete: false,
    dependencies: [],
    inputs,
    ...(provider ? { provider: `${provider.urn}::0b9b2f1e-provider-id` } : {}),
  };
}

/** A stack document with its root resource (stack rules point their violations at it). */
export function stackDoc(stack: string, ...states: ResourceState[]): PreviewDocument {
  const root: ResourceState = {
    urn: stackUrn(stack, "pulumi:pulumi:Stack", `fraud-platform-${stack}`),
    type: "pulumi:pulumi:Stack",
    custom: false,
    inputs: {},
  };
  const all = [root, ...states];
  return { stack, steps: all.map((s) => ({ op: "create", urn: s.urn, newState: s })), changeSummary: { create: all.length } };
}

export const DATA_ML_TAGS = { ...TAGS, fp_stack: "data_ml" };
export const OPS_TAGS = { ...TAGS, fp_stack: "ops" };

const jobCluster = () => ({
  policyId: "0E7F4D0B0B146D01",
  applyPolicyDefaultValues: true,
  sparkVersion: "15.4.x-scala2.12",
  nodeTypeId: "m5d.large",
  autoscale: { minWorkers: 1, maxWorkers: 8 },
  dataSecurityMode: "USER_ISOLATION",
});

export const apiId = "167f94a9d5";
const fn = "fraud-platform-dev-full-ig-handler";
const clusterName = "fraud-platform-dev-full";

export const dataMlCompliant = {
  job: (): PropertyMap => ({
    name: "fraud-platform-dev-full-ofs-build-v0",
    timeoutSeconds: 7200,
    maxConcurrentRuns: 1,
    jobClusters: [{ jobClusterKey: "ofs_job_compute", newCluster: jobCluster() }],
    tasks: [{ taskKey: "ofs_build", jobClusterKey: "ofs_job_compute", sparkPythonTask: { pythonFile: "/Workspace/Shared/x.py" }, timeoutSeconds: 7200 }],
  }),
  clusterPolicy: (): PropertyMap => ({
    name: "fraud-platform-dev-full-ofs-job-compute",
    definition: JSON.stringify(
      clusterPolicyDefinition({ autoscale: { minWorkers: 1, maxWorkers: 8 }, autoTerminateMinutes: 20, customTags: { project: "fraud-platform" } }),
    ),
  }),
  modelPackageGroup: (): PropertyMap => ({ modelPackageGroupName: "fraud-platform-dev-full-models", tags: DATA_ML_TAGS }),
  endpoint: (name = "fraud-platform-dev-full-online-v0"): PropertyMap => ({ name, endpointConfigName: "cfg", tags: DATA_ML_TAGS }),
  glueDatabase: (): PropertyMap => ({
    name: "fraud_platform_dev_full_ofs",
    locationUri: "s3://fraud-platform-dev-full-object-store/learning/ofs/iceberg/warehouse/",
    tags: DATA_ML_TAGS,
  }),
  glueTable: (): PropertyMap => ({
    name: "ofs_features_v0",
    databaseName: "fraud_platform_dev_full_ofs",
    tableType: "EXTERNAL_TABLE",
    parameters: { table_type: "ICEBERG", format: "parquet" },
    openTableFormatInput: { icebergInput: { metadataOperation: "CREATE", version: "2" } },
  }),
  taskDefinition: (): PropertyMap => ({
    family: "fraud-platform-dev-full-df",
    containerDefinitions: JSON.stringify([
      { name: "df", image: "123456789012.dkr.ecr.eu-west-2.amazonaws.com/fraud-platform-dev-full:git-abc1234-run-1", command: ["python", "-m", "df"] },
    ]),
  }),
  instance: (): PropertyMap => ({ ami: "ami-0abc", instanceType: "t3.small", userData: "#!/bin/bash\nyum install -y python3\n" }),
};

export const opsCompliant = {
  logGroup: (name = "/fraud-platform/dev_full/runtime-bootstrap"): PropertyMap => ({
    name,
    retentionInDays: 14,
    kmsKeyId: "arn:aws:kms:eu-west-2:123456789012:key/abc",
    tags: OPS_TAGS,
  }),
  /** The three pinned alarms plus health alarms watching the same ids the dashboards plot. */
  alarms: (): Array<[string, PropertyMap]> => [
    [
      "error-rate",
      {
        name: "fraud-platform-dev-full-error-rate",
        metricQueries: [
          { id: "errors", metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: fn }, stat: "Sum", period: 300 } },
          { id: "value", expression: "errors" },
        ],
      },
    ],
    [
      "rtdl-lag",
      {
        name: "fraud-platform-dev-full-rtdl-lag",
        namespace: "AWS/KinesisAnalytics",
        metricName: "records_lag_max",
        dimensions: { Application: "fraud-platform-dev-full-rtdl-ieg-ofp-v0" },
      },
    ],
    [
      "ig-http-anomaly",
      {
        name: "fraud-platform-dev-full-ig-http-anomaly",
        metricQueries: [
          { id: "server", metric: { namespace: "AWS/ApiGateway", metricName: "5xx", dimensions: { ApiId: apiId, Stage: "v1" }, stat: "Sum", period: 300 } },
        ],
      },
    ],
    [
      "eks",
      {
        name: "fraud-platform-dev-full-eks-apiserver-5xx",
        namespace: "AWS/EKS",
        metricName: "apiserver_request_total_5XX",
        dimensions: { ClusterName: clusterName },
      },
    ],
  ],
  operationsBody: (api = apiId) => ({
    widgets: [
      {
        type: "metric",
        properties: { title: "Ingress API", region: "eu-west-2", metrics: [["AWS/ApiGateway", "5xx", "ApiId", api, "Stage", "v1", { stat: "Sum" }]] },
      },
      {
        type: "metric",
        properties: {
          title: "Lambda",
          region: "eu-west-2",
          metrics: [
            ["AWS/Lambda", "Errors", "FunctionName", fn],
            ["AWS/EKS", "apiserver_request_total_5XX", "ClusterName", clusterName],
          ],
        },
      },
      { type: "alarm", properties: { title: "alarms", alarms: [`arn:aws:cloudwatch:eu-west-2:${ACCOUNT}:alarm:fraud-platform-dev-full-error-rate`] } },
      { type: "text", properties: { markdown: "## Operator chain" } },
    ],
  }),
  costBody: (region = "us-east-1") => ({
    widgets: [
      {
        type: "metric",
        properties: { title: "Estimated charges", region, metrics: [["AWS/Billing", "EstimatedCharges", "Currency", "USD", { stat: "Maximum" }]] },
      },
    ],
  }),
  budget: (): PropertyMap => ({
    name: "fraud-platform-dev-full-monthly",
    budgetType: "COST",
    timeUnit: "MONTHLY",
    limitAmount: "300",
    limitUnit: "USD",
    notifications: [120, 210, 270].map((threshold) => ({
      comparisonOperator: "GREATER_THAN",
      threshold,
      thresholdType: "ABSOLUTE_VALUE",
      notificationType: "ACTUAL",
      subscriberEmailAddresses: ["ops@example.com"],
    })),
    tags: OPS_TAGS,
  }),
  billingAlarm: (): PropertyMap => ({
    name: "fraud-platform-dev-full-billing-estimated-charges",
    namespace: "AWS/Billing",
    metricName: "EstimatedCharges",
    dimensions: { Currency: "USD" },
    statistic: "Maximum",
    period: 21600,
    threshold: 270,
  }),
  ciRole: (): PropertyMap => ({ name: "fraud-platform-dev-full-github-actions", assumeRolePolicy: "{}", tags: OPS_TAGS }),
  ciPolicy: (actions: string[]): PropertyMap => ({
    role: "fraud-platform-dev-full-github-actions",
    name: "least-privilege",
    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Teardown", Effect: "Allow", Action: actions, Resource: "*" }] }),
  }),
};

export const TEARDOWN_ACTIONS = [
  "eks:ListNodegroups",
  "eks:UpdateNodegroupConfig",
  "eks:DescribeUpdate",
  "sagemaker:ListEndpoints",
  "sagemaker:DescribeEndpoint",
  "sagemaker:DeleteEndpoint",
  "ecs:UpdateService",
  "ecs:DescribeServices",
  "emr-containers:ListJobRuns",
  "emr-containers:CancelJobRun",
];

/** A compliant ops stack for the DA-82 stack rule: the two dashboards and the pinned alarms. */
export function opsObservabilityStates(operationsBody: unknown = opsCompliant.operationsBody()): ResourceState[] {
  return [
    res(OPS_STACK, T.dashboard, "dashboards-operations", {
      dashboardName: "fraud-platform-dev-full-operations",
      dashboardBody: JSON.stringify(operationsBody),
    }),
    res(OPS_STACK, T.dashboard, "dashboards-cost-guardrail", {
      dashboardName: "fraud-platform-dev-full-cost-guardrail",
      dashboardBody: JSON.stringify(opsCompliant.costBody()),
    }),
    ...opsCompliant.alarms().map(([key, inputs]) => res(OPS_STACK, T.alarm, `platform-${key}`, inputs)),
    res(OPS_STACK, T.alarm, "cost-guardrail-estimated-charges", opsCompliant.billingAlarm()),
  ];
}
