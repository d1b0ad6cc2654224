import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StatementSpec } from "../src/iam/policy";
import { githubActionsTrust } from "../src/ops/ci";
import { Tags } from "../src/tags";
import { WorkloadRole } from "./workloadRole";

export interface GithubCiIdentityArgs {
  /** OIDC issuer URL (GITHUB_OIDC_PROVIDER_URL). */
  issuerUrl: string;
  /** Audience the workflows request (GITHUB_OIDC_AUDIENCE). */
  audience: string;
  /** CI role name (ROLE_GITHUB_ACTIONS_CI_NAME). */
  roleName: string;
  /** `owner/name` of the repository and the branches whose workflows may assume the role (ops settings). */
  repository: string;
  branches: string[];
  /** What the role may do (teardown minimum actions, run-control evidence); built with the typed builder. */
  statements: StatementSpec[];
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/**
 * The CI/teardown automation identity, declared instead of assumed (the reference bolted policies onto a role and
 * OIDC provider made by hand): the account's IAM OIDC provider for GitHub Actions and one role that only workflows
 * of the named repository and branches can assume, holding least-privilege statements.
 */
export class GithubCiIdentity extends pulumi.ComponentResource {
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;
  readonly roleName: pulumi.Output<string>;

  constructor(name: string, args: GithubCiIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:ops:GithubCiIdentity", name, {}, opts);
    if (!args.issuerUrl.startsWith("https://")) throw new Error(`${name}: issuerUrl must be an https URL, got ${JSON.stringify(args.issuerUrl)}`);
    const issuerHost = args.issuerUrl.replace(/^https:\/\//, "").replace(/\/$/, "");
    const provider = new aws.iam.OpenIdConnectProvider(`${name}-oidc`, { url: args.issuerUrl, clientIdLists: [args.audience], tags: { ...args.tags, Name: issuerHost } }, { parent: this });
    const role = new WorkloadRole(
      `${name}-role`,
      {
        roleName: args.roleName,
        trust: provider.arn.apply((oidcProviderArn) => githubActionsTrust({ oidcProviderArn, issuerHost, audience: args.audience, repository: args.repository, branches: args.branches })),
        statements: args.statements,
        tags: { ...args.tags, fp_resource: "ci_teardown_role" },
      },
      { parent: this },
    );
    this.oidcProviderArn = provider.arn;
    this.roleArn = role.roleArn;
    this.roleName = role.roleName;
    this.registerOutputs({ oidcProviderArn: this.oidcProviderArn, roleArn: this.roleArn, roleName: this.roleName });
  }
}
