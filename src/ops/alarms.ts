/**
 * The platform alarms of the ops layer as data: the three pinned alarms (error rate, RTDL lag, ingress HTTP
 * anomaly; DA-82) and the health alarms (ingress Lambda errors/throttles, API 5xx, EKS unschedulable pods / API
 * server 5xx, ingress DLQ depth). Every dimension value is an identity the runtime stack exports (API id,
 * function, cluster, application, queue), never a literal, and every alarm notifies the ops topic.
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { AlarmSettings } from "../config/opsSettings";

/** Identities of the watched runtime surfaces, read from the runtime stack's outputs. */
export interface WatchedIdentities {
  apiId: pulumi.Input<string>;
  stage: pulumi.Input<string>;
  functionName: pulumi.Input<string>;
  clusterName: pulumi.Input<string>;
  flinkApplication: pulumi.Input<string>;
  dlqName: pulumi.Input<string>;
}

/** One metric of an alarm or of a metric-math query. */
export interface MetricRef {
  namespace: string;
  metricName: string;
  dimensions: Record<string, pulumi.Input<string>>;
  stat: "Sum" | "Maximum" | "Average";
}

export interface AlarmSpec {
  /** Short key (child resource name suffix). */
  key: string;
  /** Alarm name handle and its value. */
  handle: string;
  name: string;
  description: string;
  threshold: number;
  /** A single metric, or a metric-math expression over named metrics (the expression is the alarm's value). */
  metric?: MetricRef;
  math?: { expression: string; label: string; metrics: Record<string, MetricRef> };
}

/** Alarm names by handle (the registry's values). */
export type AlarmNames = Record<(typeof ALARM_HANDLES)[number], string>;

/** The pinned alarms first (DA-82), then the health alarms (substrate handles). */
export const ALARM_HANDLES = [
  "ALARM_PLATFORM_ERROR_RATE",
  "ALARM_RTDL_LAG",
  "ALARM_IG_4XX_5XX",
  "ALARM_IG_LAMBDA_ERRORS",
  "ALARM_IG_LAMBDA_THROTTLES",
  "ALARM_IG_APIGW_5XX",
  "ALARM_IG_DLQ_DEPTH",
  "ALARM_EKS_UNSCHEDULABLE_PODS",
  "ALARM_EKS_APISERVER_5XX",
] as const;

