import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../src/tags";

export interface PlatformLogGroupsArgs {
  /** Log group names by short key; each under `prefix`. */
  groups: Record<string, string>;
  /** CLOUDWATCH_LOG_GROUP_PREFIX, e.g. `/fraud-platform/dev_full`. */
  prefix: string;
  /** LOG_RETENTION_DAYS. */
  retentionInDays: number;
  /** Key whose policy admits CloudWatch Logs for the prefix. */
  kmsKeyArn: pulumi.Input<string>;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/** Why a set of log groups breaks the environment's log rules (empty when it does not). */
export function logGroupProblems(groups: Record<string, string>, prefix: string, retentionInDays: number): string[] {
  const problems = Object.entries(groups)
    .filter(([, n]) => !n.startsWith(`${prefix}/`))
    .map(([k, n]) => `${k}: ${n} is not under ${prefix}/`);
  if (!(retentionInDays > 0)) problems.push(`retention must be a positive number of days, found ${retentionInDays}`);
  return problems;
}

/**
 * Bootstrap log groups of the environment: under the environment's prefix, with the pinned retention (never
 * "never expire", DA-80), encrypted with the ops key. Declared before anything writes to them, so no service
 * creates them implicitly without retention.
 */
export class PlatformLogGroups extends pulumi.ComponentResource {
  /** Log group names and ARNs by key. */
  readonly names: Record<string, pulumi.Output<string>> = {};
  readonly arns: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: PlatformLogGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:ops:PlatformLogGroups", name, {}, opts);
    const problems = logGroupProblems(args.groups, args.prefix, args.retentionInDays);
    if (problems.length) throw new Error(`${name}: ${problems.join("; ")}`);
    for (const [key, logGroupName] of Object.entries(args.groups)) {
      const group = new aws.cloudwatch.LogGroup(
        `${name}-${key}`,
        {
          name: logGroupName,
          retentionInDays: args.retentionInDays,
          kmsKeyId: args.kmsKeyArn,
          tags: { ...args.tags, fp_resource: `${key.replace(/-/g, "_")}_log_group` },
        },
        { parent: this },
      );
      this.names[key] = group.name;
      this.arns[key] = group.arn;
    }
    this.registerOutputs({ names: this.names, arns: this.arns });
  }
}
