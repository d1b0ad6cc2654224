/**
 * `npm run window -- open --phase P5 [--hours 4] [--dry-run]`, `npm run window -- close [--dry-run]` and
 * `npm run window -- guard [--mode observe|enforce]` (the idle guard's TTL check). Exit codes: 0 done, 1 refused /
 * not clean / window expired, 2 bad input or usage; an internal error surfaces as 3 through src/cli/main.ts.
 * Dry runs read only the plan files (`npm run plan`), no credentials.
 */
import * as path from "path";
import { BudgetsClient } from "@aws-sdk/client-budgets";
import { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { S3Client } from "@aws-sdk/client-s3";
import { Command, Option } from "commander";
import { Decimal } from "../cost/decimal";
import { readClosedWindowPlan } from "../cost/files";
import { modelDeps } from "../cost/model";
import { idleMonth } from "../cost/windows";
import { costInputsOf } from "../cost/inputs";
import { InputError } from "../errors";
import { DEFAULT_ENV } from "../layers";
import { PROJECT_ROOT, loadRegistry } from "../registry/registry";
import { residualScan, retainedSetOf, scanClients } from "../teardown/residualScan";
import { collect, defaultPlanDir } from "../cli/options";
import { awsSpendReader } from "./spend";
import { localWindowStore, s3WindowStore } from "./store";
import { loadSurfaceCatalog } from "./surfaces";
import {
  CloseResult,
  GuardResult,
  OpenResult,
  WindowContext,
  WindowServices,
  closeWindow,
  guardWindow,
  openWindow,
  planWindow,
  AURORA_FINAL_SNAPSHOT_KEY,
} from "./window";

export interface WindowCliOptions {
  env: string;
  from?: string;
  out?: string;
  json?: boolean;
  dryRun?: boolean;
  store?: "s3" | "local";
  accountId?: string;
  policyPack?: string[];
}

export function windowContext(opts: WindowCliOptions, projectDir: string = PROJECT_ROOT, now: () => Date = () => new Date()): WindowContext {
  const registry = loadRegistry();
  return {
    env: opts.env,
    planDir: path.resolve(opts.from ?? defaultPlanDir(opts.env, projectDir)),
    deps: modelDeps({ env: opts.env, projectDir, registry }),
    catalog: loadSurfaceCatalog(),
    registry,
    now,
  };
}

/** Local directory of the window's evidence copies. */
export function windowOutDir(opts: WindowCliOptions, projectDir: string = PROJECT_ROOT): string {
  return path.resolve(opts.out ?? path.join(projectDir, ".substrate", "window", opts.env));
}

/** Real services: AWS SDK v3 clients (billing in the billing region), the evidence bucket, the Automation API. */
export async function awsServices(ctx: WindowContext, opts: WindowCliOptions, projectDir: string = PROJECT_ROOT): Promise<WindowServices> {
  const { automationRunner } = await import("./window");
  const r = ctx.registry;
  const region = r.string("AWS_REGION");
  const billingRegion = r.string("AWS_BILLING_REGION");
  const out = windowOutDir(opts, projectDir);
  const store =
    opts.store === "local"
      ? localWindowStore(out)
      : s3WindowStore(new S3Client({ region }), r.string("S3_EVIDENCE_BUCKET"), r.string("KMS_KEY_ALIAS_PLATFORM"), out);
  return {
    store,
    runner: automationRunner({
      workDir: projectDir,
      policyPacks: opts.policyPack?.length ? opts.policyPack : [path.join(projectDir, "policies")],
      onOutput: (stack, text) => process.stderr.write(`[${stack}] ${text}`),
    }),
    spend: awsSpendReader({
      costExplorer: new CostExplorerClient({ region: billingRegion }),
      budgets: new BudgetsClient({ region: billingRegion }),
      budgetName: r.string("AWS_BUDGET_NAME"),
      ...(opts.accountId ? { accountId: opts.accountId } : {}),
    }),
    scan: () => residualScan({ clients: scanClients(region), registry: r, mode: "idle", region, retained: retainedSetOf(r), now: ctx.now() }),
  };
}

export function formatOpen(r: OpenResult): string {
  const w = r.plan.window;
  const e = r.plan.envelope;
  const lines = [
    `window ${w.phase} ${w.name}${r.record ? "" : " (dry run)"}`,
    `surfaces up: ${w.surfaces.length ? w.surfaces.join(", ") : "none (persistent surfaces only)"}`,
    `stacks touched: ${w.stacks.length ? w.stacks.join(", ") : "none"}; updated in apply order: ${r.plan.order.join(" -> ")}`,
    `burn ${w.hourlyBurn} USD/h x ${w.hours} h; envelope max_spend_amount ${e.max_spend_amount} ${e.spend_currency} (${e.hard_stop_conditions[0]})`,
    `dominant: ${w.dominantSurfaces.map((d) => `${d.surface} ${Decimal.of(d.hourlyBurn).toFixed(2)}/h`).join(", ") || "-"}`,
  ];
  if (r.auroraFinalSnapshot) {
    lines.push(
      `aurora: restored from the previous window's final snapshot (runtime stack config ${AURORA_FINAL_SNAPSHOT_KEY}, if set); this window's close takes ${r.auroraFinalSnapshot}`,
    );
  }
  if (w.unpriced.length) lines.push(`unpriced in this window (the burn is a lower bound): ${w.unpriced.join(", ")}`);
  if (r.monthToDate !== undefined) lines.push(`month-to-date spend ${r.monthToDate} USD`);
  if (r.refused) lines.push(`REFUSED: ${r.refused}`);
  if (r.envelopeRef) lines.push(`envelope written: ${r.envelopeRef}`);
  if (r.record) lines.push(`window recorded: ${r.record.phase_execution_id}, deadline ${r.record.deadline_utc}`);
  for (const s of r.stacks) lines.push(`  ${s.stackName}: ${s.status}${s.message ? ` (${s.message})` : ""}`);
  return lines.join("\n");
}

export function formatClose(r: CloseResult, extra: string[] = []): string {
  const lines = [
    `close${r.receipt ? "" : " (dry run)"}${r.record ? ` window ${r.record.phase_id} (${r.record.phase_execution_id}), envelope ${r.record.max_spend_amount} USD` : ""}`,
    `surfaces down: ${r.down.map((d) => `${d.surface} (${d.down})`).join(", ")}`,
    `stacks touched, in reverse apply order: ${r.order.join(" -> ")}`,
    ...extra,
  ];
  for (const s of r.stacks) lines.push(`  ${s.stackName}: ${s.status}${s.message ? ` (${s.message})` : ""}`);
  if (r.scan)
    lines.push(`idle scan: ${r.scan.residual_item_count} residual, ${r.scan.idle_cost_items.length} billing at idle, complete ${r.scan.scan_complete}`);
  if (r.receipt)
    lines.push(
      `receipt: spend ${r.receipt.spend_amount} USD, within envelope ${r.receipt.cost_within_envelope}, outcome pass ${r.receipt.phase_outcome_pass} -> ${r.receiptRef}`,
    );
  for (const p of r.problems) lines.push(`PROBLEM: ${p}`);
  return lines.join("\n");
}

function closeDryRunExtra(ctx: WindowContext, r: CloseResult, phase?: string): string[] {
  const out: string[] = [];
  if (!r.record && phase) {
    const p = planWindow(ctx, phase, { phaseExecutionId: "dry-run", platformRunId: "N/A", start: ctx.now() });
    out.push(
      `phase ${phase} brings up ${p.window.surfaces.join(", ") || "nothing"} (stacks ${p.window.stacks.join(", ") || "none"}); its envelope ${p.envelope.max_spend_amount} USD for ${p.window.hours} h at ${p.window.hourlyBurn} USD/h`,
    );
  }
  const closed = readClosedWindowPlan(ctx.planDir);
  if (closed) {
    const between = idleMonth(closed.docs.flatMap(costInputsOf), ctx.deps, closed.source);
    out.push(
      `between windows (closed-window plan ${closed.source}): ${Decimal.of(between.monthlyCost).toFixed(2)} USD/month${between.unpriced.length ? ` (lower bound, ${between.unpriced.length} unpriced)` : ""}`,
    );
  } else out.push(`between windows: no closed-window plan in ${ctx.planDir} (npm run plan writes it)`);
  if (!r.record && !phase) out.push("envelope: no window recorded locally (a real close reads it from the evidence bucket; --phase P<n> shows that phase's)");
  return out;
}

export function registerWindowCommand(program: Command): Command {
  const window = program.command("window").description("proof windows: open with an envelope, close with a receipt (registry/surfaces.yaml)");
  const common = (c: Command) =>
    c
      .option("--env <env>", "environment", DEFAULT_ENV)
      .option("--from <dir>", "plan directory (default .substrate/plan/<env>)")
      .option("--out <dir>", "local copy of the window's evidence (default .substrate/window/<env>)")
      .option("--dry-run", "from the plan files only: no credentials, nothing changed")
      .addOption(new Option("--store <where>", "where the active window is recorded").choices(["s3", "local"]).default("s3"))
      .option("--account-id <id>", "AWS account id (month to date from AWS Budgets; without it Cost Explorer)")
      .option("--json", "print JSON");

  common(window.command("open"))
    .requiredOption("--phase <id>", "phase whose surfaces the window brings up, e.g. P5")
    .option("--hours <h>", "window length (default: the usage profile's phaseWindowHours)", (v: string) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0 || n > 730)
        throw new InputError("bad --hours", [{ file: "command line", key: "--hours", expected: "hours > 0 and <= 730", found: v }]);
      return n;
    })
    .option("--platform-run-id <id>", "platform_run_id of the run (N/A before P1)")
    .option("--policy-pack <dir>", "policy pack for the stack updates (repeatable; default policies/)", collect, [])
    .action(async (opts: WindowCliOptions & { phase: string; hours?: number; platformRunId?: string }) => {
      const ctx = windowContext(opts);
      const services = opts.dryRun ? undefined : await awsServices(ctx, opts);
      const r = await openWindow(
        ctx,
        {
          phase: opts.phase,
          ...(opts.hours ? { hours: opts.hours } : {}),
          ...(opts.platformRunId ? { platformRunId: opts.platformRunId } : {}),
          dryRun: opts.dryRun,
        },
        services,
      );
      console.log(opts.json ? JSON.stringify(r, null, 2) : formatOpen(r));
      process.exitCode = r.exitCode;
    });

  common(window.command("close"))
    .option("--phase <id>", "dry run without a recorded window: the phase whose surfaces would go down")
    .option("--artifact <ref>", "proof artifact the window emitted (repeatable; none = spend without outcome)", collect, [])
    .option("--decision <text>", "the decision made or risk retired by the window")
    .action(async (opts: WindowCliOptions & { phase?: string; artifact: string[]; decision?: string }) => {
      const ctx = windowContext(opts);
      const services = opts.dryRun ? undefined : await awsServices(ctx, opts);
      const dryStore = opts.dryRun ? localWindowStore(windowOutDir(opts)) : undefined;
      const r = await closeWindow(
        ctx,
        { dryRun: opts.dryRun, artifacts: opts.artifact, ...(opts.decision ? { decision: opts.decision } : {}), ...(opts.phase ? { phase: opts.phase } : {}) },
        services,
      );
      if (dryStore && !r.record) {
        const local = await dryStore.get();
        if (local) r.record = local;
      }
      console.log(opts.json ? JSON.stringify(r, null, 2) : formatClose(r, opts.dryRun ? closeDryRunExtra(ctx, r, opts.phase) : []));
      process.exitCode = r.exitCode;
    });

  common(window.command("guard"))
    .addOption(new Option("--mode <mode>", "observe reports an expired window, enforce closes it").choices(["observe", "enforce"]).default("observe"))
    .action(async (opts: WindowCliOptions & { mode: "observe" | "enforce" }) => {
      const ctx = windowContext(opts);
      const r: GuardResult = await guardWindow(ctx, opts.mode, await awsServices(ctx, opts));
      console.log(opts.json ? JSON.stringify(r, null, 2) : [r.message, ...(r.close ? [formatClose(r.close)] : [])].join("\n"));
      process.exitCode = r.exitCode;
    });
  return window;
}
