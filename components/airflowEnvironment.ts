import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MwaaSettings } from "../src/config/opsSettings";
import { Tags } from "../src/tags";

export interface AirflowEnvironmentArgs {
  /** Environment name (MWAA_ENV_NAME). */
  environmentName: string;
  /** Execution role (ROLE_MWAA_EXECUTION). */
  executionRoleArn: pulumi.Input<string>;
  /** Bucket holding the DAGs (core's artifacts bucket) and the DAG prefix in it (MWAA_DAG_S3_PREFIX). */
  sourceBucketArn: pulumi.Input<string>;
  dagPrefix: string;
  /** VPC, its CIDR and two private subnets in different AZs (core). */
  vpcId: pulumi.Input<string>;
  vpcCidr: pulumi.Input<string>;
  subnetIds: pulumi.Input<string[]>;
  /** Security group name (MWAA_SECURITY_GROUP_NAME). */
  securityGroupName: string;
  /** Sizing (ops settings). */
  settings: MwaaSettings;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/**
 * An MWAA environment, declared only once AIRFLOW_MODE leaves its deferred value (DA-60; the ops stack decides):
 * private web server, workers in the private subnets behind a security group open only to itself, DAGs read from
 * the artifacts bucket. Its reach to AWS services goes through the runtime layer's VPC endpoints; MWAA also needs
 * the airflow.* interface endpoints, added with the switch (docs/ops.md).
 */
export class AirflowEnvironment extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;
  readonly webserverUrl: pulumi.Output<string>;

  constructor(name: string, args: AirflowEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:ops:AirflowEnvironment", name, {}, opts);
    if (!args.dagPrefix.endsWith("/") || args.dagPrefix.startsWith("/"))
      throw new Error(`${name}: dagPrefix must be relative and end with "/", got ${JSON.stringify(args.dagPrefix)}`);
    const sg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        name: args.securityGroupName,
        description: "MWAA environment: traffic between its own components; HTTPS to the VPC's endpoints",
        vpcId: args.vpcId,
        ingress: [{ description: "MWAA components", protocol: "-1", fromPort: 0, toPort: 0, self: true }],
        egress: [
          { description: "MWAA components", protocol: "-1", fromPort: 0, toPort: 0, self: true },
          { description: "VPC endpoints (HTTPS)", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [args.vpcCidr] },
        ],
        tags: { ...args.tags, Name: args.securityGroupName },
      },
      { parent: this },
    );
    const env = new aws.mwaa.Environment(
      name,
      {
        name: args.environmentName,
        airflowVersion: args.settings.airflowVersion,
        environmentClass: args.settings.environmentClass,
        minWorkers: 1,
        maxWorkers: args.settings.maxWorkers,
        executionRoleArn: args.executionRoleArn,
        sourceBucketArn: args.sourceBucketArn,
        dagS3Path: args.dagPrefix.replace(/\/$/, ""),
        webserverAccessMode: "PRIVATE_ONLY",
        networkConfiguration: { securityGroupIds: [sg.id], subnetIds: pulumi.output(args.subnetIds).apply((ids) => ids.slice(0, 2)) },
        loggingConfiguration: {
          dagProcessingLogs: { enabled: true, logLevel: "WARNING" },
          schedulerLogs: { enabled: true, logLevel: "WARNING" },
          taskLogs: { enabled: true, logLevel: "INFO" },
          webserverLogs: { enabled: true, logLevel: "WARNING" },
          workerLogs: { enabled: true, logLevel: "WARNING" },
        },
        tags: args.tags,
      },
      { parent: this },
    );
    this.arn = env.arn;
    this.webserverUrl = env.webserverUrl;
    this.registerOutputs({ arn: this.arn, webserverUrl: this.webserverUrl });
  }
}
