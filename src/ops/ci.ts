/**
 * The GitHub Actions identities, one per workflow: trust through OIDC (the workflow's exact subject) and the
 * statements of each role (PR preview, deploy, idle guard / window close). The idle-guard role holds every action
 * of TEARDOWN_IAM_MIN_ACTIONS (DA-27), each scoped to the platform's own resources where the service allows it.
 * Deliberately absent from the preview and idle-guard roles: any IAM write (attach/put policy, pass role) and any
 * Lambda code or configuration update: together they would let a CI role run arbitrary code with arbitrary
 * permissions through the ingress Lambda. The deploy role writes IAM only on the platform's own
 * names, and only a job in the protected GitHub environment can assume it.
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StatementSpec, s3PrefixStatements } from "../iam/policy";
import { s3KmsStatement } from "../iam/laneStatements";
import { SdkCall, actionsOf, deployServices, refreshReadActions, secretsProviderStatement, stateBackendStatements } from "./ciAccess";

/** `TEARDOWN_IAM_MIN_ACTIONS` ("a,b,c") as a list. */
export function parseActionList(value: string): string[] {
  const actions = value
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a !== "");
  const bad = actions.filter((a) => !/^[a-z0-9-]+:[A-Za-z0-9*]+$/.test(a));
  if (actions.length === 0 || bad.length)
    throw new Error(`TEARDOWN_IAM_MIN_ACTIONS must be a comma-separated list of service:Action, found ${JSON.stringify(value)}`);
  return actions;
}

/**
 * Trust for GitHub Actions workflows of one repository through the account's OIDC provider: the audience and the
 * exact subjects (`repo:<owner/name>:ref:refs/heads/<branch>`, `...:pull_request`, `...:environment:<name>`; no
 * wildcard subject).
 */
