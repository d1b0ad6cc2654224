/**
 * `npm run pr-summary -- --base DIR --head DIR [--out FILE]`: the Markdown pull-request comment comparing two plan
 * directories (the base branch's plan and the head's): resources added, changed and removed per stack; policy
 * violations new and fixed; cost per layer and posture, base -> head, against the layer envelopes and the budget.
 * Reads each directory's `*.preview.json` (any real or plan shape), `policy-report.json` and `cost-report.json`.
 * Exit 0 when the comment is written, 2 when a directory or file is missing or unreadable.
 */
import * as fs from "fs";
import * as path from "path";
import canonicalize from "canonicalize";
import { Command } from "commander";
import { InputError } from "../errors";
import { writeFileAtomic } from "../files";
import { Decimal } from "../cost/decimal";
import { COST_REPORT_FILE } from "../cost/files";
import { CostReport, POSTURES, Posture } from "../cost/report";
import { PolicyReport, PolicyViolation } from "../policy/harness";
import { readPreviewFile } from "../preview/read";
import { assertCompletePlanDir } from "../plan/planDir";

export interface PlanSnapshot {
  /** Proposed resources per stack: URN -> canonical JSON of type, inputs, protect, parent. */
  resources: Map<string, Map<string, string>>;
  policy: PolicyReport;
  cost: CostReport;
}

function readJson<T>(file: string, what: string): T {
  if (!fs.existsSync(file))
    throw new InputError(`no ${what}`, [
      { file, key: "(file)", expected: `the ${what} a plan writes`, found: "no such file", fix: "npm run plan -- --out DIR" },
    ]);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch (e) {
    throw new InputError(`cannot read ${what}`, [{ file, key: "(document)", expected: "JSON", found: (e as Error).message }]);
  }
}

/** The plan directory as the summary compares it. */
export function readSnapshot(dir: string): PlanSnapshot {
  if (!fs.existsSync(dir))
    throw new InputError(`no plan directory ${dir}`, [
      { file: dir, key: "(directory)", expected: "a plan directory", found: "no such directory", fix: "npm run plan -- --out DIR" },
    ]);
  // The reports it compares are named first when missing, then the directory must be one complete plan.
  for (const f of ["policy-report.json", COST_REPORT_FILE]) readJson<unknown>(path.join(dir, f), f);
  assertCompletePlanDir(dir, { flag: "pr-summary" });
  const resources = new Map<string, Map<string, string>>();
  for (const f of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(".preview.json"))
    .sort()) {
    const { doc, stack } = readPreviewFile(path.join(dir, f));
    const byUrn = new Map<string, string>();
    for (const s of doc.steps) {
      if (!s.newState) continue;
      const { type, inputs, protect, parent } = s.newState;
      byUrn.set(s.urn, canonicalize({ type, inputs, protect: protect ?? false, parent: parent ?? null }) ?? "");
    }
    resources.set(stack ?? f.replace(/\.preview\.json$/, ""), byUrn);
  }
  return {
    resources,
    policy: readJson<PolicyReport>(path.join(dir, "policy-report.json"), "policy-report.json"),
    cost: readJson<CostReport>(path.join(dir, COST_REPORT_FILE), COST_REPORT_FILE),
  };
}

const violationKey = (v: PolicyViolation) => `${v.policy}\n${v.urn ?? v.stack ?? ""}\n${v.urn ? "" : v.message}`;
const short = (urn: string) => urn.split("::").slice(-2).join("::");
const signed = (d: Decimal) => `${d.gt(0) ? "+" : ""}${d.toFixed(2)}`;
const POSTURE_NAMES: Record<Posture, string> = { alwaysOn: "always-on", proofWindow: "proof-window", idleSafe: "idle-safe" };

