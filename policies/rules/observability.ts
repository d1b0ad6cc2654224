/**
 * DA-82 (mandatory, high), on the ops stack: the two pinned dashboards and the three pinned alarms exist, and the
 * dashboards reference no literal ids. Checkable form of "ids come from stack outputs": every (dimension, value)
 * pair a dashboard widget plots must also be watched by one of the stack's own metric alarms (the alarms take the
 * same upstream outputs), alarm widgets show only alarms the stack declares, and no dashboard or alarm carries a
 * value the registry records as another account's materialized output. A dimension no alarm of the stack
 * watches is a literal that goes stale (a dashboard plotting an API id the stack no longer manages).
 */
import type * as policy from "@pulumi/policy";
import { listOf, recordsOf } from "../lib/knownValues";
import { registry } from "../lib/registry";
import { stackRule } from "../lib/rule";
import { deferredSurfaceHandles, layerOfStack, rootUrnOf } from "../lib/stackLayer";

const DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const PINNED_DASHBOARDS = ["CW_DASHBOARD_PLATFORM_OPERATIONS", "CW_DASHBOARD_COST_GUARDRAIL"];
const PINNED_ALARMS = ["ALARM_PLATFORM_ERROR_RATE", "ALARM_RTDL_LAG", "ALARM_IG_4XX_5XX"];

const pairKey = (name: string, value: string) => `${name}=${value}`;

/** (dimension, value) pairs every metric alarm of the stack watches (single metric and metric-math queries). */
export function alarmDimensionPairs(alarms: readonly policy.PolicyResource[]): Set<string> {
  const pairs = new Set<string>();
  const add = (dims: unknown) => {
    if (typeof dims !== "object" || dims === null) return;
    for (const [k, v] of Object.entries(dims as Record<string, unknown>)) if (typeof v === "string") pairs.add(pairKey(k, v));
  };
  for (const a of alarms) {
    add(a.props.dimensions);
    for (const q of recordsOf(a.props.metricQueries)) add((q.metric as Record<string, unknown> | undefined)?.dimensions);
  }
  return pairs;
}

/** (dimension, value) pairs of a dashboard body's metric widgets; rows using CloudWatch's "..." shorthand are skipped. */
export function dashboardDimensionPairs(body: unknown): Array<{ widget: string; name: string; value: string }> {
  const out: Array<{ widget: string; name: string; value: string }> = [];
  for (const w of recordsOf((body as { widgets?: unknown })?.widgets)) {
    if (w.type !== "metric") continue;
    const props = (w.properties ?? {}) as Record<string, unknown>;
    const title = typeof props.title === "string" ? props.title : "untitled widget";
    for (const row of listOf(props.metrics)) {
      if (!Array.isArray(row)) continue;
      const strings = row.filter((e): e is string => typeof e === "string");
      if (strings.some((s) => s === "." || s === "...")) continue;
      for (let i = 2; i + 1 < strings.length; i += 2) out.push({ widget: title, name: strings[i], value: strings[i + 1] });
    }
  }
  return out;
}

/** Alarm names shown by a body's alarm widgets (the name part of each alarm ARN). */
export function dashboardAlarmNames(body: unknown): string[] {
  return recordsOf((body as { widgets?: unknown })?.widgets)
    .filter((w) => w.type === "alarm")
    .flatMap((w) => listOf((w.properties as Record<string, unknown> | undefined)?.alarms))
    .map((arn) => (typeof arn === "string" ? (arn.split(":alarm:")[1] ?? arn) : String(arn)));
}

/** Values the registry recorded as another account's outputs (ARNs, ids, URLs): never valid in this environment. */
export function referenceLiterals(): string[] {
  return registry()
    .handles.filter((h) => h.kind === "materialized_output" && typeof h.value === "string" && h.value.length >= 6)
    .map((h) => h.value as string);
}

export const dashboardsAndAlarms = stackRule(
  {
    id: "DA-82",
    slug: "dashboards-and-alarms",
    description:
      "The ops stack declares the dashboards CW_DASHBOARD_PLATFORM_OPERATIONS/COST_GUARDRAIL and the alarms ALARM_PLATFORM_ERROR_RATE, ALARM_RTDL_LAG, ALARM_IG_4XX_5XX (all deferred together with the observability surface in a closed proof window, registry/surfaces.yaml); dashboard widgets plot only ids the stack's alarms also watch (from upstream outputs, never literals) and no reference-account id.",
    severity: "high",
  },
  (args, reportViolation) => {
    const dashboards = args.resources.filter((r) => r.type === DASHBOARD);
    const alarms = args.resources.filter((r) => r.type === ALARM);
    const opsStack = layerOfStack(args.resources) === "ops";
    if (!opsStack && dashboards.length === 0) return args.notApplicable("no dashboards outside the ops stack");
    const r = registry();
    const root = rootUrnOf(args.resources);
    if (opsStack) {
      const deferred = deferredSurfaceHandles(args.resources, "ops");
      const dashboardNames = new Set(dashboards.map((d) => d.props.dashboardName));
      const alarmNames = new Set(alarms.map((a) => a.props.name));
      for (const h of PINNED_DASHBOARDS)
        if (!deferred.has(h) && !dashboardNames.has(r.string(h))) reportViolation(`dashboard ${r.string(h)} (${h}) is missing.`, root);
      for (const h of PINNED_ALARMS) if (!deferred.has(h) && !alarmNames.has(r.string(h))) reportViolation(`alarm ${r.string(h)} (${h}) is missing.`, root);
    }
    const watched = alarmDimensionPairs(alarms);
    const declaredAlarms = new Set(alarms.map((a) => String(a.props.name)));
    const literals = referenceLiterals();
    for (const alarm of alarms) {
      const text = JSON.stringify({ dimensions: alarm.props.dimensions, metricQueries: alarm.props.metricQueries });
      for (const lit of literals)
        if (text.includes(lit))
          reportViolation(
            `alarm ${String(alarm.props.name)} uses the reference account's ${JSON.stringify(lit)}; take the id from the upstream stack's outputs.`,
            alarm.urn,
          );
    }
    for (const d of dashboards) {
      const name = String(d.props.dashboardName);
      const raw = d.props.dashboardBody;
      let body: unknown;
      try {
        body = typeof raw === "string" ? JSON.parse(raw) : raw;
      } catch {
        reportViolation(`dashboard ${name}: body is not valid JSON.`, d.urn);
        continue;
      }
      const text = typeof raw === "string" ? raw : JSON.stringify(raw);
      for (const lit of literals)
        if (text.includes(lit))
          reportViolation(`dashboard ${name} contains the reference account's ${JSON.stringify(lit)}; take ids from stack outputs.`, d.urn);
      for (const p of dashboardDimensionPairs(body)) {
        if (!watched.has(pairKey(p.name, p.value))) {
          reportViolation(
            `dashboard ${name}, widget "${p.widget}": ${p.name}=${JSON.stringify(p.value)} is watched by no alarm of this stack; a literal id (take it from the upstream stack's outputs, as the alarms do).`,
            d.urn,
          );
        }
      }
      for (const a of dashboardAlarmNames(body)) {
        if (!declaredAlarms.has(a)) reportViolation(`dashboard ${name} shows alarm ${JSON.stringify(a)}, which this stack does not declare.`, d.urn);
      }
    }
  },
);
