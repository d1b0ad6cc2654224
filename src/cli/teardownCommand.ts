/**
 * `npm run teardown -- [--dry-run --from-plan DIR] [--confirm ENV] [--scan-only --mode teardown|idle]` (P17,
 * project issue 9):
 *
 * - `--dry-run`: the ordered teardown plan from the plan files (no credentials): what each stack's
 *   `pulumi destroy --exclude-protected` deletes, what it retains and releases, what would stop it, and whether the
 *   surfaces P17 keeps are protected;
 * - a real run (needs `--confirm <env>` naming the environment): destroys the stacks in reverse apply order through
 *   the Automation API, then checks the retained surfaces are readable, runs the residual scan and emits the P17
 *   evidence bundle;
 * - `--scan-only`: the residual scan alone (`--mode idle` is `npm run idle-check`, the idle guard's check).
 *
 * Exit 0 clean; 1 residuals (or a failed destroy, an unreadable retained surface, an incomplete scan, a P17 FAIL,
 * or a dry run whose plan cannot tear down cleanly); 2 usage.
 */
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { UsageError } from "../errors";
import { compactUtc } from "../evidence/digest";
import { environmentPins } from "../evidence/emit";
import { OutputsSource, PulumiStackSource } from "../evidence/sources";
import { writeFileAtomic } from "../files";
import { DEFAULT_ENV } from "../layers";
import { PROJECT_ROOT, Registry, loadRegistry } from "../registry/registry";
import { DestroyRun, destroyStacks } from "../teardown/destroy";
import { costSourceOf, emitP17 } from "../teardown/evidence";
import { TeardownPlan, readPlanDocuments, teardownPlanOf } from "../teardown/plan";
import { ReadabilityClients, ReadabilityResult, checkRetainedSurfaces, readabilityClients } from "../teardown/readability";
import { ResidualScanClients, ResidualScanResult, SCAN_MODES, ScanMode, residualScan, retainedSetOf, scanClients } from "../teardown/residualScan";
import { collect, defaultPlanDir } from "./options";
import { assertCompletePlanDir } from "../plan/planDir";
import { formatDestroy, formatEvidence, formatScan, formatTeardownPlan, rel } from "./teardownFormat";
export { formatTeardownPlan, isNoCredentials, formatScan } from "./teardownFormat";

export interface TeardownOptions {
  env: string;
  dryRun?: boolean;
  fromPlan?: string;
  confirm?: string;
  scanOnly?: boolean;
  mode?: string;
  /** Emit the P17 bundle (default: on for a real run, off for --scan-only). */
  evidence?: boolean;
  json?: boolean;
  report?: string;
  region?: string;
  workDir?: string;
  pulumiRoot?: string;
  artifactsDir?: string;
  out?: string;
  runId?: string;
  executionId?: string;
  operator?: string;
  spend?: string;
  costSource?: string[];
  spendFile?: string;
  policyReport?: string;
}

/** Seams for tests: AWS clients, the outputs source of the evidence, the clock, the printer. */
export interface TeardownDeps {
  scanClients?: ResidualScanClients;
  readabilityClients?: ReadabilityClients;
  source?: OutputsSource;
  now?: Date;
  print?: (text: string) => void;
  projectDir?: string;
}

/** Bad invocation: exit 2. */
export class TeardownUsageError extends UsageError {
  constructor(message: string) {
    super(message);
  }
}

export type ExitCode = 0 | 1 | 2;

function planFrom(opts: TeardownOptions, registry: Registry, projectDir: string, required: boolean): { plan?: TeardownPlan; planDir: string } {
  const planDir = path.resolve(opts.fromPlan ?? defaultPlanDir(opts.env, projectDir));
  if (!fs.existsSync(planDir)) {
    if (required) throw new TeardownUsageError(`--from-plan ${rel(planDir)}: no such directory (run \`npm run plan\` first, or pass --from-plan DIR)`);
    return { planDir };
  }
  // A directory holding previews must be one complete plan; one without any is reported as such below.
  if (fs.readdirSync(planDir).some((f) => f.endsWith(".preview.json"))) assertCompletePlanDir(planDir, { flag: "--from-plan" });
  let docs;
  try {
    docs = readPlanDocuments(planDir, opts.env);
  } catch (e) {
    throw new TeardownUsageError((e as Error).message);
  }
  if (docs.size === 0) {
    if (required) throw new TeardownUsageError(`${rel(planDir)}: no <stack>.preview.json of ${opts.env} (run \`npm run plan\` first)`);
    return { planDir };
  }
  return { plan: teardownPlanOf(opts.env, docs, registry, `plan files in ${rel(planDir)}`), planDir };
}

