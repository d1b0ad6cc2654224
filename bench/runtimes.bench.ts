/**
 * Start-up of the pack and of each layer's program under the Pulumi CLI's own entry points (`npm run bench:runtimes`):
 * the pack through `cmd/run-policy-pack` until it prints its port; each program through `cmd/run` against the fake
 * engine and monitor until it exits. "cold" gives ts-node a fresh cache directory (a CI runner), "warm" reuses it.
 * Both compile transpile-only (`noCheck` in the tsconfig files); `npm run typecheck` is where types are checked.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startFakeEngine } from "../src/conformance/engineServer";
import { startPolicyPack } from "../src/conformance/analyzerHost";
import { runProgram } from "../src/conformance/programHost";
import { builtLayers, runPlan } from "../src/plan/engine";
import { MockCloud } from "../src/plan/mockCloud";
import { PropertyMap } from "../src/plan/previewDocument";
import { stackConfigFor } from "../src/plan/stackConfig";
import { PROJECT_ROOT } from "../src/registry/registry";

const PINS = { AWS_BUDGET_NOTIFICATION_EMAIL: "ops@example.com", ROLE_EKS_IRSA_LEARNING: "fraud-platform-dev-full-irsa-learning" };

async function packStart(cacheDir: string): Promise<number> {
  const engine = await startFakeEngine();
  const pack = await startPolicyPack({
    packDir: path.join(PROJECT_ROOT, "policies"),
    engineAddress: engine.address,
    env: { ...process.env, TS_NODE_CACHE_DIRECTORY: cacheDir },
  });
  const ms = pack.startupMs;
  await pack.close();
  await engine.close();
  return ms;
}

async function main(): Promise<void> {
  const cold = fs.mkdtempSync(path.join(os.tmpdir(), "ts-node-cold-"));
  console.log(`pack start (cmd/run-policy-pack)  cold ${(await packStart(cold)).toFixed(0)} ms   warm ${(await packStart(cold)).toFixed(0)} ms`);

  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-runtimes-"));
  const plan = await runPlan({ env: "dev-full", layers: builtLayers(), outDir, pins: PINS });
  const upstream: Record<string, PropertyMap> = {};
  const programCache = fs.mkdtempSync(path.join(os.tmpdir(), "ts-node-cold-"));
  for (const o of plan.outcomes) {
    const { config, secretKeys } = stackConfigFor(PROJECT_ROOT, o.stackName, PINS);
    const extra: Record<string, string> = o.layer === "data_ml" ? { "fraud-platform:databricksToken": "dapi-bench" } : {};
    const run = (cacheDir: string) =>
      runProgram({
        projectDir: PROJECT_ROOT,
        project: "fraud-platform",
        stack: o.stackName,
        organization: "organization",
        config: { ...config, ...extra },
        secretKeys: [...secretKeys, ...Object.keys(extra)],
        preview: true,
        mocks: new MockCloud({ region: "eu-west-2", upstream: { ...upstream }, upstreamSecrets: {} }),
        env: { TS_NODE_CACHE_DIRECTORY: cacheDir },
      });
    // cold: a fresh cache; warm: the second run on a cache the first one filled.
    const cold = await run(fs.mkdtempSync(path.join(os.tmpdir(), "ts-node-cold-")));
    await run(programCache);
    const warm = await run(programCache);
    for (const r of [cold, warm]) if (r.exitCode !== 0) throw new Error(`${o.stackName} exited ${r.exitCode}: ${r.stderr}`);
    const times = [cold.millis, warm.millis];
    console.log(
      `program ${o.stackName.padEnd(20)} (cmd/run)  cold ${times[0].toFixed(0)} ms   warm ${times[1].toFixed(0)} ms   ${o.plan?.resources.length} resources`,
    );
    upstream[o.stackName] = o.plan?.outputs ?? {};
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(3);
});
