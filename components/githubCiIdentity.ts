import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arns } from "../src/iam/arns";
import { StatementSpec } from "../src/iam/policy";
import { githubActionsTrust } from "../src/ops/ci";
import { Tags } from "../src/tags";
import { WorkloadRole } from "./workloadRole";

/** One workflow's role: who may assume it (OIDC subjects) and exactly what its code calls. */
export interface GithubCiRoleSpec {
  /** Logical name of the role's WorkloadRole (stable: the role's URN). */
  logicalName: string;
  /** Physical role name (registry handle). */
  roleName: string;
  /** Exact OIDC subjects (src/ops/ciAccess.ts githubSubject). */
  subjects: string[];
  /** What the role may do, built with the typed builder. */
  statements: StatementSpec[];
  /** `fp_resource` tag of the role. */
  resource: string;
}

export interface GithubCiIdentityArgs {
  /** OIDC issuer URL (GITHUB_OIDC_PROVIDER_URL). */
  issuerUrl: string;
  /** Audience the workflows request (GITHUB_OIDC_AUDIENCE). */
  audience: string;
  /** Account id: the provider's ARN is composed from it, so the roles' trusts are known at preview. */
  accountId: pulumi.Input<string>;
  /** One role per workflow, keyed by workflow purpose (`preview`, `deploy`, `guard`). */
  roles: Record<string, GithubCiRoleSpec>;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

export interface GithubCiRole {
  roleArn: pulumi.Output<string>;
  roleName: pulumi.Output<string>;
}

/**
 * The GitHub Actions identities, declared instead of assumed (the reference bolted policies onto a role and OIDC
 * provider made by hand): the account's IAM OIDC provider for GitHub Actions and one role per workflow, each
 * assumable only by that workflow's OIDC subject and holding only what its code calls.
 */
export class GithubCiIdentity extends pulumi.ComponentResource {
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly roles: Record<string, GithubCiRole>;

  constructor(name: string, args: GithubCiIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:ops:GithubCiIdentity", name, {}, opts);
    if (!args.issuerUrl.startsWith("https://")) throw new Error(`${name}: issuerUrl must be an https URL, got ${JSON.stringify(args.issuerUrl)}`);
    const issuerHost = args.issuerUrl.replace(/^https:\/\//, "").replace(/\/$/, "");
    const provider = new aws.iam.OpenIdConnectProvider(
      `${name}-oidc`,
      { url: args.issuerUrl, clientIdLists: [args.audience], tags: { ...args.tags, Name: issuerHost } },
      { parent: this },
    );
    // The provider's ARN from the account and issuer (known at preview); `provider.url` (an input, also known) keeps
    // the roles depending on the provider.
    const providerArn = pulumi.all([arns.oidcProvider(args.accountId, issuerHost), provider.url]).apply(([arn]) => arn);
    this.roles = {};
    for (const [key, spec] of Object.entries(args.roles)) {
      const role = new WorkloadRole(
        spec.logicalName,
        {
          roleName: spec.roleName,
          trust: providerArn.apply((oidcProviderArn) => githubActionsTrust({ oidcProviderArn, issuerHost, audience: args.audience, subjects: spec.subjects })),
          statements: spec.statements,
          tags: { ...args.tags, fp_resource: spec.resource },
        },
        { parent: this },
      );
      this.roles[key] = { roleArn: role.roleArn, roleName: role.roleName };
    }
    this.oidcProviderArn = providerArn;
    this.registerOutputs({ oidcProviderArn: this.oidcProviderArn, roleArns: Object.fromEntries(Object.entries(this.roles).map(([k, r]) => [k, r.roleArn])) });
  }
}
