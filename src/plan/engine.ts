/**
 * The offline plan engine (`npm run plan`): runs each selected layer's real program under mocks, as `pulumi up` and
 * as a first `pulumi preview`, each pass in a fresh Pulumi runtime state on a pool of warm worker processes
 * (`workerPool.ts`); a layer runs once the layers it reads (`LAYER_SPECS` `reads`) have their `up` outputs, which
 * feed its StackReferences. The workers judge every pass's document with the policy pack; the engine merges the
 * verdicts, adds the cross-stack rules and writes the preview, outputs and policy files of INTERFACES.md.
 */
import * as fs from "fs";
import * as path from "path";
import { LAYER_PROGRAMS } from "../../stacks";
import type { PolicyPackDefinition } from "../policy/harness";
import { PackMetadata, mergeReports, packMetadataOf } from "../policy/report";
import { LAYER_SPECS, Layer, stackNameFor } from "../layers";
import { PROJECT_ROOT, Registry, loadRegistry } from "../registry/registry";
import { withCrossStack } from "../policy/crossStack";
import type { PolicyPackConfig, PolicyReport } from "../policy/harness";
import { sarifOf } from "../policy/sarif";
import { writeFileAtomic } from "../files";
import { CLOSED_WINDOW_DIR, PlanCost, planCost } from "../cost/files";
import { WINDOW_KEY } from "../window/surfaces";
import type { LayerFailure } from "./runLayer";
import { ChainOptions, ChainResult, ChainRun, runChain } from "./chain";
import { POOL_SOCKET_ENV, PassRunner, RemotePool } from "./poolServer";
import { WorkerPool, acquirePool, releasePool } from "./workerPool";
import { LayerPlan, PlanBlocker, PreviewDocument, outputsDocumentOf, previewDocumentOf } from "./previewDocument";
import { stackConfigFor } from "./stackConfig";
import { InputError, InputProblem } from "../errors";
import { loadEnvironment } from "../config/environment";
import { PLAN_MANIFEST_FILE, commitPlanDir, discardPlanDir, stagePlanDir, untouchedNote } from "./planDir";

export interface PlanOptions {
  env: string;
  layers: Layer[];
  outDir: string;
  pins?: Record<string, string>;
  projectDir?: string;
  policyConfig?: PolicyPackConfig;
  policyConfigSource?: string;
  /** Config set on every layer stack for this plan (`namespace:key` -> raw value), e.g. `fraud-platform:window`. */
  config?: Record<string, string>;
  /** Secret config set on every layer stack for this plan (`namespace:key` -> value), e.g. `fraud-platform:databricksToken`. */
  secrets?: Record<string, string>;
  /**
   * Also plan the closed window (`fraud-platform:window: closed`) into `<outDir>/window-closed/`; the cost report
   * prices `postures.betweenWindows` from it. Its verdict is in `closedWindow`, and a mandatory violation there makes
   * the plan's exit code 1 too: a closed window is deployed by `npm run window -- close` like any other plan.
   */
  closedWindowPlan?: boolean;
  /** The directory the files end up in (reports name it), when `outDir` is a staging directory. */
  shownDir?: string;
  /** Where outputs of layers not in this run are read from (default `outDir`): the target of a staged plan. */
  earlierDir?: string;
}

export type LayerStatus = "planned" | "blocked" | "invalid-config" | "failed" | "skipped";

export interface LayerOutcome {
  layer: Layer;
  stackName: string;
  status: LayerStatus;
  /** The `up` pass: outputs known; its outputs feed the next layers and `<stack>.outputs.json`. */
  plan?: LayerPlan;
  /** The preview pass: a first `pulumi preview`'s unknowns; `<stack>.preview.json` is its document. */
  preview?: LayerPlan;
  failure?: LayerFailure;
  /** Wall time of the layer's program run, in ms. */
  millis: number;
  /**
   * The closed window's chain took the open window's plan of this layer: its program never read the window
   * setting and its upstream stacks' outputs are the same in both windows, so its preview is the same.
   */
  reused?: boolean;
}

/** The up verdict's file, next to `policy-report.json` (the preview verdict). */
export const UP_POLICY_REPORT = "policy-report.up.json";
/** `<stack>.up.json`: the up pass's document (outputs known), next to `<stack>.preview.json` (the first preview's). */
export const UP_DOCUMENT_SUFFIX = ".up.json";

