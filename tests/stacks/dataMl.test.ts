/**
 * The data_ml stack's real program under mocks, chained to the real core, streaming and runtime plans. Variants
 * reuse the upstream outputs: Databricks switched off (with and without a workspace), a missing workspace URL with
 * the switch on, the token as a plain value and as a secret. Asserts the resources of stacks/data_ml.md with its
 * defects fixed, every exported handle and the policy pack's verdict.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { PlanResult, runPlan } from "../../src/plan/engine";
import { EXIT, exitCodeOf } from "../../src/cli/exitCodes";
import { LayerPlan, PropertyMap, isSecretValue } from "../../src/plan/previewDocument";
import { PROJECT_ROOT, loadRegistry } from "../../src/registry/registry";
import { sharedPlan } from "../helpers/sharedPlan";
import { STACK_SECRETS } from "../helpers/pins";
import { json, named, ofType } from "../helpers/planQueries";
import { ALL_STACK_PINS, LEARNING_PIN } from "../helpers/pins";

const registry = loadRegistry();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "data-ml-plan-"));
const PINS = LEARNING_PIN;
/** The five-layer plan with every TO_PIN handle pinned (shared with the ops tests). */
const ALL_PINS = ALL_STACK_PINS;
const UPSTREAM = ["dev-full-core", "dev-full-streaming", "dev-full-runtime"];

let full: PlanResult;
let fullDir: string;
let plan: LayerPlan;
let off: PlanResult;
let noWorkspace: PlanResult;
let noUrl: unknown;
let plainToken: PlanResult;
let secretToken: PlanResult;

type Shared = { config: Record<string, unknown> };

/** A copy of the project's config files; `editShared` edits the shared file, `layer` is the data-ml stack's config. */
function project(name: string, editShared: (config: Record<string, unknown>) => void, layer: Record<string, unknown> = {}): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  const shared = parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.dev-full.yaml"), "utf8")) as Shared;
  editShared(shared.config);
  fs.writeFileSync(path.join(dir, "Pulumi.dev-full.yaml"), stringify(shared));
  fs.writeFileSync(path.join(dir, "Pulumi.dev-full-data-ml.yaml"), stringify({ config: { "aws:region": "eu-west-2", ...layer } }));
  return dir;
}

