/**
 * data_ml: the data/ML control surface of dev_full (project issue 5). The AWS side is always declared: the SageMaker
 * execution role and the Databricks Unity Catalog role (least privilege, trust valid on first create), the SageMaker
 * model package group, the Glue database of the OFS Iceberg warehouse, and the four SSM parameters workloads read.
 * Behind `dataMl.databricksEnabled` the Databricks objects of the external workspace: read-only storage credential
 * and external location over the object store, a job-compute-only cluster policy, the two OFS jobs, the MLflow
 * experiment and registered model. Reads core's key and buckets through a StackReference.
 * Parity target: ../shared/spec/stacks/data_ml.md, with its defects fixed (no self-referencing trust principal, no
 * placeholder seeds, token from a secret under the platform key, no hard-coded account, key or bucket).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatabricksOfsWorkspace } from "../components/databricksOfsWorkspace";
import { HandleParameters, HandleParameterSpec } from "../components/handleParameters";
import { LearningCatalog } from "../components/learningCatalog";
import { WorkloadRole } from "../components/workloadRole";
import { DATABRICKS_TOKEN_KEY, DataMlSettings } from "../src/config/dataMlSettings";
import { Environment, layerSection } from "../src/config/environment";
import { secretSetting } from "../src/config/secrets";
import { parseAutoscaleRange, unityCatalogTrust } from "../src/dataml/databricks";
import { databricksRoleStatements, sagemakerRoleStatements, staticPrefixOf } from "../src/dataml/roles";
import { serviceTrust } from "../src/iam/policy";
import { Tags, tagsFor } from "../src/tags";
import { StackOutputs, deferred, handleOutputs } from "./handleOutputs";

const DATABRICKS_OFF = "the Databricks part is off (fraud-platform:dataMl.databricksEnabled)";
import { CoreOutputs } from "./upstreamOutputs";

/** The layer's settings; a missing section is a config error naming the key. */
export function dataMlSettingsOf(env: Environment): DataMlSettings {
  const settings = layerSection(env, "dataMl");
  return settings;
}

/** What every part of the data_ml layer shares: settings, account, core's reads, parameter paths, the token. */
interface DataMlContext {
  env: Environment;
  r: Environment["registry"];
  settings: DataMlSettings;
  dbx: DataMlSettings["databricks"];
  tags: Tags;
  accountId: pulumi.Output<string>;
  core: CoreOutputs;
  paths: { workspaceUrl: string; token: string; trackingUri: string; modelExecRoleArn: string };
  /** The Databricks token (a secret of this stack): required with Databricks on (a real run fails closed without it). */
  token?: ReturnType<typeof secretSetting>;
}

function dataMlContext(env: Environment): DataMlContext {
  const r = env.registry;
  const settings = dataMlSettingsOf(env);
  return {
    env,
    r,
    settings,
    dbx: settings.databricks,
    tags: tagsFor(env),
    accountId: aws.getCallerIdentityOutput().accountId,
    // A missing or malformed core output stops the program naming it (the reference hard-coded key and buckets).
    core: new CoreOutputs(env),
    paths: {
      workspaceUrl: r.string("SSM_DATABRICKS_WORKSPACE_URL_PATH"),
      token: r.string("SSM_DATABRICKS_TOKEN_PATH"),
      trackingUri: r.string("SSM_MLFLOW_TRACKING_URI_PATH"),
      modelExecRoleArn: r.string("SSM_SAGEMAKER_MODEL_EXEC_ROLE_ARN_PATH"),
    },
    token:
      settings.databricksEnabled || env.settings.databricksToken !== undefined
        ? secretSetting(env, DATABRICKS_TOKEN_KEY, env.settings.databricksToken, "the Databricks personal access token of the deploying identity")
        : undefined,
  };
}