export interface PlanResult {
  outcomes: LayerOutcome[];
  /** The preview verdict: the pack on the preview pass, what the PR's `pulumi preview --policy-pack` shows. */
  policy: PolicyReport;
  /** The up verdict: the pack on the `up` pass (outputs known), what `pulumi up` would block on. */
  upPolicy: PolicyReport;
  /** Cost model of the planned documents (cost-report.json, cost-summary.html), or why it could not run. */
  cost: PlanCost;
  /** Unresolved TO_PIN handles the programs needed (the plan records them and goes on). */
  blockers: PlanBlocker[];
  /** 0 clean, 1 mandatory violation / blocked / failed layer, 2 bad config. */
  exitCode: 0 | 1 | 2;
  files: string[];
  /** The closed-window plan, when `closedWindowPlan` asked for it. */
  closedWindow?: PlanResult;
  /** Whether the plan directory was moved into place (`runPlan`), or why nothing was written. */
  written?: { committed: boolean; note?: string };
}

/** The policy pack in this process: only when no worker replied (every worker died), for the SARIF's rules. */
function loadPolicyPack(): PolicyPackDefinition {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../../policies/pack") as typeof import("../../policies/pack")).policyPack;
}

/**
 * The environment's policy pack config, `policies/config/<env>.json` (the `--policy-pack-config` the workflows pass
 * to `pulumi preview` and `pulumi up`: reviewed exemptions), when the plan is given none.
 */
export function environmentPolicyConfig(projectDir: string, env: string): Pick<PlanOptions, "policyConfig" | "policyConfigSource"> {
  const file = path.join(projectDir, "policies", "config", `${env}.json`);
  if (!fs.existsSync(file)) return {};
  const source = path.relative(process.cwd(), file) || file;
  try {
    return { policyConfig: JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig, policyConfigSource: source };
  } catch (e) {
    throw new InputError(`${source}: ${(e as Error).message}`, [
      { file: source, key: "(document)", expected: "a JSON policy pack config", found: "unparsable JSON", fix: `fix the JSON in ${source}` },
    ]);
  }
}

/**
 * Loads each selected layer's environment as its program will (shared file, stack file, pins, plan config) before
 * any process starts: bad config in any layer stops the plan with every problem at once (exit 2), nothing written.
 */
export function checkLayerConfig(options: PlanOptions): void {
  const projectDir = options.projectDir ?? PROJECT_ROOT;
  const problems = new Map<string, InputProblem>();
  let summary: string | undefined;
  for (const layer of options.layers) {
    const stackName = stackNameFor(options.env, layer);
    try {
      const raw = stackConfigFor(projectDir, stackName, options.pins);
      loadEnvironment({ stackName, layerConfig: { ...raw.config, ...options.config }, secretKeys: raw.secretKeys, projectDir });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      summary ??= e.summary;
      for (const p of e.problems) problems.set(`${p.file}\n${p.key}\n${p.expected}`, p);
    }
  }
  if (summary) throw new InputError(problems.size ? `${summary} (nothing was planned or written)` : summary, [...problems.values()]);
}

/**
 * The files of layers this run did not plan but read (their outputs fed StackReferences), taken over from the
 * earlier plan in the target, so the new directory holds every input of its documents. Returns those layers.
 */
function carryEarlierLayers(options: PlanOptions, staging: string): Layer[] {
  const carried = new Set<Layer>();
  for (const sub of ["", CLOSED_WINDOW_DIR]) {
    const from = path.join(options.outDir, sub);
    const to = path.join(staging, sub);
    if (!fs.existsSync(from) || !fs.existsSync(to)) continue;
    for (const spec of LAYER_SPECS) {
      if (options.layers.includes(spec.layer)) continue;
      for (const kind of ["outputs", "preview", "up"]) {
        const name = `${stackNameFor(options.env, spec.layer)}.${kind}.json`;
        if (fs.existsSync(path.join(from, name)) && !fs.existsSync(path.join(to, name))) {
          fs.copyFileSync(path.join(from, name), path.join(to, name));
          carried.add(spec.layer);
        }
      }
    }
  }
  return LAYER_SPECS.map((s) => s.layer).filter((l) => carried.has(l));
}

/** This process's connection to the shared pool (one per socket). */
const sharedPools = new Map<string, RemotePool>();
function sharedPool(socketPath: string): RemotePool {
  let pool = sharedPools.get(socketPath);
  if (!pool) sharedPools.set(socketPath, (pool = new RemotePool(socketPath)));
  return pool;
}

/**
 * Runs the plan into a staging directory next to `outDir` and moves it into place only when it is complete
 * (src/plan/planDir.ts). A plan that stops on bad config (exit 2) or a layer program that failed leaves `outDir` as it
 * was; `written` says which happened.
 */
