/**
 * The CI/teardown automation identity: trust for GitHub Actions through OIDC (named repository and branches only)
 * and least-privilege statements holding every action of TEARDOWN_IAM_MIN_ACTIONS (DA-27), each scoped to the
 * platform's own resources where the service allows it. Deliberately absent: any IAM write (attach/put policy,
 * pass role) and any Lambda code or configuration update, which together gave the reference's CI role a path to
 * run arbitrary code with arbitrary permissions through the ingress Lambda.
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StatementSpec, s3PrefixStatements } from "../iam/policy";

/** `TEARDOWN_IAM_MIN_ACTIONS` ("a,b,c") as a list. */
export function parseActionList(value: string): string[] {
  const actions = value.split(",").map((a) => a.trim()).filter((a) => a !== "");
  const bad = actions.filter((a) => !/^[a-z0-9-]+:[A-Za-z0-9*]+$/.test(a));
  if (actions.length === 0 || bad.length) throw new Error(`TEARDOWN_IAM_MIN_ACTIONS must be a comma-separated list of service:Action, found ${JSON.stringify(value)}`);
  return actions;
}

/** Trust for GitHub Actions workflows of one repository on the named branches (no wildcard subject). */
export function githubActionsTrust(args: { oidcProviderArn: string; issuerHost: string; audience: string; repository: string; branches: string[] }): aws.iam.PolicyDocument {
  if (args.branches.length === 0) throw new Error("githubActionsTrust: at least one branch");
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
            [`${args.issuerHost}:sub`]: args.branches.map((b) => `repo:${args.repository}:ref:refs/heads/${b}`),
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
    { sid: "TeardownSageMakerEndpoint", actions: /^sagemaker:(Describe|Delete)Endpoint(Config)?$/, resources: [arn("sagemaker", `endpoint/${s.sagemakerEndpointName.toLowerCase()}`)] },
    { sid: "TeardownEcsServices", actions: /^ecs:(UpdateService|DescribeServices)$/, resources: [arn("ecs", pulumi.interpolate`service/${s.ecsClusterName}/*`)] },
    { sid: "TeardownEmrOnEksJobRuns", actions: /^emr-containers:(ListJobRuns|CancelJobRun|DescribeJobRun)$/, resources: [arn("emr-containers", "/virtualclusters/*")] },
  ];
  const unscoped = minActions.filter((a) => !scopes.some((sc) => sc.actions.test(a)));
  if (unscoped.length) throw new Error(`TEARDOWN_IAM_MIN_ACTIONS: no resource scope known for ${unscoped.join(", ")}; add it to src/ops/ci.ts`);
  return scopes
    .map((sc) => ({ sc, actions: minActions.filter((a) => sc.actions.test(a)) }))
    .filter(({ actions }) => actions.length > 0)
    .map(({ sc, actions }) => ({ sid: sc.sid, actions, resources: sc.resources, ...(sc.wildcardJustification ? { wildcardJustification: sc.wildcardJustification } : {}) }));
}

/** Run-control evidence the idle/teardown guard writes (snapshots), never deletes. */
export function runControlEvidenceStatements(evidenceBucketArn: pulumi.Input<string>, runControlPrefix: string): StatementSpec[] {
  return s3PrefixStatements({ sid: "RunControlEvidence", bucketArn: evidenceBucketArn, prefix: runControlPrefix, access: "readwrite" });
}
