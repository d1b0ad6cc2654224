/**
 * DA-22 (mandatory, critical): secret-class SSM parameters are SecureStrings encrypted with the platform's
 * customer-managed key, never the AWS-managed `alias/aws/ssm`. Secret-class = the registry's
 * `required_secret_paths` typed exactly `SecureString` (aurora/password, databricks/token, ig/api_key), plus the
 * MSK bootstrap parameter, which the streaming layer publishes the same way. `keyId` must name a key (key ARN or
 * key id) or the platform alias (KMS_KEY_ALIAS_PLATFORM); any other alias is rejected.
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { Registry } from "../../src/registry/registry";
import { registry } from "../lib/registry";
import { resourceRule } from "../lib/rule";

/** SSM paths that must be SecureString under the platform key. */
export function secretClassPaths(r: Registry): ReadonlySet<string> {
  const paths = r.file.required_secret_paths.filter((p) => p.type === "SecureString").map((p) => p.path);
  return new Set([...paths, r.string("SSM_MSK_BOOTSTRAP_BROKERS_PATH")]);
}

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Why `keyId` is not the platform's customer key (undefined: it is). */
export function customerKeyProblem(keyId: unknown, platformAlias: string): string | undefined {
  if (typeof keyId !== "string" || keyId.trim() === "") return "keyId is not set, so SSM uses the AWS-managed key alias/aws/ssm";
  if (KEY_ARN.test(keyId) || KEY_ID.test(keyId)) return undefined;
  const alias = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(alias\/.+)$/.exec(keyId)?.[1] ?? keyId;
  if (alias === platformAlias) return undefined;
  if (alias.startsWith("alias/aws/")) return `keyId ${JSON.stringify(keyId)} is an AWS-managed key`;
  return `keyId ${JSON.stringify(keyId)} is neither a key ARN/id nor the platform alias ${platformAlias}`;
}

export const secretParametersEncrypted = resourceRule(
  {
    id: "DA-22",
    slug: "secret-parameters-platform-kms",
    description:
      "Secret-class SSM parameters (aurora/password, databricks/token, ig/api_key, msk/bootstrap_brokers) must be type SecureString with keyId = the platform KMS key (core's kms_key_arn), not alias/aws/ssm.",
    severity: "critical",
  },
  policy.validateResourceOfType(aws.ssm.Parameter, (parameter, args, reportViolation) => {
    const r = registry();
    if (typeof parameter.name !== "string" || !secretClassPaths(r).has(parameter.name)) return args.notApplicable("not a secret-class parameter");
    if (parameter.type !== "SecureString") reportViolation(`${parameter.name}: type is ${JSON.stringify(parameter.type ?? null)}, expected "SecureString".`);
    const problem = customerKeyProblem(parameter.keyId, r.string("KMS_KEY_ALIAS_PLATFORM"));
    if (problem) reportViolation(`${parameter.name}: ${problem}.`);
  }),
);
