/**
 * Schema of the data_ml layer's settings: the `fraud-platform:dataMl` section of `Pulumi.<env>.yaml`. Names
 * (jobs, storage credential, experiment, model, package group, Glue database) never live here: they come from
 * the handles registry. What does: the Databricks switch, the external workspace and account the layer connects
 * to, the job cluster's runtime and node type, and where each OFS job's code lives. The Databricks token is a
 * secret and is read from the layer stack's secret key `fraud-platform:databricksToken`, never from here.
 * docs/data-ml.md explains each value.
 */
import { z } from "zod";

const flag = z.boolean({ error: "true or false" });
const text = (what: string) => z.string({ error: what }).trim().min(1, { error: what });

/** `https://<host>` of a Databricks workspace (AWS, GCP or Azure deployment), no path. */
export const DATABRICKS_WORKSPACE_URL = /^https:\/\/[a-z0-9][a-z0-9.-]*\.(cloud\.databricks\.com|gcp\.databricks\.com|azuredatabricks\.net)$/;
const IAM_ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,128}$/;
/** Databricks account ids (the Unity Catalog external id) are UUIDs. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const databricksJobSettingsSchema = z
  .object({
    /** Python entry point of the job in the workspace (`/Workspace/...`) or a volume (`/Volumes/...`); CI uploads it. */
    pythonFile: z.string().regex(/^\/(Workspace|Volumes)\/[\w./-]+\.py$/, { error: "a /Workspace/... or /Volumes/... path of a .py file" }),
    /** Hard limit of one run in seconds (DA-74: every data job runs with an explicit timeout). */
    timeoutSeconds: z
      .number({ error: "a whole number of seconds 60..86400" })
      .int({ error: "a whole number of seconds 60..86400" })
      .min(60, { error: "a whole number of seconds 60..86400" })
      .max(86400, { error: "a whole number of seconds 60..86400" }),
  })
  .strict();

export const databricksSettingsSchema = z
  .object({
    /** URL of the external workspace (DBX_WORKSPACE_NAME), `https://<deployment>.cloud.databricks.com`; the provider's host. */
    workspaceUrl: z.string({ error: "the workspace URL https://<deployment>.cloud.databricks.com" }).regex(DATABRICKS_WORKSPACE_URL, {
      error: "the workspace URL https://<deployment>.cloud.databricks.com (no path, no trailing slash)",
    }),
    /** Databricks' Unity Catalog principal allowed to assume the cross-account role (Databricks publishes it per cloud). */
    unityCatalogRoleArn: z.string().regex(IAM_ROLE_ARN, { error: "an IAM role ARN arn:aws:iam::<account>:role/<name>" }),
    /** External id of the trust (the Databricks account id): without it any Databricks customer could use the role. */
    externalId: z.string().regex(UUID, { error: "the Databricks account id (a lower-case UUID)" }),
    /** Databricks runtime of the OFS job clusters, e.g. 15.4.x-scala2.12. */
    sparkVersion: z.string().regex(/^\d+\.\d+\.x-(cpu-ml-)?scala\d\.\d+$/, { error: "a Databricks runtime key such as 15.4.x-scala2.12" }),
    /** EC2 node type of the job cluster workers and driver. */
    nodeTypeId: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: "an instance type such as m5d.large" }),
    /** The two OFS jobs (DBX_JOB_OFS_BUILD_V0, DBX_JOB_OFS_QUALITY_GATES_V0). */
    jobs: z.object({ ofsBuild: databricksJobSettingsSchema, ofsQuality: databricksJobSettingsSchema }).strict(),
    /** Who owns the jobs' runs (a service principal application id or user name); the deploying identity when unset. */
    runAs: text("a service principal application id or a user name").optional(),
  })
  .strict();

export const dataMlSettingsSchema = z
  .object({
    /**
     * Declare the Databricks objects (storage credential, external location, cluster policy, the OFS jobs, the MLflow
     * experiment and model) through the Databricks provider. Off = the AWS side only (roles, parameters, SageMaker
     * model registry, Glue database), for an account without a workspace.
     */
    databricksEnabled: flag,
    /** The external workspace and account; required when databricksEnabled is true. */
    databricks: databricksSettingsSchema.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.databricksEnabled && !s.databricks) {
      ctx.addIssue({
        code: "custom",
        path: ["databricks"],
        message:
          "the Databricks workspace (workspaceUrl, unityCatalogRoleArn, externalId, sparkVersion, nodeTypeId, jobs) because databricksEnabled is true; set databricksEnabled: false to apply the AWS side only",
      });
    }
  });
export type DataMlSettings = z.infer<typeof dataMlSettingsSchema>;
export type DatabricksSettings = z.infer<typeof databricksSettingsSchema>;
export type DatabricksJobSettings = z.infer<typeof databricksJobSettingsSchema>;

/** The stack-config key holding the Databricks personal access token (a secret of the data-ml stack). */
export const DATABRICKS_TOKEN_KEY = "databricksToken";
