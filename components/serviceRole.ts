import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../src/tags";

export interface ServiceRoleArgs {
  /** Physical role name (from the registry's iam_roles). */
  roleName: string;
  /** AWS service principal allowed to assume the role, e.g. `eks.amazonaws.com`. */
  trustedService: string;
  /** AWS managed policies to attach. */
  managedPolicyArns: string[];
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/** An IAM role one AWS service assumes, with the AWS managed policies that service needs attached. */
export class ServiceRole extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;
  readonly roleName: pulumi.Output<string>;

  constructor(name: string, args: ServiceRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:iam:ServiceRole", name, {}, opts);
    const trust: aws.iam.PolicyDocument = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: args.trustedService }, Action: "sts:AssumeRole" }],
    };
    const role = new aws.iam.Role(
      name,
      { name: args.roleName, assumeRolePolicy: pulumi.jsonStringify(trust), maxSessionDuration: 3600, path: "/", tags: args.tags },
      { parent: this },
    );
    for (const policyArn of args.managedPolicyArns) {
      const short = policyArn.split("/").pop() ?? policyArn;
      new aws.iam.RolePolicyAttachment(`${name}-${short}`, { role: role.name, policyArn }, { parent: this });
    }
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
  }
}
