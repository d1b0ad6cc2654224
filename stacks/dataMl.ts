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
import { Environment } from "../src/config/environment";
import { secretSetting } from "../src/config/secrets";
import { parseAutoscaleRange, unityCatalogTrust } from "../src/dataml/databricks";
import { databricksRoleStatements, sagemakerRoleStatements, staticPrefixOf } from "../src/dataml/roles";
import { InputError } from "../src/errors";
import { serviceTrust } from "../src/iam/policy";
import { tagsFor } from "../src/tags";
import { StackOutputs, deferred, handleOutputs } from "./handleOutputs";

const DATABRICKS_OFF = "the Databricks part is off (fraud-platform:dataMl.databricksEnabled)";
import { CoreOutputs } from "./upstreamOutputs";

/** The layer's settings; a missing section is a config error naming the key. */
export function dataMlSettingsOf(env: Environment): DataMlSettings {
  const settings = env.settings.dataMl;
  if (!settings) {
    throw new InputError(`invalid environment for stack ${env.stackName}`, [
      { file: `Pulumi.${env.name}.yaml`, key: "fraud-platform:dataMl", expected: "the data_ml layer's settings (src/config/dataMlSettings.ts, docs/data-ml.md)", found: "nothing (key missing)" },
    ]);
  }
  return settings;
}