export async function runPlan(options: PlanOptions): Promise<PlanResult> {
  // The workers load the SDKs, programs and pack while the config is checked; or a shared pool takes the passes.
  const shared = process.env[POOL_SOCKET_ENV];
  const pool: PassRunner = shared ? sharedPool(shared) : acquirePool(options.layers);
  try {
    checkLayerConfig(options);
    const staging = stagePlanDir(options.outDir);
    let result: PlanResult;
    try {
      result = await runChains({ ...options, outDir: staging, shownDir: options.shownDir ?? options.outDir, earlierDir: options.outDir }, pool);
    } catch (e) {
      discardPlanDir(staging);
      throw e;
    }
    if (result.exitCode === 2 || result.outcomes.some((o) => o.status === "failed")) {
      discardPlanDir(staging);
      return { ...result, files: [], written: { committed: false, note: untouchedNote(options.outDir) } };
    }
    const carried = carryEarlierLayers(options, staging);
    commitPlanDir(staging, options.outDir, {
      env: options.env,
      layers: LAYER_SPECS.map((s) => s.layer).filter((l) => carried.includes(l) || options.layers.includes(l)),
    });
    const moved = (f: string) => path.join(options.outDir, path.relative(staging, f));
    const closedWindow = result.closedWindow ? { ...result.closedWindow, files: result.closedWindow.files.map(moved) } : undefined;
    return {
      ...result,
      files: [...result.files.map(moved), path.join(options.outDir, PLAN_MANIFEST_FILE)],
      ...(closedWindow ? { closedWindow } : {}),
      written: { committed: true },
    };
  } finally {
    if (pool instanceof WorkerPool) releasePool(pool);
  }
}

/** A chain's runs as the plan reports them: each layer's status, both passes, and the documents of planned ones. */
async function outcomesOf(runs: ChainRun[]): Promise<{ outcomes: LayerOutcome[]; reports: { preview: PolicyReport[]; up: PolicyReport[] } }> {
  const outcomes: LayerOutcome[] = [];
  const reports = { preview: [] as PolicyReport[], up: [] as PolicyReport[] };
  for (const run of runs) {
    const { layer, stackName, millis } = run;
    const up = run.up.result;
    if (!up.ok) {
      const status: LayerStatus = run.skippedFor
        ? "skipped"
        : up.failure.kind === "input"
          ? "invalid-config"
          : up.failure.kind === "blocked"
            ? "blocked"
            : "failed";
      outcomes.push({ layer, stackName, status, failure: up.failure, millis });
      continue;
    }
    const preview = await run.preview;
    if (!preview.result.ok) {
      outcomes.push({
        layer,
        stackName,
        status: "failed",
        plan: up.plan,
        failure: { ...preview.result.failure, message: `preview: ${preview.result.failure.message}` },
        millis,
      });
      continue;
    }
    outcomes.push({ layer, stackName, status: "planned", plan: up.plan, preview: preview.result.plan, millis, ...(run.reused ? { reused: true } : {}) });
    if (run.up.report) reports.up.push(run.up.report);
    if (preview.report) reports.preview.push(preview.report);
  }
  return { outcomes, reports };
}

/**
 * The plan itself: the open window's chain, and the closed window's alongside it on the same pool when asked for
 * (it takes the open chain's run of a layer that does not depend on the window).
 */
