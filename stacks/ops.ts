/**
 * ops: budgets, alarms, dashboards, MWAA binding and CI automation of dev_full (project issue 5). The monthly
 * budget is always declared and fails closed without its subscriber (AWS_BUDGET_NOTIFICATION_EMAIL); the billing
 * alarm lives in the billing region through an explicit provider; the platform alarms notify an encrypted topic;
 * the two dashboards and every alarm take their ids from the runtime stack's outputs; the MWAA execution role and
 * webserver parameter exist while the environment itself stays behind AIRFLOW_MODE; the GitHub OIDC provider and
 * CI role are declared here with the teardown minimum actions and no IAM-write or Lambda-code path; the bootstrap
 * log group has the pinned retention under the ops key. Reads core and runtime through StackReferences.
 * Parity target: ../shared/spec/stacks/ops.md, with its defects fixed (budget never dropped, no personal e-mail in
 * code or dashboards, no literal ids, alarms notify someone, no privilege escalation in CI).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AirflowEnvironment } from "../components/airflowEnvironment";
import { AlarmTopic } from "../components/alarmTopic";
import { CostGuardrail } from "../components/costGuardrail";
import { GithubCiIdentity } from "../components/githubCiIdentity";
import { HandleParameters } from "../components/handleParameters";
import { OpsDashboards } from "../components/opsDashboards";
import { OpsKey } from "../components/opsKey";
import { PlatformAlarms } from "../components/platformAlarms";
import { PlatformLogGroups } from "../components/platformLogGroups";
import { WorkloadRole } from "../components/workloadRole";
import { Environment, layerSection } from "../src/config/environment";
import { OpsSettings } from "../src/config/opsSettings";
import { staticPrefixOf } from "../src/dataml/roles";
import { InputError } from "../src/errors";
import { mwaaEnvironmentAllowed } from "../src/ops/airflow";
import { ALARM_HANDLES, AlarmNames, WatchedIdentities, platformAlarmSpecs } from "../src/ops/alarms";
import { CiScope, deployRoleStatements, guardRoleStatements, parseActionList, previewRoleStatements, teardownStatements } from "../src/ops/ci";
import { githubSubject } from "../src/ops/ciAccess";
import { RESIDUAL_SCAN_CALLS } from "../src/teardown/scan/calls";
import { WINDOW_SPEND_CALLS } from "../src/window/spendCalls";
import { costGuardrailDashboardBody, operationsDashboardBody } from "../src/ops/dashboards";
import { mwaaExecutionStatements, mwaaTrust } from "../src/ops/mwaa";
import { StatementSpec } from "../src/iam/policy";
import { Tags, tagsFor } from "../src/tags";
import { DEFERRED_HANDLES_OUTPUT, StackOutputs, deferred, handleOutputs, withDeferred } from "./handleOutputs";
import { downReason, surfaceUp } from "../src/window/surfaces";

const AIRFLOW_DEFERRED = "no MWAA environment while AIRFLOW_MODE is DEFERRED_UNTIL_COMPLEXITY_THRESHOLD (DA-60)";
import { CoreOutputs, RuntimeOutputs } from "./upstreamOutputs";

/** Repository path of the operator runbook the dashboards point to. */
const RUNBOOK = "docs/ops.md";

/** The layer's settings; a missing section (or MWAA sizing once MWAA is on) is a config error naming the key. */
export function opsSettingsOf(env: Environment, mwaaOn: boolean): OpsSettings {
  const settings = layerSection(env, "ops");
  const file = `Pulumi.${env.name}.yaml`;
  if (mwaaOn && !settings.mwaa) {
    throw new InputError(`invalid environment for stack ${env.stackName}`, [
      {
        file,
        key: "fraud-platform:ops.mwaa",
        expected: `MWAA sizing (environmentClass, airflowVersion, maxWorkers): AIRFLOW_MODE is ${env.registry.string("AIRFLOW_MODE")}`,
        found: "nothing (key missing)",
      },
    ]);
  }
  return settings;
}

