/**
 * SB-16 (mandatory, high): EKS clusters envelope-encrypt Kubernetes secrets with a customer-managed KMS key and
 * send the api, audit and authenticator control-plane logs to CloudWatch. Read on `aws:eks/cluster:Cluster`
 * (encryptionConfig, enabledClusterLogTypes) and on the @pulumi/eks component `eks:index:Cluster`
 * (encryptionConfigKeyArn, enabledClusterLogTypes), which a preview records with its own inputs. FSBP EKS.3,
 * EKS.8; checkov CKV_AWS_58, CKV_AWS_37.
 */
import type * as policy from "@pulumi/policy";
import { listOf } from "../../lib/knownValues";
import { resourceRule } from "../../lib/rule";
import { isCustomerKey } from "./messaging";

export const REQUIRED_EKS_LOG_TYPES = ["api", "audit", "authenticator"] as const;
const AWS_CLUSTER = "aws:eks/cluster:Cluster";
const EKS_COMPONENT = "eks:index:Cluster";

function checkLogs(types: unknown, report: (m: string) => void): void {
  const enabled = listOf(types).filter((t): t is string => typeof t === "string");
  const missing = REQUIRED_EKS_LOG_TYPES.filter((t) => !enabled.includes(t));
  if (missing.length > 0)
    report(
      `enabledClusterLogTypes lacks ${missing.join(", ")}: control-plane activity is not logged. Set enabledClusterLogTypes to include ${REQUIRED_EKS_LOG_TYPES.join(", ")}.`,
    );
}

const validate: policy.ResourceValidation = (args, reportViolation) => {
  const p = args.props as Record<string, unknown>;
  if (args.type === EKS_COMPONENT) {
    if (!isCustomerKey(p.encryptionConfigKeyArn))
      reportViolation("encryptionConfigKeyArn is not set: Kubernetes secrets are not envelope-encrypted. Set encryptionConfigKeyArn to the platform key ARN.");
    return checkLogs(p.enabledClusterLogTypes, (m) => reportViolation(m));
  }
  if (args.type === AWS_CLUSTER) {
    const configs = p.encryptionConfig === undefined ? [] : [p.encryptionConfig as { provider?: { keyArn?: unknown }; resources?: unknown }];
    const ok = configs.some((c) => isCustomerKey(c.provider?.keyArn) && Array.isArray(c.resources) && c.resources.includes("secrets"));
    if (!ok)
      reportViolation(
        'encryptionConfig does not encrypt "secrets" with a KMS key. Set encryptionConfig: { provider: { keyArn: <platform key ARN> }, resources: ["secrets"] }.',
      );
    return checkLogs(p.enabledClusterLogTypes, (m) => reportViolation(m));
  }
  return args.notApplicable("not an EKS cluster");
};

export const eksSecretsEncryptedAndLogged = resourceRule(
  {
    id: "SB-16",
    slug: "eks-secrets-encrypted-control-plane-logged",
    description: `EKS clusters must envelope-encrypt secrets with the platform KMS key (encryptionConfigKeyArn / encryptionConfig resources ["secrets"]) and enable the ${REQUIRED_EKS_LOG_TYPES.join(", ")} control-plane logs (enabledClusterLogTypes).`,
    severity: "high",
  },
  validate,
);

export const eksBaselinePolicies = [eksSecretsEncryptedAndLogged];
