/**
 * Logging and alerting of the managed services:
 * - SB-24 (mandatory, medium): API Gateway stages write access logs (accessLogSettings with destinationArn and
 *   format). FSBP APIGateway.9 (HTTP/WebSocket stages), APIGateway.1 (REST).
 * - SB-25 (mandatory, medium): Step Functions state machines log (loggingConfiguration.level not OFF, with a
 *   logDestination). FSBP StepFunctions.1.
 * - SB-26 (advisory, low): ECS clusters enable Container Insights. Advisory by nature: it is an observability
 *   trade-off that bills custom metrics per cluster and task, which the layer's cost envelope decides; it does not
 *   open or protect anything. FSBP ECS.12.
 * - SB-27 (mandatory, medium): CloudWatch alarms act: actionsEnabled not false and at least one alarmAction.
 *   FSBP CloudWatch.15, CloudWatch.17.
 */
import * as aws from "@pulumi/aws";
import { listOf } from "../../lib/knownValues";
import { checksOf, resourceRule } from "../../lib/rule";

/** The problem of a stage's accessLogSettings without a destination or format. */
function accessLogProblem(settings: unknown): string | false {
  const s = settings as { destinationArn?: unknown; format?: unknown } | undefined;
  return (
    (typeof s?.destinationArn !== "string" || s.destinationArn === "" || typeof s.format !== "string" || s.format === "") &&
    "accessLogSettings is missing its destinationArn or format: requests are not logged. Set accessLogSettings: { destinationArn: <access log group ARN>, format: <JSON format> }."
  );
}

export const apiStageAccessLogging = resourceRule(
  {
    id: "SB-24",
    slug: "api-stage-access-logging",
    description:
      "API Gateway stages (HTTP and REST) must write access logs: set accessLogSettings { destinationArn, format } to a log group of the environment.",
    severity: "medium",
  },
  [
    checksOf(aws.apigatewayv2.Stage, (stage) => accessLogProblem(stage.accessLogSettings)),
    checksOf(aws.apigateway.Stage, (stage) => accessLogProblem(stage.accessLogSettings)),
  ],
);

export const stateMachineLogging = resourceRule(
  {
    id: "SB-25",
    slug: "state-machine-logging",
    description: 'Step Functions state machines must log: loggingConfiguration { level: "ERROR" or "ALL" (not "OFF"), logDestination: <log group ARN>:* }.',
    severity: "medium",
  },
  checksOf(aws.sfn.StateMachine, (machine) => {
    const l = machine.loggingConfiguration as { level?: unknown; logDestination?: unknown } | undefined;
    if (!l || l.level === undefined || l.level === "OFF")
      return `loggingConfiguration.level is ${JSON.stringify(l?.level ?? "OFF")}: executions are not logged. Set loggingConfiguration: { level: "ERROR", logDestination: "<log group ARN>:*" }.`;
    return (
      (typeof l.logDestination !== "string" || l.logDestination === "") &&
      "loggingConfiguration.logDestination is not set: set it to the state machine's log group ARN followed by :*."
    );
  }),
);

export const ecsContainerInsights = resourceRule(
  {
    id: "SB-26",
    slug: "ecs-container-insights",
    description:
      'ECS clusters should enable Container Insights (settings [{ name: "containerInsights", value: "enabled" }]) when the layer\'s cost envelope allows it (advisory: an observability and cost trade-off).',
    severity: "low",
    enforcementLevel: "advisory",
  },
  checksOf(aws.ecs.Cluster, (cluster) => {
    const insights = listOf(cluster.settings).find((s) => (s as { name?: unknown }).name === "containerInsights") as { value?: unknown } | undefined;
    return (
      insights?.value !== "enabled" &&
      insights?.value !== "enhanced" &&
      `settings containerInsights is ${JSON.stringify(insights?.value ?? "disabled")}: task CPU/memory and failures are not recorded. Set { name: "containerInsights", value: "enabled" } if the envelope allows.`
    );
  }),
);

export const alarmsAct = resourceRule(
  {
    id: "SB-27",
    slug: "alarms-have-actions",
    description: "CloudWatch alarms must act: at least one alarmActions target (the ops alarm topic) and actionsEnabled not false.",
    severity: "medium",
  },
  checksOf(
    aws.cloudwatch.MetricAlarm,
    (alarm) =>
      listOf(alarm.alarmActions).length === 0 &&
      "alarmActions is empty: the alarm changes state and nobody hears it. Set alarmActions to the ops alarm topic ARN.",
    (alarm) => alarm.actionsEnabled === false && "actionsEnabled is false: the alarm's actions never run. Remove actionsEnabled: false.",
  ),
);

export const serviceBaselinePolicies = [apiStageAccessLogging, stateMachineLogging, ecsContainerInsights, alarmsAct];
