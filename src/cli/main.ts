/**
 * Command line of the project (`npm run <command>` and the `fraud-platform` bin): plan, policy-check, cost,
 * evidence, teardown, pr-summary. Every command keeps one exit-code contract (./exitCodes.ts): 0 clean,
 * 1 mandatory violation or blocker, 2 bad input or usage, 3 internal error (stack trace written to a file).
 */
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { InputError } from "../errors";
import { writeFileAtomic } from "../files";
import { DEFAULT_ENV, LAYERS, Layer, parseLayerList } from "../layers";
import { loadRegistry } from "../registry/registry";
import { readPreviewFile } from "../preview/read";
import { builtLayers, runPlan } from "../plan/engine";
import type { PolicyPackConfig } from "../policy/harness";
import { sarifOf } from "../policy/sarif";
import { withCrossStack } from "../policy/crossStack";
import { formatPlanSummary, formatPolicySummary } from "./format";
import { collect, defaultPlanDir, keyValuePairs } from "./options";
import { EXIT, UsageError, errorLine, exitCodeOf, reportInternalError } from "./exitCodes";
import { assertCompletePlanDir, outDirProblem } from "../plan/planDir";

function parsePins(values: string[]): Record<string, string> {
  const pins = keyValuePairs(values, "--pin", "NAME=VALUE, e.g. --pin AWS_BUDGET_NOTIFICATION_EMAIL=ops@example.com", (m) => new UsageError(m));
  // Checked against the registry before anything runs; a problem is the flag's, not the YAML files'.
  try {
    loadRegistry().withPins(pins);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(
      "invalid --pin",
      e.problems.map((p) => ({
        ...p,
        file: "command line",
        key: `--pin ${p.key}`,
        fix: p.fix ?? `correct the handle name or value of --pin ${p.key}=... (TO_PIN handles: registry/handles.yaml)`,
      })),
    );
  }
  return pins;
}

function readPolicyConfig(file?: string): PolicyPackConfig | undefined {
  if (!file) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError("invalid --policy-config", [
      {
        file,
        key: "--policy-config",
        expected: "a readable JSON file",
        found: code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory" : (code ?? (e as Error).message),
        fix: "pass the JSON file of `pulumi preview --policy-pack-config FILE`",
      },
    ]);
  }
  try {
    return JSON.parse(text) as PolicyPackConfig;
  } catch (e) {
    throw new InputError("invalid --policy-config", [
      { file, key: "(document)", expected: "JSON", found: (e as Error).message, fix: `correct the JSON of ${file}` },
    ]);
  }
}

/**
 * The layers a plan runs: `--layers` (checked; empty is refused) with the layers upstream of them in apply order,
 * whose outputs their StackReferences read; default every layer with a program.
 */
export function planLayers(list: string | undefined): { layers: Layer[]; added: Layer[] } {
  const built = builtLayers();
  if (list === undefined) return { layers: built, added: [] };
  const wanted = parseLayerList(list);
  const last = Math.max(...wanted.map((l) => LAYERS.indexOf(l)));
  const layers = LAYERS.slice(0, last + 1).filter((l) => wanted.includes(l) || built.includes(l));
  const missing = layers.filter((l) => !built.includes(l));
  if (missing.length) throw new UsageError(`--layers: ${missing.join(", ")} ha${missing.length > 1 ? "ve" : "s"} no program yet (built: ${built.join(", ")})`);
  return { layers, added: layers.filter((l) => !wanted.includes(l)) };
}

/** Preview files named on the command line; a directory is one complete plan's (checked) `*.preview.json`. */
function previewFilesOf(args: readonly string[]): string[] {
  return args.flatMap((a) => {
    if (!fs.existsSync(a) || !fs.statSync(a).isDirectory()) return [a];
    assertCompletePlanDir(a, { flag: "policy-check", previewsOnly: true });
    return fs
      .readdirSync(a)
      .filter((f) => f.endsWith(".preview.json"))
      .sort()
      .map((f) => path.join(a, f));
  });
}

/**
 * The other commands, each module loaded (with the AWS SDK clients it drives) only when its command runs, or when
 * every command is listed (help, an unknown command).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, (program: Command) => void> = {
  cost: (p) => (require("./costCommand") as typeof import("./costCommand")).registerCostCommand(p),
  evidence: (p) => (require("./evidenceCommand") as typeof import("./evidenceCommand")).registerEvidenceCommand(p),
  teardown: (p) => (require("./teardownCommand") as typeof import("./teardownCommand")).registerTeardownCommand(p),
  window: (p) => (require("../window/cli") as typeof import("../window/cli")).registerWindowCommand(p),
  "pr-summary": (p) => (require("./prSummaryCommand") as typeof import("./prSummaryCommand")).registerPrSummaryCommand(p),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The CLI; given the command line, it loads only the module of the command that runs (plan and policy-check are here). */
