import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../src/tags";

export interface EmrServerlessApplicationArgs {
  /** Physical application name (registry ORACLE_STREAM_SORT_EMR_SERVERLESS_APP). */
  applicationName: string;
  /** EMR release (registry ORACLE_STREAM_SORT_EMR_RELEASE_LABEL). */
  releaseLabel: string;
  /** Minutes idle before auto-stop. */
  idleTimeoutMinutes: number;
  /** Capacity ceiling of the application. */
  maximumCapacity: { cpu: string; memory: string; disk: string };
  /** Private subnets and the MSK client security group (jobs reach S3 through the gateway endpoint). */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/**
 * The oracle stream sort on EMR Serverless Spark (DA-55): starts on job submission, stops itself when idle
 * (DA-93/DA-100), capacity bounded so a runaway job cannot outspend the envelope. Jobs run with the Flink
 * execution role (registry ORACLE_STREAM_SORT_EXECUTION_ROLE_ARN), passed at job submission.
 */
export class EmrServerlessApplication extends pulumi.ComponentResource {
  readonly applicationName: pulumi.Output<string>;
  readonly applicationId: pulumi.Output<string>;
  readonly applicationArn: pulumi.Output<string>;

  constructor(name: string, args: EmrServerlessApplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:runtime:EmrServerlessApplication", name, {}, opts);
    const app = new aws.emrserverless.Application(
      name,
      {
        name: args.applicationName,
        releaseLabel: args.releaseLabel,
        type: "spark",
        architecture: "X86_64",
        autoStartConfiguration: { enabled: true },
        autoStopConfiguration: { enabled: true, idleTimeoutMinutes: args.idleTimeoutMinutes },
        maximumCapacity: args.maximumCapacity,
        networkConfiguration: { subnetIds: args.subnetIds, securityGroupIds: args.securityGroupIds },
        interactiveConfiguration: { livyEndpointEnabled: false, studioEnabled: false },
        tags: args.tags,
      },
      { parent: this },
    );
    this.applicationName = app.name;
    this.applicationId = app.id;
    this.applicationArn = app.arn;
    this.registerOutputs({ applicationName: this.applicationName, applicationId: this.applicationId, applicationArn: this.applicationArn });
  }
}
