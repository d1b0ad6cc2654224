import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../src/tags";

export interface FlinkApplicationArgs {
  /** Physical application name (registry FLINK_APP_RTDL_IEG_OFP_V0). */
  applicationName: string;
  /** MSF Flink runtime, e.g. FLINK-1_20. */
  runtimeEnvironment: string;
  /** Execution role (ROLE_FLINK_EXECUTION). */
  executionRoleArn: pulumi.Input<string>;
  /** Artifacts bucket ARN holding the application code. */
  codeBucketArn: pulumi.Input<string>;
  /** Key of the application JAR/ZIP in that bucket. */
  codeKey: string;
  /** Parallelism (registry FLINK_PARALLELISM_DEFAULT). */
  parallelism: number;
  /** Checkpoint interval, ms (registry FLINK_CHECKPOINT_INTERVAL_MS). */
  checkpointIntervalMs: number;
  /** `s3://<object-store>/state/flink/<application>/`: where the job keeps its checkpoints/savepoints. */
  checkpointLocation: pulumi.Input<string>;
  /** Runtime properties the job reads (group FlinkApplicationProperties). */
  properties: Record<string, pulumi.Input<string>>;
  /** Private subnets and the MSK client security group. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Platform KMS key ARN (application state encryption). */
  kmsKeyArn: pulumi.Input<string>;
  /** Log group name under /fraud-platform/dev_full/. */
  logGroupName: string;
  /** Log retention, days. */
  retentionInDays: number;
  /** Start on apply (off by default: started for a proof window, stopped after). */
  startApplication: boolean;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/**
 * The IEG/OFP stream processor on Managed Service for Apache Flink (DA-50): one application, parallelism 2,
 * checkpoints every 60 s under `state/flink/{application_name}/`, code from a CI-built artifact, in the private
 * subnets, state encrypted with the platform key, created stopped (stoppable; force-stop on update).
 */
export class FlinkApplication extends pulumi.ComponentResource {
  readonly applicationName: pulumi.Output<string>;
  readonly applicationArn: pulumi.Output<string>;

  constructor(name: string, args: FlinkApplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:runtime:FlinkApplication", name, {}, opts);
    const logGroup = new aws.cloudwatch.LogGroup(
      name,
      { name: args.logGroupName, retentionInDays: args.retentionInDays, kmsKeyId: args.kmsKeyArn, tags: args.tags },
      { parent: this },
    );
    const stream = new aws.cloudwatch.LogStream(name, { name: "application", logGroupName: logGroup.name }, { parent: this });
    const app = new aws.kinesisanalyticsv2.Application(
      name,
      {
        name: args.applicationName,
        runtimeEnvironment: args.runtimeEnvironment,
        serviceExecutionRole: args.executionRoleArn,
        startApplication: args.startApplication,
        forceStop: true,
        applicationConfiguration: {
          applicationCodeConfiguration: {
            // MSF takes Java JARs and Python ZIPs alike as ZIPFILE content.
            codeContentType: "ZIPFILE",
            codeContent: { s3ContentLocation: { bucketArn: args.codeBucketArn, fileKey: args.codeKey } },
          },
          applicationEncryptionConfiguration: { keyType: "CUSTOMER_MANAGED_KEY", keyId: args.kmsKeyArn },
          applicationSnapshotConfiguration: { snapshotsEnabled: true },
          flinkApplicationConfiguration: {
            checkpointConfiguration: {
              configurationType: "CUSTOM",
              checkpointingEnabled: true,
              checkpointInterval: args.checkpointIntervalMs,
              minPauseBetweenCheckpoints: 5000,
            },
            parallelismConfiguration: { configurationType: "CUSTOM", parallelism: args.parallelism, parallelismPerKpu: 1, autoScalingEnabled: false },
            monitoringConfiguration: { configurationType: "CUSTOM", logLevel: "WARN", metricsLevel: "APPLICATION" },
          },
          environmentProperties: {
            propertyGroups: [
              { propertyGroupId: "FlinkApplicationProperties", propertyMap: { ...args.properties, "state.checkpoints.dir": args.checkpointLocation } },
            ],
          },
          vpcConfiguration: { subnetIds: args.subnetIds, securityGroupIds: args.securityGroupIds },
        },
        cloudwatchLoggingOptions: { logStreamArn: pulumi.interpolate`${logGroup.arn}:log-stream:${stream.name}` },
        tags: args.tags,
      },
      { parent: this },
    );
    this.applicationName = app.name;
    this.applicationArn = app.arn;
    this.registerOutputs({ applicationName: this.applicationName, applicationArn: this.applicationArn });
  }
}
