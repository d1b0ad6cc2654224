/**
 * DA-83 (advisory, medium), on the ops stack: the required signal classes are alarmed, health, lag, error and
 * latency always, plus model performance/drift and pipeline status when the learning plane (data_ml) is wired in.
 *
 * Deliberately lenient: a class counts as covered when any metric alarm of the stack watches a metric (single
 * metric or a metric-math query) whose namespace or metric name matches the class's pattern below, or, failing
 * that, whose alarm name does. Thresholds, periods and the watched ids are not judged here (DA-82 checks the pinned
 * alarms). The learning-plane classes are required when the stack holds a StackReference to a data_ml stack, or
 * when the policy config sets `requireLearningSignals: true`.
 */
import type * as policy from "@pulumi/policy";
import { listOf } from "../lib/knownValues";
import { stackRule } from "../lib/rule";
import { layerOfStack, rootUrnOf } from "../lib/stackLayer";
import { known } from "./bucketLifecycle";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/** Signal class -> what a matching namespace, metric name or alarm name looks like. */
export const SIGNAL_CLASSES: Record<string, RegExp> = {
  health: /health|heartbeat|statuscheck|unschedulable|pending_?pods|throttl|runningtaskcount|availab|apiserver|up\b/i,
  lag: /lag|iteratorage|backlog|oldestmessage|messagesvisible|behind/i,
  error: /error|fault|fail|5xx|4xx/i,
  latency: /latency|duration|response_?time|p9\d/i,
};
export const LEARNING_SIGNAL_CLASSES: Record<string, RegExp> = {
  model: /aws\/sagemaker|model|drift|inference/i,
  pipeline: /aws\/states|pipeline|executionsfailed|executionstimedout|jobrun|databricks|aws\/emr/i,
};

/** The namespace/metric-name strings one alarm watches, and its name. */
export function alarmSignals(alarm: policy.PolicyResource): { metrics: string[]; name: string } {
  const metrics: string[] = [];
  const add = (m: unknown) => {
    if (typeof m !== "object" || m === null) return;
    const { namespace, metricName } = m as Record<string, unknown>;
    if (typeof namespace === "string" || typeof metricName === "string") metrics.push(`${String(namespace ?? "")} ${String(metricName ?? "")}`);
  };
  add({ namespace: known(() => alarm.props.namespace), metricName: known(() => alarm.props.metricName) });
  const queries = known(() => alarm.props.metricQueries);
  for (const q of listOf<{ metric?: Record<string, unknown> } | undefined>(queries))
    add({ namespace: known(() => q?.metric?.namespace), metricName: known(() => q?.metric?.metricName) });
  return { metrics, name: String(known(() => alarm.props.name) ?? alarm.name) };
}

export const requiredSignalsAlarmed = stackRule(
  {
    id: "DA-83",
    slug: "required-signals-alarmed",
    description:
      "The ops stack should alarm on health, lag, error and latency signals (and on model performance/drift and pipeline status once data_ml is wired in): add a metric alarm watching a metric of each missing class.",
    severity: "medium",
    enforcementLevel: "advisory",
    configSchema: {
      properties: { requireLearningSignals: { type: "boolean", description: "Require model and pipeline signals even without a data_ml StackReference." } },
    },
  },
  (args, reportViolation) => {
    if (layerOfStack(args.resources) !== "ops") return args.notApplicable("signals are checked on the ops stack");
    const config = args.getConfig<{ requireLearningSignals?: boolean }>();
    const learning =
      config.requireLearningSignals === true ||
      args.resources.some((r) => r.type === STACK_REFERENCE && /data[-_]ml/i.test(`${r.name} ${String(known(() => r.props.name) ?? "")}`));
    const classes = { ...SIGNAL_CLASSES, ...(learning ? LEARNING_SIGNAL_CLASSES : {}) };
    const signals = args.resources.filter((r) => r.type === ALARM).map(alarmSignals);
    const missing = Object.entries(classes)
      .filter(([, pattern]) => !signals.some((s) => s.metrics.some((m) => pattern.test(m))) && !signals.some((s) => pattern.test(s.name)))
      .map(([cls]) => cls);
    if (missing.length) reportViolation(`no alarm covers the ${missing.join(", ")} signal${missing.length > 1 ? "s" : ""}.`, rootUrnOf(args.resources));
  },
);