export function dataMlStack(env: Environment): StackOutputs {
  const ctx = dataMlContext(env);
  const sagemakerRole = sagemakerExecutionRole(ctx);
  const databricksRole = databricksRoleOf(ctx);
  // --- Model registry and OFS catalog -----------------------------------------------------------------------------
  const catalog = new LearningCatalog("learning", {
    databaseName: ctx.r.string("OFS_ICEBERG_DATABASE"),
    warehouseBucket: ctx.core.bucketNames.object_store,
    warehousePrefix: ctx.r.string("OFS_ICEBERG_WAREHOUSE_PREFIX_PATTERN"),
    modelPackageGroupName: ctx.r.string("SM_MODEL_PACKAGE_GROUP_NAME"),
    tags: ctx.tags,
  });
  const workspace = ctx.settings.databricksEnabled && ctx.dbx && ctx.token ? databricksWorkspace(ctx, ctx.dbx, ctx.token.value, databricksRole) : undefined;
  const parameters = handleParameters(ctx, sagemakerRole);
  return dataMlOutputs(ctx, { sagemakerRole, databricksRole, catalog, workspace, parameters });
}

/** The SageMaker execution role: only SageMaker acting for this account may assume it (confused-deputy guard). */
function sagemakerExecutionRole(ctx: DataMlContext): WorkloadRole {
  const { r, env, accountId, core, paths } = ctx;
  return new WorkloadRole("sagemaker-execution", {
    roleName: r.roleName("ROLE_SAGEMAKER_EXECUTION"),
    trust: accountId.apply((id) => serviceTrust("sagemaker.amazonaws.com", { StringEquals: { "aws:SourceAccount": id } })),
    statements: sagemakerRoleStatements({
      region: env.region,
      accountId,
      kmsKeyArn: core.kmsKeyArn,
      evidenceBucketArn: core.bucketArns.evidence,
      objectStoreBucketArn: core.bucketArns.object_store,
      warehousePrefix: r.string("OFS_ICEBERG_WAREHOUSE_PREFIX_PATTERN"),
      trainingOutputPrefix: r.string("SM_TRAINING_OUTPUT_PREFIX"),
      evidenceRunsPrefix: staticPrefixOf(r.string("S3_EVIDENCE_RUN_ROOT_PATTERN")),
      parameterPaths: [paths.modelExecRoleArn, paths.trackingUri, paths.workspaceUrl, paths.token],
      ecrRepositoryName: core.ecrRepositoryName,
      modelPackageGroupName: r.string("SM_MODEL_PACKAGE_GROUP_NAME"),
    }),
    tags: tagsFor(env, { fp_resource: "sagemaker_execution_role" }),
  });
}

/** The Databricks Unity Catalog role: trust valid on first create, read of the object store and two parameters. */
function databricksRoleOf(ctx: DataMlContext): WorkloadRole {
  const { r, env, accountId, dbx } = ctx;
  const roleName = r.roleName("ROLE_DATABRICKS_CROSS_ACCOUNT_ACCESS");
  return new WorkloadRole("databricks-cross-account-access", {
    roleName,
    trust: accountId.apply((id) =>
      unityCatalogTrust({ accountId: id, roleName, ...(dbx ? { unityCatalogRoleArn: dbx.unityCatalogRoleArn, externalId: dbx.externalId } : {}) }),
    ),
    statements: databricksRoleStatements({
      region: env.region,
      accountId,
      roleName,
      kmsKeyArn: ctx.core.kmsKeyArn,
      objectStoreBucketArn: ctx.core.bucketArns.object_store,
      parameterPaths: [ctx.paths.workspaceUrl, ctx.paths.trackingUri],
    }),
    tags: tagsFor(env, { fp_resource: "databricks_unity_catalog_role" }),
  });
}