/** What every part of the ops layer shares: settings, account, subscriber, upstream readers, window switches. */
interface OpsContext {
  env: Environment;
  r: Environment["registry"];
  settings: OpsSettings;
  airflowMode: string;
  mwaaOn: boolean;
  tags: Tags;
  accountId: pulumi.Output<string>;
  /** AWS_BUDGET_NOTIFICATION_EMAIL (TO_PIN: fails closed in a real run; unknown in the offline plan). */
  email: pulumi.Output<string>;
  keyDeletionWindowInDays: number;
  core: CoreOutputs;
  runtime: RuntimeOutputs;
  /** Proof window (fraud-platform:window): alarms and dashboards watch window surfaces and exist only in a window. */
  observed: boolean;
  eksUp: boolean;
  /** What alarms and dashboards watch, from runtime's outputs. */
  ids: WatchedIdentities;
  /** The three budget alert levels, USD. */
  alerts: number[];
}

function opsContext(env: Environment): OpsContext {
  const r = env.registry;
  const airflowMode = r.string("AIRFLOW_MODE");
  const mwaaOn = mwaaEnvironmentAllowed(airflowMode);
  const settings = opsSettingsOf(env, mwaaOn);
  const core = new CoreOutputs(env);
  const runtime = new RuntimeOutputs(env);
  const eksUp = surfaceUp(env, "eks_lane");
  return {
    env,
    r,
    settings,
    airflowMode,
    mwaaOn,
    tags: tagsFor(env),
    accountId: aws.getCallerIdentityOutput().accountId,
    email: env.pinned("AWS_BUDGET_NOTIFICATION_EMAIL"),
    keyDeletionWindowInDays: r.number("KMS_KEY_DELETION_WINDOW_DAYS"),
    core,
    runtime,
    observed: surfaceUp(env, "observability"),
    eksUp,
    // Without the EKS lane its name (a pin) stands in for the runtime's deferred output.
    ids: {
      apiId: runtime.ingressApiId,
      stage: runtime.ingressStage,
      functionName: runtime.ingressFunctionName,
      clusterName: eksUp ? runtime.eksClusterName : pulumi.output(r.string("EKS_CLUSTER_NAME")),
      flinkApplication: runtime.flinkApplicationName,
      dlqName: runtime.ingressDlqName,
    },
    alerts: ["DEV_FULL_BUDGET_ALERT_1_USD", "DEV_FULL_BUDGET_ALERT_2_USD", "DEV_FULL_BUDGET_ALERT_3_USD"].map((h) => r.number(h)),
  };
}

export function opsStack(env: Environment): StackOutputs {
  const ctx = opsContext(env);
  const budget = costGuardrail(ctx);
  const alerting = opsAlerting(ctx);
  const dashboards = ctx.observed ? opsDashboards(ctx, alerting.alarmNames) : undefined;
  // --- Log group bootstrap (pinned retention, ops key) ------------------------------------------------------------
  const logGroups = new PlatformLogGroups("bootstrap-logs", {
    groups: { "runtime-bootstrap": ctx.r.string("CLOUDWATCH_RUNTIME_BOOTSTRAP_LOG_GROUP") },
    prefix: ctx.r.string("CLOUDWATCH_LOG_GROUP_PREFIX"),
    retentionInDays: ctx.r.number("LOG_RETENTION_DAYS"),
    kmsKeyArn: alerting.opsKey.keyArn,
    tags: ctx.tags,
  });
  const mwaa = mwaaBinding(ctx);
  const ci = ciIdentity(ctx);
  if (ctx.eksUp) ciEksAccess(ctx, ci);
  return opsOutputs(ctx, { budget, ...alerting, dashboards, logGroups, ...mwaa, ci });
}

/** Budget (whole account) and billing alarm in the billing region; it outlives P17 (spend is watched during teardown). */
function costGuardrail(ctx: OpsContext): CostGuardrail {
  const { r } = ctx;
  return new CostGuardrail(
    "cost-guardrail",
    {
      budgetName: r.string("AWS_BUDGET_NAME"),
      limit: r.number("DEV_FULL_MONTHLY_BUDGET_LIMIT_USD"),
      currency: r.string("BUDGET_CURRENCY"),
      alerts: ctx.alerts,
      email: ctx.email,
      billingRegion: r.string("AWS_BILLING_REGION"),
      billingAlarmName: r.string("ALARM_BILLING_ESTIMATED_CHARGES"),
      billingTopicName: r.string("SNS_BILLING_ALARMS_TOPIC"),
      billingKeyAlias: r.string("OPS_BILLING_KMS_KEY_ALIAS"),
      keyDeletionWindowInDays: ctx.keyDeletionWindowInDays,
      accountId: ctx.accountId,
      tags: ctx.tags,
    },
    { protect: true },
  );
}