export function githubActionsTrust(args: { oidcProviderArn: string; issuerHost: string; audience: string; subjects: string[] }): aws.iam.PolicyDocument {
  if (args.subjects.length === 0) throw new Error("githubActionsTrust: at least one subject");
  const wild = args.subjects.filter((s) => /[*?]/.test(s));
  if (wild.length) throw new Error(`githubActionsTrust: wildcard subject ${wild.join(", ")}`);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GitHubActionsOidc",
        Effect: "Allow",
        Principal: { Federated: args.oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${args.issuerHost}:aud`]: args.audience,
            [`${args.issuerHost}:sub`]: args.subjects,
          },
        },
      },
    ],
  };
}

/** The platform resources teardown acts on (ARNs from upstream outputs and the registry). */
export interface TeardownScope {
  region: string;
  accountId: pulumi.Input<string>;
  eksClusterArn: pulumi.Input<string>;
  eksClusterName: pulumi.Input<string>;
  ecsClusterName: pulumi.Input<string>;
  sagemakerEndpointName: string;
}

/**
 * Statements granting `minActions`, grouped by the resource each action can be scoped to. An action without a
 * known scope stops the program: the registry grew and this table must say where the new action applies.
 */
export function teardownStatements(minActions: string[], s: TeardownScope): StatementSpec[] {
  const arn = (service: string, path: pulumi.Input<string>) => pulumi.interpolate`arn:aws:${service}:${s.region}:${s.accountId}:${path}`;
  const cluster = [s.eksClusterArn];
  const nodegroups = [arn("eks", pulumi.interpolate`nodegroup/${s.eksClusterName}/*/*`)];
  const scopes: Array<{ sid: string; actions: RegExp; resources: pulumi.Input<string>[]; wildcardJustification?: string }> = [
    { sid: "TeardownEksCluster", actions: /^eks:(ListNodegroups|DescribeCluster)$/, resources: cluster },
    { sid: "TeardownEksNodegroups", actions: /^eks:(UpdateNodegroupConfig|DescribeNodegroup|DescribeUpdate)$/, resources: [...cluster, ...nodegroups] },
    {
      sid: "TeardownSageMakerList",
      actions: /^sagemaker:List/,
      resources: ["*"],
      wildcardJustification: "SageMaker List* actions have no resource-level scope.",
    },
    {
      sid: "TeardownSageMakerEndpoint",
      actions: /^sagemaker:(Describe|Delete)Endpoint(Config)?$/,
      resources: [arn("sagemaker", `endpoint/${s.sagemakerEndpointName.toLowerCase()}`)],
    },
    {
      sid: "TeardownEcsServices",
      actions: /^ecs:(UpdateService|DescribeServices)$/,
      resources: [arn("ecs", pulumi.interpolate`service/${s.ecsClusterName}/*`)],
    },
    {
      sid: "TeardownEmrOnEksJobRuns",
      actions: /^emr-containers:(ListJobRuns|CancelJobRun|DescribeJobRun)$/,
      resources: [arn("emr-containers", "/virtualclusters/*")],
    },
  ];
  const unscoped = minActions.filter((a) => !scopes.some((sc) => sc.actions.test(a)));
  if (unscoped.length) throw new Error(`TEARDOWN_IAM_MIN_ACTIONS: no resource scope known for ${unscoped.join(", ")}; add it to src/ops/ci.ts`);
  return scopes
    .map((sc) => ({ sc, actions: minActions.filter((a) => sc.actions.test(a)) }))
    .filter(({ actions }) => actions.length > 0)
    .map(({ sc, actions }) => ({
      sid: sc.sid,
      actions,
      resources: sc.resources,
      ...(sc.wildcardJustification ? { wildcardJustification: sc.wildcardJustification } : {}),
    }));
}

/** Run-control evidence the idle/teardown guard writes (snapshots), never deletes. */
export function runControlEvidenceStatements(evidenceBucketArn: pulumi.Input<string>, runControlPrefix: string): StatementSpec[] {
  return s3PrefixStatements({ sid: "RunControlEvidence", bucketArn: evidenceBucketArn, prefix: runControlPrefix, access: "readwrite" });
}

/** What the three workflow roles are scoped to. */
export interface CiScope {
  region: string;
  accountId: pulumi.Input<string>;
  /** The Pulumi backend bucket (TF_STATE_BUCKET, the one-time bootstrap). */
  stateBucket: string;
  /** Platform key: the stacks' secrets provider and the evidence objects' SSE-KMS key. */
  platformKeyArn: pulumi.Input<string>;
  /** Physical-name prefix of the platform's roles and buckets (`fraud-platform-dev-full-`). */
  namePrefix: string;
  /** Bucket of build/deploy artifacts (S3_ARTIFACTS_BUCKET): the Lambda package deploy creates the function from. */
  artifactsBucket: string;
}

const REFRESH_WILDCARD =
  "Describe/List/Get calls of a refresh read every resource of the five stacks; most have no resource-level scope, and all are read-only (isReadOnlyAction).";

/**
 * PR preview (pr.yml `preview`): read stack state, decrypt the secrets provider's data key, and the read calls a
 * refresh makes over every provider module of the platform. Nothing that writes.
 */
export function previewRoleStatements(s: CiScope): StatementSpec[] {
  return [
    ...stateBackendStatements("Preview", s.stateBucket, "read"),
    secretsProviderStatement("Preview", s.platformKeyArn, "decrypt"),
    { sid: "PreviewRefreshReads", actions: refreshReadActions(), resources: ["*"], wildcardJustification: REFRESH_WILDCARD },
  ];
}

/**
 * Deploy (deploy.yml, `pulumi up` of the five stacks in apply order): state read/write, the secrets provider, every
 * service the plan's resources live in (S3 on bucket configuration only), and IAM only on the platform's own roles, policies and OIDC providers.
 */
export function deployRoleStatements(s: CiScope): StatementSpec[] {
  const iam = (path: string) => pulumi.interpolate`arn:aws:iam::${s.accountId}:${path}`;
  return [
    ...stateBackendStatements("Deploy", s.stateBucket, "readwrite"),
    secretsProviderStatement("Deploy", s.platformKeyArn, "encrypt"),
    // Buckets: configuration only, on the platform's buckets; objects stay out of reach (DA-28 oracle store, DA-30
    // evidence), except the artifacts a Lambda is created from (the caller reads the package).
    {
      sid: "DeployBuckets",
      actions: [
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:ListBucket",
        "s3:GetBucket*",
        "s3:PutBucket*",
        "s3:DeleteBucketPolicy",
        "s3:DeleteBucketOwnershipControls",
        "s3:Get*Configuration",
        "s3:Put*Configuration",
      ],
      resources: [`arn:aws:s3:::${s.namePrefix}*`],
    },
    { sid: "DeployArtifactsRead", actions: ["s3:GetObject", "s3:GetObjectVersion"], resources: [`arn:aws:s3:::${s.artifactsBucket}/*`] },
    {
      sid: "DeployServices",
      actions: deployServices()
        .filter((svc) => svc !== "s3")
        .map((svc) => `${svc}:*`),
      resources: ["*"],
      wildcardJustification:
        "pulumi up creates, updates and deletes resources of every service the plan declares (PROVIDER_ACCESS), with names and ids it learns only then; IAM is scoped apart.",
    },
    { sid: "DeployIamRead", actions: ["iam:Get*", "iam:List*"], resources: ["*"], wildcardJustification: "IAM reads of a refresh; read-only." },
    {
      sid: "DeployPlatformIam",
      actions: ["iam:*"],
      resources: [
        iam(`role/${s.namePrefix}*`),
        iam(`policy/${s.namePrefix}*`),
        iam("oidc-provider/token.actions.githubusercontent.com"),
        iam(`oidc-provider/oidc.eks.${s.region}.amazonaws.com/*`),
      ],
    },
    { sid: "DeployServiceLinkedRoles", actions: ["iam:CreateServiceLinkedRole"], resources: [iam("role/aws-service-role/*")] },
  ];
}

/** What the idle guard and window close call, from the tables the modules export. */
export interface GuardCalls {
  /** RESIDUAL_SCAN_CALLS (src/teardown/residualScan.ts). */
  scan: readonly SdkCall[];
  /** WINDOW_SPEND_CALLS (src/window/spend.ts). */
  spend: readonly SdkCall[];
  /** The run-control prefix of the evidence bucket the window store writes under (WINDOW_STORE_CALLS). */
  runControlPrefix: string;
  evidenceBucketArn: pulumi.Input<string>;
  budgetName: string;
}

/**
 * Idle guard and window close (idle-guard.yml): the teardown minimum actions (the idle-safe switch's scaling), the
 * residual scan, the window's spend reads and run-control records, state read/write and the secrets provider (the
 * guard's `pulumi up --refresh` of the runtime stack and the window's Automation API runs), and the reads of a refresh.
 */
export function guardRoleStatements(teardown: StatementSpec[], s: CiScope, calls: GuardCalls): StatementSpec[] {
  const spend = actionsOf(calls.spend);
  const budgetArn = pulumi.interpolate`arn:aws:budgets::${s.accountId}:budget/${calls.budgetName}`;
  return [
    ...teardown,
    ...runControlEvidenceStatements(calls.evidenceBucketArn, calls.runControlPrefix),
    s3KmsStatement("RunControl", s.region, s.platformKeyArn),
    {
      sid: "ResidualScan",
      actions: actionsOf(calls.scan),
      resources: ["*"],
      wildcardJustification:
        "the residual scan inventories the whole account and region (List/Describe calls and tag reads of resources it has not seen before); all read-only.",
    },
    ...(spend.includes("budgets:ViewBudget") ? [{ sid: "WindowBudget", actions: ["budgets:ViewBudget"], resources: [budgetArn] }] : []),
    ...(spend.some((a) => a !== "budgets:ViewBudget")
      ? [
          {
            sid: "WindowSpend",
            actions: spend.filter((a) => a !== "budgets:ViewBudget"),
            resources: ["*"],
            wildcardJustification: "Cost Explorer has no resource-level scope.",
          },
        ]
      : []),
    ...stateBackendStatements("Guard", s.stateBucket, "readwrite"),
    secretsProviderStatement("Guard", s.platformKeyArn, "decrypt"),
    { sid: "GuardRefreshReads", actions: refreshReadActions(), resources: ["*"], wildcardJustification: REFRESH_WILDCARD },
  ];
}
