/**
 * SB-01 (mandatory, critical): resource policies are never public. An Allow statement whose principal is everyone
 * (`"*"`, `{AWS: "*"}`, or a NotPrincipal) must carry a condition that narrows it to a known caller
 * (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, aws:SourceVpce, ...). Checked on S3 bucket policies, SNS
 * topic policies, SQS queue policies, KMS key policies, ECR repository policies (and the inline `policy` of a
 * topic, queue or key) and on Lambda permissions with principal `*`. FSBP S3.2/S3.3, SNS.4, SQS.3, KMS.5, Lambda.1;
 * checkov CKV_AWS_70, CKV_AWS_32.
 */
import type * as policy from "@pulumi/policy";
import { resourceRule } from "../../lib/rule";
import { publicStatements, statementsOrProblem } from "./documents";

/** Resource types that carry a resource policy, and the prop that holds it. */
export const RESOURCE_POLICY_PROPS: Readonly<Record<string, string>> = {
  "aws:s3/bucketPolicy:BucketPolicy": "policy",
  "aws:sns/topicPolicy:TopicPolicy": "policy",
  "aws:sns/topic:Topic": "policy",
  "aws:sqs/queuePolicy:QueuePolicy": "policy",
  "aws:sqs/queue:Queue": "policy",
  "aws:kms/key:Key": "policy",
  "aws:kms/keyPolicy:KeyPolicy": "policy",
  "aws:ecr/repositoryPolicy:RepositoryPolicy": "policy",
};
export const LAMBDA_PERMISSION = "aws:lambda/permission:Permission";

const checkPermission: policy.ResourceValidation = (args, reportViolation) => {
  const p = args.props as Record<string, unknown>;
  if (p.principal !== "*") return;
  const narrowed = ["sourceArn", "sourceAccount", "principalOrgId"].filter((k) => typeof p[k] === "string" && p[k] !== "" && p[k] !== "*");
  if (narrowed.length === 0) {
    reportViolation(
      'principal is "*" with no sourceArn, sourceAccount or principalOrgId: anyone may invoke the function. Name the calling service principal and set sourceArn (or sourceAccount / principalOrgId).',
    );
  }
};

export const noPublicResourcePolicies = resourceRule(
  {
    id: "SB-01",
    slug: "no-public-resource-policies",
    description:
      'Resource policies (S3 bucket, SNS topic, SQS queue, KMS key, ECR repository, Lambda permission) must not allow Principal "*" (or {AWS: "*"}, or NotPrincipal) without a condition that restricts the caller (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, aws:SourceVpce, ...): name the principal, or add the restricting condition.',
    severity: "critical",
  },
  (args, reportViolation) => {
    if (args.type === LAMBDA_PERMISSION) return checkPermission(args, reportViolation);
    const key = RESOURCE_POLICY_PROPS[args.type];
    if (!key) return args.notApplicable("carries no resource policy");
    const read = statementsOrProblem((args.props as Record<string, unknown>)[key], key);
    if (read === undefined) return;
    if ("message" in read) return reportViolation(read.message);
    for (const s of publicStatements(read.statements)) {
      reportViolation(
        `${key}: ${s.id} allows ${s.actions.join(", ") || "(no action)"} to ${s.notPrincipal ? "everyone but its NotPrincipal" : 'Principal "*"'} with no restricting condition. Name the principal, or add a condition such as aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID.`,
      );
    }
  },
);

export const resourcePolicyPolicies = [noPublicResourcePolicies];
