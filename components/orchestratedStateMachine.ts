import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArnScope, arns } from "../src/iam/arns";
import { StateMachineDefinition, aslProblems } from "../src/orchestration/asl";
import { Tags } from "../src/tags";

export interface OrchestratedStateMachineArgs {
  /** Physical state machine name (registry SFN_*). */
  stateMachineName: string;
  /** The typed ASL definition (validated before anything is declared). */
  definition: pulumi.Input<StateMachineDefinition>;
  /** Execution role (the orchestrator role). */
  roleArn: pulumi.Input<string>;
  /** Log group name under /fraud-platform/dev_full/. */
  logGroupName: string;
  /** Log retention, days (registry LOG_RETENTION_DAYS). */
  retentionInDays: number;
  /** ALL, ERROR or FATAL. */
  logLevel: string;
  /** Whether execution data goes into the logs. */
  includeExecutionData: boolean;
  /** Platform KMS key ARN (state machine data encryption). */
  kmsKeyArn: pulumi.Input<string>;
  /** Region and account: the log group's and the machine's ARNs are composed from their names (known at preview). */
  arnScope: ArnScope;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/**
 * One pinned Step Functions state machine (STANDARD) with its execution log group: a real ASL definition checked
 * structurally before it is declared (start state, transition targets, reachable terminal states), execution data
 * encrypted with the platform key, logs retained 14 days.
 */
export class OrchestratedStateMachine extends pulumi.ComponentResource {
  readonly stateMachineName: pulumi.Output<string>;
  readonly stateMachineArn: pulumi.Output<string>;
  readonly logGroupArn: pulumi.Output<string>;

  constructor(name: string, args: OrchestratedStateMachineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:runtime:OrchestratedStateMachine", name, {}, opts);
    const definition = pulumi.output(args.definition).apply((def) => {
      const problems = aslProblems(def);
      if (problems.length) throw new Error(`state machine ${args.stateMachineName}: invalid ASL: ${problems.join("; ")}`);
      return JSON.stringify(def);
    });
    const logGroup = new aws.cloudwatch.LogGroup(
      name,
      { name: args.logGroupName, retentionInDays: args.retentionInDays, kmsKeyId: args.kmsKeyArn, tags: args.tags },
      { parent: this },
    );
    const logGroupArn = arns.logGroup(args.arnScope, logGroup.name);
    const machine = new aws.sfn.StateMachine(
      name,
      {
        name: args.stateMachineName,
        type: "STANDARD",
        roleArn: args.roleArn,
        definition,
        loggingConfiguration: { logDestination: pulumi.interpolate`${logGroupArn}:*`, level: args.logLevel, includeExecutionData: args.includeExecutionData },
        encryptionConfiguration: { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyId: args.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 },
        tracingConfiguration: { enabled: false },
        tags: args.tags,
      },
      { parent: this },
    );
    this.stateMachineName = machine.name;
    this.stateMachineArn = arns.stateMachine(args.arnScope, machine.name);
    this.logGroupArn = logGroupArn;
    this.registerOutputs({ stateMachineName: this.stateMachineName, stateMachineArn: this.stateMachineArn, logGroupArn: this.logGroupArn });
  }
}
