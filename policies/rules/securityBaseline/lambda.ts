/**
 * Lambda:
 * - SB-07 (mandatory, critical): function URLs use IAM auth: `aws:lambda/functionUrl` authorizationType AWS_IAM,
 *   and no Lambda permission grants lambda:InvokeFunctionUrl with functionUrlAuthType NONE. awsguard's
 *   function-URL check; FSBP Lambda.1.
 * - SB-08 (mandatory, medium): zip functions run a runtime AWS still supports (FSBP Lambda.2): the list below,
 *   reviewed against the Lambda runtimes page; a runtime not on it is refused until it is added.
 * - SB-09 (mandatory, medium): functions run in the VPC across at least two subnets (FSBP Lambda.3, Lambda.5).
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { listOf } from "../../lib/knownValues";
import { resourceRule } from "../../lib/rule";

export const functionUrlIamAuth = resourceRule(
  {
    id: "SB-07",
    slug: "lambda-function-url-iam-auth",
    description:
      "Lambda function URLs must set authorizationType AWS_IAM (NONE makes the function callable by anyone on the internet), and no Lambda permission may grant functionUrlAuthType NONE.",
    severity: "critical",
  },
  [
    policy.validateResourceOfType(aws.lambda.FunctionUrl, (url, _args, reportViolation) => {
      if (url.authorizationType !== "AWS_IAM")
        reportViolation(
          `authorizationType is ${JSON.stringify(url.authorizationType ?? null)}: the URL is open to anyone. Set authorizationType: "AWS_IAM" and grant callers lambda:InvokeFunctionUrl.`,
        );
    }),
    policy.validateResourceOfType(aws.lambda.Permission, (permission, _args, reportViolation) => {
      if (permission.functionUrlAuthType === "NONE")
        reportViolation('functionUrlAuthType is "NONE": the permission opens the function URL to unauthenticated callers. Use "AWS_IAM".');
    }),
  ],
);

/** Lambda runtimes AWS supports (not deprecated), per docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html. */
export const SUPPORTED_LAMBDA_RUNTIMES: readonly string[] = [
  "python3.10",
  "python3.11",
  "python3.12",
  "python3.13",
  "nodejs20.x",
  "nodejs22.x",
  "java11",
  "java17",
  "java21",
  "dotnet8",
  "ruby3.3",
  "ruby3.4",
  "provided.al2",
  "provided.al2023",
];

export const lambdaSupportedRuntime = resourceRule(
  {
    id: "SB-08",
    slug: "lambda-supported-runtime",
    description: `Zip-packaged Lambda functions must run a supported runtime (${SUPPORTED_LAMBDA_RUNTIMES.join(", ")}): move to one of them, or add a newly released runtime to SUPPORTED_LAMBDA_RUNTIMES.`,
    severity: "medium",
  },
  policy.validateResourceOfType(aws.lambda.Function, (fn, args, reportViolation) => {
    if (fn.packageType === "Image") return args.notApplicable("container image: the runtime is the image's");
    if (typeof fn.runtime !== "string" || !SUPPORTED_LAMBDA_RUNTIMES.includes(fn.runtime)) {
      reportViolation(
        `runtime is ${JSON.stringify(fn.runtime ?? null)}, which is not a supported Lambda runtime. Set runtime to one of ${SUPPORTED_LAMBDA_RUNTIMES.join(", ")}.`,
      );
    }
  }),
);

export const lambdaInVpcMultiAz = resourceRule(
  {
    id: "SB-09",
    slug: "lambda-in-vpc-multi-subnet",
    description:
      "Lambda functions must run in the VPC (vpcConfig with securityGroupIds) across at least two subnets in different zones (the private subnets from core's private_subnet_ids).",
    severity: "medium",
  },
  policy.validateResourceOfType(aws.lambda.Function, (fn, _args, reportViolation) => {
    const vpc = fn.vpcConfig as { subnetIds?: unknown; securityGroupIds?: unknown } | undefined;
    if (!vpc)
      return reportViolation(
        "vpcConfig is not set: the function runs outside the VPC. Set vpcConfig.subnetIds (the private subnets) and vpcConfig.securityGroupIds.",
      );
    const subnets = listOf(vpc.subnetIds);
    if (subnets.length < 2) reportViolation(`vpcConfig.subnetIds has ${subnets.length} subnet(s): set at least two, in different availability zones.`);
    const groups = listOf(vpc.securityGroupIds);
    if (groups.length === 0) reportViolation("vpcConfig.securityGroupIds is empty: attach the function's security group.");
  }),
);

export const lambdaBaselinePolicies = [functionUrlIamAuth, lambdaSupportedRuntime, lambdaInVpcMultiAz];
