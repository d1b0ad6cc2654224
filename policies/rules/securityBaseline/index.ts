/** The security-baseline policies (SB-xx), one module per service family; docs/security-baseline.md maps them to FSBP controls. */
import { dataStoreBaselinePolicies } from "./dataStores";
import { ecrBaselinePolicies } from "./ecr";
import { eksBaselinePolicies } from "./eks";
import { iamBaselinePolicies } from "./iam";
import { kmsPolicies } from "./kms";
import { lambdaBaselinePolicies } from "./lambda";
import { logBaselinePolicies } from "./logs";
import { messagingBaselinePolicies } from "./messaging";
import { networkBaselinePolicies } from "./network";
import { resourcePolicyPolicies } from "./resourcePolicies";
import { s3BaselinePolicies } from "./s3";
import { serviceBaselinePolicies } from "./services";

export const securityBaselinePolicies = [
  ...resourcePolicyPolicies,
  ...kmsPolicies,
  ...iamBaselinePolicies,
  ...lambdaBaselinePolicies,
  ...messagingBaselinePolicies,
  ...logBaselinePolicies,
  ...dataStoreBaselinePolicies,
  ...eksBaselinePolicies,
  ...ecrBaselinePolicies,
  ...networkBaselinePolicies,
  ...serviceBaselinePolicies,
  ...s3BaselinePolicies,
];