function modeOf(opts: TeardownOptions): ScanMode {
  const mode = opts.mode ?? "teardown";
  if (!(SCAN_MODES as readonly string[]).includes(mode)) throw new TeardownUsageError(`--mode ${mode}: expected one of ${SCAN_MODES.join(", ")}`);
  return mode as ScanMode;
}

function validate(opts: TeardownOptions): void {
  if (opts.dryRun && opts.scanOnly) throw new TeardownUsageError("--dry-run and --scan-only are exclusive");
  if (opts.mode !== undefined && !opts.scanOnly) throw new TeardownUsageError("--mode applies to --scan-only (a real teardown always scans in teardown mode)");
  if (opts.dryRun && opts.confirm !== undefined) throw new TeardownUsageError("--confirm starts a real teardown; it has no meaning with --dry-run");
  if (!opts.dryRun && !opts.scanOnly && opts.confirm !== opts.env) {
    throw new TeardownUsageError(
      opts.confirm === undefined
        ? `refusing to destroy ${opts.env} without confirmation: pass --confirm ${opts.env} (or --dry-run to see the plan first)`
        : `--confirm ${opts.confirm} does not name the environment being destroyed (${opts.env}); pass --confirm ${opts.env}`,
    );
  }
  // A bad --mode is the flag's problem, found before the plan directory is read.
  if (opts.scanOnly && modeOf(opts) === "idle" && opts.evidence)
    throw new TeardownUsageError("P17 evidence needs a teardown-mode scan (drop --evidence or use --mode teardown)");
}

interface Checked {
  scan: ResidualScanResult;
  readability?: ReadabilityResult;
}

async function scanAndRead(
  mode: ScanMode,
  registry: Registry,
  plan: TeardownPlan | undefined,
  region: string,
  deps: TeardownDeps,
  now: Date,
): Promise<Checked> {
  // Readability first: it resolves the platform key's ARN, which the retained set needs.
  const readability =
    mode === "teardown" ? await checkRetainedSurfaces({ clients: deps.readabilityClients ?? readabilityClients(region), registry, now }) : undefined;
  const retained = retainedSetOf(registry, { plan, kmsKeyArns: readability?.kms_key_arn ? [readability.kms_key_arn] : [] });
  const scan = await residualScan({ clients: deps.scanClients ?? scanClients(region), registry, mode, region, retained, now });
  return { scan, readability };
}

