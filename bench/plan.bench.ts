/**
 * Timing benchmark (`npm run bench`): the offline plan end to end, policy evaluation alone, registry load.
 * Prints median and spread over several runs; numbers are wall time on this machine, not assertions.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { policyPack } from "../policies/pack";
import { budgetPolicies } from "../policies/rules/budget";
import { costReportOf } from "../src/cost/costReport";
import { modelDeps } from "../src/cost/model";
import { builtLayers, runPlan } from "../src/plan/engine";
import { PreviewDocument } from "../src/plan/previewDocument";
import { evaluatePolicies } from "../src/policy/harness";
import { DEFAULT_REGISTRY_FILE, parseRegistry } from "../src/registry/registry";

interface Sample {
  name: string;
  runs: number[];
}

async function time(name: string, runs: number, fn: () => Promise<unknown> | unknown): Promise<Sample> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { name, runs: samples };
}

function describe(s: Sample): string {
  const sorted = [...s.runs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `${s.name.padEnd(44)} median ${median.toFixed(1).padStart(8)} ms   min ${sorted[0].toFixed(1).padStart(8)}   max ${sorted[sorted.length - 1].toFixed(1).padStart(8)}   (n=${s.runs.length})`;
}

async function main(): Promise<void> {
  const layers = builtLayers();
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-plan-"));
  const results: Sample[] = [];
  results.push(await time(`plan (${layers.join(",")}), end to end`, 3, () => runPlan({ env: "dev-full", layers, outDir })));

  const docs = fs
    .readdirSync(outDir)
    .filter((f) => f.endsWith(".preview.json"))
    .map((f) => JSON.parse(fs.readFileSync(path.join(outDir, f), "utf8")) as PreviewDocument);
  const resources = docs.reduce((n, d) => n + d.steps.length, 0);
  results.push(await time(`policy evaluation (${policyPack.policies.length} policies x ${resources} resources)`, 10, () => evaluatePolicies(docs, policyPack)));

  // Cost model: its share of plan time (the plan's cost step = deps load + report; the DA-90 stack policies).
  const budgetNames = new Set(budgetPolicies.map((p) => p.name));
  const withoutBudget = { ...policyPack, policies: policyPack.policies.filter((p) => !budgetNames.has(p.name)) };
  results.push(await time(`policy evaluation without the ${budgetNames.size} DA-90 cost policies`, 10, () => evaluatePolicies(docs, withoutBudget)));
  results.push(await time("cost model: usage profile + price table load", 10, () => modelDeps({ env: "dev-full" })));
  const deps = modelDeps({ env: "dev-full" });
  results.push(await time(`cost model: report of ${resources} resources`, 10, () => costReportOf(docs, deps, "dev-full")));

  const registryText = fs.readFileSync(DEFAULT_REGISTRY_FILE, "utf8");
  results.push(await time("registry parse + validate", 10, () => parseRegistry(registryText, DEFAULT_REGISTRY_FILE)));

  console.log(results.map(describe).join("\n"));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