export function dataMlStack(env: Environment): StackOutputs {
  const r = env.registry;
  const settings = dataMlSettingsOf(env);
  const tags = tagsFor(env);
  const dbx = settings.databricks;

  // A missing or malformed core output stops the program naming it (the reference hard-coded key and buckets).
  const core = new CoreOutputs(env);
  const kmsKeyArn = core.kmsKeyArn;
  const buckets = core.bucketNames;
  const bucketArns = core.bucketArns;
  const ecrRepositoryName = core.ecrRepositoryName;
  const accountId = aws.getCallerIdentityOutput().accountId;

  const paths = {
    workspaceUrl: r.string("SSM_DATABRICKS_WORKSPACE_URL_PATH"),
    token: r.string("SSM_DATABRICKS_TOKEN_PATH"),
    trackingUri: r.string("SSM_MLFLOW_TRACKING_URI_PATH"),
    modelExecRoleArn: r.string("SSM_SAGEMAKER_MODEL_EXEC_ROLE_ARN_PATH"),
  };
  // The token is a secret of this stack: required with Databricks on (a real run fails closed without it).
  const token =
    settings.databricksEnabled || env.settings.databricksToken !== undefined
      ? secretSetting(env, DATABRICKS_TOKEN_KEY, env.settings.databricksToken, "the Databricks personal access token of the deploying identity")
      : undefined;

  // --- Identities -------------------------------------------------------------------------------------------------
  const sagemakerRoleName = r.roleName("ROLE_SAGEMAKER_EXECUTION");
  const modelPackageGroupName = r.string("SM_MODEL_PACKAGE_GROUP_NAME");
  const sagemakerRole = new WorkloadRole("sagemaker-execution", {
    roleName: sagemakerRoleName,
    // aws:SourceAccount: only SageMaker acting for this account may assume it (confused-deputy guard).
    trust: accountId.apply((id) => serviceTrust("sagemaker.amazonaws.com", { StringEquals: { "aws:SourceAccount": id } })),
    statements: sagemakerRoleStatements({
      region: env.region,
      accountId,
      kmsKeyArn,
      evidenceBucketArn: bucketArns.evidence,
      objectStoreBucketArn: bucketArns.object_store,
      warehousePrefix: r.string("OFS_ICEBERG_WAREHOUSE_PREFIX_PATTERN"),
      trainingOutputPrefix: r.string("SM_TRAINING_OUTPUT_PREFIX"),
      evidenceRunsPrefix: staticPrefixOf(r.string("S3_EVIDENCE_RUN_ROOT_PATTERN")),
      parameterPaths: [paths.modelExecRoleArn, paths.trackingUri, paths.workspaceUrl, paths.token],
      ecrRepositoryName,
      modelPackageGroupName,
    }),
    tags: tagsFor(env, { fp_resource: "sagemaker_execution_role" }),
  });

  const databricksRoleName = r.roleName("ROLE_DATABRICKS_CROSS_ACCOUNT_ACCESS");
  const databricksRole = new WorkloadRole("databricks-cross-account-access", {
    roleName: databricksRoleName,
    trust: accountId.apply((id) =>
      unityCatalogTrust({ accountId: id, roleName: databricksRoleName, ...(dbx ? { unityCatalogRoleArn: dbx.unityCatalogRoleArn, externalId: dbx.externalId } : {}) }),
    ),
    statements: databricksRoleStatements({
      region: env.region,
      accountId,
      roleName: databricksRoleName,
      kmsKeyArn,
      objectStoreBucketArn: bucketArns.object_store,
      parameterPaths: [paths.workspaceUrl, paths.trackingUri],
    }),
    tags: tagsFor(env, { fp_resource: "databricks_unity_catalog_role" }),
  });

  // --- Model registry and OFS catalog -----------------------------------------------------------------------------
  const catalog = new LearningCatalog("learning", {
    databaseName: r.string("OFS_ICEBERG_DATABASE"),
    warehouseBucket: buckets.object_store,
    warehousePrefix: r.string("OFS_ICEBERG_WAREHOUSE_PREFIX_PATTERN"),
    modelPackageGroupName,
    tags,
  });

  // --- Databricks (external workspace; switch) --------------------------------------------------------------------
  const workspace =
    settings.databricksEnabled && dbx && token
      ? new DatabricksOfsWorkspace(
          "databricks",
          {
            workspaceUrl: dbx.workspaceUrl,
            token: token.value,
            storageCredentialName: r.string("DBX_STORAGE_CREDENTIAL_OBJECT_STORE"),
            externalLocationName: r.string("DBX_EXTERNAL_LOCATION_OBJECT_STORE"),
            storageRoleArn: databricksRole.roleArn,
            objectStoreBucket: buckets.object_store,
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
            tags,
          },
          // The storage credential validates the role and its policy: both exist first.
          { dependsOn: [databricksRole] },
        )
      : undefined;

  // --- Handle parameters (values from resources and settings; no placeholder seeds) ------------------------------
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
    parameterSpecs["databricks-workspace-url"] = { name: paths.workspaceUrl, value: dbx.workspaceUrl, secure: false, description: "URL of the Databricks workspace", resource: "databricks_workspace_url" };
    if (token) {
      parameterSpecs["databricks-token"] = { name: paths.token, value: token.value, secure: true, description: "Databricks personal access token (SecureString, platform key)", resource: "databricks_token" };
    }
  }
  const parameters = new HandleParameters("data-ml", { parameters: parameterSpecs, kmsKeyArn, parameterRoot: r.string("SSM_PARAMETER_ROOT"), tags });
  const parameterName = (key: string) => parameters.names[key] ?? null;

  const handles = handleOutputs(env, {
    DBX_WORKSPACE_NAME: r.string("DBX_WORKSPACE_NAME"),
    DBX_WORKSPACE_URL: dbx ? dbx.workspaceUrl : deferred(DATABRICKS_OFF),
    // Not materialised while Databricks is off: null, never a name of something that does not exist.
    DBX_JOB_OFS_BUILD_V0: workspace ? workspace.jobNames["ofs-build"] : deferred(DATABRICKS_OFF),
    DBX_JOB_OFS_QUALITY_GATES_V0: workspace ? workspace.jobNames["ofs-quality"] : deferred(DATABRICKS_OFF),
    DBX_STORAGE_CREDENTIAL_OBJECT_STORE: workspace ? workspace.storageCredentialName : deferred(DATABRICKS_OFF),
    DBX_EXTERNAL_LOCATION_OBJECT_STORE: workspace ? workspace.externalLocationName : deferred(DATABRICKS_OFF),
    DBX_CLUSTER_POLICY_NAME: workspace ? r.string("DBX_CLUSTER_POLICY_NAME") : deferred(DATABRICKS_OFF),
    MLFLOW_EXPERIMENT_PATH: workspace ? workspace.experimentPath : deferred(DATABRICKS_OFF),
    MLFLOW_MODEL_NAME: workspace ? workspace.modelName : deferred(DATABRICKS_OFF),
    SM_MODEL_PACKAGE_GROUP_NAME: catalog.modelPackageGroupName,
    OFS_ICEBERG_DATABASE: catalog.databaseName,
    SSM_DATABRICKS_WORKSPACE_URL_PATH: parameterName("databricks-workspace-url"),
    SSM_DATABRICKS_TOKEN_PATH: parameterName("databricks-token"),
    SSM_MLFLOW_TRACKING_URI_PATH: parameters.names["mlflow-tracking-uri"],
    SSM_SAGEMAKER_MODEL_EXEC_ROLE_ARN_PATH: parameters.names["sagemaker-model-exec-role-arn"],
    ROLE_SAGEMAKER_EXECUTION: sagemakerRole.roleArn,
    ROLE_DATABRICKS_CROSS_ACCOUNT_ACCESS: databricksRole.roleArn,
  });

  return {
    ...handles,
    // The reference stack's outputs (stacks/data_ml.md §4), names kept for parity.
    role_sagemaker_execution_arn: sagemakerRole.roleArn,
    role_databricks_cross_account_access_arn: databricksRole.roleArn,
    ssm_databricks_workspace_url_path: parameterName("databricks-workspace-url"),
    ssm_databricks_token_path: parameterName("databricks-token"),
    ssm_mlflow_tracking_uri_path: parameters.names["mlflow-tracking-uri"],
    ssm_sagemaker_model_exec_role_arn_path: parameters.names["sagemaker-model-exec-role-arn"],
    // Every handle, plus the reference's key for the role-ARN parameter path (it lacked `_PATH`).
    data_ml_handle_materialization: pulumi.output({ ...handles, SSM_SAGEMAKER_MODEL_EXEC_ROLE_ARN: parameters.names["sagemaker-model-exec-role-arn"] }),
    glue_ofs_database_arn: catalog.databaseArn,
    ofs_iceberg_warehouse_uri: catalog.warehouseUri,
    sagemaker_model_package_group_arn: catalog.modelPackageGroupArn,
    databricks_enabled: settings.databricksEnabled,
    // False only in the offline plan of a clone without the secret (a real run stops instead).
    databricks_token_configured: token ? token.configured : false,
    databricks_cluster_policy_id: workspace ? workspace.clusterPolicyId : null,
    databricks_job_ids: workspace ? pulumi.output(workspace.jobIds) : null,
    databricks_external_location_url: workspace ? workspace.externalLocationUrl : null,
    mlflow_experiment_id: workspace ? workspace.experimentId : null,
  };
}
