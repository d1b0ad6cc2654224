/**
 * The offline plan engine (`npm run plan`): runs each selected layer's real program under mocks, in apply order,
 * each in a fresh child process; feeds each layer's outputs to the next layer's StackReferences; evaluates the
 * policy pack on the results; writes the preview, outputs and policy files of INTERFACES.md.
 */
import { ChildProcess, fork } from "child_process";
import canonicalize from "canonicalize";
import * as fs from "fs";
import * as path from "path";
import { LAYER_PROGRAMS } from "../../stacks";
import type { PolicyPackDefinition } from "../policy/harness";
import { LAYER_SPECS, Layer, stackNameFor } from "../layers";
import { PROJECT_DIR_ENV } from "../config/fromPulumi";
import { PROJECT_ROOT, loadRegistry } from "../registry/registry";
import { withCrossStack } from "../policy/crossStack";
import { PolicyPackConfig, PolicyReport, evaluatePolicies } from "../policy/harness";
import { sarifOf } from "../policy/sarif";
import { writeFileAtomic } from "../files";
import { CLOSED_WINDOW_DIR, PlanCost, planCost } from "../cost/files";
import { WINDOW_KEY } from "../window/surfaces";
import { LayerFailure, LayerJob, LayerResult, Pass } from "./runLayer";
import type { WorkerJob, WorkerReply } from "./layerWorker";
import { LayerPlan, PlanBlocker, PreviewDocument, PropertyMap, outputsDocumentOf, previewDocumentOf } from "./previewDocument";
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

const WORKER = path.join(__dirname, "layerWorker.ts");

/**
 * A fresh Node process (a fresh Pulumi runtime) for one layer job, started ahead of the job: it loads the Pulumi
 * SDK and the layer's program while the upstream layers still run, then runs the job's passes and exits.
 */
export class LayerWorker {
  private readonly child: ChildProcess;
  private readonly results = new Map<Pass, { promise: Promise<LayerResult>; resolve(r: LayerResult): void; reject(e: Error): void }>();
  private sent = false;

  constructor(
    readonly layer: Layer,
    projectDir: string = PROJECT_ROOT,
  ) {
    this.child = fork(WORKER, [layer], {
      execArgv: ["--import", "tsx"],
      cwd: PROJECT_ROOT,
      env: { ...process.env, [PROJECT_DIR_ENV]: projectDir },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let lastFailure: LayerResult | undefined;
    this.child.on("message", (reply: WorkerReply) => {
      if (!reply.result.ok) lastFailure = reply.result;
      this.slot(reply.pass).resolve(reply.result);
    });
    const fail = (e: Error) => {
      // A pass never run because an earlier one failed ends with that failure; otherwise the worker died.
      for (const slot of this.results.values()) if (lastFailure) slot.resolve(lastFailure);
      else slot.reject(e);
    };
    this.child.once("error", fail);
    // "close" comes after the IPC channel is drained ("exit" can overtake the last message under load).
    this.child.once("close", (code) => fail(new Error(`plan worker for layer ${layer} exited with code ${code} without a result`)));
  }

  private slot(pass: Pass) {
    let slot = this.results.get(pass);
    if (!slot) {
      let resolve!: (r: LayerResult) => void;
      let reject!: (e: Error) => void;
      const promise = new Promise<LayerResult>((res, rej) => ((resolve = res), (reject = rej)));
      promise.catch(() => undefined); // a worker disposed unused rejects; nobody awaits it
      slot = { promise, resolve, reject };
      this.results.set(pass, slot);
    }
    return slot;
  }

  /** Sends the job; each pass's result arrives as soon as the worker has it (settling a promise twice is a no-op). */
  run(job: Omit<LayerJob, "preview">, passes: Pass[] = ["up", "preview"]): Record<Pass, Promise<LayerResult>> {
    if (this.sent) throw new Error(`plan worker for layer ${this.layer} already ran a job`);
    this.sent = true;
    const promises = Object.fromEntries(passes.map((p) => [p, this.slot(p).promise])) as Record<Pass, Promise<LayerResult>>;
    this.child.send({ ...job, passes } satisfies WorkerJob);
    return promises;
  }

  /** Stops a worker whose job never came (an upstream layer failed). */
  dispose(): void {
    if (!this.sent) this.child.kill();
  }
}

/**
 * The policy pack, loaded once the layer processes are started: it loads the provider SDKs its rules check
 * (`validateResourceOfType(aws.budgets.Budget, ...)`), which then overlaps with the layers' own loading.
 */
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
    throw new InputError(`${source}: ${(e as Error).message}`, [{ file: source, key: "(document)", expected: "a JSON policy pack config", found: "unparsable JSON", fix: `fix the JSON in ${source}` }]);
  }
}