/** Ops key, alarm topic and (in a window) the platform alarms. */
function opsAlerting(ctx: OpsContext) {
  const { r, env, accountId, tags } = ctx;
  const opsKey = new OpsKey("ops", {
    alias: r.string("OPS_KMS_KEY_ALIAS"),
    accountId,
    region: env.region,
    logGroupPrefix: r.string("CLOUDWATCH_LOG_GROUP_PREFIX"),
    cloudWatchAlarms: true,
    deletionWindowInDays: ctx.keyDeletionWindowInDays,
    tags,
  });
  const topic = new AlarmTopic("ops-alarms", {
    topicName: r.string("SNS_OPS_ALARMS_TOPIC"),
    kmsKeyArn: opsKey.aliasArn,
    accountId,
    region: env.region,
    email: ctx.email,
    tags,
  });
  const alarmNames = Object.fromEntries(ALARM_HANDLES.map((h) => [h, r.string(h)])) as AlarmNames;
  const alarms = ctx.observed
    ? new PlatformAlarms("platform", {
        specs: platformAlarmSpecs(alarmNames, ctx.ids, ctx.settings.alarms),
        settings: ctx.settings.alarms,
        topicArn: topic.topicArn,
        tags,
      })
    : undefined;
  return { opsKey, topic, alarmNames, alarms };
}

/** The two dashboards: ids from runtime outputs, alarm ARNs from this stack's names. */
function opsDashboards(ctx: OpsContext, alarmNames: AlarmNames): OpsDashboards {
  const { r, env, accountId } = ctx;
  const billingRegion = r.string("AWS_BILLING_REGION");
  const alarmArn = (region: string, name: string) => pulumi.interpolate`arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
  return new OpsDashboards("dashboards", {
    dashboards: [
      {
        key: "operations",
        name: r.string("CW_DASHBOARD_PLATFORM_OPERATIONS"),
        body: operationsDashboardBody({
          region: env.region,
          ids: ctx.ids,
          alarmArns: ALARM_HANDLES.map((h) => alarmArn(env.region, alarmNames[h])),
          runbook: RUNBOOK,
        }),
      },
      {
        key: "cost-guardrail",
        name: r.string("CW_DASHBOARD_COST_GUARDRAIL"),
        body: costGuardrailDashboardBody({
          region: env.region,
          billingRegion,
          clusterName: ctx.ids.clusterName,
          budget: {
            name: r.string("AWS_BUDGET_NAME"),
            limitUsd: r.number("DEV_FULL_MONTHLY_BUDGET_LIMIT_USD"),
            currency: r.string("BUDGET_CURRENCY"),
            alertsUsd: ctx.alerts,
          },
          billingAlarmArn: alarmArn(billingRegion, r.string("ALARM_BILLING_ESTIMATED_CHARGES")),
          runbook: RUNBOOK,
        }),
      },
    ],
  });
}

/** MWAA: the execution role and the webserver parameter; the environment only behind AIRFLOW_MODE (DA-60). */
function mwaaBinding(ctx: OpsContext) {
  const { r, env, core, tags } = ctx;
  const mwaaName = r.string("MWAA_ENV_NAME");
  const webserverPath = r.string("SSM_MWAA_WEBSERVER_URL_PATH");
  const mwaaRole = new WorkloadRole("mwaa-execution", {
    roleName: r.roleName("ROLE_MWAA_EXECUTION"),
    trust: ctx.accountId.apply(mwaaTrust),
    statements: mwaaExecutionStatements({
      region: env.region,
      accountId: ctx.accountId,
      platformKeyArn: core.kmsKeyArn,
      webserverParameterPath: webserverPath,
      environment: ctx.mwaaOn ? { name: mwaaName, artifactsBucketArn: core.bucketArns.artifacts, dagPrefix: r.string("MWAA_DAG_S3_PREFIX") } : undefined,
    }),
    tags: tagsFor(env, { fp_resource: "mwaa_execution_role" }),
  });
  const airflow =
    ctx.mwaaOn && ctx.settings.mwaa
      ? new AirflowEnvironment("mwaa", {
          environmentName: mwaaName,
          executionRoleArn: mwaaRole.roleArn,
          sourceBucketArn: core.bucketArns.artifacts,
          dagPrefix: r.string("MWAA_DAG_S3_PREFIX"),
          vpcId: core.vpcId,
          vpcCidr: core.vpcCidr,
          subnetIds: core.privateSubnetIds,
          securityGroupName: r.string("MWAA_SECURITY_GROUP_NAME"),
          settings: ctx.settings.mwaa,
          tags,
        })
      : undefined;
  const parameters = new HandleParameters("ops", {
    parameters: {
      "mwaa-webserver-url": {
        name: webserverPath,
        // While deferred the parameter states why there is no URL (never a made-up host a client would try).
        value: airflow ? pulumi.interpolate`https://${airflow.webserverUrl}` : ctx.airflowMode,
        secure: false,
        description: airflow ? "MWAA webserver URL" : `No MWAA environment: AIRFLOW_MODE=${ctx.airflowMode}`,
        resource: "mwaa_webserver_url",
      },
    },
    kmsKeyArn: core.kmsKeyArn,
    parameterRoot: r.string("SSM_PARAMETER_ROOT"),
    tags,
  });
  return { mwaaName, mwaaRole, airflow, parameters };
}

