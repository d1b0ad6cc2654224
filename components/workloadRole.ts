import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arns } from "../src/iam/arns";
import { StatementSpec, policyDocument, policyJson } from "../src/iam/policy";
import { Tags } from "../src/tags";

export interface WorkloadRoleArgs {
  /** Physical role name (from the registry). */
  roleName: pulumi.Input<string>;
  /** Who may assume the role: a service principal, an IRSA service account, ... (see src/iam/policy.ts). */
  trust: pulumi.Input<aws.iam.PolicyDocument>;
  /** Least-privilege inline statements, built with the typed builder (validated against DA-20/21/28/30). */
  statements?: StatementSpec[];
  /** Extra inline policy documents produced elsewhere (for example the streaming layer's lane access JSON). */
  extraPolicyJson?: Record<string, pulumi.Input<string>>;
  /** AWS managed policies to attach (service roles only). */
  managedPolicyArns?: string[];
  /** Mandatory tags of the layer. */
  tags: Tags;
  /**
   * The account, when given: `roleArn` is composed from it and the role's name (known at preview, so documents that
   * name the role, such as an IRSA annotation, are judged by the PR's preview); otherwise the role's `arn` output.
   */
  accountId?: pulumi.Input<string>;
}

/**
 * One IAM role for one workload (DA-20: no role shared by two workloads): its trust policy, an inline
 * least-privilege policy built with the typed builder, optional extra documents and AWS managed policies.
 */
export class WorkloadRole extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;
  readonly roleName: pulumi.Output<string>;

  constructor(name: string, args: WorkloadRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:iam:WorkloadRole", name, {}, opts);
    const role = new aws.iam.Role(
      name,
      {
        name: args.roleName,
        assumeRolePolicy: pulumi.output(args.trust).apply((t) => JSON.stringify(t)),
        maxSessionDuration: 3600,
        path: "/",
        tags: args.tags,
      },
      { parent: this },
    );
    if (args.statements?.length) {
      new aws.iam.RolePolicy(
        `${name}-least-privilege`,
        { role: role.name, name: "least-privilege", policy: policyJson(policyDocument(args.statements)) },
        { parent: this },
      );
    }
    for (const [policyName, json] of Object.entries(args.extraPolicyJson ?? {})) {
      new aws.iam.RolePolicy(`${name}-${policyName}`, { role: role.name, name: policyName, policy: json }, { parent: this });
    }
    for (const policyArn of args.managedPolicyArns ?? []) {
      const short = policyArn.split("/").pop() ?? policyArn;
      new aws.iam.RolePolicyAttachment(`${name}-${short}`, { role: role.name, policyArn }, { parent: this });
    }
    this.roleArn = args.accountId === undefined ? role.arn : arns.iamRole(args.accountId, role.name);
    this.roleName = role.name;
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
  }
}
