/** Human summaries of plan and policy results: compact tables, grouped by stack and rule. */
import * as path from "path";
import { LayerOutcome, PlanResult } from "../plan/engine";
import { PolicyReport } from "../policy/harness";
import { formatPlanCost } from "../cost/render";

/** Left-aligned text table with a header rule. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function violationsOf(report: PolicyReport, stack: string, level: "mandatory" | "advisory"): number {
  return report.violations.filter((v) => v.stack === stack && v.enforcementLevel === level).length;
}

function statusText(o: LayerOutcome): string {
  if (o.status !== "planned") return o.status;
  return o.plan?.blockers.length ? `blocked:${o.plan.blockers.length}` : "ok";
}

export function formatPlanSummary(result: PlanResult, outDir: string, millis: number): string {
  const rows = result.outcomes.map((o) => [
    o.stackName,
    statusText(o),
    String(o.plan?.resources.length ?? "-"),
    String(o.plan ? Object.keys(o.plan.outputs).length : "-"),
    o.plan ? String(violationsOf(result.policy, o.stackName, "mandatory")) : "-",
    o.plan ? String(violationsOf(result.policy, o.stackName, "advisory")) : "-",
    `${(o.millis / 1000).toFixed(1)}s`,
  ]);
  // Violations of no planned stack (the cross-stack rules, DA-24 and DA-25) get their own row, so that the rows add
  // up to the summary's counts.
  const stacks = new Set(result.outcomes.map((o) => o.stackName));
  const others = result.policy.violations.filter((v) => !v.stack || !stacks.has(v.stack));
  if (others.length) {
    const count = (level: string) => String(others.filter((v) => v.enforcementLevel === level).length);
    rows.push(["(cross-stack)", "-", "-", "-", count("mandatory"), count("advisory"), "-"]);
  }
  const lines = [table(["stack", "status", "resources", "outputs", "mandatory", "advisory", "time"], rows)];
  for (const o of result.outcomes.filter((x) => x.failure)) {
    lines.push("", `${o.stackName}: ${o.status}`, indent(o.failure?.message ?? ""));
    if (o.failure?.pinCommand) lines.push(indent(`pin it: ${o.failure.pinCommand}`));
  }
  if (result.blockers.length) {
    lines.push("", `blockers: ${result.blockers.length} unresolved TO_PIN handle(s) or missing secret(s); nothing that needs them can be created`);
    for (const b of result.blockers)
      lines.push(`  ${b.code} (${b.layer})`, `    ${b.code.startsWith("SECRET_MISSING:") ? "set it" : "pin it"}: ${b.pinCommand}`);
  }
  if (result.policy.violations.length) lines.push("", formatPolicySummary(result.policy));
  lines.push("", formatVerdicts(result));
  if (result.cost?.report) lines.push("", formatPlanCost(result.cost.report));
  else if (result.cost?.error) lines.push("", `cost: not computed: ${result.cost.error.split("\n")[0]}`);
  const rel = path.relative(process.cwd(), outDir) || ".";
  if (result.closedWindow) lines.push("", formatClosedWindow(result.closedWindow, path.join(rel, "window-closed")));
  if (result.written && !result.written.committed)
    lines.push("", `${result.written.note ?? `nothing written to ${rel}`} (${(millis / 1000).toFixed(1)}s); exit ${result.exitCode}`);
  else lines.push("", `wrote ${result.files.length} files to ${rel} in ${(millis / 1000).toFixed(1)}s; exit ${result.exitCode}`);
  return lines.join("\n");
}

/**
 * Both verdicts: the preview pass's (what the PR's `pulumi preview --policy-pack` shows, listed above) and the up
 * pass's (what `pulumi up` would block on, outputs known), and each mandatory check blind at preview, by policy
 * and resource: it reads a value a first preview leaves unknown, so only `pulumi up` runs it.
 */
export function formatVerdicts(result: Pick<PlanResult, "policy" | "upPolicy">): string {
  const p = result.policy.summary;
  const u = result.upPolicy.summary;
  const blind = new Map<string, string[]>();
  for (const v of result.policy.violations.filter((x) => x.blindLevel === "mandatory")) {
    blind.set(v.policy, [...(blind.get(v.policy) ?? []), `${v.stack ?? "(stack)"} ${v.urn?.split("::").pop() ?? ""}`]);
  }
  const lines = [
    `verdicts: preview ${p.mandatory} mandatory, ${p.advisory} advisory (the PR's pulumi preview --policy-pack); ` +
      `up ${u.mandatory} mandatory, ${u.advisory} advisory (pulumi up); ${p.blindMandatory} mandatory check(s) blind at preview`,
  ];
  for (const [policyName, where] of blind) lines.push(`  blind at preview: ${policyName} (${where.length}): ${where.join(", ")}`);
  for (const v of result.upPolicy.violations.filter((x) => x.enforcementLevel === "mandatory")) {
    lines.push(
      `  [mandatory at up] ${v.stack ?? "(stack)"} ${v.policy}: ${v.urn?.split("::").pop() ?? ""}: ${v.message.split("\n").slice(1).join(" ") || v.message}`,
    );
  }
  return lines.join("\n");
}

/** The closed-window plan's verdict: planned, policy-checked and costed like the open one, and part of the exit code. */
function formatClosedWindow(closed: PlanResult, rel: string): string {
  const resources = closed.outcomes.reduce((n, o) => n + (o.plan?.resources.length ?? 0), 0);
  const s = closed.policy.summary;
  const failed = closed.outcomes.filter((o) => o.status !== "planned").map((o) => `${o.stackName} ${o.status}`);
  const reused = closed.outcomes.filter((o) => o.reused).map((o) => o.layer);
  const head =
    `closed window (fraud-platform:window closed, ${rel}): ${resources} resources, ${s.mandatory} mandatory, ${s.advisory} advisory violation(s)` +
    `${failed.length ? `; ${failed.join(", ")}` : ""}${reused.length ? `; ${reused.join(", ")} as planned above (the window changes nothing they read)` : ""}`;
  const mandatory = closed.policy.violations.filter((v) => v.enforcementLevel === "mandatory");
  return [head, ...mandatory.map((v) => `  [mandatory] ${v.stack ?? "(stack)"} ${v.policy}: ${v.message.split("\n").slice(1).join(" ") || v.message}`)].join(
    "\n",
  );
}

export function formatPolicySummary(report: PolicyReport): string {
  const s = report.summary;
  const head = `policies: ${s.policies} evaluated on ${s.resources} resources: ${s.mandatory} mandatory, ${s.advisory} advisory violation(s)`;
  const byStack = new Map<string, Map<string, string[]>>();
  for (const v of report.violations) {
    const stack = v.stack ?? "(cross-stack)";
    const rules = byStack.get(stack) ?? new Map<string, string[]>();
    const lines = rules.get(v.policy) ?? [];
    lines.push(`[${v.enforcementLevel}] ${v.urn?.split("::").pop() ?? ""}: ${v.message.split("\n").slice(1).join(" ") || v.message}`);
    rules.set(v.policy, lines);
    byStack.set(stack, rules);
  }
  const out = [head];
  for (const [stack, rules] of byStack) {
    out.push(`  ${stack}`);
    for (const [policyName, lines] of rules) {
      out.push(`    ${policyName} (${lines.length})`);
      for (const l of lines.slice(0, 5)) out.push(`      ${l}`);
      if (lines.length > 5) out.push(`      ... ${lines.length - 5} more`);
    }
  }
  return out.join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}