/** GitHub Actions: one identity per workflow, each as wide as its code (DA-27; src/ops/ci.ts); the guard outlives P17. */
function ciIdentity(ctx: OpsContext): GithubCiIdentity {
  const { r, env, accountId } = ctx;
  const repo = ctx.settings.ci.githubRepository;
  const ciScope: CiScope = {
    region: env.region,
    accountId,
    stateBucket: r.string("TF_STATE_BUCKET"),
    platformKeyArn: ctx.core.kmsKeyArn,
    namePrefix: `${r.string("PROJECT_SLUG")}-${r.string("ENV_NAME").replace(/_/g, "-")}-`,
    artifactsBucket: r.string("S3_ARTIFACTS_BUCKET"),
  };
  const teardown = teardownStatements(parseActionList(r.string("TEARDOWN_IAM_MIN_ACTIONS")), {
    region: env.region,
    accountId,
    eksClusterArn: ctx.eksUp ? ctx.runtime.eksClusterArn : pulumi.interpolate`arn:aws:eks:${env.region}:${accountId}:cluster/${r.string("EKS_CLUSTER_NAME")}`,
    eksClusterName: ctx.ids.clusterName,
    ecsClusterName: ctx.runtime.ecsClusterName,
    sagemakerEndpointName: r.string("SM_ENDPOINT_NAME"),
  });
  const guardScope = {
    scan: RESIDUAL_SCAN_CALLS,
    spend: WINDOW_SPEND_CALLS,
    runControlPrefix: staticPrefixOf(r.string("S3_RUN_CONTROL_ROOT_PATTERN")),
    evidenceBucketArn: ctx.core.bucketArns.evidence,
    budgetName: r.string("AWS_BUDGET_NAME"),
  };
  const role = (logicalName: string, handle: string, subjects: string[], statements: StatementSpec[], resource: string) => ({
    logicalName,
    roleName: r.string(handle),
    subjects,
    statements,
    resource,
  });
  return new GithubCiIdentity(
    "github-ci",
    {
      issuerUrl: r.string("GITHUB_OIDC_PROVIDER_URL"),
      audience: r.string("GITHUB_OIDC_AUDIENCE"),
      accountId,
      roles: {
        preview: role(
          "github-ci-preview-role",
          "ROLE_GITHUB_ACTIONS_PREVIEW_NAME",
          [githubSubject(repo, { kind: "pull_request" })],
          previewRoleStatements(ciScope),
          "ci_preview_role",
        ),
        deploy: role(
          "github-ci-deploy-role",
          "ROLE_GITHUB_ACTIONS_DEPLOY_NAME",
          [githubSubject(repo, { kind: "environment", environment: ctx.settings.ci.deployEnvironment })],
          deployRoleStatements(ciScope),
          "ci_deploy_role",
        ),
        guard: role(
          "github-ci-role",
          "ROLE_GITHUB_ACTIONS_CI_NAME",
          ctx.settings.ci.branches.map((branch) => githubSubject(repo, { kind: "branch", branch })),
          guardRoleStatements(teardown, ciScope, guardScope),
          "ci_teardown_role",
        ),
      },
      tags: ctx.tags,
    },
    { protect: true },
  );
}

