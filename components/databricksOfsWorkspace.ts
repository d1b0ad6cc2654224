import * as databricks from "@pulumi/databricks";
import * as pulumi from "@pulumi/pulumi";
import { AutoscaleRange, clusterPolicyDefinition, ofsJobArgs } from "../src/dataml/databricks";
import { DATABRICKS_WORKSPACE_URL } from "../src/config/dataMlSettings";
import { Tags } from "../src/tags";

export interface OfsJobArgs {
  /** Short key of the job (child resource name suffix). */
  key: string;
  /** Job name (registry). */
  name: string;
  description: string;
  /** Key of the job's task. */
  taskKey: string;
  /** Python entry point in the workspace or a volume. */
  pythonFile: string;
  /** Hard limit of one run, seconds (DA-74). */
  timeoutSeconds: number;
}

export interface DatabricksOfsWorkspaceArgs {
  /** Host of the external workspace (settings, never a literal). */
  workspaceUrl: string;
  /** Personal access token of the deploying identity (a secret config value). */
  token: pulumi.Input<string>;
  /** Unity Catalog storage credential name (DBX_STORAGE_CREDENTIAL_OBJECT_STORE); read-only. */
  storageCredentialName: string;
  /** Unity Catalog external location name (DBX_EXTERNAL_LOCATION_OBJECT_STORE). */
  externalLocationName: string;
  /** IAM role the storage credential assumes (ROLE_DATABRICKS_CROSS_ACCOUNT_ACCESS). */
  storageRoleArn: pulumi.Input<string>;
  /** Object-store bucket the external location covers. */
  objectStoreBucket: pulumi.Input<string>;
  /** Cluster policy name (DBX_CLUSTER_POLICY_NAME). */
  clusterPolicyName: string;
  /** Pinned worker range and idle auto-termination of job compute. */
  autoscale: AutoscaleRange;
  autoTerminateMinutes: number;
  /** Databricks runtime and node type of the job clusters. */
  sparkVersion: string;
  nodeTypeId: string;
  /** The OFS jobs. */
  jobs: OfsJobArgs[];
  /** Run-as identity of the jobs (the deploying identity when unset). */
  runAs?: string;
  /** Workspace path of the MLflow experiment (MLFLOW_EXPERIMENT_PATH). */
  experimentPath: string;
  /** Registered MLflow model (MLFLOW_MODEL_NAME). */
  modelName: string;
  /** Mandatory tags: job tags and cluster custom tags, fixed by the cluster policy. */
  tags: Tags;
}

/**
 * The platform's objects in the external Databricks workspace, declared through an explicit provider (host from
 * settings, token from a secret; nothing is read from the deployer's environment): the read-only Unity Catalog
 * storage credential and external location over the object store, a cluster policy that admits job compute only
 * (autoscale and auto-termination pinned), the OFS jobs on job clusters under that policy with explicit timeouts,
 * and the Databricks-managed MLflow experiment and registered model. The workspace itself is external and is
 * never created or destroyed here.
 */
export class DatabricksOfsWorkspace extends pulumi.ComponentResource {
  readonly storageCredentialName: pulumi.Output<string>;
  readonly externalLocationName: pulumi.Output<string>;
  readonly externalLocationUrl: pulumi.Output<string>;
  readonly clusterPolicyId: pulumi.Output<string>;
  /** Job ids by job key. */
  readonly jobIds: Record<string, pulumi.Output<string>> = {};
  /** Job names by job key. */
  readonly jobNames: Record<string, pulumi.Output<string>> = {};
  readonly experimentPath: pulumi.Output<string>;
  readonly experimentId: pulumi.Output<string>;
  readonly modelName: pulumi.Output<string>;

  constructor(name: string, args: DatabricksOfsWorkspaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:data_ml:DatabricksOfsWorkspace", name, {}, opts);
    if (!DATABRICKS_WORKSPACE_URL.test(args.workspaceUrl))
      throw new Error(`${name}: workspaceUrl ${JSON.stringify(args.workspaceUrl)} is not a Databricks workspace URL`);
    if (args.jobs.length === 0) throw new Error(`${name}: at least one job`);
    const provider = new databricks.Provider(
      `${name}-workspace`,
      { host: args.workspaceUrl, token: pulumi.secret(args.token), authType: "pat" },
      { parent: this },
    );
    const child = { parent: this, provider };

    const credential = new databricks.StorageCredential(
      `${name}-object-store-ro`,
      {
        name: args.storageCredentialName,
        awsIamRole: { roleArn: args.storageRoleArn },
        readOnly: true,
        comment: "fraud-platform dev_full: read-only access to the object store (ROLE_DATABRICKS_CROSS_ACCOUNT_ACCESS)",
      },
      child,
    );
    const url = pulumi.interpolate`s3://${args.objectStoreBucket}/`;
    const location = new databricks.ExternalLocation(
      `${name}-object-store`,
      { name: args.externalLocationName, url, credentialName: credential.name, readOnly: true, comment: "fraud-platform dev_full object store (read-only)" },
      child,
    );

    const policy = new databricks.ClusterPolicy(
      `${name}-job-compute`,
      {
        name: args.clusterPolicyName,
        description: `Job compute only: autoscale ${args.autoscale.minWorkers}-${args.autoscale.maxWorkers} workers, auto-termination ${args.autoTerminateMinutes} min, platform tags fixed.`,
        definition: JSON.stringify(
          clusterPolicyDefinition({ autoscale: args.autoscale, autoTerminateMinutes: args.autoTerminateMinutes, customTags: args.tags }),
        ),
      },
      child,
    );

    for (const job of args.jobs) {
      const created = new databricks.Job(
        `${name}-${job.key}`,
        ofsJobArgs({
          name: job.name,
          description: job.description,
          taskKey: job.taskKey,
          pythonFile: job.pythonFile,
          timeoutSeconds: job.timeoutSeconds,
          policyId: policy.id,
          sparkVersion: args.sparkVersion,
          nodeTypeId: args.nodeTypeId,
          autoscale: args.autoscale,
          tags: args.tags,
          ...(args.runAs ? { runAs: args.runAs } : {}),
        }),
        // Jobs read the object store through the external location: they wait for it.
        { ...child, dependsOn: [location] },
      );
      this.jobIds[job.key] = created.id;
      this.jobNames[job.key] = created.name;
    }

    const experiment = new databricks.MlflowExperiment(
      `${name}-mlflow-experiment`,
      { name: args.experimentPath, description: "fraud-platform dev_full model factory runs (Databricks-managed MLflow)" },
      child,
    );
    const model = new databricks.MlflowModel(
      `${name}-mlflow-model`,
      { name: args.modelName, description: "fraud-platform dev_full fraud model", tags: Object.entries(args.tags).map(([key, value]) => ({ key, value })) },
      child,
    );

    this.storageCredentialName = credential.name;
    this.externalLocationName = location.name;
    this.externalLocationUrl = location.url;
    this.clusterPolicyId = policy.id;
    this.experimentPath = experiment.name;
    this.experimentId = experiment.id;
    this.modelName = model.name;
    this.registerOutputs({
      storageCredentialName: this.storageCredentialName,
      externalLocationName: this.externalLocationName,
      externalLocationUrl: this.externalLocationUrl,
      clusterPolicyId: this.clusterPolicyId,
      jobIds: this.jobIds,
      experimentPath: this.experimentPath,
      experimentId: this.experimentId,
      modelName: this.modelName,
    });
  }
}
