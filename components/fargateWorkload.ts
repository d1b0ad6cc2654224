import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StatementSpec, serviceTrust, ssmReadStatements } from "../src/iam/policy";
import { mutableImageReason } from "../src/runtime/images";
import { Tags } from "../src/tags";
import { WorkloadRole } from "./workloadRole";

export interface FargateWorkloadArgs {
  /** Task definition family (and ECS service name when `service` is set). */
  family: string;
  /** Task role name (one role per workload, DA-20). */
  taskRoleName: string;
  /** Execution role name (image pull, logs, secrets of this workload only). */
  executionRoleName: string;
  /** Immutable image reference (digest or git-<sha>-run-<id> tag, DA-61). */
  image: pulumi.Input<string>;
  /** Container command (argv) from the pinned ENTRYPOINT_* handle. */
  command: pulumi.Input<pulumi.Input<string>[]>;
  /** Plain environment (paths and switches only, never secret values). */
  environment: Record<string, pulumi.Input<string>>;
  /** Secrets injected by ECS from SSM: env name -> parameter path. */
  secrets: Record<string, string>;
  /** Name of the env var that pins the platform run (DA-63, registry REQUIRED_PLATFORM_RUN_ID_ENV_KEY). */
  runIdEnvKey: string;
  /** Least-privilege statements of the task role. */
  statements: StatementSpec[];
  /** Extra policy documents of the task role (stream lane access JSON), by policy name. */
  extraPolicyJson?: Record<string, pulumi.Input<string>>;
  /** Region and account for the SSM parameter ARNs. */
  region: string;
  accountId: pulumi.Input<string>;
  /** Platform KMS key ARN (SecureString decryption for the execution role). */
  kmsKeyArn: pulumi.Input<string>;
  /** Log group name under /fraud-platform/dev_full/ and its retention. */
  logGroupName: string;
  retentionInDays: number;
  /** Fargate task size. */
  cpu: number;
  memory: number;
  /** Declare an ECS service on this cluster (omit for a run-scoped task such as WSP). */
  service?: {
    clusterArn: pulumi.Input<string>;
    /** Desired count when applied (0 outside proof windows, DA-93). */
    desiredCount: number;
    /** Apply desiredCount on every update (the idle-safe switch) instead of keeping a window-time rescale. */
    enforceDesiredCount?: boolean;
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Resources tasks need to boot without NAT (the private VPC endpoints), if any. */
    bootDependencies?: pulumi.Resource[];
  };
  /** Mandatory tags (plus run/phase tags of the workload). */
  tags: Tags;
}

/**
 * One custom workload on ECS Fargate (DA-54/56): its own execution and task roles, a log group, a task definition
 * with an immutable image (checked before declaration, DA-61), the run-id pin in its environment (DA-63), secrets
 * only through `secrets.valueFrom` SSM ARNs (DA-23), and optionally a private service (no public IP) that
 * defaults to zero tasks (DA-93).
 */
export class FargateWorkload extends pulumi.ComponentResource {
  readonly taskDefinitionArn: pulumi.Output<string>;
  readonly family: pulumi.Output<string>;
  readonly taskRoleArn: pulumi.Output<string>;
  readonly serviceName?: pulumi.Output<string>;

