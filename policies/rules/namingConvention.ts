/**
 * DA-12 (advisory, low): AWS physical names follow the convention: they start with NAME_PREFIX (or its underscore
 * form for Glue/Databricks identifiers); SSM parameters live under SSM_PARAMETER_ROOT; log groups under
 * CLOUDWATCH_LOG_GROUP_PREFIX; KMS aliases are `alias/<NAME_PREFIX>...`. Names the registry pins are accepted as is,
 * as are log groups whose name AWS dictates (`/aws/eks/<cluster>/cluster`). Name inputs unknown at preview are skipped.
 */
import { knownString } from "../lib/knownValues";
import { PHYSICAL_NAME_PROPERTY } from "../lib/physicalNames";
import { registry } from "../lib/registry";
import { resourceRule } from "../lib/rule";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const SSM_PARAMETER = "aws:ssm/parameter:Parameter";
const KMS_ALIAS = "aws:kms/alias:Alias";
const AWS_DICTATED_LOG_GROUP = /^\/aws\/eks\/[^/]+\/cluster$/;

/** Why `name` of a resource of `type` breaks the convention, or undefined. */
export function namingProblem(type: string, name: string): string | undefined {
  const r = registry();
  if (r.physicalNames().has(name)) return undefined;
  const prefix = r.string("NAME_PREFIX");
  const underscore = prefix.replace(/-/g, "_");
  if (type === SSM_PARAMETER) {
    const root = r.string("SSM_PARAMETER_ROOT");
    return name.startsWith(root) ? undefined : `SSM parameter ${name} is not under ${root}`;
  }
  if (type === LOG_GROUP) {
    const root = r.string("CLOUDWATCH_LOG_GROUP_PREFIX");
    return name === root || name.startsWith(`${root.replace(/\/$/, "")}/`) || AWS_DICTATED_LOG_GROUP.test(name)
      ? undefined
      : `log group ${name} is not under ${root}`;
  }
  if (type === KMS_ALIAS) return name.startsWith(`alias/${prefix}`) ? undefined : `KMS alias ${name} does not start with alias/${prefix}`;
  return name.startsWith(prefix) || name.startsWith(underscore) ? undefined : `name ${name} starts with neither ${prefix} nor ${underscore}`;
}

export const namingConvention = resourceRule(
  {
    id: "DA-12",
    slug: "naming-convention",
    description:
      "AWS names start with fraud-platform-dev-full (NAME_PREFIX, or the underscore form); SSM parameters sit under SSM_PARAMETER_ROOT; log groups under CLOUDWATCH_LOG_GROUP_PREFIX. Rename (registry first).",
    severity: "low",
    enforcementLevel: "advisory",
  },
  (args, reportViolation) => {
    const prop = args.type === LOG_GROUP ? "name" : args.type.startsWith("aws:") ? PHYSICAL_NAME_PROPERTY[args.type] : undefined;
    if (!prop) return args.notApplicable("not a named AWS resource");
    const name = knownString(args.props, prop);
    if (name === undefined) return args.notApplicable(`${prop} not set or not known at preview`);
    const problem = namingProblem(args.type, name);
    if (problem) reportViolation(`${problem}.`);
  },
);
