/**
 * The offline plan engine (`npm run plan`): runs each selected layer's real program under mocks, in apply order,
 * each in a fresh child process; feeds each layer's outputs to the next layer's StackReferences; evaluates the
 * policy pack on the results; writes the preview, outputs and policy files of INTERFACES.md.
 */
import { fork } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { LAYER_PROGRAMS } from "../../stacks";
import { policyPack } from "../../policies/pack";
import { LAYER_SPECS, Layer, stackNameFor } from "../layers";
import { PROJECT_DIR_ENV } from "../config/fromPulumi";
import { PROJECT_ROOT, loadRegistry } from "../registry/registry";
import { withCrossStack } from "../policy/crossStack";
import { PolicyPackConfig, PolicyReport, evaluatePolicies } from "../policy/harness";
import { sarifOf } from "../policy/sarif";
import { writeFileAtomic } from "../files";
import { CLOSED_WINDOW_DIR, PlanCost, planCost } from "../cost/files";
import { WINDOW_KEY } from "../window/surfaces";
import { LayerFailure, LayerJob, LayerResult } from "./runLayer";
import { LayerPlan, PlanBlocker, PreviewDocument, PropertyMap, outputsDocumentOf, previewDocumentOf } from "./previewDocument";
import { stackConfigFor } from "./stackConfig";

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
  /**
   * Also plan the closed window (`fraud-platform:window: closed`) into `<outDir>/window-closed/`; the cost report
   * prices `postures.betweenWindows` from it. Its verdict is in `closedWindow`, and a mandatory violation there makes
   * the plan's exit code 1 too: a closed window is deployed by `npm run window -- close` like any other plan.
   */
  closedWindowPlan?: boolean;
}

export type LayerStatus = "planned" | "blocked" | "invalid-config" | "failed" | "skipped";

export interface LayerOutcome {
  layer: Layer;
  stackName: string;
  status: LayerStatus;
  plan?: LayerPlan;
  failure?: LayerFailure;
  /** Wall time of the layer's program run, in ms. */
  millis: number;
}

export interface PlanResult {
  outcomes: LayerOutcome[];
  policy: PolicyReport;
  /** Cost model of the planned documents (cost-report.json, cost-summary.html), or why it could not run. */
  cost: PlanCost;
  /** Unresolved TO_PIN handles the programs needed (the plan records them and goes on). */
  blockers: PlanBlocker[];
  /** 0 clean, 1 mandatory violation / blocked / failed layer, 2 bad config. */
  exitCode: 0 | 1 | 2;
  files: string[];
  /** The closed-window plan, when `closedWindowPlan` asked for it. */
  closedWindow?: PlanResult;
}

const WORKER = path.join(__dirname, "layerWorker.ts");

/** Runs one layer job in a fresh Node process (a fresh Pulumi runtime). */
export function runLayerInChild(job: LayerJob, projectDir: string = PROJECT_ROOT): Promise<LayerResult> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [], {
      execArgv: ["--import", "tsx"],
      cwd: PROJECT_ROOT,
      env: { ...process.env, [PROJECT_DIR_ENV]: projectDir },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let settled = false;
    child.once("message", (message: LayerResult) => {
      settled = true;
      resolve(message);
    });
    child.once("error", reject);
    // "close" comes after the IPC channel is drained ("exit" can overtake the last message under load).
    child.once("close", (code) => {
      if (!settled) reject(new Error(`plan worker for ${job.stackName} exited with code ${code} without a result`));
    });
    child.send(job);
  });
}