/** The Databricks objects of the external workspace (switch): storage, job-compute policy, OFS jobs, MLflow. */
function databricksWorkspace(
  ctx: DataMlContext,
  dbx: NonNullable<DataMlSettings["databricks"]>,
  token: pulumi.Input<string>,
  storageRole: WorkloadRole,
): DatabricksOfsWorkspace {
  const { r } = ctx;
  return new DatabricksOfsWorkspace(
    "databricks",
    {
      workspaceUrl: dbx.workspaceUrl,
      token,
      storageCredentialName: r.string("DBX_STORAGE_CREDENTIAL_OBJECT_STORE"),
      externalLocationName: r.string("DBX_EXTERNAL_LOCATION_OBJECT_STORE"),
      storageRoleArn: storageRole.roleArn,
      objectStoreBucket: ctx.core.bucketNames.object_store,
      clusterPolicyName: r.string("DBX_CLUSTER_POLICY_NAME"),
      autoscale: parseAutoscaleRange(r.string("DBX_AUTOSCALE_WORKERS")),
      autoTerminateMinutes: r.number("DBX_AUTO_TERMINATE_MINUTES"),
      sparkVersion: dbx.sparkVersion,
      nodeTypeId: dbx.nodeTypeId,
      jobs: [
        {
          key: "ofs-build",
          name: r.string("DBX_JOB_OFS_BUILD_V0"),
          description: "OFS build: offline feature dataset (Iceberg v2 in the Glue OFS database) from the replay basis of a run.",
          taskKey: "ofs_build",
          ...dbx.jobs.ofsBuild,
        },
        {
          key: "ofs-quality",
          name: r.string("DBX_JOB_OFS_QUALITY_GATES_V0"),
          description: "OFS quality gates: manifest, fingerprint and time-bound checks of a built dataset.",
          taskKey: "ofs_quality",
          ...dbx.jobs.ofsQuality,
        },
      ],
      ...(dbx.runAs ? { runAs: dbx.runAs } : {}),
      experimentPath: r.string("MLFLOW_EXPERIMENT_PATH"),
      modelName: r.string("MLFLOW_MODEL_NAME"),
      tags: ctx.tags,
    },
    // The storage credential validates the role and its policy: both exist first.
    { dependsOn: [storageRole] },
  );
}

/** The handle parameters workloads read: values from resources and settings, no placeholder seeds. */
function handleParameters(ctx: DataMlContext, sagemakerRole: WorkloadRole): HandleParameters {
  const { r, dbx, token, paths } = ctx;
  const parameterSpecs: Record<string, HandleParameterSpec> = {
    "mlflow-tracking-uri": {
      name: paths.trackingUri,
      value: r.string("MLFLOW_TRACKING_URI"),
      secure: false,
      description: "MLflow tracking URI (Databricks-managed MLflow)",
      resource: "mlflow_tracking_uri",
    },
    "sagemaker-model-exec-role-arn": {
      name: paths.modelExecRoleArn,
      value: sagemakerRole.roleArn,
      secure: false,
      description: "ARN of the SageMaker execution role",
      resource: "sagemaker_model_exec_role_arn",
    },
  };
  if (dbx) {
    parameterSpecs["databricks-workspace-url"] = {
      name: paths.workspaceUrl,
      value: dbx.workspaceUrl,
      secure: false,
      description: "URL of the Databricks workspace",
      resource: "databricks_workspace_url",
    };
    if (token) {
      parameterSpecs["databricks-token"] = {
        name: paths.token,
        value: token.value,
        secure: true,
        description: "Databricks personal access token (SecureString, platform key)",
        resource: "databricks_token",
      };
    }
  }
  return new HandleParameters("data-ml", {
    parameters: parameterSpecs,
    kmsKeyArn: ctx.core.kmsKeyArn,
    parameterRoot: r.string("SSM_PARAMETER_ROOT"),
    tags: ctx.tags,
  });
}

/** What the data_ml layer declared, for its outputs. */
interface DataMlParts {
  sagemakerRole: WorkloadRole;
  databricksRole: WorkloadRole;
  catalog: LearningCatalog;
  workspace?: DatabricksOfsWorkspace;
  parameters: HandleParameters;
}