async function runChains(options: PlanOptions, pool: PassRunner): Promise<PlanResult> {
  const projectDir = options.projectDir ?? PROJECT_ROOT;
  if (options.policyConfig === undefined) options = { ...options, ...environmentPolicyConfig(projectDir, options.env) };
  const registry = loadRegistry();
  const chainOptions = (config: Record<string, string> | undefined, earlierDir: string, priority: number): ChainOptions => ({
    env: options.env,
    layers: options.layers,
    projectDir,
    pins: options.pins,
    config,
    secrets: options.secrets,
    policy: { config: options.policyConfig, source: options.policyConfigSource },
    earlierDir,
    registry,
    pool,
    priority,
  });
  const earlierDir = options.earlierDir ?? options.outDir;
  const open = runChain(chainOptions(options.config, earlierDir, 0));
  const closed = options.closedWindowPlan
    ? runChain({ ...chainOptions({ ...options.config, [WINDOW_KEY]: "closed" }, path.join(earlierDir, CLOSED_WINDOW_DIR), 1), reuse: open.share })
    : undefined;
  closed?.done.catch(() => undefined); // awaited below; a failure of this chain must not go unhandled meanwhile

  const openResult = await open.done;
  const closedResult = closed ? await closed.done : undefined;
  // Every worker loads the same pack; the parent loads it only when no worker ever replied.
  const pack = openResult.pack ?? closedResult?.pack ?? packMetadataOf(loadPolicyPack());
  const main = await writtenChain(options.outDir, openResult, pack, registry);
  const closedWindow = closedResult ? await writtenChain(path.join(options.outDir, CLOSED_WINDOW_DIR), closedResult, pack, registry) : undefined;
  if (closedWindow) {
    // The closed window's own cost files, as any plan directory has them.
    const closedCost = planCost(closedWindow.docs, { env: options.env, outDir: path.join(options.outDir, CLOSED_WINDOW_DIR), projectDir });
    closedWindow.result = { ...closedWindow.result, cost: closedCost, files: [...closedWindow.result.files, ...closedCost.files] };
  }
  const docs = main.docs;
  const closedDocs = closedWindow?.docs;
  const closedPlan = closedDocs?.length ? { docs: closedDocs, source: path.join(options.shownDir ?? options.outDir, CLOSED_WINDOW_DIR) } : undefined;
  const cost = planCost(docs, { env: options.env, outDir: options.outDir, projectDir, ...(closedPlan ? { closed: closedPlan } : {}) });
  const mandatory =
    main.result.policy.summary.mandatory +
    main.result.upPolicy.summary.mandatory +
    (closedWindow ? closedWindow.result.policy.summary.mandatory + closedWindow.result.upPolicy.summary.mandatory : 0);
  return {
    ...main.result,
    cost,
    // A mandatory violation in the closed window counts too: `npm run window -- close` deploys it.
    exitCode: exitCodeOf(main.result.outcomes, mandatory, main.result.blockers),
    files: [...main.result.files, ...cost.files],
    ...(closedWindow ? { closedWindow: closedWindow.result } : {}),
  };
}

/** A chain's documents and verdict files, written into `outDir`. */
async function writtenChain(
  outDir: string,
  chain: ChainResult,
  pack: PackMetadata,
  registry: Registry,
): Promise<{ result: PlanResult; docs: PreviewDocument[] }> {
  fs.mkdirSync(outDir, { recursive: true });
  const { outcomes, reports } = await outcomesOf(chain.runs);
  const files: string[] = [];
  const docs: PreviewDocument[] = [];
  const upDocs: PreviewDocument[] = [];
  for (const o of outcomes) {
    if (!o.plan || !o.preview) continue;
    const doc = previewDocumentOf(o.preview);
    const upDoc = previewDocumentOf(o.plan);
    docs.push(doc);
    upDocs.push(upDoc);
    files.push(writeFileAtomic(path.join(outDir, `${o.stackName}.preview.json`), doc));
    files.push(writeFileAtomic(path.join(outDir, `${o.stackName}${UP_DOCUMENT_SUFFIX}`), upDoc));
    files.push(writeFileAtomic(path.join(outDir, `${o.stackName}.outputs.json`), outputsDocumentOf(o.plan)));
  }
  // Pins reach the policies the way they reach a real preview: through what the programs declared from the stack
  // config (`fp_pinned_handle`), never through policy config. The preview verdict is what the PR's
  // `pulumi preview --policy-pack` shows; the up verdict is what `pulumi up` would block on.
  const policy = withCrossStack(mergeReports(reports.preview, pack.policies.length), docs, registry);
  const upPolicy = withCrossStack(mergeReports(reports.up, pack.policies.length), upDocs, registry);
  files.push(writeFileAtomic(path.join(outDir, "policy-report.json"), policy));
  files.push(writeFileAtomic(path.join(outDir, UP_POLICY_REPORT), upPolicy));
  files.push(writeFileAtomic(path.join(outDir, "policy-report.sarif"), sarifOf(policy, pack, docs)));
  const blockers = outcomes.flatMap((o) => o.plan?.blockers ?? []);
  const exitCode = exitCodeOf(outcomes, policy.summary.mandatory + upPolicy.summary.mandatory, blockers);
  return { result: { outcomes, policy, upPolicy, cost: { files: [], millis: 0 }, blockers, exitCode, files }, docs };
}

/** 2 for bad config in any layer; 1 for a layer not planned, a mandatory violation or a blocker; else 0. */
function exitCodeOf(outcomes: readonly LayerOutcome[], mandatory: number, blockers: readonly PlanBlocker[]): 0 | 1 | 2 {
  if (outcomes.some((o) => o.status === "invalid-config")) return 2;
  return outcomes.some((o) => o.status !== "planned") || mandatory > 0 || blockers.length > 0 ? 1 : 0;
}

/** Layers that have a program; the default selection of `plan`. */
export function builtLayers(): Layer[] {
  return LAYER_SPECS.map((s) => s.layer).filter((l) => LAYER_PROGRAMS[l] !== undefined);
}