/**
 * The CI roles' access to the EKS exception lane lives with them: ops applies after runtime, so both the cluster and
 * the roles exist here (the runtime layer cannot name a role created later). Preview reads, deploy and the guard
 * administer (the guard's refresh and the idle-safe switch).
 */
function ciEksAccess(ctx: OpsContext, ci: GithubCiIdentity): void {
  const access: Array<[string, string, string]> = [
    ["github-ci", "guard", "AmazonEKSClusterAdminPolicy"],
    ["github-ci-preview", "preview", "AmazonEKSViewPolicy"],
    ["github-ci-deploy", "deploy", "AmazonEKSClusterAdminPolicy"],
  ];
  const clusterName = ctx.ids.clusterName;
  for (const [logical, key, accessPolicy] of access) {
    const principalArn = ci.roles[key].roleArn;
    const entry = new aws.eks.AccessEntry(`${logical}-eks-access`, { clusterName, principalArn, type: "STANDARD", tags: ctx.tags });
    new aws.eks.AccessPolicyAssociation(
      key === "guard" ? "github-ci-eks-cluster-admin" : `${logical}-eks-${accessPolicy === "AmazonEKSViewPolicy" ? "view" : "cluster-admin"}`,
      { clusterName, principalArn, policyArn: `arn:aws:eks::aws:cluster-access-policy/${accessPolicy}`, accessScope: { type: "cluster" } },
      { dependsOn: [entry] },
    );
  }
}

/** What the ops layer declared, for its outputs. */
interface OpsParts {
  budget: CostGuardrail;
  opsKey: OpsKey;
  topic: AlarmTopic;
  alarms?: PlatformAlarms;
  dashboards?: OpsDashboards;
  logGroups: PlatformLogGroups;
  mwaaName: string;
  mwaaRole: WorkloadRole;
  airflow?: AirflowEnvironment;
  parameters: HandleParameters;
  ci: GithubCiIdentity;
}

/** Every ops handle under its registry name (personal data as a secret; deferred surfaces as null with a reason). */
function opsHandles(ctx: OpsContext, p: OpsParts): StackOutputs {
  const { r } = ctx;
  const observabilityDown = deferred(downReason(ctx.env, "observability"));
  return handleOutputs(ctx.env, {
    AWS_BUDGET_NAME: p.budget.budgetName,
    // Personal data: secret, never in plain outputs or dashboards.
    AWS_BUDGET_NOTIFICATION_EMAIL: pulumi.secret(ctx.email),
    ALARM_BILLING_ESTIMATED_CHARGES: p.budget.billingAlarmName,
    SNS_BILLING_ALARMS_TOPIC: r.string("SNS_BILLING_ALARMS_TOPIC"),
    OPS_BILLING_KMS_KEY_ALIAS: p.budget.billingKeyAlias,
    OPS_KMS_KEY_ALIAS: p.opsKey.aliasName,
    SNS_OPS_ALARMS_TOPIC: p.topic.topicName,
    ...Object.fromEntries(ALARM_HANDLES.map((h) => [h, p.alarms ? p.alarms.names[h] : observabilityDown])),
    CW_DASHBOARD_PLATFORM_OPERATIONS: p.dashboards ? p.dashboards.names["operations"] : observabilityDown,
    CW_DASHBOARD_COST_GUARDRAIL: p.dashboards ? p.dashboards.names["cost-guardrail"] : observabilityDown,
    CLOUDWATCH_RUNTIME_BOOTSTRAP_LOG_GROUP: p.logGroups.names["runtime-bootstrap"],
    ROLE_MWAA_EXECUTION: p.mwaaRole.roleArn,
    SSM_MWAA_WEBSERVER_URL_PATH: p.parameters.names["mwaa-webserver-url"],
    // Reserved while AIRFLOW_MODE is deferred: null, never the name of an environment that does not exist.
    MWAA_ENV_NAME: p.airflow ? p.mwaaName : deferred(AIRFLOW_DEFERRED),
    MWAA_SECURITY_GROUP_NAME: p.airflow ? r.string("MWAA_SECURITY_GROUP_NAME") : deferred(AIRFLOW_DEFERRED),
    ROLE_GITHUB_ACTIONS_CI_NAME: p.ci.roles["guard"].roleName,
    ROLE_GITHUB_ACTIONS_PREVIEW_NAME: p.ci.roles["preview"].roleName,
    ROLE_GITHUB_ACTIONS_DEPLOY_NAME: p.ci.roles["deploy"].roleName,
  });
}

