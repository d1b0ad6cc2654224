/**
 * `npm run bench`: where the offline plan's time goes, each stage as a ratio against the floor (a bare Node process
 * that loads the provider SDKs the layers load, the least any layer's process can cost), and how policy evaluation
 * and the cost model grow with a stack's size (a synthetic stack of 2x and 4x the plan's resources; at most 2.2x
 * time per doubling); then `npm test`'s wall time (skip it with `-- --no-suite`). Wall times on this machine,
 * medians of several runs (the growth rows: the fastest of several): benchmarks, never assertions.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { policyPack } from "../policies/pack";
import { costReportOf } from "../src/cost/costReport";
import { modelDeps } from "../src/cost/model";
import { bundle } from "../src/bundles";
import { writeFileAtomic } from "../src/files";
import { PlanResult, builtLayers, runPlan } from "../src/plan/engine";
import { workerCount } from "../src/plan/workerPool";
import { PreviewDocument, PreviewStep } from "../src/plan/previewDocument";
import { evaluatePolicies } from "../src/policy/harness";
import { PROJECT_ROOT, DEFAULT_REGISTRY_FILE, parseRegistry } from "../src/registry/registry";

const PINS = { AWS_BUDGET_NOTIFICATION_EMAIL: "ops@example.com", ROLE_EKS_IRSA_LEARNING: "fraud-platform-dev-full-irsa-learning" };
const SECRETS = { "fraud-platform:databricksToken": "dapi-bench" };
/** The provider SDKs the five layers load between them. */
const SDKS = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/kubernetes", "@pulumi/eks", "@pulumi/kafka", "@pulumi/databricks", "@pulumi/random"];

/** Wall times of `runs` runs of `fn`, in ms, one after another. */
async function timings(runs: number, fn: () => Promise<unknown> | unknown): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return samples;
}

