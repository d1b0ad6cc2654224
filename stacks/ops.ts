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
import { Environment } from "../src/config/environment";
import { OpsSettings } from "../src/config/opsSettings";
import { staticPrefixOf } from "../src/dataml/roles";
import { InputError } from "../src/errors";
import { mwaaEnvironmentAllowed } from "../src/ops/airflow";
import { ALARM_HANDLES, AlarmNames, WatchedIdentities, platformAlarmSpecs } from "../src/ops/alarms";
import { CiScope, deployRoleStatements, guardRoleStatements, parseActionList, previewRoleStatements, teardownStatements } from "../src/ops/ci";
import { githubSubject } from "../src/ops/ciAccess";
import { RESIDUAL_SCAN_CALLS } from "../src/teardown/residualScan";
import { WINDOW_SPEND_CALLS } from "../src/window/spend";
import { costGuardrailDashboardBody, operationsDashboardBody } from "../src/ops/dashboards";
import { mwaaExecutionStatements, mwaaTrust } from "../src/ops/mwaa";
import { tagsFor } from "../src/tags";
import { DEFERRED_HANDLES_OUTPUT, StackOutputs, deferred, handleOutputs, withDeferred } from "./handleOutputs";
import { downReason, surfaceUp } from "../src/window/surfaces";

const AIRFLOW_DEFERRED = "no MWAA environment while AIRFLOW_MODE is DEFERRED_UNTIL_COMPLEXITY_THRESHOLD (DA-60)";
import { CoreOutputs, RuntimeOutputs } from "./upstreamOutputs";

/** Repository path of the operator runbook the dashboards point to. */
const RUNBOOK = "docs/ops.md";

/** The layer's settings; a missing section (or MWAA sizing once MWAA is on) is a config error naming the key. */
export function opsSettingsOf(env: Environment, mwaaOn: boolean): OpsSettings {
  const settings = env.settings.ops;
  const file = `Pulumi.${env.name}.yaml`;
  if (!settings) {
    throw new InputError(`invalid environment for stack ${env.stackName}`, [
      { file, key: "fraud-platform:ops", expected: "the ops layer's settings (src/config/opsSettings.ts, docs/ops.md)", found: "nothing (key missing)" },
    ]);
  }
  if (mwaaOn && !settings.mwaa) {
    throw new InputError(`invalid environment for stack ${env.stackName}`, [
      { file, key: "fraud-platform:ops.mwaa", expected: `MWAA sizing (environmentClass, airflowVersion, maxWorkers): AIRFLOW_MODE is ${env.registry.string("AIRFLOW_MODE")}`, found: "nothing (key missing)" },
    ]);
  }
  return settings;
}

