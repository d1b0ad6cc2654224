/**
 * One chain of the plan: every selected layer's two passes on the worker pool, each layer as soon as the layers it
 * reads have their `up` outputs. The closed window's chain runs alongside the open one on the same pool and takes
 * the open chain's run of a layer (its documents and verdicts) where {@link reusable} says they are the same.
 */
import canonicalize from "canonicalize";
import * as fs from "fs";
import * as path from "path";
import { InputError } from "../errors";
import { LAYER_SPECS, Layer, layerSpec, stackNameFor } from "../layers";
import type { PolicyPackConfig } from "../policy/harness";
import { PackMetadata, PolicyReport } from "../policy/report";
import { Registry } from "../registry/registry";
import type { PassReply } from "./layerWorker";
import { PropertyMap } from "./previewDocument";
import { LayerFailure, LayerJob, LayerResult } from "./runLayer";
import { stackConfigFor } from "./stackConfig";
import type { PassRunner } from "./poolServer";

/** A pass's result with the pack's verdict on its document. */
export interface JudgedPass {
  result: LayerResult;
  report?: PolicyReport;
}

/** One layer's run in one chain. */
export interface ChainRun {
  layer: Layer;
  stackName: string;
  up: JudgedPass;
  preview: Promise<JudgedPass>;
  /** ms from the layer's start (its upstream ready) to its `up` outputs. */
  millis: number;
  /** Canonical JSON of the outputs (and secret names) of each upstream stack the layer read, by stack name. */
  upstreamRead: Record<string, string>;
  /** Taken from the other chain. */
  reused?: boolean;
  /** Not run: this upstream stack was not planned. */
  skippedFor?: string;
}
export type ChainRuns = Map<Layer, Promise<ChainRun>>;

export interface ChainOptions {
  env: string;
  layers: Layer[];
  projectDir: string;
  pins?: Record<string, string>;
  config?: Record<string, string>;
  secrets?: Record<string, string>;
  policy: { config?: PolicyPackConfig; source?: string };
  /** Where outputs of layers not in this run are read from. */
  earlierDir: string;
  registry: Registry;
  pool: PassRunner;
  /** Queue position of this chain's `up` passes (the open chain's go first); its previews queue after every chain's `up`. */
  priority: number;
  /** The other chain's runs, taken where they are the same. */
  reuse?: ChainRuns;
}

export interface ChainResult {
  runs: ChainRun[];
  /** The pack's metadata, from any worker's reply. */
  pack?: PackMetadata;
}

/**
 * How far behind a chain's `up` passes its previews queue: an `up` pass feeds the layers downstream (in either
 * chain) and a preview feeds nothing, so every chain's `up` passes go first and the previews fill the gaps.
 */
export const PREVIEW_PRIORITY = 2;

