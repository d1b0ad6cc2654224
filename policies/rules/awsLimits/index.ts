/**
 * AWS service limits checked at preview (SB-40..SB-44): what `pulumi preview` accepts but the create call at
 * `pulumi up` rejects. Names (a table of documented limits, one evaluator), tags, IAM policy sizes, Lambda
 * environment size and security-group rule counts; each rule cites the AWS page of its limit. Decision 0007.
 */
import { iamPolicySizeLimits, inlinePolicySizePerRole } from "./iamPolicySizes";
import { lambdaEnvironmentSize } from "./lambdaEnvironment";
import { awsNameLimitPolicies } from "./names";
import { securityGroupRuleLimits } from "./securityGroupRules";
import { awsTagLimits } from "./tags";

export const awsLimitsPolicies = [
  ...awsNameLimitPolicies,
  awsTagLimits,
  iamPolicySizeLimits,
  inlinePolicySizePerRole,
  lambdaEnvironmentSize,
  securityGroupRuleLimits,
];