export function opsStack(env: Environment): StackOutputs {
  const r = env.registry;
  const airflowMode = r.string("AIRFLOW_MODE");
  const mwaaOn = mwaaEnvironmentAllowed(airflowMode);
  const settings = opsSettingsOf(env, mwaaOn);
  const tags = tagsFor(env);
  const accountId = aws.getCallerIdentityOutput().accountId;
  // TO_PIN: fails closed in a real run; the offline plan records the blocker and carries an unknown value.
  const email = env.pinned("AWS_BUDGET_NOTIFICATION_EMAIL");
  const keyDeletionWindowInDays = r.number("KMS_KEY_DELETION_WINDOW_DAYS");

  const core = new CoreOutputs(env);
  const runtime = new RuntimeOutputs(env);
  // Proof window (fraud-platform:window): alarms and dashboards watch window surfaces and exist only in a window;
  // without the EKS lane its name (a pin) and its deterministic ARN stand in for the runtime's deferred outputs.
  const observed = surfaceUp(env, "observability");
  const eksUp = surfaceUp(env, "eks_lane");
  const observabilityDown = deferred(downReason(env, "observability"));
  const platformKeyArn = core.kmsKeyArn;
  const bucketArns = core.bucketArns;
  const ids: WatchedIdentities = {
    apiId: runtime.ingressApiId,
    stage: runtime.ingressStage,
    functionName: runtime.ingressFunctionName,
    clusterName: eksUp ? runtime.eksClusterName : pulumi.output(r.string("EKS_CLUSTER_NAME")),
    flinkApplication: runtime.flinkApplicationName,
    dlqName: runtime.ingressDlqName,
  };

  // --- Cost guardrail: budget (whole account) + billing alarm in the billing region --------------------------------
  const alerts = ["DEV_FULL_BUDGET_ALERT_1_USD", "DEV_FULL_BUDGET_ALERT_2_USD", "DEV_FULL_BUDGET_ALERT_3_USD"].map((h) => r.number(h));
  const budget = new CostGuardrail("cost-guardrail", {
    budgetName: r.string("AWS_BUDGET_NAME"),
    limit: r.number("DEV_FULL_MONTHLY_BUDGET_LIMIT_USD"),
    currency: r.string("BUDGET_CURRENCY"),
    alerts,
    email,
    billingRegion: r.string("AWS_BILLING_REGION"),
    billingAlarmName: r.string("ALARM_BILLING_ESTIMATED_CHARGES"),
    billingTopicName: r.string("SNS_BILLING_ALARMS_TOPIC"),
    billingKeyAlias: r.string("OPS_BILLING_KMS_KEY_ALIAS"),
    keyDeletionWindowInDays,
    accountId,
    tags,
  }, { protect: true }); // the guardrail outlives P17: spend is still watched while the platform is torn down

  // --- Ops key, alarm topic, platform alarms ----------------------------------------------------------------------
  const logPrefix = r.string("CLOUDWATCH_LOG_GROUP_PREFIX");
  const opsKey = new OpsKey("ops", { alias: r.string("OPS_KMS_KEY_ALIAS"), accountId, region: env.region, logGroupPrefix: logPrefix, cloudWatchAlarms: true, deletionWindowInDays: keyDeletionWindowInDays, tags });
  const topic = new AlarmTopic("ops-alarms", { topicName: r.string("SNS_OPS_ALARMS_TOPIC"), kmsKeyArn: opsKey.aliasArn, accountId, region: env.region, email, tags });
  const alarmNames = Object.fromEntries(ALARM_HANDLES.map((h) => [h, r.string(h)])) as AlarmNames;
  const alarms = observed ? new PlatformAlarms("platform", { specs: platformAlarmSpecs(alarmNames, ids, settings.alarms), settings: settings.alarms, topicArn: topic.topicArn, tags }) : undefined;

  // --- Dashboards (ids from runtime outputs; alarm ARNs from this stack's names) ----------------------------------
  const alarmArn = (region: string, name: string) => pulumi.interpolate`arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
  const dashboards = observed ? new OpsDashboards("dashboards", {
    dashboards: [
      {
        key: "operations",
        name: r.string("CW_DASHBOARD_PLATFORM_OPERATIONS"),
        body: operationsDashboardBody({ region: env.region, ids, alarmArns: ALARM_HANDLES.map((h) => alarmArn(env.region, alarmNames[h])), runbook: RUNBOOK }),
      },
      {
        key: "cost-guardrail",
        name: r.string("CW_DASHBOARD_COST_GUARDRAIL"),
        body: costGuardrailDashboardBody({
          region: env.region,
          billingRegion: r.string("AWS_BILLING_REGION"),
          clusterName: ids.clusterName,
          budget: { name: r.string("AWS_BUDGET_NAME"), limitUsd: r.number("DEV_FULL_MONTHLY_BUDGET_LIMIT_USD"), currency: r.string("BUDGET_CURRENCY"), alertsUsd: alerts },
          billingAlarmArn: alarmArn(r.string("AWS_BILLING_REGION"), r.string("ALARM_BILLING_ESTIMATED_CHARGES")),
          runbook: RUNBOOK,
        }),
      },
    ],
  }) : undefined;

  // --- Log group bootstrap (pinned retention, ops key) ------------------------------------------------------------
  const logGroups = new PlatformLogGroups("bootstrap-logs", {
    groups: { "runtime-bootstrap": r.string("CLOUDWATCH_RUNTIME_BOOTSTRAP_LOG_GROUP") },
    prefix: logPrefix,
    retentionInDays: r.number("LOG_RETENTION_DAYS"),
    kmsKeyArn: opsKey.keyArn,
    tags,
  });

  // --- MWAA: execution role and webserver parameter; the environment only behind AIRFLOW_MODE (DA-60) ------------
  const mwaaName = r.string("MWAA_ENV_NAME");
  const webserverPath = r.string("SSM_MWAA_WEBSERVER_URL_PATH");
  const mwaaRole = new WorkloadRole("mwaa-execution", {
    roleName: r.roleName("ROLE_MWAA_EXECUTION"),
    trust: accountId.apply(mwaaTrust),
    statements: mwaaExecutionStatements({
      region: env.region,
      accountId,
      platformKeyArn,
      webserverParameterPath: webserverPath,
      environment: mwaaOn ? { name: mwaaName, artifactsBucketArn: bucketArns.artifacts, dagPrefix: r.string("MWAA_DAG_S3_PREFIX") } : undefined,
    }),
    tags: tagsFor(env, { fp_resource: "mwaa_execution_role" }),
  });
  const airflow =
    mwaaOn && settings.mwaa
      ? new AirflowEnvironment("mwaa", {
          environmentName: mwaaName,
          executionRoleArn: mwaaRole.roleArn,
          sourceBucketArn: bucketArns.artifacts,
          dagPrefix: r.string("MWAA_DAG_S3_PREFIX"),
          vpcId: core.vpcId,
          vpcCidr: core.vpcCidr,
          subnetIds: core.privateSubnetIds,
          securityGroupName: r.string("MWAA_SECURITY_GROUP_NAME"),
          settings: settings.mwaa,
          tags,
        })
      : undefined;
  const parameters = new HandleParameters("ops", {
    parameters: {
      "mwaa-webserver-url": {
        name: webserverPath,
        // While deferred the parameter states why there is no URL (never a made-up host a client would try).
        value: airflow ? pulumi.interpolate`https://${airflow.webserverUrl}` : airflowMode,
        secure: false,
        description: airflow ? "MWAA webserver URL" : `No MWAA environment: AIRFLOW_MODE=${airflowMode}`,
        resource: "mwaa_webserver_url",
      },
    },
    kmsKeyArn: platformKeyArn,
    parameterRoot: r.string("SSM_PARAMETER_ROOT"),
    tags,
  });

  // --- GitHub Actions: one identity per workflow, each as wide as its code (DA-27; src/ops/ci.ts) -----------------
  const repo = settings.ci.githubRepository;
  const ciScope: CiScope = { region: env.region, accountId, stateBucket: r.string("TF_STATE_BUCKET"), platformKeyArn, namePrefix: `${r.string("PROJECT_SLUG")}-${r.string("ENV_NAME").replace(/_/g, "-")}-`, artifactsBucket: r.string("S3_ARTIFACTS_BUCKET") };
  const teardown = teardownStatements(parseActionList(r.string("TEARDOWN_IAM_MIN_ACTIONS")), {
    region: env.region,
    accountId,
    eksClusterArn: eksUp ? runtime.eksClusterArn : pulumi.interpolate`arn:aws:eks:${env.region}:${accountId}:cluster/${r.string("EKS_CLUSTER_NAME")}`,
    eksClusterName: ids.clusterName,
    ecsClusterName: runtime.ecsClusterName,
    sagemakerEndpointName: r.string("SM_ENDPOINT_NAME"),
  });
  const ci = new GithubCiIdentity("github-ci", {
    issuerUrl: r.string("GITHUB_OIDC_PROVIDER_URL"),
    audience: r.string("GITHUB_OIDC_AUDIENCE"),
    accountId,
    roles: {
      preview: {
        logicalName: "github-ci-preview-role",
        roleName: r.string("ROLE_GITHUB_ACTIONS_PREVIEW_NAME"),
        subjects: [githubSubject(repo, { kind: "pull_request" })],
        statements: previewRoleStatements(ciScope),
        resource: "ci_preview_role",
      },
      deploy: {
        logicalName: "github-ci-deploy-role",
        roleName: r.string("ROLE_GITHUB_ACTIONS_DEPLOY_NAME"),
        subjects: [githubSubject(repo, { kind: "environment", environment: settings.ci.deployEnvironment })],
        statements: deployRoleStatements(ciScope),
        resource: "ci_deploy_role",
      },
      guard: {
        logicalName: "github-ci-role",
        roleName: r.string("ROLE_GITHUB_ACTIONS_CI_NAME"),
        subjects: settings.ci.branches.map((branch) => githubSubject(repo, { kind: "branch", branch })),
        statements: guardRoleStatements(teardown, ciScope, {
          scan: RESIDUAL_SCAN_CALLS,
          spend: WINDOW_SPEND_CALLS,
          runControlPrefix: staticPrefixOf(r.string("S3_RUN_CONTROL_ROOT_PATTERN")),
          evidenceBucketArn: bucketArns.evidence,
          budgetName: r.string("AWS_BUDGET_NAME"),
        }),
        resource: "ci_teardown_role",
      },
    },
    tags,
  }, { protect: true }); // the idle guard runs as its identity after P17 too
  const guardRole = ci.roles["guard"];

  // The roles' access to the EKS exception lane lives with them: ops applies after runtime, so both the cluster and
  // the roles exist here (the runtime layer cannot name a role created later). Preview reads, deploy and the guard
  // administer (the guard's refresh and the idle-safe switch).
  if (eksUp) {
    const access: Array<[string, string, string]> = [
      ["github-ci", "guard", "AmazonEKSClusterAdminPolicy"],
      ["github-ci-preview", "preview", "AmazonEKSViewPolicy"],
      ["github-ci-deploy", "deploy", "AmazonEKSClusterAdminPolicy"],
    ];
    for (const [logical, key, accessPolicy] of access) {
      const principalArn = ci.roles[key].roleArn;
      const entry = new aws.eks.AccessEntry(`${logical}-eks-access`, { clusterName: ids.clusterName, principalArn, type: "STANDARD", tags });
      new aws.eks.AccessPolicyAssociation(
        key === "guard" ? "github-ci-eks-cluster-admin" : `${logical}-eks-${accessPolicy === "AmazonEKSViewPolicy" ? "view" : "cluster-admin"}`,
        { clusterName: ids.clusterName, principalArn, policyArn: `arn:aws:eks::aws:cluster-access-policy/${accessPolicy}`, accessScope: { type: "cluster" } },
        { dependsOn: [entry] },
      );
    }
  }

  const handles = handleOutputs(env, {
    AWS_BUDGET_NAME: budget.budgetName,
    // Personal data: secret, never in plain outputs or dashboards.
    AWS_BUDGET_NOTIFICATION_EMAIL: pulumi.secret(email),
    ALARM_BILLING_ESTIMATED_CHARGES: budget.billingAlarmName,
    SNS_BILLING_ALARMS_TOPIC: r.string("SNS_BILLING_ALARMS_TOPIC"),
    OPS_BILLING_KMS_KEY_ALIAS: budget.billingKeyAlias,
    OPS_KMS_KEY_ALIAS: opsKey.aliasName,
    SNS_OPS_ALARMS_TOPIC: topic.topicName,
    ...Object.fromEntries(ALARM_HANDLES.map((h) => [h, alarms ? alarms.names[h] : observabilityDown])),
    CW_DASHBOARD_PLATFORM_OPERATIONS: dashboards ? dashboards.names["operations"] : observabilityDown,
    CW_DASHBOARD_COST_GUARDRAIL: dashboards ? dashboards.names["cost-guardrail"] : observabilityDown,
    CLOUDWATCH_RUNTIME_BOOTSTRAP_LOG_GROUP: logGroups.names["runtime-bootstrap"],
    ROLE_MWAA_EXECUTION: mwaaRole.roleArn,
    SSM_MWAA_WEBSERVER_URL_PATH: parameters.names["mwaa-webserver-url"],
    // Reserved while AIRFLOW_MODE is deferred: null, never the name of an environment that does not exist.
    MWAA_ENV_NAME: airflow ? mwaaName : deferred(AIRFLOW_DEFERRED),
    MWAA_SECURITY_GROUP_NAME: airflow ? r.string("MWAA_SECURITY_GROUP_NAME") : deferred(AIRFLOW_DEFERRED),
    ROLE_GITHUB_ACTIONS_CI_NAME: guardRole.roleName,
    ROLE_GITHUB_ACTIONS_PREVIEW_NAME: ci.roles["preview"].roleName,
    ROLE_GITHUB_ACTIONS_DEPLOY_NAME: ci.roles["deploy"].roleName,
  });
  const { AWS_BUDGET_NOTIFICATION_EMAIL: _email, [DEFERRED_HANDLES_OUTPUT]: _reasons, ...materialization } = handles;
  // The reference's one CI policy: docs/decisions/0008-ecs-ingress-service-deferred.md (Outputs kept as null).
  const m6fPolicy = deferred(M6F_POLICY_DEFERRED);
  // Runtime's connection paths, re-published as the reference's ops did (registry pins, the same values runtime writes).
  const runtimePaths = Object.fromEntries(RUNTIME_PATH_HANDLES.map((h) => [h, r.string(h)]));

  return withDeferred({
    ...handles,
    // The reference stack's outputs (stacks/ops.md §4), every one under its name.
    role_mwaa_execution_arn: mwaaRole.roleArn,
    ssm_mwaa_webserver_url_path: parameters.names["mwaa-webserver-url"],
    cloudwatch_runtime_bootstrap_log_group: logGroups.names["runtime-bootstrap"],
    budget_name: budget.budgetName,
    cloudwatch_dashboard_platform_operations: dashboards?.names["operations"] ?? null,
    cloudwatch_dashboard_cost_guardrail: dashboards?.names["cost-guardrail"] ?? null,
    ...Object.fromEntries(RUNTIME_PATH_HANDLES.map((h) => [h.toLowerCase(), runtimePaths[h]])),
    github_actions_m6f_policy_name: m6fPolicy,
    ops_handle_materialization: {
      ...materialization,
      ...runtimePaths,
      CLOUDWATCH_LOG_GROUP_PREFIX: logPrefix,
      CLOUDWATCH_RUNTIME_BOOTSTRAP_LG: logGroups.names["runtime-bootstrap"],
      ROLE_GITHUB_ACTIONS_OIDC: guardRole.roleArn,
      ROLE_GITHUB_ACTIONS_M6F_POLICY: m6fPolicy,
    },
    // What the reference never exported.
    alarm_arns: pulumi.output({ ...(alarms?.arns ?? {}), ALARM_BILLING_ESTIMATED_CHARGES: budget.billingAlarmArn }),
    sns_ops_alarms_topic_arn: topic.topicArn,
    sns_billing_alarms_topic_arn: budget.billingTopicArn,
    billing_region: r.string("AWS_BILLING_REGION"),
    github_oidc_provider_arn: ci.oidcProviderArn,
    github_ci_role_arn: guardRole.roleArn,
    github_ci_preview_role_arn: ci.roles["preview"].roleArn,
    github_ci_deploy_role_arn: ci.roles["deploy"].roleArn,
    airflow_mode: airflowMode,
    mwaa_environment_arn: airflow ? airflow.arn : null,
  });
}

/** The runtime layer's SSM paths the reference's ops stack re-exported (as ssm_<...>_path and in its map). */
const RUNTIME_PATH_HANDLES = ["SSM_AURORA_ENDPOINT_PATH", "SSM_AURORA_READER_ENDPOINT_PATH", "SSM_AURORA_USERNAME_PATH", "SSM_AURORA_PASSWORD_PATH", "SSM_REDIS_ENDPOINT_PATH"] as const;

/** Why the reference's `github_actions_m6f_policy_name` / ROLE_GITHUB_ACTIONS_M6F_POLICY is null here. */
export const M6F_POLICY_DEFERRED =
  "no policy of that name exists: the reference attached one inline policy (GitHubActionsM6FRemoteDevFull) to a looked-up GitHub role; here each workflow has its own identity and policy (src/ops/ciAccess.ts; ROLE_GITHUB_ACTIONS_CI_NAME, _PREVIEW_NAME, _DEPLOY_NAME), see docs/decisions/0008-ecs-ingress-service-deferred.md";