async function median(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const samples = (await timings(runs, fn)).sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

async function fastest(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  return Math.min(...(await timings(runs, fn)));
}

/** A plain Node process (as the plan's workers and the CLI run) with these arguments, to its exit. */
function nodeProcess(...args: string[]): void {
  const r = spawnSync(process.execPath, args, { cwd: PROJECT_ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`bench process failed: ${r.stderr}`);
}

/** Every step but the root stack copied `times` times under new names: a synthetic stack `times`x the size. */
function scaled(doc: PreviewDocument, times: number): PreviewDocument {
  const [root, ...rest] = doc.steps;
  const copies: PreviewStep[] = [];
  for (let i = 1; i < times; i++) {
    const rename = (urn: string) => `${urn}-x${i}`;
    for (const s of rest) {
      if (!s.newState) continue;
      copies.push({
        ...s,
        urn: rename(s.urn),
        newState: {
          ...s.newState,
          urn: rename(s.newState.urn),
          ...(s.newState.parent && s.newState.parent !== root?.urn ? { parent: rename(s.newState.parent) } : {}),
          dependencies: (s.newState.dependencies ?? []).map(rename),
        },
      });
    }
  }
  return { ...doc, steps: [...doc.steps, ...copies] };
}

const row = (stage: string, ms: number, floor: number) => `${stage.padEnd(58)} ${ms.toFixed(0).padStart(8)} ms ${(ms / floor).toFixed(2).padStart(7)}x floor`;

/** `npm test` as CI runs it: wall time, and the slowest test files (jest's own per-file times). */
function suite(): { wall: number; files: { file: string; seconds: number }[]; tests: number } {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-suite-")), "jest.json");
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [require.resolve("jest/bin/jest"), "--silent", "--json", `--outputFile=${out}`], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`npm test failed (exit ${r.status}):\n${r.stderr.slice(-4000)}`);
  const json = JSON.parse(fs.readFileSync(out, "utf8")) as { numTotalTests: number; testResults: { name: string; startTime: number; endTime: number }[] };
  const files = json.testResults
    .map((t) => ({ file: path.relative(PROJECT_ROOT, t.name), seconds: (t.endTime - t.startTime) / 1000 }))
    .sort((a, b) => b.seconds - a.seconds);
  return { wall, files, tests: json.numTotalTests };
}

async function main(): Promise<void> {
  const layers = builtLayers();
  const floor = await median(5, () => nodeProcess("-e", SDKS.map((m) => `require(${JSON.stringify(m)});`).join("")));
  const lines = [`floor: a bare Node process loading ${SDKS.join(", ")}: ${floor.toFixed(0)} ms`, ""];

  // The worker bundle alone loads every program and the pack, then exits (no engine to take jobs from).
  const workerScript = await bundle("plan-worker");
  lines.push(row("a plan worker's start: SDKs, every program and the pack", await median(5, () => nodeProcess("--enable-source-maps", workerScript)), floor));
  await bundle("cli");
  lines.push(
    row("the CLI's start, to the plan command parsed (plan --help)", await median(5, () => nodeProcess("bin/fraud-platform.js", "plan", "--help")), floor),
  );

  // The plan as a user runs it: `npm run plan` in a fresh process, which starts its workers (the README's command).
  const cliDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-cli-")), "plan");
  const pinArgs = [
    ...Object.entries(PINS).flatMap(([k, v]) => ["--pin", `${k}=${v}`]),
    ...Object.entries(SECRETS).flatMap(([k, v]) => ["--secret", `${k}=${v}`]),
  ];
  const cli = await median(5, () => {
    const r = spawnSync("npm", ["run", "--silent", "plan", "--", ...pinArgs, "--out", cliDir], { cwd: PROJECT_ROOT, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`npm run plan failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  });
  lines.push(row(`npm run plan: a fresh process, ${layers.length} layers x up + preview, closed window too, ${workerCount()} workers`, cli, floor));

  let last: PlanResult | undefined;
  const outDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-plan-")), "plan");
  await runPlan({ env: "dev-full", layers, outDir, pins: PINS, secrets: SECRETS, closedWindowPlan: true }); // starts the pool
  const plan = await median(5, async () => (last = await runPlan({ env: "dev-full", layers, outDir, pins: PINS, secrets: SECRETS, closedWindowPlan: true })));
  const planOnly = await median(3, () => runPlan({ env: "dev-full", layers, outDir: `${outDir}-open`, pins: PINS, secrets: SECRETS }));
  lines.push(row("a later plan in the same process (workers warm), closed window too", plan, floor));
  lines.push(row("a later plan in the same process, without the closed-window chain", planOnly, floor));
  for (const o of last?.outcomes ?? []) lines.push(row(`  ${o.stackName}: from its upstream ready to its up outputs`, o.millis, floor));

  const read = (suffix: string) =>
    fs
      .readdirSync(outDir)
      .filter((f) => f.endsWith(suffix) && !f.startsWith("policy-report"))
      .map((f) => JSON.parse(fs.readFileSync(path.join(outDir, f), "utf8")) as PreviewDocument);
  const docs = read(".preview.json");
  const upDocs = read(".up.json");
  const resources = docs.reduce((n, d) => n + d.steps.length, 0);
  const policies = await median(5, async () => {
    await evaluatePolicies(docs, policyPack);
    await evaluatePolicies(upDocs, policyPack);
  });
  lines.push(row(`policies: ${policyPack.policies.length} on ${resources} resources, both verdicts`, policies, floor));
  const deps = modelDeps({ env: "dev-full" });
  lines.push(row("cost model: profile and price table load", await median(5, () => modelDeps({ env: "dev-full" })), floor));
  lines.push(row(`cost model: report of ${resources} resources`, await median(5, () => costReportOf(docs, deps, "dev-full")), floor));
  const writeDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-write-"));
  lines.push(
    row(
      "writes: previews, up documents (atomic)",
      await median(5, () => [...docs, ...upDocs].forEach((d, i) => writeFileAtomic(path.join(writeDir, `${i}.json`), d))),
      floor,
    ),
  );
  const registryText = fs.readFileSync(DEFAULT_REGISTRY_FILE, "utf8");
  lines.push(row("registry parse and validate", await median(5, () => parseRegistry(registryText, DEFAULT_REGISTRY_FILE)), floor));

  // Growth: the same stacks at 1x, 2x and 4x their resources.
  lines.push("", "growth (policies and cost model on a synthetic stack of 1x, 2x, 4x the plan's resources; at most 2.2x per doubling):");
  let previous: number | undefined;
  for (const times of [1, 2, 4]) {
    const big = docs.map((d) => scaled(d, times));
    const n = big.reduce((k, d) => k + d.steps.length, 0);
    const judgeAndPrice = async () => {
      await evaluatePolicies(big, policyPack);
      costReportOf(big, deps, "dev-full");
    };
    // One run at each size before timing it, so each size is measured in the same steady state; the fastest of
    // seven runs, the one the noisy machine disturbed least.
    await judgeAndPrice();
    const ms = await fastest(7, judgeAndPrice);
    lines.push(`  ${times}x (${n} resources): ${ms.toFixed(0)} ms${previous ? `, ${(ms / previous).toFixed(2)}x the previous size` : ""}`);
    previous = ms;
  }
  console.log(lines.join("\n"));

  if (process.argv.includes("--no-suite")) return;
  const tests = suite();
  console.log(
    [
      "",
      `suite: npm test, ${tests.tests} tests in ${tests.files.length} files: ${(tests.wall / 1000).toFixed(1)} s wall`,
      ...tests.files.slice(0, 8).map((f) => `  ${f.seconds.toFixed(1).padStart(6)} s  ${f.file}`),
    ].join("\n"),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
