/** What `npm run teardown` prints: the teardown plan, the residual scan, the destroy run and the P17 outcome. */
import * as path from "path";
import { DestroyRun } from "../teardown/destroy";
import { CostSource, P17Outcome } from "../teardown/evidence";
import { TeardownPlan, countByType } from "../teardown/plan";
import { ReadabilityResult } from "../teardown/readability";
import { ResidualScanResult } from "../teardown/residualScan";
import { table } from "./format";

export function rel(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r === "" ? "." : r.startsWith("..") ? p : r;
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

export function shorten(text: string, max = 150): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** The dry run: ordered destroy, retained set, retention checks, blockers, idle-safe posture. */
export function formatTeardownPlan(plan: TeardownPlan, cost?: CostSource): string {
  const lines = [
    `teardown of ${plan.env}: ${plan.stacks.length} stacks in reverse apply order (${plan.source})`,
    "each stack: pulumi destroy --yes --skip-preview --exclude-protected (protect: true resources are retained)",
    "",
    table(
      ["#", "stack", "destroys", "retains", "releases", "blockers"],
      plan.stacks.map((s) =>
        s.planned
          ? [
              String(s.order),
              s.stackName,
              String(s.destroy.length),
              String(s.retain.length),
              String(s.release.length),
              String(s.issues.filter((i) => i.severity === "blocker").length),
            ]
          : [String(s.order), s.stackName, "-", "-", "-", "not planned"],
      ),
    ),
  ];
  for (const s of plan.stacks) {
    lines.push("", `${s.order}. ${s.stackName}`);
    if (!s.planned) {
      lines.push(
        `   not planned: no ${s.stackName}.preview.json, so what it destroys is unknown (plan it: npm run plan -- --layers ${s.layer.replace("_", "-")})`,
      );
      continue;
    }
    const byType = countByType(s.destroy);
    lines.push(`   destroys ${s.destroy.length}: ${byType.map(([t, n]) => `${n} ${t}`).join(", ") || "nothing"}`);
    for (const r of s.retain) lines.push(`   retains  ${r.type} ${r.name}${r.physicalName ? ` (${r.physicalName})` : ""}`);
    if (s.release.length)
      lines.push(
        `   releases ${s.release.length} (removed from the stack, left in the cloud: retainOnDelete): ${countByType(s.release)
          .map(([t, n]) => `${n} ${t}`)
          .join(", ")}`,
      );
    for (const i of s.issues) lines.push(`   ${i.severity.toUpperCase()} ${i.type} ${i.name}: ${i.reason}`, `     fix: ${i.fix}`);
  }
  lines.push("", `retained after teardown: ${plan.retained.length} resource(s) with protect: true`);
  for (const s of plan.stacks)
    for (const r of s.retain) lines.push(`  ${s.stackName.padEnd(20)} ${r.type} ${r.name}${r.physicalName ? ` (${r.physicalName})` : ""}`);
  for (const o of plan.outsideStacks) lines.push(`  outside the stacks: ${o.surface} ${o.value} (${o.handle}), never touched by a stack destroy`);
  lines.push("", "surfaces P17 keeps:");
  lines.push(
    table(
      ["level", "surface", "handle", "status"],
      plan.retention.map((c) => [c.level, c.surface, c.handle ? `${c.handle}${c.value ? ` = ${c.value}` : ""}` : "(every key of the layer)", c.status]),
    )
      .split("\n")
      .map((l) => `  ${l}`)
      .join("\n"),
  );
  const weak = plan.retention.filter((c) => c.status === "not-protected" || c.status === "absent");
  for (const c of weak) lines.push(`  ${c.level === "required" ? "ERROR" : "warning"}: ${c.surface} is ${c.status} in the ${c.layer} plan: ${c.why}`);
  if (cost) {
    const idle = cost.report.postures.idleSafe;
    lines.push(
      "",
      `idle-safe posture after teardown (cost model): ${idle.monthlyCost} USD/month, ${idle.hourlyBurn} USD/hour, ${idle.overBudget ? "OVER" : "within"} the ${cost.report.budget.limitUsd} USD budget`,
    );
  }
  const blockers = plan.stacks.flatMap((s) => s.issues.filter((i) => i.severity === "blocker"));
  lines.push(
    "",
    plan.ok
      ? "result: the plan tears down cleanly (exit 0); run it with: npm run teardown -- --confirm " + plan.env
      : `result: the plan cannot tear down cleanly (exit 1): ${[
          blockers.length ? `${blockers.length} destroy blocker(s)` : "",
          weak.some((c) => c.level === "required") ? "a required retained surface is not protected" : "",
          plan.retention.some((c) => c.level === "required" && c.status === "unpinned") ? "a required surface is unpinned" : "",
        ]
          .filter(Boolean)
          .join(", ")}`,
  );
  return lines.join("\n");
}

/** An AWS SDK error that says no credentials could be found (the default provider chain found none). */
export function isNoCredentials(error: string): boolean {
  return /CredentialsProviderError|Could not load credentials|credentials? (are|is) missing|Unable to locate credentials/i.test(error);
}

/** One line for every check that failed for want of credentials, instead of the same SDK error per check. */
export const NO_CREDENTIALS_LINE = (checks: readonly string[]) =>
  `no AWS credentials: ${checks.length} check(s) (${checks.join(", ")}) could not call AWS, so the scan is incomplete (ERROR). ` +
  "Set AWS_PROFILE (aws sso login --profile NAME) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run where an IAM role is available.";

/** The scan (and readability) summary. */
export function formatScan(scan: ResidualScanResult, readability?: ReadabilityResult): string {
  const lines = [
    `residual scan (${scan.mode} mode) in ${scan.region} at ${scan.scanned_at_utc}, tags ${Object.entries(scan.tag_filter)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")}`,
    table(
      ["check", "scanned", "residual", "result"],
      scan.checks.map((c) => [c.id, String(c.scanned), String(c.residual), c.result]),
    ),
  ];
  const failed = scan.checks.filter((x) => x.error);
  const noCredentials = failed.filter((c) => isNoCredentials(c.error ?? ""));
  if (noCredentials.length) lines.push(NO_CREDENTIALS_LINE(noCredentials.map((c) => c.id)));
  for (const c of failed.filter((x) => !noCredentials.includes(x)))
    lines.push(`  ${c.id}: ${c.result === "ERROR" ? "ERROR " : ""}${shorten(c.error ?? "", 220)}`);
  if (scan.residual_items.length) {
    lines.push("", `residuals (${scan.residual_item_count}):`);
    for (const r of scan.residual_items) lines.push(`  ${r.arn}`, `    ${r.detail ? `${r.detail}; ` : ""}${r.reason}`, `    fix: ${r.remedy}`);
  }
  if (scan.idle_cost_items.length) {
    lines.push("", `billing at idle (persistent cores; only a teardown retires them): ${scan.idle_cost_items.length}`);
    for (const r of scan.idle_cost_items) lines.push(`  ${r.arn}${r.detail ? ` (${r.detail})` : ""}: ${r.reason}`);
  }
  if (scan.retained_items.length)
    lines.push(
      "",
      `retained (${scan.retained_items.length}): ${scan.retained_items
        .map((r) => r.surface)
        .filter((v, i, a) => a.indexOf(v) === i)
        .join(", ")}`,
    );
  if (scan.deleting_items.length)
    lines.push(`being deleted (${scan.deleting_items.length}): ${scan.deleting_items.map((d) => `${d.arn} (${d.state})`).join(", ")}`);
  if (readability) {
    lines.push("", "retained surfaces:");
    for (const s of readability.surfaces)
      lines.push(
        `  ${s.readable ? "readable  " : "UNREADABLE"} ${s.surface} ${s.target}: ${s.checks.map((c) => `${c.api} ${c.ok ? "ok" : "FAILED"} (${shorten(c.detail, 120)})`).join("; ")}`,
      );
  }
  lines.push(
    "",
    `residual_item_count ${scan.residual_item_count}; scan ${scan.scan_complete ? "complete" : "INCOMPLETE (fail closed)"}${readability ? `; retained surfaces ${readability.overall_pass ? "readable" : "NOT readable (DFULL-RUN-B17.1)"}` : ""}`,
  );
  return lines.join("\n");
}

export function formatDestroy(run: DestroyRun): string {
  return [
    `destroy of ${run.env} (${run.command}), reverse apply order:`,
    table(
      ["#", "stack", "status", "changes / message"],
      run.results.map((r) => [
        String(r.order),
        r.stackName,
        r.status,
        r.resourceChanges
          ? Object.entries(r.resourceChanges)
              .map(([k, v]) => `${k} ${v}`)
              .join(", ")
          : shorten(r.message ?? "", 140),
      ]),
    ),
  ].join("\n");
}

export function formatEvidence(outcome: P17Outcome): string {
  const r = outcome.emit.record;
  const lines = [`P17 ${r.phase_name}: ${r.verdict} (run ${r.platform_run_id}, execution ${r.phase_execution_id}); bundle ${rel(outcome.emit.dir)}/`];
  for (const b of r.blockers) lines.push(`  ${b.code} ${b.kind}: ${shorten(b.message, 200)}`);
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Running