function opsOutputs(ctx: OpsContext, p: OpsParts): StackOutputs {
  const { r } = ctx;
  const handles = opsHandles(ctx, p);
  const { AWS_BUDGET_NOTIFICATION_EMAIL: _email, [DEFERRED_HANDLES_OUTPUT]: _reasons, ...materialization } = handles;
  // The reference's one CI policy: docs/decisions/0008-ecs-ingress-service-deferred.md (Outputs kept as null).
  const m6fPolicy = deferred(M6F_POLICY_DEFERRED);
  // Runtime's connection paths, re-published as the reference's ops did (registry pins, the same values runtime writes).
  const runtimePaths = Object.fromEntries(RUNTIME_PATH_HANDLES.map((h) => [h, r.string(h)]));
  const guardRole = p.ci.roles["guard"];
  return withDeferred({
    ...handles,
    // The reference stack's outputs (stacks/ops.md §4), every one under its name.
    role_mwaa_execution_arn: p.mwaaRole.roleArn,
    ssm_mwaa_webserver_url_path: p.parameters.names["mwaa-webserver-url"],
    cloudwatch_runtime_bootstrap_log_group: p.logGroups.names["runtime-bootstrap"],
    budget_name: p.budget.budgetName,
    cloudwatch_dashboard_platform_operations: p.dashboards?.names["operations"] ?? null,
    cloudwatch_dashboard_cost_guardrail: p.dashboards?.names["cost-guardrail"] ?? null,
    ...Object.fromEntries(RUNTIME_PATH_HANDLES.map((h) => [h.toLowerCase(), runtimePaths[h]])),
    github_actions_m6f_policy_name: m6fPolicy,
    ops_handle_materialization: {
      ...materialization,
      ...runtimePaths,
      CLOUDWATCH_LOG_GROUP_PREFIX: r.string("CLOUDWATCH_LOG_GROUP_PREFIX"),
      CLOUDWATCH_RUNTIME_BOOTSTRAP_LG: p.logGroups.names["runtime-bootstrap"],
      ROLE_GITHUB_ACTIONS_OIDC: guardRole.roleArn,
      ROLE_GITHUB_ACTIONS_M6F_POLICY: m6fPolicy,
    },
    // What the reference never exported.
    alarm_arns: pulumi.output({ ...(p.alarms?.arns ?? {}), ALARM_BILLING_ESTIMATED_CHARGES: p.budget.billingAlarmArn }),
    sns_ops_alarms_topic_arn: p.topic.topicArn,
    sns_billing_alarms_topic_arn: p.budget.billingTopicArn,
    billing_region: r.string("AWS_BILLING_REGION"),
    github_oidc_provider_arn: p.ci.oidcProviderArn,
    github_ci_role_arn: guardRole.roleArn,
    github_ci_preview_role_arn: p.ci.roles["preview"].roleArn,
    github_ci_deploy_role_arn: p.ci.roles["deploy"].roleArn,
    airflow_mode: ctx.airflowMode,
    mwaa_environment_arn: p.airflow ? p.airflow.arn : null,
  });
}

/** The runtime layer's SSM paths the reference's ops stack re-exported (as ssm_<...>_path and in its map). */
const RUNTIME_PATH_HANDLES = [
  "SSM_AURORA_ENDPOINT_PATH",
  "SSM_AURORA_READER_ENDPOINT_PATH",
  "SSM_AURORA_USERNAME_PATH",
  "SSM_AURORA_PASSWORD_PATH",
  "SSM_REDIS_ENDPOINT_PATH",
] as const;

/** Why the reference's `github_actions_m6f_policy_name` / ROLE_GITHUB_ACTIONS_M6F_POLICY is null here. */
export const M6F_POLICY_DEFERRED =
  "no policy of that name exists: the reference attached one inline policy (GitHubActionsM6FRemoteDevFull) to a looked-up GitHub role; here each workflow has its own identity and policy (src/ops/ciAccess.ts; ROLE_GITHUB_ACTIONS_CI_NAME, _PREVIEW_NAME, _DEPLOY_NAME), see docs/decisions/0008-ecs-ingress-service-deferred.md";