/** Outputs of stacks planned by an earlier run, for StackReferences to layers not in this run. */
function earlierOutputs(outDir: string, stackName: string): PropertyMap | undefined {
  const file = path.join(outDir, `${stackName}.outputs.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as PropertyMap) : undefined;
}

export async function runPlan(options: PlanOptions): Promise<PlanResult> {
  const projectDir = options.projectDir ?? PROJECT_ROOT;
  const registry = loadRegistry();
  const project = registry.string("PULUMI_PROJECT_NAME");
  const region = registry.string("AWS_REGION");
  fs.mkdirSync(options.outDir, { recursive: true });

  const upstream: Record<string, PropertyMap> = {};
  const upstreamSecrets: Record<string, string[]> = {};
  for (const spec of LAYER_SPECS) {
    const stackName = stackNameFor(options.env, spec.layer);
    const earlier = earlierOutputs(options.outDir, stackName);
    if (earlier && !options.layers.includes(spec.layer)) upstream[stackName] = earlier;
  }

  const outcomes: LayerOutcome[] = [];
  let blockedBy: string | undefined;
  for (const layer of options.layers) {
    const stackName = stackNameFor(options.env, layer);
    if (blockedBy) {
      outcomes.push({ layer, stackName, status: "skipped", failure: { kind: "blocked", message: `upstream ${blockedBy} was not planned` }, millis: 0 });
      continue;
    }
    const raw = stackConfigFor(projectDir, stackName, options.pins);
    const config = { ...raw.config, ...options.config };
    const secretKeys = raw.secretKeys;
    const organization = config["fraud-platform:organization"] ?? registry.string("PULUMI_ORGANIZATION");
    const started = Date.now();
    const result = await runLayerInChild({ stackName, layer, project, organization, region, config, secretKeys, upstream, upstreamSecrets, preview: true }, projectDir);
    const millis = Date.now() - started;
    if (result.ok) {
      upstream[stackName] = result.plan.outputs;
      upstreamSecrets[stackName] = result.plan.secretOutputNames;
      outcomes.push({ layer, stackName, status: "planned", plan: result.plan, millis });
    } else {
      const status: LayerStatus = result.failure.kind === "input" ? "invalid-config" : result.failure.kind === "blocked" ? "blocked" : "failed";
      outcomes.push({ layer, stackName, status, failure: result.failure, millis });
      blockedBy = stackName;
    }
  }

  const files: string[] = [];
  const docs: PreviewDocument[] = [];
  for (const o of outcomes) {
    if (!o.plan) continue;
    const doc = previewDocumentOf(o.plan);
    docs.push(doc);
    files.push(writeFileAtomic(path.join(options.outDir, `${o.stackName}.preview.json`), doc));
    files.push(writeFileAtomic(path.join(options.outDir, `${o.stackName}.outputs.json`), outputsDocumentOf(o.plan)));
  }
  // Pins reach the policies the way they reach a real preview: through what the programs declared from the stack
  // config (`fp_pinned_handle`), never through policy config.
  const policy = withCrossStack(await evaluatePolicies(docs, policyPack, options.policyConfig, options.policyConfigSource), docs, registry);
  files.push(writeFileAtomic(path.join(options.outDir, "policy-report.json"), policy));
  files.push(writeFileAtomic(path.join(options.outDir, "policy-report.sarif"), sarifOf(policy, policyPack, docs)));
  const closedWindow = options.closedWindowPlan
    ? await runPlan({ ...options, outDir: path.join(options.outDir, CLOSED_WINDOW_DIR), config: { ...options.config, [WINDOW_KEY]: "closed" }, closedWindowPlan: false })
    : undefined;
  const closedDocs = closedWindow?.outcomes.flatMap((o) => (o.plan ? [previewDocumentOf(o.plan)] : []));
  const closed = closedDocs?.length ? { docs: closedDocs, source: path.join(options.outDir, CLOSED_WINDOW_DIR) } : undefined;
  const cost = planCost(docs, { env: options.env, outDir: options.outDir, projectDir, ...(closed ? { closed } : {}) });
  files.push(...cost.files);

  const blockers = outcomes.flatMap((o) => o.plan?.blockers ?? []);
  const exitCode = outcomes.some((o) => o.status === "invalid-config")
    ? 2
    : outcomes.some((o) => o.status !== "planned") || policy.summary.mandatory > 0 || blockers.length > 0 || (closedWindow?.policy.summary.mandatory ?? 0) > 0
      ? 1
      : 0;
  return { outcomes, policy, cost, blockers, exitCode, files, ...(closedWindow ? { closedWindow } : {}) };
}

/** Layers that have a program; the default selection of `plan`. */
export function builtLayers(): Layer[] {
  return LAYER_SPECS.map((s) => s.layer).filter((l) => LAYER_PROGRAMS[l] !== undefined);
}