/** An output dir holding the upstream layers' recorded outputs, so a data_ml-only plan reads them. */
function outDir(name: string): string {
  const dir = path.join(tmp, `out-${name}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const s of UPSTREAM) fs.copyFileSync(path.join(fullDir, `${s}.outputs.json`), path.join(dir, `${s}.outputs.json`));
  return dir;
}

const dataMl = (config: Record<string, unknown>) => config["fraud-platform:dataMl"] as { databricksEnabled: boolean; databricks?: Record<string, unknown> };
const only = (name: string, projectDir: string) => runPlan({ env: "dev-full", layers: ["data_ml"], outDir: outDir(name), projectDir, pins: PINS });

beforeAll(async () => {
  ({ result: full, outDir: fullDir } = await sharedPlan(["core", "streaming", "runtime", "data_ml", "ops"], ALL_PINS));
  const outcome = full.outcomes.find((o) => o.layer === "data_ml");
  if (!outcome?.plan) throw new Error(`plan failed: ${JSON.stringify(full.outcomes.map((o) => o.failure))}`);
  plan = outcome.plan;
  off = await only(
    "off",
    project("off", (c) => (dataMl(c).databricksEnabled = false)),
  );
  noWorkspace = await only(
    "no-workspace",
    project("no-workspace", (c) => ((dataMl(c).databricksEnabled = false), delete dataMl(c).databricks)),
  );
  noUrl = await only(
    "no-url",
    project("no-url", (c) => delete dataMl(c).databricks?.workspaceUrl),
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  plainToken = await only(
    "plain-token",
    project("plain-token", () => undefined, { "fraud-platform:databricksToken": "dapi-plain-text" }),
  );
  secretToken = await only(
    "secret-token",
    project("secret-token", () => undefined, { "fraud-platform:databricksToken": { secure: "v1:AAAA" } }),
  );
}, 240_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const planOf = (r: PlanResult): LayerPlan => {
  const p = r.outcomes[0].plan;
  if (!p) throw new Error(`data_ml not planned: ${JSON.stringify(r.outcomes[0].failure)}`);
  return p;
};
const mandatoryTags = { project: "fraud-platform", env: "dev_full", owner: "esosa", fp_stack: "data_ml" };
const DATABRICKS_TYPES = ["StorageCredential", "ExternalLocation", "ClusterPolicy", "Job", "MlflowExperiment", "MlflowModel"].map(
  (t) => `databricks:index/${t[0].toLowerCase()}${t.slice(1)}:${t}`,
);

describe("data_ml stack (core -> streaming -> runtime -> data_ml)", () => {
  it("plans with exit code 0, no blockers and zero mandatory violations", () => {
    expect(full.outcomes.map((o) => o.status)).toEqual(["planned", "planned", "planned", "planned", "planned"]);
    expect(full.blockers).toEqual([]);
    expect(full.policy.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
    expect(full.exitCode).toBe(0);
  });

  it("creates the SageMaker role trusted by SageMaker for this account only, with scoped, delete-free access", () => {
    const role = named(plan, "sagemaker-execution");
    expect(role.type).toBe("aws:iam/role:Role");
    expect(role.inputs).toMatchObject({
      name: "fraud-platform-dev-full-sagemaker-execution",
      tags: { ...mandatoryTags, fp_resource: "sagemaker_execution_role" },
    });
    expect(json(role.inputs.assumeRolePolicy).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "sagemaker.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
    ]);
    const statements = json(named(plan, "sagemaker-execution-least-privilege").inputs.policy).Statement;
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.SageMakerSsmRead.Resource).toEqual(
      ["sagemaker/model_exec_role_arn", "mlflow/tracking_uri", "databricks/workspace_url", "databricks/token"].map(
        (p) => `arn:aws:ssm:eu-west-2:123456789012:parameter/fraud-platform/dev_full/${p}`,
      ),
    );
    expect(bySid.OfsWarehouseObjects).toMatchObject({
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: ["arn:aws:s3:::fraud-platform-dev-full-object-store/learning/ofs/iceberg/warehouse/*"],
    });
    expect(bySid.EvidenceRunsObjects.Resource).toEqual(["arn:aws:s3:::fraud-platform-dev-full-evidence/evidence/runs/*"]);
    expect(bySid.ModelArtifactsObjects.Resource).toEqual(["arn:aws:s3:::fraud-platform-dev-full-object-store/learning/mf/training/*"]);
    // The reference's GetBucketLocation hid behind an s3:prefix condition it could never match.
    expect(bySid.PlatformBucketsLocation).toMatchObject({ Action: ["s3:GetBucketLocation"] });
    expect(bySid.PlatformBucketsLocation).not.toHaveProperty("Condition");
    expect(bySid.SageMakerLogs.Resource).toEqual([
      "arn:aws:logs:eu-west-2:123456789012:log-group:/aws/sagemaker/*",
      "arn:aws:logs:eu-west-2:123456789012:log-group:/aws/sagemaker/*:log-stream:*",
    ]);
    expect(bySid.ModelRegistryCandidates.Resource).toEqual([
      "arn:aws:sagemaker:eu-west-2:123456789012:model-package-group/fraud-platform-dev-full-models",
      "arn:aws:sagemaker:eu-west-2:123456789012:model-package/fraud-platform-dev-full-models/*",
    ]);
    const actions = statements.flatMap((s) => s.Action as string[]);
    expect(actions.filter((a) => /Delete|^iam:|^\*$/.test(a))).toEqual([]);
  });

  it("creates the Databricks role with a trust valid on first create: UC principal + external id, self-assume via the account root", () => {
    const role = named(plan, "databricks-cross-account-access");
    const dbx = (parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.dev-full.yaml"), "utf8")) as Shared).config["fraud-platform:dataMl"] as {
      databricks: { unityCatalogRoleArn: string; externalId: string };
    };
    const statements = json(role.inputs.assumeRolePolicy).Statement;
    expect(statements).toEqual([
      {
        Sid: "DatabricksUnityCatalog",
        Effect: "Allow",
        Principal: { AWS: dbx.databricks.unityCatalogRoleArn },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": dbx.databricks.externalId } },
      },
      {
        Sid: "UnityCatalogSelfAssume",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::123456789012:root" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "sts:ExternalId": dbx.databricks.externalId },
          ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::123456789012:role/fraud-platform-dev-full-databricks-cross-account-access" },
        },
      },
    ]);
    // No principal names the role itself (IAM rejects it before the role exists).
    expect(JSON.stringify(statements.map((s) => s.Principal))).not.toContain("fraud-platform-dev-full-databricks-cross-account-access");
    const policy = json(named(plan, "databricks-cross-account-access-least-privilege").inputs.policy).Statement;
    const actions = policy.flatMap((s) => s.Action as string[]);
    expect(actions.filter((a) => /^s3:(Put|Delete|Abort)/.test(a))).toEqual([]);
    const ssm = policy.find((s) => s.Sid === "DatabricksSsmRead");
    expect(ssm?.Resource).not.toContain("arn:aws:ssm:eu-west-2:123456789012:parameter/fraud-platform/dev_full/databricks/token");
    expect(policy.find((s) => s.Sid === "UnityCatalogSelfAssume")).toMatchObject({
      Action: ["sts:AssumeRole"],
      Resource: ["arn:aws:iam::123456789012:role/fraud-platform-dev-full-databricks-cross-account-access"],
    });
  });

  it("declares the model package group and the OFS Glue database at the warehouse, both retained", () => {
    const group = ofType(plan, "aws:sagemaker/modelPackageGroup:ModelPackageGroup");
    const db = ofType(plan, "aws:glue/catalogDatabase:CatalogDatabase");
    expect(group.map((g) => g.inputs.modelPackageGroupName)).toEqual(["fraud-platform-dev-full-models"]);
    expect(db[0].inputs).toMatchObject({
      name: "fraud_platform_dev_full_ofs",
      locationUri: "s3://fraud-platform-dev-full-object-store/learning/ofs/iceberg/warehouse/",
      tags: { ...mandatoryTags },
    });
    for (const r of [...group, ...db]) expect([r.protect, r.retainOnDelete]).toEqual([true, true]);
  });

  it("declares the Databricks objects through one explicit provider: host from settings, token a secret", () => {
    const [provider] = ofType(plan, "pulumi:providers:databricks");
    expect(provider.inputs).toMatchObject({ host: "https://dbc-d0b53c09-b6fa.cloud.databricks.com", authType: "pat" });
    expect(provider.inputs).toHaveProperty("token");
    for (const type of DATABRICKS_TYPES) {
      for (const r of ofType(plan, type)) expect({ type, provider: r.provider?.startsWith(`${provider.urn}::`) }).toEqual({ type, provider: true });
    }
    expect(ofType(plan, "databricks:index/cluster:Cluster")).toEqual([]);
    expect(ofType(plan, "databricks:index/storageCredential:StorageCredential")[0].inputs).toMatchObject({
      name: "fraud_platform_dev_full_object_store_ro_v0",
      readOnly: true,
      awsIamRole: { roleArn: plan.outputs.ROLE_DATABRICKS_CROSS_ACCOUNT_ACCESS },
    });
    expect(ofType(plan, "databricks:index/externalLocation:ExternalLocation")[0].inputs).toMatchObject({
      name: "fraud_platform_dev_full_object_store_v0",
      url: "s3://fraud-platform-dev-full-object-store/",
      credentialName: "fraud_platform_dev_full_object_store_ro_v0",
      readOnly: true,
    });
    expect(ofType(plan, "databricks:index/mlflowExperiment:MlflowExperiment")[0].inputs.name).toBe("/Shared/fraud-platform/dev_full/mlflow_exp_v0");
    expect(ofType(plan, "databricks:index/mlflowModel:MlflowModel")[0].inputs.name).toBe("fraud-platform-dev-full");
  });

  it("runs the two OFS jobs on autoscaling job clusters under the job-compute policy, with explicit timeouts", () => {
    const [policy] = ofType(plan, "databricks:index/clusterPolicy:ClusterPolicy");
    expect(JSON.parse(String(policy.inputs.definition))).toMatchObject({
      cluster_type: { type: "fixed", value: "job" },
      "autoscale.min_workers": { type: "range", minValue: 1, maxValue: 8 },
      "autoscale.max_workers": { type: "range", minValue: 1, maxValue: 8 },
      autotermination_minutes: { type: "fixed", value: 20 },
    });
    const jobs = ofType(plan, "databricks:index/job:Job");
    expect(jobs.map((j) => [j.inputs.name, j.inputs.timeoutSeconds])).toEqual([
      ["fraud-platform-dev-full-ofs-build-v0", 7200],
      ["fraud-platform-dev-full-ofs-quality-v0", 1800],
    ]);
    for (const j of jobs) {
      const [cluster] = j.inputs.jobClusters as Array<{ newCluster: PropertyMap }>;
      expect(cluster.newCluster).toMatchObject({ policyId: String(plan.outputs.databricks_cluster_policy_id), autoscale: { minWorkers: 1, maxWorkers: 8 } });
      expect(j.inputs).toMatchObject({ maxConcurrentRuns: 1, tags: mandatoryTags });
      expect(j.inputs).not.toHaveProperty("existingClusterId");
    }
  });

  it("publishes the four parameters from resources and settings; the token as a SecureString under the platform key", () => {
    const params = Object.fromEntries(ofType(plan, "aws:ssm/parameter:Parameter").map((p) => [p.inputs.name, p.inputs]));
    const core = JSON.parse(fs.readFileSync(path.join(fullDir, "dev-full-core.outputs.json"), "utf8")) as PropertyMap;
    expect(Object.keys(params).sort()).toEqual(
      ["databricks/token", "databricks/workspace_url", "mlflow/tracking_uri", "sagemaker/model_exec_role_arn"].map((p) => `/fraud-platform/dev_full/${p}`),
    );
    expect(params["/fraud-platform/dev_full/databricks/token"]).toMatchObject({
      type: "SecureString",
      keyId: core.kms_key_arn,
      tier: "Standard",
      tags: { ...mandatoryTags, fp_resource: "databricks_token" },
    });
    expect(params["/fraud-platform/dev_full/databricks/workspace_url"]).toMatchObject({
      type: "String",
      insecureValue: "https://dbc-d0b53c09-b6fa.cloud.databricks.com",
    });
    expect(params["/fraud-platform/dev_full/mlflow/tracking_uri"]).toMatchObject({ type: "String", insecureValue: registry.string("MLFLOW_TRACKING_URI") });
    expect(params["/fraud-platform/dev_full/sagemaker/model_exec_role_arn"]).toMatchObject({
      type: "String",
      insecureValue: plan.outputs.ROLE_SAGEMAKER_EXECUTION,
    });
    expect(params["/fraud-platform/dev_full/databricks/token"]).not.toHaveProperty("insecureValue");
    for (const p of Object.values(params)) expect(p).not.toHaveProperty("overwrite");
    // The token the plan was given (`--secret`, as `pulumi config set --secret`): configured, a secret, and never
    // written to a plan file; never a placeholder.
    expect(JSON.stringify(params)).not.toMatch(/rotate-me|placeholder/);
    expect(plan.outputs.databricks_token_configured).toBe(true);
    for (const f of fs.readdirSync(fullDir).filter((n) => n.endsWith(".json")))
      expect(fs.readFileSync(path.join(fullDir, f), "utf8")).not.toContain(STACK_SECRETS["fraud-platform:databricksToken"]);
  });

  it("exports every data_ml handle under its registry name, plus the reference's outputs", () => {
    const o = plan.outputs;
    for (const h of registry.exportedBy("data_ml")) expect({ handle: h.name, exported: h.name in o }).toEqual({ handle: h.name, exported: true });
    expect(o).toMatchObject({
      DBX_JOB_OFS_BUILD_V0: "fraud-platform-dev-full-ofs-build-v0",
      DBX_JOB_OFS_QUALITY_GATES_V0: "fraud-platform-dev-full-ofs-quality-v0",
      DBX_STORAGE_CREDENTIAL_OBJECT_STORE: "fraud_platform_dev_full_object_store_ro_v0",
      SM_MODEL_PACKAGE_GROUP_NAME: "fraud-platform-dev-full-models",
      OFS_ICEBERG_DATABASE: "fraud_platform_dev_full_ofs",
      ROLE_SAGEMAKER_EXECUTION: "arn:aws:iam::123456789012:role/fraud-platform-dev-full-sagemaker-execution",
      SSM_DATABRICKS_TOKEN_PATH: "/fraud-platform/dev_full/databricks/token",
      role_sagemaker_execution_arn: o.ROLE_SAGEMAKER_EXECUTION,
      ssm_sagemaker_model_exec_role_arn_path: "/fraud-platform/dev_full/sagemaker/model_exec_role_arn",
    });
    expect(o.data_ml_handle_materialization).toMatchObject({
      SSM_SAGEMAKER_MODEL_EXEC_ROLE_ARN: "/fraud-platform/dev_full/sagemaker/model_exec_role_arn",
      ROLE_DATABRICKS_CROSS_ACCOUNT_ACCESS: o.ROLE_DATABRICKS_CROSS_ACCOUNT_ACCESS,
    });
    expect(plan.secretOutputNames).toEqual([]);
  });
});

describe("data_ml switches and config errors", () => {
  it("applies the AWS side only with Databricks off: no Databricks objects, no token parameter, job handles null", () => {
    const p = planOf(off);
    expect(off.exitCode).toBe(0);
    expect(p.resources.filter((r) => r.type.startsWith("databricks:") || r.type === "pulumi:providers:databricks")).toEqual([]);
    const params = ofType(p, "aws:ssm/parameter:Parameter").map((r) => r.inputs.name);
    expect(params).toContain("/fraud-platform/dev_full/databricks/workspace_url");
    expect(params).not.toContain("/fraud-platform/dev_full/databricks/token");
    expect(p.outputs).toMatchObject({
      DBX_JOB_OFS_BUILD_V0: null,
      MLFLOW_EXPERIMENT_PATH: null,
      SSM_DATABRICKS_TOKEN_PATH: null,
      databricks_enabled: false,
      SM_MODEL_PACKAGE_GROUP_NAME: "fraud-platform-dev-full-models",
    });
  });

  it("without any workspace keeps the Databricks role dormant (self-assume only) and publishes no workspace parameters", () => {
    const p = planOf(noWorkspace);
    const trust = json(named(p, "databricks-cross-account-access").inputs.assumeRolePolicy).Statement;
    expect(trust.map((s) => s.Sid)).toEqual(["UnityCatalogSelfAssume"]);
    expect(
      ofType(p, "aws:ssm/parameter:Parameter")
        .map((r) => r.inputs.name)
        .sort(),
    ).toEqual(["/fraud-platform/dev_full/mlflow/tracking_uri", "/fraud-platform/dev_full/sagemaker/model_exec_role_arn"]);
    expect(p.outputs.DBX_WORKSPACE_URL).toBeNull();
  });

  it("stops with a config error naming the key when the switch is on and the workspace URL is missing", () => {
    // The environment is checked before any layer runs: an InputError (exit 2), nothing planned.
    expect(exitCodeOf(noUrl)).toBe(EXIT.badInput);
    expect((noUrl as Error).message).toMatch(
      /fraud-platform:dataMl\.databricks\.workspaceUrl: expected the workspace URL https:\/\/<deployment>\.cloud\.databricks\.com/,
    );
  });

  it("refuses a token set as a plain value", () => {
    expect(plainToken.exitCode).toBe(2);
    expect(plainToken.outcomes[0].failure?.message).toMatch(
      /fraud-platform:databricksToken: expected the Databricks personal access token .* stored as a secret, found a plain \(unencrypted\) value/,
    );
    expect(plainToken.outcomes[0].failure?.message).not.toContain("dapi-plain-text");
  });

  it("takes a secret token and keeps it secret in the provider and the parameter", () => {
    const p = planOf(secretToken);
    expect(p.outputs.databricks_token_configured).toBe(true);
    const token = ofType(p, "aws:ssm/parameter:Parameter").find((r) => r.inputs.name === "/fraud-platform/dev_full/databricks/token");
    expect(isSecretValue(token?.inputs.value)).toBe(true);
    expect(isSecretValue(ofType(p, "pulumi:providers:databricks")[0].inputs.token)).toBe(true);
  });
});
