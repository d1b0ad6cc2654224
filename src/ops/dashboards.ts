/**
 * Bodies of the two pinned CloudWatch dashboards (DA-82), as data. Every metric dimension is an identity the
 * runtime stack exports, never a literal id; alarm widgets show the stack's own alarms; billing metrics are read
 * in the billing region (DA-92). Text widgets carry no personal data (no e-mail address, no operator name).
 */
import type * as pulumi from "@pulumi/pulumi";
import { WatchedIdentities } from "./alarms";

/** One `metrics` row: namespace, metric name, dimension name/value pairs, then rendering options. */
export type MetricRow = Array<pulumi.Input<string> | Record<string, string | number>>;

export interface Widget {
  type: "metric" | "alarm" | "text";
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

export interface DashboardBody {
  start?: string;
  periodOverride?: "auto" | "inherit";
  widgets: Widget[];
}

/** A metric row from namespace, metric, dimensions and options. */
export function metricRow(
  namespace: string,
  metricName: string,
  dimensions: Record<string, pulumi.Input<string>>,
  options: Record<string, string | number> = {},
): MetricRow {
  return [namespace, metricName, ...Object.entries(dimensions).flat(), ...(Object.keys(options).length ? [options] : [])];
}

function metricWidget(x: number, y: number, width: number, title: string, region: string, metrics: MetricRow[], extra: Record<string, unknown> = {}): Widget {
  return { type: "metric", x, y, width, height: 6, properties: { title, region, view: "timeSeries", stacked: false, period: 300, metrics, ...extra } };
}

export interface OperationsDashboardInput {
  region: string;
  ids: WatchedIdentities;
  /** ARNs of the platform alarms, shown in one alarm-status widget. */
  alarmArns: pulumi.Input<string>[];
  /** Where the operator runbook lives (repository path). */
  runbook: string;
}

export function operationsDashboardBody(i: OperationsDashboardInput): DashboardBody {
  const fn = { FunctionName: i.ids.functionName };
  const api = { ApiId: i.ids.apiId, Stage: i.ids.stage };
  const eks = { ClusterName: i.ids.clusterName };
  return {
    start: "-PT12H",
    widgets: [
      metricWidget(0, 0, 12, "Ingress Lambda errors / throttles / duration p95", i.region, [
        metricRow("AWS/Lambda", "Errors", fn, { stat: "Sum" }),
        metricRow("AWS/Lambda", "Throttles", fn, { stat: "Sum" }),
        metricRow("AWS/Lambda", "Duration", fn, { stat: "p95", yAxis: "right" }),
      ]),
      metricWidget(12, 0, 12, "Ingress API requests / 4xx / 5xx", i.region, [
        metricRow("AWS/ApiGateway", "Count", api, { stat: "Sum" }),
        metricRow("AWS/ApiGateway", "4xx", api, { stat: "Sum" }),
        metricRow("AWS/ApiGateway", "5xx", api, { stat: "Sum" }),
      ]),
      metricWidget(0, 6, 12, "RTDL consumer lag (records_lag_max)", i.region, [
        metricRow("AWS/KinesisAnalytics", "records_lag_max", { Application: i.ids.flinkApplication }, { stat: "Maximum" }),
      ]),
      metricWidget(12, 6, 12, "Ingress dead-letter queue depth", i.region, [
        metricRow("AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: i.ids.dlqName }, { stat: "Maximum" }),
      ]),
      metricWidget(0, 12, 12, "EKS unschedulable pods / scheduler errors", i.region, [
        metricRow("AWS/EKS", "scheduler_pending_pods_UNSCHEDULABLE", eks, { stat: "Maximum" }),
        metricRow("AWS/EKS", "scheduler_schedule_attempts_ERROR", eks, { stat: "Sum" }),
      ]),
      metricWidget(12, 12, 12, "EKS API server 5xx / 429", i.region, [
        metricRow("AWS/EKS", "apiserver_request_total_5XX", eks, { stat: "Sum" }),
        metricRow("AWS/EKS", "apiserver_request_total_429", eks, { stat: "Sum" }),
      ]),
      {
        type: "alarm",
        x: 0,
        y: 18,
        width: 24,
        height: 4,
        properties: { title: "Platform alarms", region: i.region, alarms: i.alarmArns, sortBy: "stateUpdatedTimestamp" },
      },
      {
        type: "text",
        x: 0,
        y: 22,
        width: 24,
        height: 4,
        properties: {
          markdown: [
            "## Operator chain",
            `alert (SNS) -> this dashboard -> runbook \`${i.runbook}\` -> bounded mitigation -> verification.`,
            "Stop the active proof when correctness, auditability or active-bundle truth is at risk.",
          ].join("\n\n"),
        },
      },
    ],
  };
}

export interface CostGuardrailDashboardInput {
  region: string;
  billingRegion: string;
  clusterName: pulumi.Input<string>;
  budget: { name: string; limitUsd: number; currency: string; alertsUsd: number[] };
  /** ARN of the billing alarm (in the billing region). */
  billingAlarmArn: pulumi.Input<string>;
  runbook: string;
}

export function costGuardrailDashboardBody(i: CostGuardrailDashboardInput): DashboardBody {
  const { name, limitUsd, currency, alertsUsd } = i.budget;
  return {
    start: "-P31D",
    widgets: [
      metricWidget(
        0,
        0,
        12,
        `Estimated charges (${currency})`,
        i.billingRegion,
        [metricRow("AWS/Billing", "EstimatedCharges", { Currency: currency }, { stat: "Maximum" })],
        {
          period: 21600,
          annotations: { horizontal: [...alertsUsd.map((v, n) => ({ label: `alert ${n + 1}`, value: v })), { label: "limit", value: limitUsd }] },
        },
      ),
      { type: "alarm", x: 12, y: 0, width: 12, height: 6, properties: { title: "Billing alarm", region: i.billingRegion, alarms: [i.billingAlarmArn] } },
      metricWidget(0, 6, 12, "EKS residual risk (pending pods)", i.region, [
        metricRow("AWS/EKS", "scheduler_pending_pods", { ClusterName: i.clusterName }, { stat: "Maximum" }),
        metricRow("AWS/EKS", "scheduler_pending_pods_UNSCHEDULABLE", { ClusterName: i.clusterName }, { stat: "Maximum" }),
      ]),
      {
        type: "text",
        x: 12,
        y: 6,
        width: 12,
        height: 6,
        properties: {
          markdown: [
            "## Budget guardrail",
            `Budget \`${name}\`: ${limitUsd} ${currency} a month (whole account), alerts at ${alertsUsd.join(", ")} ${currency} actual spend.`,
            `Alert 3 blocks phase advancement until remediation is approved. Runbook: \`${i.runbook}\`.`,
            "Pair with the idle/teardown drill and the P17 residual scan.",
          ].join("\n\n"),
        },
      },
    ],
  };
}
