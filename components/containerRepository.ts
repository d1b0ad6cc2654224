import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../src/tags";

export interface ContainerRepositoryArgs {
  /** Repository name (ECR_REPO_NAME). */
  repositoryName: string;
  /** The platform KMS key for image encryption: its ARN or its alias ARN (ECR takes either). */
  kmsKeyArn: pulumi.Input<string>;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/** Days an untagged image (a superseded manifest or a failed push) is kept before ECR expires it. */
export const UNTAGGED_IMAGE_DAYS = 7;

/** The repository's lifecycle policy (pure): untagged images expire; tagged (immutable, referenced) images stay. */
export function imageLifecyclePolicy(untaggedDays: number = UNTAGGED_IMAGE_DAYS): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `expire untagged images after ${untaggedDays} days`,
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untaggedDays },
        action: { type: "expire" },
      },
    ],
  });
}

/**
 * The platform image repository. It exists before P(-1) builds the first image (a bootstrap-order exception to
 * layer ownership), holds images under immutable tags only (DA-61), scans on push, expires untagged images
 * (lifecycle policy), and survives teardown.
 */
export class ContainerRepository extends pulumi.ComponentResource {
  readonly repositoryName: pulumi.Output<string>;
  readonly repositoryUrl: pulumi.Output<string>;
  readonly repositoryArn: pulumi.Output<string>;

  constructor(name: string, args: ContainerRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:core:ContainerRepository", name, {}, { ...opts, protect: true });
    const repository = new aws.ecr.Repository(
      name,
      {
        name: args.repositoryName,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
        forceDelete: false,
        tags: { ...args.tags, Name: args.repositoryName },
      },
      { parent: this, retainOnDelete: true },
    );
    new aws.ecr.LifecyclePolicy(
      `${name}-lifecycle`,
      { repository: repository.name, policy: imageLifecyclePolicy() },
      { parent: this, dependsOn: [repository] },
    );
    this.repositoryName = repository.name;
    this.repositoryUrl = repository.repositoryUrl;
    this.repositoryArn = repository.arn;
    this.registerOutputs({ repositoryName: this.repositoryName, repositoryUrl: this.repositoryUrl, repositoryArn: this.repositoryArn });
  }
}