/** Outputs of stacks planned by an earlier run, for StackReferences to layers not in this run. */
function earlierOutputs(dir: string, stackName: string): PropertyMap | undefined {
  const file = path.join(dir, `${stackName}.outputs.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as PropertyMap) : undefined;
}

function upstreamDigest(stackName: string, upstream: Record<string, PropertyMap>, secrets: Record<string, string[]>): string {
  return canonicalize({ outputs: upstream[stackName] ?? null, secrets: secrets[stackName] ?? [] }) ?? "";
}

/**
 * Whether the other chain's run of a layer is this chain's too: its program never asked for the window setting
 * (the only config the chains differ in) and every upstream stack it read holds the same outputs here.
 */
export function reusable(run: ChainRun | undefined, upstream: Record<string, PropertyMap>, secrets: Record<string, string[]>): run is ChainRun {
  if (!run?.up.result.ok || run.up.result.windowConsulted) return false;
  return Object.entries(run.upstreamRead).every(([stack, digest]) => upstreamDigest(stack, upstream, secrets) === digest);
}

/** A failure that names the undeclared upstream stack a layer's program read, with the fix. */
function undeclaredRead(layer: Layer, result: LayerResult, declared: readonly string[]): LayerResult {
  if (result.ok) {
    const extra = result.upstreamRead.filter((s) => !declared.includes(s));
    if (extra.length === 0) return result;
    return { ok: false, layer, stackName: result.plan.stackName, failure: { kind: "program", message: undeclaredMessage(layer, extra) } };
  }
  return result;
}

function undeclaredMessage(layer: Layer, stacks: string[]): string {
  return `layer ${layer} read stack ${stacks.join(", ")}, which src/layers.ts does not list in its \`reads\`: add the layer there (the plan runs a layer once the layers it reads are applied)`;
}

/** Throws the pack config's problems (bad input, exit 2) that a worker reported. */
function judged(reply: PassReply, packs: { pack?: PackMetadata }): JudgedPass {
  packs.pack ??= reply.pack;
  if (reply.configProblem) throw new InputError(reply.configProblem.summary, reply.configProblem.problems);
  return { result: reply.result, ...(reply.report ? { report: reply.report } : {}) };
}

/** Runs the chain; resolves each layer's run in `share` as soon as its `up` pass is in. */
export function runChain(options: ChainOptions, share: ChainRuns = new Map()): { share: ChainRuns; done: Promise<ChainResult> } {
  const packs: { pack?: PackMetadata } = {};
  const organization = (config: Record<string, string>) => config["fraud-platform:organization"] ?? options.registry.string("PULUMI_ORGANIZATION");
  const project = options.registry.string("PULUMI_PROJECT_NAME");
  const region = options.registry.string("AWS_REGION");

  const runLayer = async (layer: Layer): Promise<ChainRun> => {
    const stackName = stackNameFor(options.env, layer);
    const reads = layerSpec(layer).reads;
    const upstream: Record<string, PropertyMap> = {};
    const upstreamSecrets: Record<string, string[]> = {};
    for (const read of reads) {
      const readName = stackNameFor(options.env, read);
      const run = share.get(read);
      if (!run) {
        const earlier = earlierOutputs(options.earlierDir, readName);
        if (earlier) upstream[readName] = earlier;
        continue;
      }
      const upRun = await run;
      if (!upRun.up.result.ok || upRun.skippedFor) return skipped(layer, stackName, upRun.skippedFor ?? readName);
      upstream[readName] = upRun.up.result.plan.outputs;
      upstreamSecrets[readName] = upRun.up.result.plan.secretOutputNames;
    }
    const started = Date.now();
    const prior = options.reuse ? await options.reuse.get(layer) : undefined;
    if (reusable(prior, upstream, upstreamSecrets)) return { ...prior, millis: Date.now() - started, reused: true };

    const raw = stackConfigFor(options.projectDir, stackName, options.pins);
    const config = { ...raw.config, ...options.config, ...options.secrets };
    const job: Omit<LayerJob, "preview"> = {
      stackName,
      layer,
      project,
      organization: organization(config),
      region,
      config,
      secretKeys: [...raw.secretKeys, ...Object.keys(options.secrets ?? {})],
      upstream,
      upstreamSecrets,
    };
    const declared = reads.map((r) => stackNameFor(options.env, r));
    const pass = (preview: boolean, priority: number) =>
      options.pool.run({ job: { ...job, preview }, projectDir: options.projectDir, policy: options.policy }, priority).then((reply) => {
        const j = judged(reply, packs);
        return { ...j, result: undeclaredRead(layer, j.result, declared) };
      });
    // The downstream layers read this layer's `up` outputs (a PR previews against deployed upstream stacks).
    const up = pass(false, options.priority);
    const preview = pass(true, options.priority + PREVIEW_PRIORITY);
    preview.catch(() => undefined); // awaited by the caller; a failure must not go unhandled meanwhile
    const upPass = await up;
    const upstreamRead = upPass.result.ok ? Object.fromEntries(upPass.result.upstreamRead.map((n) => [n, upstreamDigest(n, upstream, upstreamSecrets)])) : {};
    return { layer, stackName, up: upPass, preview, millis: Date.now() - started, upstreamRead };
  };

  for (const spec of LAYER_SPECS) {
    if (!options.layers.includes(spec.layer)) continue;
    const run = runLayer(spec.layer);
    run.catch(() => undefined); // awaited by `done`, the downstream layers and the other chain; none may leave it unhandled
    share.set(spec.layer, run);
  }
  const done = (async () => {
    const runs: ChainRun[] = [];
    for (const spec of LAYER_SPECS) {
      const run = share.get(spec.layer);
      if (run) runs.push(await run);
    }
    return { runs, pack: packs.pack };
  })();
  return { share, done };
}

function skipped(layer: Layer, stackName: string, upstream: string): ChainRun {
  const failure: LayerFailure = { kind: "blocked", message: `upstream ${upstream} was not planned` };
  const result: LayerResult = { ok: false, layer, stackName, failure };
  return { layer, stackName, up: { result }, preview: Promise.resolve({ result }), millis: 0, upstreamRead: {}, skippedFor: upstream };
}
