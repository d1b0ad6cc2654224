/**
 * The ops stack's real program under mocks, at the end of a plan of all five layers: once on the shipped defaults
 * (AWS_BUDGET_NOTIFICATION_EMAIL and ROLE_EKS_IRSA_LEARNING unpinned: every stack still runs to the end and the
 * blockers name the pins) and once with both pinned (exit 0, zero mandatory violations). Asserts the resources of
 * stacks/ops.md with its defects fixed, every exported handle and the policy pack's verdict.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PlanResult } from "../../src/plan/engine";
import { LayerPlan, PropertyMap, RecordedResource, isSecretValue } from "../../src/plan/previewDocument";
import { parseActionList } from "../../src/ops/ci";
import { isReadOnlyAction } from "../../src/ops/ciAccess";
import { loadRegistry } from "../../src/registry/registry";
import { sharedPlan } from "../helpers/sharedPlan";
import { json, named, ofType } from "../helpers/planQueries";
import { ALL_STACK_PINS } from "../helpers/pins";

const registry = loadRegistry();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ops-plan-"));
const PINS = ALL_STACK_PINS;
const ALL = ["core", "streaming", "runtime", "data_ml", "ops"] as const;

let shipped: PlanResult;
let pinned: PlanResult;
let pinnedDir: string;
let plan: LayerPlan;
let runtime: LayerPlan;

beforeAll(async () => {
  // One after the other: the plan engine already runs each layer in its own process.
  shipped = (await sharedPlan([...ALL])).result;
  const pinnedPlan = await sharedPlan([...ALL], PINS);
  pinned = pinnedPlan.result;
  pinnedDir = pinnedPlan.outDir;
  const ops = pinned.outcomes.find((o) => o.layer === "ops")?.plan;
  const rt = pinned.outcomes.find((o) => o.layer === "runtime")?.plan;
  if (!ops || !rt) throw new Error(`plan failed: ${JSON.stringify(pinned.outcomes.map((o) => o.failure))}`);
  plan = ops;
  runtime = rt;
}, 240_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const providerOf = (p: LayerPlan, r: RecordedResource): RecordedResource | undefined => p.resources.find((x) => r.provider?.startsWith(`${x.urn}::`));
const mandatoryTags = { project: "fraud-platform", env: "dev_full", owner: "esosa", fp_stack: "ops" };

describe("plan of all five layers", () => {
  it("on shipped defaults runs every stack to the end and names the unpinned handles with their pin commands", () => {
    expect(shipped.outcomes.map((o) => [o.stackName, o.status])).toEqual([
      ["dev-full-core", "planned"],
      ["dev-full-streaming", "planned"],
      ["dev-full-runtime", "planned"],
      ["dev-full-data-ml", "planned"],
      ["dev-full-ops", "planned"],
    ]);
    const budget = shipped.blockers.find((b) => b.code === "TO_PIN:AWS_BUDGET_NOTIFICATION_EMAIL");
    expect(budget).toMatchObject({
      handle: "AWS_BUDGET_NOTIFICATION_EMAIL",
      layer: "ops",
      pinCommand: expect.stringContaining("--pin AWS_BUDGET_NOTIFICATION_EMAIL=<value>"),
    });
    expect(budget?.pinCommand).toContain("pulumi config set --secret --path 'fraud-platform:pins.AWS_BUDGET_NOTIFICATION_EMAIL' <value> --stack dev-full-ops");
    expect(shipped.exitCode).toBe(1);
    // The budget is declared all the same (the reference dropped it): its subscriber is unknown, not invented.
    const ops = shipped.outcomes.find((o) => o.layer === "ops")?.plan as LayerPlan;
    const [budgetResource] = ofType(ops, "aws:budgets/budget:Budget");
    expect(budgetResource.inputs.name).toBe("fraud-platform-dev-full-monthly");
    expect(JSON.stringify(budgetResource.inputs)).not.toMatch(/@/);
    expect(
      shipped.policy.violations.filter((v) => v.enforcementLevel === "mandatory" && (v.stack === "dev-full-ops" || v.stack === "dev-full-data-ml")),
    ).toEqual([]);
  });

  it("with both handles pinned has zero mandatory violations and exits 0", () => {
    expect(pinned.outcomes.every((o) => o.status === "planned")).toBe(true);
    expect(pinned.blockers).toEqual([]);
    expect(pinned.policy.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
    expect(pinned.exitCode).toBe(0);
  });
});

describe("ops stack", () => {
  it("declares the whole-account COST/MONTHLY budget with the registry's limit and three ACTUAL absolute alerts to the pinned address", () => {
    const [budget] = ofType(plan, "aws:budgets/budget:Budget");
    expect(budget.inputs).toMatchObject({
      name: "fraud-platform-dev-full-monthly",
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: "300",
      limitUnit: "USD",
      tags: mandatoryTags,
    });
    expect(budget.inputs).not.toHaveProperty("costFilters");
    expect(budget.inputs.notifications).toEqual(
      [120, 210, 270].map((threshold) => ({
        comparisonOperator: "GREATER_THAN",
        threshold,
        thresholdType: "ABSOLUTE_VALUE",
        notificationType: "ACTUAL",
        subscriberEmailAddresses: ["ops@example.com"],
      })),
    );
    expect(budget.provider).toContain("pulumi:providers:aws::default_");
  });

  it("creates the billing alarm, its topic and key in us-east-1 through an explicit provider", () => {
    const alarm = named(plan, "cost-guardrail-estimated-charges");
    const provider = providerOf(plan, alarm);
    expect(provider).toMatchObject({
      type: "pulumi:providers:aws",
      name: "cost-guardrail-billing-region",
      inputs: expect.objectContaining({ region: registry.string("AWS_BILLING_REGION") }),
    });
    expect(alarm.inputs).toMatchObject({
      name: "fraud-platform-dev-full-billing-estimated-charges",
      namespace: "AWS/Billing",
      metricName: "EstimatedCharges",
      dimensions: { Currency: "USD" },
      threshold: 270,
      period: 21600,
      alarmActions: ["arn:aws:sns:us-east-1:123456789012:fraud-platform-dev-full-billing-alarms"],
    });
    for (const name of ["cost-guardrail-billing-alarms", "cost-guardrail-billing-key", "cost-guardrail-billing-alarms-email"])
      expect(providerOf(plan, named(plan, name))?.name).toBe("cost-guardrail-billing-region");
    // The billing key by its alias ARN (SNS takes one; composed from the name, it is known at preview).
    expect(named(plan, "cost-guardrail-billing-alarms").inputs.kmsMasterKeyId).toBe(
      "arn:aws:kms:us-east-1:123456789012:alias/fraud-platform-dev-full-ops-billing",
    );
  });

  it("notifies an encrypted topic from every platform alarm; the three pinned alarms exist", () => {
    const topic = named(plan, "ops-alarms");
    expect(topic.inputs).toMatchObject({
      name: "fraud-platform-dev-full-ops-alarms",
      kmsMasterKeyId: `arn:aws:kms:eu-west-2:123456789012:${String(named(plan, "ops-alias").inputs.name)}`,
    });
    const key = named(plan, "ops-key");
    const keyPolicy = json(key.inputs.policy).Statement;
    expect(keyPolicy.map((s) => s.Sid)).toEqual(["AccountAdministration", "CloudWatchLogsForPlatformLogGroups", "CloudWatchAlarmsPublish"]);
    const subscription = named(plan, "ops-alarms-email");
    expect(subscription.inputs).toMatchObject({ protocol: "email", topic: "arn:aws:sns:eu-west-2:123456789012:fraud-platform-dev-full-ops-alarms" });
    expect(isSecretValue(subscription.inputs.endpoint)).toBe(true);
    const alarms = ofType(plan, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.namespace !== "AWS/Billing");
    expect(alarms.map((a) => a.inputs.name)).toEqual(
      expect.arrayContaining(["fraud-platform-dev-full-error-rate", "fraud-platform-dev-full-rtdl-lag", "fraud-platform-dev-full-ig-http-anomaly"]),
    );
    expect(alarms).toHaveLength(9);
    const topicArn = "arn:aws:sns:eu-west-2:123456789012:fraud-platform-dev-full-ops-alarms";
    for (const a of alarms)
      expect({ name: a.inputs.name, alarm: a.inputs.alarmActions, ok: a.inputs.okActions, tags: a.inputs.tags }).toEqual({
        name: a.inputs.name,
        alarm: [topicArn],
        ok: [topicArn],
        tags: mandatoryTags,
      });
  });

  it("takes every watched id from the runtime stack's outputs, in alarms and dashboards alike", () => {
    const o = runtime.outputs;
    const lag = ofType(plan, "aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.inputs.name === "fraud-platform-dev-full-rtdl-lag");
    expect(lag?.inputs).toMatchObject({
      namespace: "AWS/KinesisAnalytics",
      metricName: "records_lag_max",
      dimensions: { Application: o.FLINK_APP_RTDL_IEG_OFP_V0 },
    });
    const body = String(named(plan, "dashboards-operations").inputs.dashboardBody);
    for (const id of [o.APIGW_IG_API_ID, o.LAMBDA_IG_HANDLER_NAME, o.EKS_CLUSTER_NAME, o.FLINK_APP_RTDL_IEG_OFP_V0, o.IG_DLQ_QUEUE_NAME])
      expect(body).toContain(`"${String(id)}"`);
    expect(body).not.toContain("pd7rtjze95");
    expect(body).not.toContain(registry.string("APIGW_IG_API_ID"));
    const cost = JSON.parse(String(named(plan, "dashboards-cost-guardrail").inputs.dashboardBody)) as { widgets: Array<{ properties: PropertyMap }> };
    expect(cost.widgets[0].properties).toMatchObject({
      region: "us-east-1",
      metrics: [["AWS/Billing", "EstimatedCharges", "Currency", "USD", { stat: "Maximum" }]],
    });
    expect(JSON.stringify(cost)).not.toContain("ops@example.com");
    expect(
      ofType(plan, "aws:cloudwatch/dashboard:Dashboard")
        .map((d) => d.inputs.dashboardName)
        .sort(),
    ).toEqual(["fraud-platform-dev-full-cost-guardrail", "fraud-platform-dev-full-operations"]);
  });

  it("bootstraps the log group under the prefix with the pinned retention, encrypted with the ops key", () => {
    const [group] = ofType(plan, "aws:cloudwatch/logGroup:LogGroup");
    expect(group.inputs).toMatchObject({
      name: "/fraud-platform/dev_full/runtime-bootstrap",
      retentionInDays: registry.number("LOG_RETENTION_DAYS"),
      kmsKeyId: expect.stringMatching(/^arn:aws:kms:eu-west-2:/),
    });
  });

  it("keeps MWAA deferred: execution role and webserver parameter, no environment", () => {
    expect(ofType(plan, "aws:mwaa/environment:Environment")).toEqual([]);
    const role = named(plan, "mwaa-execution");
    expect(json(role.inputs.assumeRolePolicy).Statement[0]).toMatchObject({ Principal: { Service: ["airflow.amazonaws.com", "airflow-env.amazonaws.com"] } });
    expect(json(named(plan, "mwaa-execution-least-privilege").inputs.policy).Statement.map((s) => s.Sid)).toEqual(["MwaaSsmRead", "MwaaSsmDecrypt"]);
    const [param] = ofType(plan, "aws:ssm/parameter:Parameter");
    expect(param.inputs).toMatchObject({ name: "/fraud-platform/dev_full/mwaa/webserver_url", type: "String", insecureValue: registry.string("AIRFLOW_MODE") });
    expect(plan.outputs).toMatchObject({ MWAA_ENV_NAME: null, airflow_mode: "DEFERRED_UNTIL_COMPLEXITY_THRESHOLD" });
  });

  it("declares the GitHub OIDC provider and a CI role for the configured repository and branch, holding the teardown actions and no escalation path", () => {
    const oidc = named(plan, "github-ci-oidc");
    expect(oidc.inputs).toMatchObject({ url: "https://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com"] });
    const role = named(plan, "github-ci-role");
    expect(role.inputs.name).toBe("fraud-platform-dev-full-github-actions");
    expect(json(role.inputs.assumeRolePolicy).Statement).toEqual([
      {
        Sid: "GitHubActionsOidc",
        Effect: "Allow",
        Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": ["repo:EsosaOrumwese/fraud-detection-system:ref:refs/heads/main"],
          },
        },
      },
    ]);
    const statements = json(named(plan, "github-ci-role-least-privilege").inputs.policy).Statement;
    const actions = statements.flatMap((s) => s.Action as string[]);
    for (const a of parseActionList(registry.string("TEARDOWN_IAM_MIN_ACTIONS"))) expect(actions).toContain(a);
    expect(actions.filter((a) => /^(iam|lambda):/.test(a) && !isReadOnlyAction(a))).toEqual([]);
    const endpoint = statements.find((s) => s.Sid === "TeardownSageMakerEndpoint");
    expect(endpoint?.Resource).toEqual(["arn:aws:sagemaker:eu-west-2:123456789012:endpoint/fraud-platform-dev-full-online-v0"]);
    expect(statements.find((s) => s.Sid === "TeardownEksCluster")?.Resource).toEqual([runtime.outputs.EKS_CLUSTER_ARN]);
  });

  it("grants the CI role cluster access on the runtime layer's EKS cluster, and keeps the guardrail and CI identity through teardown", () => {
    const cluster = runtime.outputs.EKS_CLUSTER_NAME;
    const entry = named(plan, "github-ci-eks-access");
    expect(entry.inputs).toMatchObject({
      clusterName: cluster,
      type: "STANDARD",
      principalArn: expect.stringMatching(/:role\/fraud-platform-dev-full-github-actions$/),
    });
    expect(named(plan, "github-ci-eks-cluster-admin").inputs).toMatchObject({ clusterName: cluster, accessScope: { type: "cluster" } });
    expect(named(plan, "github-ci-role").protect).toBe(true);
    const budget = ofType(plan, "aws:budgets/budget:Budget");
    expect(budget.map((b) => b.protect)).toEqual([true]);
  });

  it("exports every ops handle under its registry name; the subscriber only as a secret", () => {
    const o = plan.outputs;
    for (const h of registry.exportedBy("ops")) expect({ handle: h.name, exported: h.name in o }).toEqual({ handle: h.name, exported: true });
    expect(o).toMatchObject({
      AWS_BUDGET_NAME: "fraud-platform-dev-full-monthly",
      CW_DASHBOARD_PLATFORM_OPERATIONS: "fraud-platform-dev-full-operations",
      CW_DASHBOARD_COST_GUARDRAIL: "fraud-platform-dev-full-cost-guardrail",
      ALARM_PLATFORM_ERROR_RATE: "fraud-platform-dev-full-error-rate",
      ALARM_RTDL_LAG: "fraud-platform-dev-full-rtdl-lag",
      ALARM_IG_4XX_5XX: "fraud-platform-dev-full-ig-http-anomaly",
      ROLE_MWAA_EXECUTION: "arn:aws:iam::123456789012:role/fraud-platform-dev-full-mwaa-execution",
      SSM_MWAA_WEBSERVER_URL_PATH: "/fraud-platform/dev_full/mwaa/webserver_url",
      billing_region: "us-east-1",
    });
    expect(plan.secretOutputNames).toEqual(["AWS_BUDGET_NOTIFICATION_EMAIL"]);
    const written = fs.readFileSync(path.join(pinnedDir, "dev-full-ops.outputs.json"), "utf8");
    expect(written).not.toContain("ops@example.com");
    expect((o.ops_handle_materialization as PropertyMap).ROLE_GITHUB_ACTIONS_OIDC).toBe(o.github_ci_role_arn);
    expect(o.ops_handle_materialization).not.toHaveProperty("AWS_BUDGET_NOTIFICATION_EMAIL");
  });
});
