import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../src/tags";

export interface HandleParameterSpec {
  /** Parameter path (a registry secret_path handle under SSM_PARAMETER_ROOT). */
  name: string;
  /** Value: a resource output or a setting; a secret for secure parameters, never a literal placeholder. */
  value: pulumi.Input<string>;
  /** SecureString under the platform key (secret-class paths, DA-22); plain String otherwise. */
  secure: boolean;
  /** One line on what the parameter holds. */
  description: string;
  /** `fp_resource` tag (the reference's informational tag). */
  resource: string;
}

export interface HandleParametersArgs {
  /** The parameters, keyed by a short logical name (the child resource's name suffix). */
  parameters: Record<string, HandleParameterSpec>;
  /** Platform KMS key ARN (core's kms_key_arn) for SecureString parameters. */
  kmsKeyArn: pulumi.Input<string>;
  /** SSM path root every parameter must sit under (SSM_PARAMETER_ROOT). */
  parameterRoot: string;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/** Problems with a set of parameter specs, checked before anything is declared. */
export function handleParameterProblems(parameters: Record<string, HandleParameterSpec>, parameterRoot: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [key, p] of Object.entries(parameters)) {
    if (!p.name.startsWith(parameterRoot)) problems.push(`${key}: ${p.name} is not under ${parameterRoot}`);
    if (seen.has(p.name)) problems.push(`${key}: ${p.name} is declared twice`);
    seen.add(p.name);
  }
  return problems;
}

/**
 * The SSM parameters through which a layer publishes its handles to workloads (workspace URL, token, tracking
 * URI, role ARN, ...). Values come from resources or settings, never from placeholder seeds; secure ones are
 * SecureStrings under the platform key and secret in state; no `overwrite`, so a parameter another stack or a
 * person created is reported as a conflict instead of being silently taken over.
 */
export class HandleParameters extends pulumi.ComponentResource {
  /** Parameter names by logical key. */
  readonly names: Record<string, pulumi.Output<string>> = {};
  /** Parameter ARNs by logical key. */
  readonly arns: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: HandleParametersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:config:HandleParameters", name, {}, opts);
    const problems = handleParameterProblems(args.parameters, args.parameterRoot);
    if (problems.length) throw new Error(`${name}: ${problems.join("; ")}`);
    for (const [key, p] of Object.entries(args.parameters)) {
      const parameter = new aws.ssm.Parameter(
        `${name}-${key}`,
        {
          name: p.name,
          description: p.description,
          type: p.secure ? "SecureString" : "String",
          // Plain values go to `insecureValue`, so reviewers see them in diffs; only secure ones are secrets in state.
          ...(p.secure ? { keyId: args.kmsKeyArn, value: pulumi.secret(p.value) } : { insecureValue: p.value }),
          tier: "Standard",
          tags: { ...args.tags, fp_resource: p.resource },
        },
        { parent: this },
      );
      this.names[key] = parameter.name;
      this.arns[key] = parameter.arn;
    }
    this.registerOutputs({ names: this.names, arns: this.arns });
  }
}
