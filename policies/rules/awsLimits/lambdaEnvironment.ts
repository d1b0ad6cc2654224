/**
 * SB-43 (mandatory, medium): a Lambda function's environment variables total 4 KB or less (keys and values, UTF-8
 * bytes), Lambda's fixed quota. Values unknown at preview or redacted secrets are left out of the sum (a known total
 * already over the quota still fails).
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { rawOf } from "../../lib/knownValues";
import { resourceRule } from "../../lib/rule";
import { isKnownString } from "./values";

export const LAMBDA_QUOTAS_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html";
export const LAMBDA_ENV_MAX_BYTES = 4096;

/** Known size of the variables (keys plus known values, UTF-8 bytes) and how many values were not known. */
export function environmentSize(variables: unknown): { bytes: number; unknownValues: number } {
  const raw = rawOf<Record<string, unknown> | undefined>(variables);
  if (!raw || typeof raw !== "object") return { bytes: 0, unknownValues: 0 };
  let bytes = 0;
  let unknownValues = 0;
  for (const [k, v] of Object.entries(raw)) {
    bytes += Buffer.byteLength(k, "utf8");
    if (isKnownString(v)) bytes += Buffer.byteLength(v, "utf8");
    else unknownValues++;
  }
  return { bytes, unknownValues };
}

export const lambdaEnvironmentSize = resourceRule(
  {
    id: "SB-43",
    slug: "lambda-environment-size",
    description: `A Lambda function's environment variables must total ${LAMBDA_ENV_MAX_BYTES} bytes (4 KB) or less, keys and values together, which preview does not check and pulumi up's CreateFunction rejects: move large values to SSM parameters or S3 and pass their names (${LAMBDA_QUOTAS_DOC}).`,
    severity: "medium",
  },
  policy.validateResourceOfType(aws.lambda.Function, (_fn, args, reportViolation) => {
    const env = rawOf<Record<string, unknown> | undefined>(rawOf<Record<string, unknown>>(args.props)?.environment);
    if (!env || typeof env !== "object") return;
    const { bytes, unknownValues } = environmentSize(env.variables);
    if (bytes > LAMBDA_ENV_MAX_BYTES)
      reportViolation(
        `${args.name}: \`environment.variables\` total ${bytes} bytes${unknownValues ? ` (not counting ${unknownValues} value(s) unknown at preview)` : ""}, over Lambda's limit of ${LAMBDA_ENV_MAX_BYTES} bytes: move large values to SSM parameters or S3 and pass their names, until the total is ${LAMBDA_ENV_MAX_BYTES} bytes or less (${LAMBDA_QUOTAS_DOC}).`,
      );
  }),
);