/** The platform alarms, from the registry's names, the watched identities and the configured thresholds. */
export function platformAlarmSpecs(names: AlarmNames, ids: WatchedIdentities, t: AlarmSettings): AlarmSpec[] {
  const lambda = (metricName: string, stat: MetricRef["stat"] = "Sum"): MetricRef => ({
    namespace: "AWS/Lambda",
    metricName,
    dimensions: { FunctionName: ids.functionName },
    stat,
  });
  const api = (metricName: string): MetricRef => ({ namespace: "AWS/ApiGateway", metricName, dimensions: { ApiId: ids.apiId, Stage: ids.stage }, stat: "Sum" });
  const eks = (metricName: string, stat: MetricRef["stat"]): MetricRef => ({
    namespace: "AWS/EKS",
    metricName,
    dimensions: { ClusterName: ids.clusterName },
    stat,
  });
  return [
    {
      key: "error-rate",
      handle: "ALARM_PLATFORM_ERROR_RATE",
      name: names.ALARM_PLATFORM_ERROR_RATE,
      description: `Platform error rate: ingress handler errors above ${t.errorRatePercent}% of invocations.`,
      threshold: t.errorRatePercent,
      math: {
        expression: "IF(invocations > 0, 100 * errors / invocations, 0)",
        label: "error rate (%)",
        metrics: { errors: lambda("Errors"), invocations: lambda("Invocations") },
      },
    },
    {
      key: "rtdl-lag",
      handle: "ALARM_RTDL_LAG",
      name: names.ALARM_RTDL_LAG,
      description: `RTDL consumer lag: the RTDL Flink application is more than ${t.rtdlLagRecords} records behind the bus.`,
      threshold: t.rtdlLagRecords,
      metric: { namespace: "AWS/KinesisAnalytics", metricName: "records_lag_max", dimensions: { Application: ids.flinkApplication }, stat: "Maximum" },
    },
    {
      key: "ig-http-anomaly",
      handle: "ALARM_IG_4XX_5XX",
      name: names.ALARM_IG_4XX_5XX,
      description: `Ingress HTTP anomaly: 4xx + 5xx above ${t.igHttpErrorPercent}% of ingress API requests.`,
      threshold: t.igHttpErrorPercent,
      math: {
        expression: "IF(requests > 0, 100 * (client + server) / requests, 0)",
        label: "ingress 4xx+5xx (%)",
        metrics: { client: api("4xx"), server: api("5xx"), requests: api("Count") },
      },
    },
    {
      key: "ig-lambda-errors",
      handle: "ALARM_IG_LAMBDA_ERRORS",
      name: names.ALARM_IG_LAMBDA_ERRORS,
      description: "Ingress handler errors.",
      threshold: 0,
      metric: lambda("Errors"),
    },
    {
      key: "ig-lambda-throttles",
      handle: "ALARM_IG_LAMBDA_THROTTLES",
      name: names.ALARM_IG_LAMBDA_THROTTLES,
      description: "Ingress handler throttles.",
      threshold: 0,
      metric: lambda("Throttles"),
    },
    {
      key: "ig-apigw-5xx",
      handle: "ALARM_IG_APIGW_5XX",
      name: names.ALARM_IG_APIGW_5XX,
      description: "Ingress API 5xx responses.",
      threshold: 0,
      metric: api("5xx"),
    },
    {
      key: "ig-dlq-depth",
      handle: "ALARM_IG_DLQ_DEPTH",
      name: names.ALARM_IG_DLQ_DEPTH,
      description: "Messages waiting in the ingress dead-letter queue.",
      threshold: 0,
      metric: { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: ids.dlqName }, stat: "Maximum" },
    },
    {
      key: "eks-unschedulable-pods",
      handle: "ALARM_EKS_UNSCHEDULABLE_PODS",
      name: names.ALARM_EKS_UNSCHEDULABLE_PODS,
      description: "Unschedulable pods on the EKS exception lane.",
      threshold: 0,
      metric: eks("scheduler_pending_pods_UNSCHEDULABLE", "Maximum"),
    },
    {
      key: "eks-apiserver-5xx",
      handle: "ALARM_EKS_APISERVER_5XX",
      name: names.ALARM_EKS_APISERVER_5XX,
      description: "EKS API server 5xx responses.",
      threshold: 0,
      metric: eks("apiserver_request_total_5XX", "Sum"),
    },
  ];
}

/** MetricAlarm arguments of a spec: notifies `topicArn` on ALARM and OK; missing data is not a breach. */
export function metricAlarmArgs(
  spec: AlarmSpec,
  t: AlarmSettings,
  topicArn: pulumi.Input<string>,
  tags: Record<string, string>,
): aws.cloudwatch.MetricAlarmArgs {
  const common: aws.cloudwatch.MetricAlarmArgs = {
    name: spec.name,
    alarmDescription: spec.description,
    comparisonOperator: "GreaterThanThreshold",
    threshold: spec.threshold,
    evaluationPeriods: t.evaluationPeriods,
    datapointsToAlarm: t.datapointsToAlarm,
    treatMissingData: "notBreaching",
    actionsEnabled: true,
    alarmActions: [topicArn],
    okActions: [topicArn],
    tags,
  };
  if (spec.math) {
    return {
      ...common,
      metricQueries: [
        ...Object.entries(spec.math.metrics).map(([id, m]) => ({
          id,
          returnData: false,
          metric: { namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions, stat: m.stat, period: t.periodSeconds },
        })),
        { id: "value", expression: spec.math.expression, label: spec.math.label, returnData: true },
      ],
    };
  }
  if (!spec.metric) throw new Error(`alarm ${spec.name}: needs a metric or a metric-math expression`);
  return {
    ...common,
    namespace: spec.metric.namespace,
    metricName: spec.metric.metricName,
    dimensions: spec.metric.dimensions,
    statistic: spec.metric.stat,
    period: t.periodSeconds,
  };
}