/** Every data_ml handle under its registry name; Databricks objects are null with a reason while the part is off. */
function dataMlHandles(ctx: DataMlContext, p: DataMlParts): StackOutputs {
  const { r, dbx } = ctx;
  const { workspace } = p;
  const off = () => deferred(DATABRICKS_OFF);
  const parameterName = (key: string) => p.parameters.names[key] ?? null;
  return handleOutputs(ctx.env, {
    DBX_WORKSPACE_NAME: r.string("DBX_WORKSPACE_NAME"),
    DBX_WORKSPACE_URL: dbx ? dbx.workspaceUrl : off(),
    // Not materialised while Databricks is off: null, never a name of something that does not exist.
    DBX_JOB_OFS_BUILD_V0: workspace ? workspace.jobNames["ofs-build"] : off(),
    DBX_JOB_OFS_QUALITY_GATES_V0: workspace ? workspace.jobNames["ofs-quality"] : off(),
    DBX_STORAGE_CREDENTIAL_OBJECT_STORE: workspace ? workspace.storageCredentialName : off(),
    DBX_EXTERNAL_LOCATION_OBJECT_STORE: workspace ? workspace.externalLocationName : off(),
    DBX_CLUSTER_POLICY_NAME: workspace ? r.string("DBX_CLUSTER_POLICY_NAME") : off(),
    MLFLOW_EXPERIMENT_PATH: workspace ? workspace.experimentPath : off(),
    MLFLOW_MODEL_NAME: workspace ? workspace.modelName : off(),
    SM_MODEL_PACKAGE_GROUP_NAME: p.catalog.modelPackageGroupName,
    OFS_ICEBERG_DATABASE: p.catalog.databaseName,
    SSM_DATABRICKS_WORKSPACE_URL_PATH: parameterName("databricks-workspace-url"),
    SSM_DATABRICKS_TOKEN_PATH: parameterName("databricks-token"),
    SSM_MLFLOW_TRACKING_URI_PATH: p.parameters.names["mlflow-tracking-uri"],
    SSM_SAGEMAKER_MODEL_EXEC_ROLE_ARN_PATH: p.parameters.names["sagemaker-model-exec-role-arn"],
    ROLE_SAGEMAKER_EXECUTION: p.sagemakerRole.roleArn,
    ROLE_DATABRICKS_CROSS_ACCOUNT_ACCESS: p.databricksRole.roleArn,
  });
}

function dataMlOutputs(ctx: DataMlContext, p: DataMlParts): StackOutputs {
  const { workspace, parameters } = p;
  const handles = dataMlHandles(ctx, p);
  const parameterName = (key: string) => parameters.names[key] ?? null;
  return {
    ...handles,
    // The reference stack's outputs (stacks/data_ml.md §4), names kept for parity.
    role_sagemaker_execution_arn: p.sagemakerRole.roleArn,
    role_databricks_cross_account_access_arn: p.databricksRole.roleArn,
    ssm_databricks_workspace_url_path: parameterName("databricks-workspace-url"),
    ssm_databricks_token_path: parameterName("databricks-token"),
    ssm_mlflow_tracking_uri_path: parameters.names["mlflow-tracking-uri"],
    ssm_sagemaker_model_exec_role_arn_path: parameters.names["sagemaker-model-exec-role-arn"],
    // Every handle, plus the reference's key for the role-ARN parameter path (it lacked `_PATH`).
    data_ml_handle_materialization: pulumi.output({ ...handles, SSM_SAGEMAKER_MODEL_EXEC_ROLE_ARN: parameters.names["sagemaker-model-exec-role-arn"] }),
    glue_ofs_database_arn: p.catalog.databaseArn,
    ofs_iceberg_warehouse_uri: p.catalog.warehouseUri,
    sagemaker_model_package_group_arn: p.catalog.modelPackageGroupArn,
    databricks_enabled: ctx.settings.databricksEnabled,
    // False only in the offline plan of a clone without the secret (a real run stops instead).
    databricks_token_configured: ctx.token ? ctx.token.configured : false,
    databricks_cluster_policy_id: workspace ? workspace.clusterPolicyId : null,
    databricks_job_ids: workspace ? pulumi.output(workspace.jobIds) : null,
    databricks_external_location_url: workspace ? workspace.externalLocationUrl : null,
    mlflow_experiment_id: workspace ? workspace.experimentId : null,
  };
}
