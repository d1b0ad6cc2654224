/**
 * Orchestration (DA-55/57): the three pinned state machines, READY commit only in platform-run, and their one
 * orchestrator role.
 */
import * as pulumi from "@pulumi/pulumi";
import { OrchestratedStateMachine } from "../../components/orchestratedStateMachine";
import { WorkloadRole } from "../../components/workloadRole";
import { laneS3Statements } from "../../src/iam/laneStatements";
import { serviceTrust } from "../../src/iam/policy";
import { orchestrationContext } from "../../src/orchestration/asl";
import { ORCHESTRATOR_GRANTS, STATE_MACHINES, fillPattern } from "../../src/runtime/lanes";
import { RuntimeContext, RuntimePart } from "./context";

export function orchestration(ctx: RuntimeContext): RuntimePart {
  const role = orchestratorRole(ctx);
  const definitionContext = ctx.core.bucketNames.apply((b) => orchestrationContext(ctx.r, b.evidence));
  const machines = STATE_MACHINES.map((m) => {
    const stateMachineName = ctx.r.string(m.handle);
    const machine = new OrchestratedStateMachine(m.name, {
      stateMachineName,
      definition: definitionContext.apply(m.definition),
      roleArn: role.roleArn,
      logGroupName: fillPattern(ctx.r.string("SFN_LOG_GROUP_PATTERN"), "state_machine_name", stateMachineName),
      retentionInDays: ctx.retentionDays,
      logLevel: ctx.lanes.orchestration.logLevel,
      includeExecutionData: ctx.lanes.orchestration.includeExecutionData,
      kmsKeyArn: ctx.core.kmsKeyArn,
      arnScope: { region: ctx.region, accountId: ctx.accountId },
      tags: ctx.tags,
    });
    return { handle: m.handle, machine };
  });
  const platformRun = machines.find((m) => m.handle === "SFN_PLATFORM_RUN_ORCHESTRATOR_V0");
  if (!platformRun) throw new Error("the orchestration has no SFN_PLATFORM_RUN_ORCHESTRATOR_V0 state machine");
  return {
    handles: {
      ROLE_STEP_FUNCTIONS_ORCHESTRATOR: role.roleArn,
      ...Object.fromEntries(machines.map(({ handle, machine }) => [handle, machine.stateMachineName])),
    },
    outputs: {
      sfn_state_machine_arns: pulumi.output(Object.fromEntries(machines.map(({ handle, machine }) => [handle, machine.stateMachineArn]))),
      sfn_platform_run_orchestrator_arn: platformRun.machine.stateMachineArn,
      sfn_platform_run_orchestrator_name: platformRun.machine.stateMachineName,
      role_step_functions_orchestrator_arn: role.roleArn,
    },
    materialization: {},
  };
}

function orchestratorRole(ctx: RuntimeContext): WorkloadRole {
  const { r, region, accountId } = ctx;
  const kmsKeyArn = ctx.core.kmsKeyArn;
  return new WorkloadRole("stepfunctions-orchestrator", {
    roleName: r.roleName("ROLE_STEP_FUNCTIONS_ORCHESTRATOR"),
    trust: accountId.apply((account) => serviceTrust("states.amazonaws.com", { StringEquals: { "aws:SourceAccount": account } })),
    statements: [
      ...laneS3Statements("Orchestrator", ORCHESTRATOR_GRANTS, ctx.core.bucketArns, region, kmsKeyArn),
      {
        sid: "PublishReady",
        actions: ["events:PutEvents"],
        resources: [pulumi.interpolate`arn:aws:events:${region}:${accountId}:event-bus/${r.string("SR_READY_EVENT_BUS_NAME")}`],
      },
      {
        sid: "ExecutionDataKey",
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: [kmsKeyArn],
        conditions: { StringEquals: { "kms:ViaService": `states.${region}.amazonaws.com` } },
      },
      {
        sid: "ExecutionLogDelivery",
        actions: [
          "logs:CreateLogDelivery",
          "logs:GetLogDelivery",
          "logs:UpdateLogDelivery",
          "logs:DeleteLogDelivery",
          "logs:ListLogDeliveries",
          "logs:PutResourcePolicy",
          "logs:DescribeResourcePolicies",
          "logs:DescribeLogGroups",
        ],
        resources: ["*"],
        wildcardJustification: "CloudWatch Logs vended-log delivery APIs used by Step Functions logging take no resource ARN.",
      },
    ],
    tags: ctx.tags,
  });
}