export function buildProgram(argv?: readonly string[]): Command {
  const program = new Command("fraud-platform").description("fraud-platform dev_full substrate: offline plan, policies, cost, evidence").exitOverride();
  // Every command reads the handles registry: a broken registry is bad input (exit 2) before the command starts.
  program.hook("preAction", () => {
    loadRegistry();
  });

  program
    .command("plan")
    .description("offline plan of the selected layers under mocks, in apply order, with the policy pack")
    .option("--env <env>", "environment", DEFAULT_ENV)
    .option("--layers <list>", `comma list of layers (${LAYERS.join(", ")}); default: every layer with a program`)
    .option("--out <dir>", "output directory (default .substrate/plan/<env>)")
    .option("--pin <NAME=VALUE>", "pin a TO_PIN handle for this plan (repeatable)", collect, [])
    .option(
      "--secret <KEY=VALUE>",
      "set a secret of every layer stack for this plan, as `pulumi config set --secret` does (repeatable), e.g. --secret fraud-platform:databricksToken=dapi-example",
      collect,
      [],
    )
    .option("--policy-config <file>", "policy pack config (the --policy-pack-config file of a real preview; default policies/config/<env>.json)")
    .option("--no-closed-window", "skip the closed-window plan (<out>/window-closed/) that prices postures.betweenWindows")
    .action(async (opts: { env: string; layers?: string; out?: string; pin: string[]; secret: string[]; policyConfig?: string; closedWindow?: boolean }) => {
      // Every input is checked before anything is written: layers, --out, pins, secrets, policy config.
      const { layers, added } = planLayers(opts.layers);
      const outDir = path.resolve(opts.out ?? defaultPlanDir(opts.env));
      const outProblem = outDirProblem(outDir);
      if (outProblem) throw new InputError(`cannot write the plan to ${opts.out ?? outDir}`, [outProblem]);
      const pins = parsePins(opts.pin);
      const secrets = keyValuePairs(
        opts.secret,
        "--secret",
        "KEY=VALUE with a namespaced key, e.g. --secret fraud-platform:databricksToken=dapi-example",
        (m) => new UsageError(m),
      );
      // The pack checks the config (this file, else policies/config/<env>.json) against every policy's schema
      // before the first verdict; a problem stops the plan with nothing written (exit 2).
      const policyConfig = readPolicyConfig(opts.policyConfig);
      if (added.length) console.error(`planning ${added.join(", ")} too: the layers listed read their outputs (upstream in apply order)`);
      const started = Date.now();
      const result = await runPlan({
        env: opts.env,
        layers,
        outDir,
        pins,
        secrets,
        policyConfig,
        policyConfigSource: opts.policyConfig,
        closedWindowPlan: opts.closedWindow !== false,
      });
      console.log(formatPlanSummary(result, outDir, Date.now() - started));
      process.exitCode = result.exitCode;
    });

  program
    .command("policy-check")
    .description("evaluate the policy pack on `pulumi preview --json` documents (real CLI or plan output)")
    .argument("<files...>", "preview documents, one per stack")
    .option("--json", "print the JSON report instead of the summary")
    .option("--policy-config <file>", "policy pack config")
    .option("--out <dir>", "also write policy-report.json and policy-report.sarif here")
    .action(async (files: string[], opts: { json?: boolean; policyConfig?: string; out?: string }) => {
      // Real or plan documents of any shape (src/preview/read.ts); a failed or partial preview is bad input (exit 2).
      const docs = previewFilesOf(files).map((f) => readPreviewFile(f).doc);
      const { policyPack } = await import("../../policies/pack");
      const { evaluatePolicies } = await import("../policy/harness");
      // With the documents of all five stacks, the cross-stack rules (DA-24, DA-25) run too. The config is checked
      // against every policy's schema before any policy runs.
      const report = withCrossStack(await evaluatePolicies(docs, policyPack, readPolicyConfig(opts.policyConfig), opts.policyConfig), docs, loadRegistry());
      if (opts.out) {
        writeFileAtomic(path.join(opts.out, "policy-report.json"), report);
        writeFileAtomic(path.join(opts.out, "policy-report.sarif"), sarifOf(report, policyPack, docs));
      }
      console.log(opts.json ? JSON.stringify(report, null, 2) : formatPolicySummary(report));
      process.exitCode = report.summary.mandatory > 0 ? 1 : 0;
    });

  const wanted = argv?.[0] ?? "";
  const here = program.commands.some((c) => c.name() === wanted);
  for (const [name, register] of Object.entries(COMMANDS)) if (!here && (!(wanted in COMMANDS) || wanted === name)) register(program);
  return program;
}

/** Runs one command line of `program` (default: this CLI); resolves to its exit code (never rejects). */
export async function main(argv: string[], program: () => Command = () => buildProgram(argv)): Promise<number> {
  process.exitCode = undefined;
  try {
    await program().parseAsync(argv, { from: "user" });
    const code = typeof process.exitCode === "number" ? process.exitCode : EXIT.clean;
    return code;
  } catch (e) {
    const line = errorLine(e, argv);
    if (line) console.error(line);
    return exitCodeOf(e);
  } finally {
    process.exitCode = undefined;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(reportInternalError(e, process.argv.slice(2)));
      process.exit(EXIT.internal);
    },
  );
}