function violationLine(v: PolicyViolation): string {
  const detail = v.message.split("\n").slice(1).join(" ") || v.message;
  return `- **${v.enforcementLevel}** \`${v.policy}\` ${v.stack ? `(${v.stack}) ` : ""}${v.urn ? `\`${short(v.urn)}\`: ` : ""}${detail.replace(/\|/g, "\\|")}`;
}

/** The Markdown comment. */
export function prSummaryMarkdown(base: PlanSnapshot, head: PlanSnapshot): string {
  const out: string[] = ["## fraud-platform plan: base -> head", ""];

  out.push("### Resources", "", "| stack | added | changed | removed | total (head) |", "| --- | ---: | ---: | ---: | ---: |");
  const details: string[] = [];
  const stacks = [...new Set([...base.resources.keys(), ...head.resources.keys()])].sort();
  for (const stack of stacks) {
    const b = base.resources.get(stack) ?? new Map<string, string>();
    const h = head.resources.get(stack) ?? new Map<string, string>();
    const added = [...h.keys()].filter((u) => !b.has(u));
    const removed = [...b.keys()].filter((u) => !h.has(u));
    const changed = [...h.keys()].filter((u) => b.has(u) && b.get(u) !== h.get(u));
    out.push(`| ${stack} | ${added.length} | ${changed.length} | ${removed.length} | ${h.size} |`);
    for (const [sign, urns] of [
      ["+", added],
      ["~", changed],
      ["-", removed],
    ] as const)
      for (const u of urns) details.push(`${sign} ${stack}: ${short(u)}`);
  }
  if (details.length) out.push("", "<details><summary>Resource changes</summary>", "", "```diff", ...details, "```", "", "</details>");

  const baseKeys = new Set(base.policy.violations.map(violationKey));
  const headKeys = new Set(head.policy.violations.map(violationKey));
  const fresh = head.policy.violations.filter((v) => !baseKeys.has(violationKey(v)));
  const fixed = base.policy.violations.filter((v) => !headKeys.has(violationKey(v)));
  const s = head.policy.summary;
  out.push("", "### Policy", "", `Head: ${s.mandatory} mandatory, ${s.advisory} advisory violation(s). New: ${fresh.length}. Fixed: ${fixed.length}.`);
  if (fresh.length) out.push("", "**New**", "", ...fresh.map(violationLine));
  if (fixed.length) out.push("", "**Fixed**", "", ...fixed.map(violationLine));

  out.push(
    "",
    "### Cost (USD/month)",
    "",
    `| layer | envelope | ${POSTURES.map((p) => `${POSTURE_NAMES[p]} base -> head (change)`).join(" | ")} | proof-window of envelope |`,
    `| --- | ---: | ${POSTURES.map(() => "---:").join(" | ")} | ---: |`,
  );
  for (const l of head.cost.layers) {
    const bl = base.cost.layers.find((x) => x.layer === l.layer);
    const cells = POSTURES.map((p) => {
      const before = Decimal.of(bl?.monthlyCost[p] ?? "0");
      const after = Decimal.of(l.monthlyCost[p]);
      return `${before.toFixed(2)} -> ${after.toFixed(2)} (${signed(after.minus(before))})`;
    });
    const share = Decimal.of(l.envelopeUsd).gt(0) ? Decimal.of(l.monthlyCost.proofWindow).times(100).div(l.envelopeUsd, 0).toFixed(0) : "-";
    out.push(`| ${l.layer} | ${Decimal.of(l.envelopeUsd).toFixed(2)} | ${cells.join(" | ")} | ${share}%${l.overEnvelope ? " **over**" : ""} |`);
  }
  const totals = POSTURES.map((p) => {
    const before = Decimal.of(base.cost.postures[p].monthlyCost);
    const after = Decimal.of(head.cost.postures[p].monthlyCost);
    return `${before.toFixed(2)} -> ${after.toFixed(2)} (${signed(after.minus(before))})`;
  });
  out.push(`| **total** | ${Decimal.of(head.cost.budget.limitUsd).toFixed(2)} | ${totals.join(" | ")} | |`);
  const pw = head.cost.postures.proofWindow;
  out.push(
    "",
    `Budget ${Decimal.of(head.cost.budget.limitUsd).toFixed(2)} USD/month: proof-window ${Decimal.of(pw.monthlyCost).toFixed(2)}, headroom ${Decimal.of(pw.headroom).toFixed(2)}${pw.overBudget ? " **OVER BUDGET**" : ""}; confidence ${head.cost.confidence}.`,
    "",
  );
  return out.join("\n");
}

export function registerPrSummaryCommand(program: Command): Command {
  return program
    .command("pr-summary")
    .description("Markdown pull-request comment comparing a base and a head plan directory")
    .requiredOption("--base <dir>", "plan directory of the base branch")
    .requiredOption("--head <dir>", "plan directory of the pull request's head")
    .option("--out <file>", "write the comment here (default: print it)")
    .action((opts: { base: string; head: string; out?: string }) => {
      const markdown = prSummaryMarkdown(readSnapshot(path.resolve(opts.base)), readSnapshot(path.resolve(opts.head)));
      if (opts.out) writeFileAtomic(path.resolve(opts.out), markdown);
      else console.log(markdown);
      process.exitCode = 0;
    });
}