  constructor(name: string, args: FargateWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:runtime:FargateWorkload", name, {}, opts);
    const secretPaths = Object.values(args.secrets);
    const executionRole = new WorkloadRole(
      `${name}-exec`,
      {
        roleName: args.executionRoleName,
        trust: serviceTrust("ecs-tasks.amazonaws.com"),
        managedPolicyArns: [aws.iam.ManagedPolicy.AmazonECSTaskExecutionRolePolicy],
        statements: ssmReadStatements({
          sid: "Secrets",
          region: args.region,
          accountId: args.accountId,
          parameterPaths: secretPaths,
          kmsKeyArn: args.kmsKeyArn,
        }),
        tags: args.tags,
      },
      { parent: this },
    );
    const taskRole = new WorkloadRole(
      `${name}-task`,
      {
        roleName: args.taskRoleName,
        trust: serviceTrust("ecs-tasks.amazonaws.com"),
        statements: args.statements,
        extraPolicyJson: args.extraPolicyJson,
        tags: args.tags,
      },
      { parent: this },
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      name,
      { name: args.logGroupName, retentionInDays: args.retentionInDays, kmsKeyId: args.kmsKeyArn, tags: args.tags },
      { parent: this },
    );

    const containerDefinitions = pulumi
      .all([pulumi.output(args.image), pulumi.output(args.command), pulumi.output(args.environment), logGroup.name, pulumi.output(args.accountId)])
      .apply(([image, command, environment, logGroupName, accountId]) =>
        containerDefinitionsJson(args, { image, command, environment, logGroupName, accountId }),
      );

    const taskDefinition = new aws.ecs.TaskDefinition(
      name,
      {
        family: args.family,
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: String(args.cpu),
        memory: String(args.memory),
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
        executionRoleArn: executionRole.roleArn,
        taskRoleArn: taskRole.roleArn,
        containerDefinitions,
        tags: args.tags,
      },
      { parent: this },
    );
    if (args.service) {
      const service = new aws.ecs.Service(
        name,
        {
          name: args.family,
          cluster: args.service.clusterArn,
          taskDefinition: taskDefinition.arn,
          launchType: "FARGATE",
          desiredCount: args.service.desiredCount,
          networkConfiguration: { subnets: args.service.subnetIds, securityGroups: args.service.securityGroupIds, assignPublicIp: false },
          deploymentCircuitBreaker: { enable: true, rollback: true },
          propagateTags: "SERVICE",
          enableExecuteCommand: false,
          tags: args.tags,
        },
        // Window-time scaling (CI sets N, then 0) is not reverted by the next apply.
        { parent: this, dependsOn: args.service.bootDependencies, ignoreChanges: args.service.enforceDesiredCount ? [] : ["desiredCount"] },
      );
      this.serviceName = service.name;
    }
    this.taskDefinitionArn = taskDefinition.arn;
    this.family = taskDefinition.family;
    this.taskRoleArn = taskRole.roleArn;
    this.registerOutputs({ taskDefinitionArn: this.taskDefinitionArn, family: this.family, taskRoleArn: this.taskRoleArn, serviceName: this.serviceName });
  }
}

/**
 * The task's one container, as ECS takes it (JSON): the immutable image (DA-61), the run-id pin in the environment
 * (DA-63), secrets only as SSM parameter ARNs (DA-23), a read-only root filesystem and logs to its log group.
 */
export function containerDefinitionsJson(
  args: Pick<FargateWorkloadArgs, "family" | "runIdEnvKey" | "secrets" | "region">,
  resolved: { image: string; command: string[]; environment: Record<string, string>; logGroupName: string; accountId: string },
): string {
  const reason = mutableImageReason(resolved.image);
  if (reason) throw new Error(`workload ${args.family}: ${reason} (DA-61)`);
  if (!(args.runIdEnvKey in resolved.environment)) throw new Error(`workload ${args.family}: environment lacks ${args.runIdEnvKey} (DA-63)`);
  return JSON.stringify([
    {
      name: args.family,
      image: resolved.image,
      essential: true,
      command: resolved.command,
      readonlyRootFilesystem: true,
      environment: Object.entries(resolved.environment)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => ({ name: k, value: v })),
      secrets: Object.entries(args.secrets)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, path]) => ({ name: k, valueFrom: `arn:aws:ssm:${args.region}:${resolved.accountId}:parameter${path}` })),
      logConfiguration: {
        logDriver: "awslogs",
        options: { "awslogs-group": resolved.logGroupName, "awslogs-region": args.region, "awslogs-stream-prefix": "ecs" },
      },
    },
  ]);
}