/** Outputs of stacks planned by an earlier run, for StackReferences to layers not in this run. */
function earlierOutputs(outDir: string, stackName: string): PropertyMap | undefined {
  const file = path.join(outDir, `${stackName}.outputs.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as PropertyMap) : undefined;
}

/** One layer's run in one chain, for the other chain of the same plan to reuse. */
interface ChainRun {
  result: LayerResult;
  preview: Promise<LayerResult>;
  /** Canonical JSON of the outputs (and secret names) of each upstream stack the layer read, by stack name. */
  upstreamRead: Record<string, string>;
}
type ChainRuns = Map<Layer, Promise<ChainRun | undefined>>;

function upstreamDigest(stackName: string, upstream: Record<string, PropertyMap>, secrets: Record<string, string[]>): string {
  return canonicalize({ outputs: upstream[stackName] ?? null, secrets: secrets[stackName] ?? [] }) ?? "";
}

/** The upstream stacks a planned layer read (StackReferences, lookups), with what each held. */
function upstreamReadOf(result: LayerResult, upstream: Record<string, PropertyMap>, secrets: Record<string, string[]>): Record<string, string> {
  if (!result.ok) return {};
  return Object.fromEntries(result.upstreamRead.map((n) => [n, upstreamDigest(n, upstream, secrets)]));
}

/**
 * Whether the other chain's run of a layer is this chain's too: its program never asked for the window setting
 * (the only config the chains differ in) and every upstream stack it read holds the same outputs here.
 */
function reusable(run: ChainRun | undefined, upstream: Record<string, PropertyMap>, secrets: Record<string, string[]>): run is ChainRun {
  if (!run?.result.ok || run.result.windowConsulted) return false;
  return Object.entries(run.upstreamRead).every(([stack, digest]) => upstreamDigest(stack, upstream, secrets) === digest);
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

/**
 * Runs the plan into a staging directory next to `outDir` and moves it into place only when it is complete
 * (src/plan/planDir.ts). A plan that stops on bad config (exit 2) or a layer program that failed leaves `outDir` as it
 * was; `written` says which happened.
 */
export async function runPlan(options: PlanOptions): Promise<PlanResult> {
  checkLayerConfig(options);
  const staging = stagePlanDir(options.outDir);
  let result: PlanResult;
  try {
    result = await runChains({ ...options, outDir: staging, shownDir: options.shownDir ?? options.outDir, earlierDir: options.outDir });
  } catch (e) {
    discardPlanDir(staging);
    throw e;
  }
  if (result.exitCode === 2 || result.outcomes.some((o) => o.status === "failed")) {
    discardPlanDir(staging);
    return { ...result, files: [], written: { committed: false, note: untouchedNote(options.outDir) } };
  }
  const carried = carryEarlierLayers(options, staging);
  commitPlanDir(staging, options.outDir, { env: options.env, layers: LAYER_SPECS.map((s) => s.layer).filter((l) => carried.includes(l) || options.layers.includes(l)) });
  const moved = (f: string) => path.join(options.outDir, path.relative(staging, f));
  const closedWindow = result.closedWindow ? { ...result.closedWindow, files: result.closedWindow.files.map(moved) } : undefined;
  return { ...result, files: [...result.files.map(moved), path.join(options.outDir, PLAN_MANIFEST_FILE)], ...(closedWindow ? { closedWindow } : {}), written: { committed: true } };
}

/**
 * The plan itself. `share` receives this chain's layer runs as they finish (the open window's chain shares them);
 * `reuse` is the other chain's, which the closed window's chain takes where {@link reusable} says they are equal.
 */
async function runChains(options: PlanOptions, chain: { share?: ChainRuns; reuse?: ChainRuns } = {}): Promise<PlanResult> {
  const projectDir = options.projectDir ?? PROJECT_ROOT;
  if (options.policyConfig === undefined) options = { ...options, ...environmentPolicyConfig(projectDir, options.env) };
  const registry = loadRegistry();
  const project = registry.string("PULUMI_PROJECT_NAME");
  const region = registry.string("AWS_REGION");
  fs.mkdirSync(options.outDir, { recursive: true });

  const upstream: Record<string, PropertyMap> = {};
  const upstreamSecrets: Record<string, string[]> = {};
  for (const spec of LAYER_SPECS) {
    const stackName = stackNameFor(options.env, spec.layer);
    const earlier = earlierOutputs(options.earlierDir ?? options.outDir, stackName);
    if (earlier && !options.layers.includes(spec.layer)) upstream[stackName] = earlier;
  }

  // The closed window is a second chain of the same layers, run alongside this one; it reuses this chain's run of
  // a layer that does not depend on the window.
  const share: ChainRuns | undefined = options.closedWindowPlan ? new Map() : chain.share;
  const settle = new Map<Layer, (run: ChainRun | undefined) => void>();
  if (share) for (const layer of options.layers) share.set(layer, new Promise((resolve) => settle.set(layer, resolve)));
  const closedWindowRun = options.closedWindowPlan
    ? runChains({ ...options, outDir: path.join(options.outDir, CLOSED_WINDOW_DIR), ...(options.earlierDir ? { earlierDir: path.join(options.earlierDir, CLOSED_WINDOW_DIR) } : {}), config: { ...options.config, [WINDOW_KEY]: "closed" }, closedWindowPlan: false }, { reuse: share })
    : undefined;
  closedWindowRun?.catch(() => undefined); // awaited below; a failure of this chain must not go unhandled meanwhile

  // Each layer's process starts now, so that module loading overlaps the upstream layers' runs. A chain that may
  // reuse the other's runs starts a process only for a layer it has to run itself.
  const workers = new Map(chain.reuse ? [] : options.layers.map((layer) => [layer, new LayerWorker(layer, projectDir)]));
  const outcomes: LayerOutcome[] = [];
  const previews = new Map<Layer, Promise<LayerResult>>();
  let blockedBy: string | undefined;
  try {
    for (const layer of options.layers) {
      const stackName = stackNameFor(options.env, layer);
      if (blockedBy) {
        outcomes.push({ layer, stackName, status: "skipped", failure: { kind: "blocked", message: `upstream ${blockedBy} was not planned` }, millis: 0 });
        continue;
      }
      const raw = stackConfigFor(projectDir, stackName, options.pins);
      const config = { ...raw.config, ...options.config, ...options.secrets };
      const secretKeys = [...raw.secretKeys, ...Object.keys(options.secrets ?? {})];
      const organization = config["fraud-platform:organization"] ?? registry.string("PULUMI_ORGANIZATION");
      const started = Date.now();
      const prior = chain.reuse ? await chain.reuse.get(layer) : undefined;
      const reused = reusable(prior, upstream, upstreamSecrets);
      let worker = workers.get(layer);
      if (!reused && !worker) workers.set(layer, (worker = new LayerWorker(layer, projectDir)));
      // The downstream layers read this layer's `up` outputs (a PR previews against deployed upstream stacks).
      const runs = reused ? { up: Promise.resolve(prior.result), preview: prior.preview } : worker!.run({ stackName, layer, project, organization, region, config: { ...config }, secretKeys, upstream: { ...upstream }, upstreamSecrets: { ...upstreamSecrets } });
      const result = await runs.up;
      const millis = Date.now() - started;
      previews.set(layer, runs.preview);
      settle.get(layer)?.({ result, preview: runs.preview, upstreamRead: upstreamReadOf(result, upstream, upstreamSecrets) });
      if (result.ok) {
        upstream[stackName] = result.plan.outputs;
        upstreamSecrets[stackName] = result.plan.secretOutputNames;
        outcomes.push({ layer, stackName, status: "planned", plan: result.plan, millis, ...(reused ? { reused: true } : {}) });
      } else {
        const status: LayerStatus = result.failure.kind === "input" ? "invalid-config" : result.failure.kind === "blocked" ? "blocked" : "failed";
        outcomes.push({ layer, stackName, status, failure: result.failure, millis });
        blockedBy = stackName;
      }
    }
  } finally {
    for (const w of workers.values()) w.dispose();
    for (const resolve of settle.values()) resolve(undefined); // layers never run (an upstream failed)
  }

  // Each planned layer's preview pass (run after its `up` pass, alongside the downstream layers).
  for (const o of outcomes) {
    if (o.status !== "planned") continue;
    const preview = await previews.get(o.layer)!;
    if (preview.ok) o.preview = preview.plan;
    else Object.assign(o, { status: "failed" satisfies LayerStatus, failure: { ...preview.failure, message: `preview: ${preview.failure.message}` } });
  }

  const files: string[] = [];
  const docs: PreviewDocument[] = [];
  const upDocs: PreviewDocument[] = [];
  for (const o of outcomes) {
    if (!o.plan || !o.preview) continue;
    const doc = previewDocumentOf(o.preview);
    const upDoc = previewDocumentOf(o.plan);
    docs.push(doc);
    upDocs.push(upDoc);
    files.push(writeFileAtomic(path.join(options.outDir, `${o.stackName}.preview.json`), doc));
    files.push(writeFileAtomic(path.join(options.outDir, `${o.stackName}${UP_DOCUMENT_SUFFIX}`), upDoc));
    files.push(writeFileAtomic(path.join(options.outDir, `${o.stackName}.outputs.json`), outputsDocumentOf(o.plan)));
  }
  // Pins reach the policies the way they reach a real preview: through what the programs declared from the stack
  // config (`fp_pinned_handle`), never through policy config. The preview verdict is what the PR's
  // `pulumi preview --policy-pack` shows; the up verdict is what `pulumi up` would block on.
  const policyPack = loadPolicyPack();
  const policy = withCrossStack(await evaluatePolicies(docs, policyPack, options.policyConfig, options.policyConfigSource), docs, registry);
  const upPolicy = withCrossStack(await evaluatePolicies(upDocs, policyPack, options.policyConfig, options.policyConfigSource), upDocs, registry);
  files.push(writeFileAtomic(path.join(options.outDir, "policy-report.json"), policy));
  files.push(writeFileAtomic(path.join(options.outDir, UP_POLICY_REPORT), upPolicy));
  files.push(writeFileAtomic(path.join(options.outDir, "policy-report.sarif"), sarifOf(policy, policyPack, docs)));
  const closedWindow = closedWindowRun ? await closedWindowRun : undefined;
  const closedDocs = closedWindow?.outcomes.flatMap((o) => (o.preview ? [previewDocumentOf(o.preview)] : []));
  const closed = closedDocs?.length ? { docs: closedDocs, source: path.join(options.shownDir ?? options.outDir, CLOSED_WINDOW_DIR) } : undefined;
  const cost = planCost(docs, { env: options.env, outDir: options.outDir, projectDir, ...(closed ? { closed } : {}) });
  files.push(...cost.files);

  const blockers = outcomes.flatMap((o) => o.plan?.blockers ?? []);
  const mandatory = policy.summary.mandatory + upPolicy.summary.mandatory + (closedWindow ? closedWindow.policy.summary.mandatory + closedWindow.upPolicy.summary.mandatory : 0);
  const exitCode = outcomes.some((o) => o.status === "invalid-config") ? 2 : outcomes.some((o) => o.status !== "planned") || mandatory > 0 || blockers.length > 0 ? 1 : 0;
  return { outcomes, policy, upPolicy, cost, blockers, exitCode, files, ...(closedWindow ? { closedWindow } : {}) };
}

/** Layers that have a program; the default selection of `plan`. */
export function builtLayers(): Layer[] {
  return LAYER_SPECS.map((s) => s.layer).filter((l) => LAYER_PROGRAMS[l] !== undefined);
}