/** Runs the command; returns the exit code. Throws {@link TeardownUsageError} on bad usage. */
export async function runTeardown(opts: TeardownOptions, deps: TeardownDeps = {}): Promise<ExitCode> {
  validate(opts);
  const projectDir = deps.projectDir ?? PROJECT_ROOT;
  const print = deps.print ?? ((text: string) => console.log(text));
  const now = deps.now ?? new Date();
  let registry: Registry;
  try {
    registry = loadRegistry().withPins(environmentPins(opts.env, projectDir));
  } catch (e) {
    throw new TeardownUsageError((e as Error).message);
  }
  const region = opts.region ?? registry.string("AWS_REGION");

  if (opts.dryRun) {
    const { plan, planDir } = planFrom(opts, registry, projectDir, true);
    if (!plan) throw new TeardownUsageError(`no plan files in ${rel(planDir)}`);
    const { cost } = costSourceOf(planDir, opts.env, projectDir);
    print(opts.json ? JSON.stringify({ ...plan, idle_safe_posture: cost?.report.postures.idleSafe ?? null }, null, 2) : formatTeardownPlan(plan, cost));
    return plan.ok ? 0 : 1;
  }

  const { plan, planDir } = planFrom(opts, registry, projectDir, false);
  const evidence = opts.evidence ?? !opts.scanOnly;
  let destroy: DestroyRun | undefined;
  if (!opts.scanOnly) {
    const blockers = plan?.stacks.flatMap((s) => s.issues.filter((i) => i.severity === "blocker")) ?? [];
    for (const b of blockers) print(`warning: the plan shows a destroy blocker: ${b.type} ${b.name}: ${b.reason}\n  fix: ${b.fix}`);
    destroy = await destroyStacks({
      env: opts.env,
      workDir: opts.workDir,
      pulumiRoot: opts.pulumiRoot,
      onOutput: (stack, text) => {
        for (const line of text.split("\n").filter((l) => l.trim())) print(`[${stack}] ${line}`);
      },
    });
    print(formatDestroy(destroy));
    if (!destroy.ok) {
      const failed = destroy.results.find((r) => r.status === "failed");
      print(`teardown stopped at ${failed?.stackName}: fix the cause and rerun (teardown is idempotent; already destroyed stacks are no-ops)`);
      return 1;
    }
  }

  const mode: ScanMode = opts.scanOnly ? modeOf(opts) : "teardown";
  const { scan, readability } = await scanAndRead(mode, registry, plan, region, deps, now);
  if (opts.report) writeFileAtomic(path.resolve(opts.report), { scan, ...(readability ? { readability } : {}) });
  print(opts.json ? JSON.stringify({ scan, readability }, null, 2) : formatScan(scan, readability));
  let code: ExitCode = scan.overall_pass && (readability?.overall_pass ?? true) ? 0 : 1;

  if (evidence) {
    const { cost, problem } = costSourceOf(planDir, opts.env, projectDir);
    const artifactsDir = path.resolve(opts.artifactsDir ?? path.join(projectDir, ".substrate", "teardown", opts.env, compactUtc(now)));
    const outcome = await emitP17({
      scan,
      readability: readability ?? (await checkRetainedSurfaces({ clients: deps.readabilityClients ?? readabilityClients(region), registry, now })),
      cost,
      costProblem: problem,
      plan,
      destroy,
      artifactsDir,
      now,
      emit: {
        env: opts.env,
        source: deps.source ?? new PulumiStackSource({ workDir: opts.workDir, pulumiRoot: opts.pulumiRoot }),
        outRoot: opts.out,
        runId: opts.runId,
        executionId: opts.executionId,
        operator: opts.operator,
        spend: opts.spend !== undefined ? { amount: opts.spend, sources: opts.costSource ?? [] } : undefined,
        spendFile: opts.spendFile,
        policyReportFile: opts.policyReport,
        projectDir,
      },
    });
    print(formatEvidence(outcome));
    if (outcome.emit.record.verdict !== "PASS") code = 1;
  }
  return code;
}

/** Registers `teardown` on the project's commander program. */
export function registerTeardownCommand(program: Command): Command {
  return program
    .command("teardown")
    .description("P17 teardown: destroy in reverse order (protected surfaces kept), residual scan, P17 evidence (exit 0 clean, 1 residuals, 2 usage)")
    .option("--env <env>", "environment", DEFAULT_ENV)
    .option("--dry-run", "print the ordered teardown plan from the plan files (no credentials)")
    .option("--from-plan <dir>", "plan files (default .substrate/plan/<env>)")
    .option("--confirm <env>", "required for a real teardown: the environment being destroyed")
    .option("--scan-only", "residual scan without destroying anything")
    .option("--mode <mode>", `--scan-only: ${SCAN_MODES.join(" | ")} (default teardown)`)
    .option("--evidence", "emit the P17 bundle (default for a real teardown)")
    .option("--no-evidence", "skip the P17 bundle")
    .option("--report <file>", "also write the scan (and readability) JSON here")
    .option("--json", "print JSON instead of the summary")
    .option("--region <region>", "AWS region (default AWS_REGION)")
    .option("--work-dir <dir>", "directory holding Pulumi.yaml (default: repository root)")
    .option("--pulumi-root <dir>", "Pulumi CLI installation root (default: pulumi on PATH)")
    .option("--artifacts-dir <dir>", "where the teardown documents are written (default .substrate/teardown/<env>/<stamp>)")
    .option("--out <dir>", "evidence bundle root (default evidence/)")
    .option("--run-id <id>", "platform_run_id of the P17 bundle (default: the latest run with a P16 bundle)")
    .option("--execution-id <id>", "phase_execution_id of the P17 bundle")
    .option("--operator <name>", "operator identity")
    .option("--spend <usd>", "recorded spend of the teardown window, USD decimal")
    .option("--cost-source <name>", "source of --spend (repeatable)", collect, [])
    .option("--spend-file <file>", "recorded spend as JSON")
    .option("--policy-report <file>", "policy report for the P17 bundle")
    .action(async (opts: TeardownOptions) => {
      // Bad input of any reader (UsageError and its subclasses) exits 2 in src/cli/exitCodes.ts.
      process.exitCode = await runTeardown(opts);
    });
}
