/**
 * ECR:
 * - SB-17 (mandatory, high): repositories keep tags immutable (imageTagMutability IMMUTABLE), scan on push and
 *   encrypt with a customer-managed KMS key. FSBP ECR.1, ECR.2, ECR.5.
 * - SB-18 (mandatory, medium): every repository a stack declares has a lifecycle policy
 *   (`aws:ecr/lifecyclePolicy:LifecyclePolicy` on the repository) so untagged and old images expire. FSBP ECR.3.
 *   Matched by the repository name or by the lifecycle policy's dependency on the repository.
 */
import * as aws from "@pulumi/aws";
import { listOf } from "../../lib/knownValues";
import { checksOf, resourceRule, stackRule } from "../../lib/rule";
import { isCustomerKey } from "./messaging";

export const ecrRepositoryHardened = resourceRule(
  {
    id: "SB-17",
    slug: "ecr-immutable-scanned-encrypted",
    description:
      'ECR repositories must set imageTagMutability "IMMUTABLE", imageScanningConfiguration.scanOnPush true and encryptionConfigurations [{ encryptionType: "KMS", kmsKey: <platform key ARN> }].',
    severity: "high",
  },
  checksOf(
    aws.ecr.Repository,
    (repo) =>
      repo.imageTagMutability !== "IMMUTABLE" &&
      `imageTagMutability is ${JSON.stringify(repo.imageTagMutability ?? "MUTABLE")}: a tag can be repointed to another image. Set imageTagMutability: "IMMUTABLE".`,
    (repo) =>
      (repo.imageScanningConfiguration as { scanOnPush?: unknown } | undefined)?.scanOnPush !== true &&
      "imageScanningConfiguration.scanOnPush is not true. Set imageScanningConfiguration: { scanOnPush: true }.",
    (repo) => {
      const kms = listOf(repo.encryptionConfigurations).some(
        (e) => (e as { encryptionType?: unknown }).encryptionType === "KMS" && isCustomerKey((e as { kmsKey?: unknown }).kmsKey),
      );
      return (
        !kms &&
        'encryptionConfigurations does not set encryptionType "KMS" with kmsKey: images are encrypted with the AWS-managed key. Set encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: <platform key ARN> }].'
      );
    },
  ),
);

const REPOSITORY = "aws:ecr/repository:Repository";
const LIFECYCLE = "aws:ecr/lifecyclePolicy:LifecyclePolicy";

export const ecrLifecyclePolicy = stackRule(
  {
    id: "SB-18",
    slug: "ecr-lifecycle-policy",
    description:
      "Every ECR repository needs a lifecycle policy (aws.ecr.LifecyclePolicy on the repository) that expires untagged and superseded images: build repositories with the ContainerRepository component.",
    severity: "medium",
  },
  (args, reportViolation) => {
    const repos = args.resources.filter((r) => r.type === REPOSITORY);
    if (repos.length === 0) return;
    const policies = args.resources.filter((r) => r.type === LIFECYCLE);
    for (const repo of repos) {
      const name = (repo.props as Record<string, unknown>).name;
      const covered = policies.some(
        (p) => p.dependencies.some((d) => d.urn === repo.urn) || (typeof name === "string" && (p.props as Record<string, unknown>).repository === name),
      );
      if (!covered)
        reportViolation(
          `repository ${JSON.stringify(name ?? repo.name)} has no lifecycle policy: images accumulate and old vulnerable ones stay pullable. Declare an aws.ecr.LifecyclePolicy with repository = this repository's name.`,
          repo.urn,
        );
    }
  },
);

export const ecrBaselinePolicies = [ecrRepositoryHardened, ecrLifecyclePolicy];
