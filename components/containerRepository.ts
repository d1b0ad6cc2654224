import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../src/tags";

export interface ContainerRepositoryArgs {
  /** Repository name (ECR_REPO_NAME). */
  repositoryName: string;
  /** Platform KMS key ARN for image encryption. */
  kmsKeyArn: pulumi.Input<string>;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/**
 * The platform image repository. It exists before P(-1) builds the first image (a bootstrap-order exception to
 * layer ownership), holds images under immutable tags only (DA-61), scans on push, and survives teardown.
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
    this.repositoryName = repository.name;
    this.repositoryUrl = repository.repositoryUrl;
    this.repositoryArn = repository.arn;
    this.registerOutputs({ repositoryName: this.repositoryName, repositoryUrl: this.repositoryUrl, repositoryArn: this.repositoryArn });
  }
}
