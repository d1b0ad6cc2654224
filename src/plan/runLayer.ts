/**
 * Runs one layer's real Pulumi program (`stacks/program.ts`, what the project's `index.ts` runs under `pulumi up`)
 * in this process under mocks, as `pulumi up` (outputs known) or as `pulumi preview` (a first preview's unknowns),
 * and returns what the engine would record. Each run starts from a fresh Pulumi runtime state, so a plan
 * worker (`layerWorker.ts`) runs many layers' passes one after the other.
 */
import * as pulumi from "@pulumi/pulumi";
import { BLOCKER_MODE_ENV, clearRecordedBlockers, recordedBlockers } from "../config/blockers";
import { InputError, UnpinnedHandleError } from "../errors";
import { Layer } from "../registry/schema";
import { resetWindowConsulted, windowConsulted } from "../window/surfaces";
import { MockCloud } from "./mockCloud";
import { LayerPlan, PropertyMap, RecordedResource, UNKNOWN, isSecretValue } from "./previewDocument";
import { RecordingMonitor } from "./recordingMonitor";
import { program } from "../../stacks/program";

/** The runtime's store; its typings mark it internal. The monitor is swapped for the recording one. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getStore } = require("@pulumi/pulumi/runtime/state") as { getStore(): { settings: { monitor: unknown } } };

/** The runtime keeps its state in one global store when no `withLocalStorage` scope is active (as under `pulumi up`). */
const runtimeGlobals = globalThis as { globalStore?: unknown };

export interface LayerJob {
  stackName: string;
  layer: Layer;
  project: string;
  organization: string;
  region: string;
  /** Raw stack config (`namespace:key` -> string), as the CLI hands it to a program. */
  config: Record<string, string>;
  secretKeys: string[];
  upstream: Record<string, PropertyMap>;
  upstreamSecrets: Record<string, string[]>;
  /** Run as a preview (dry run: computed outputs unknown) rather than an update. */
  preview: boolean;
}

/** The two runs of a layer: `pulumi up` (outputs known; they feed the next layers) and a first `pulumi preview`. */
export type Pass = "up" | "preview";

/** Why a layer could not be planned; `kind` decides the exit code (input: 2, blocked/program: 1). */
export interface LayerFailure {
  kind: "input" | "blocked" | "program";
  message: string;
  handle?: string;
  pinCommand?: string;
}

/**
 * `windowConsulted`: the program asked for `fraud-platform:window` (src/window/surfaces.ts); `upstreamRead`: the
 * upstream stacks whose outputs the run depended on.
 */
export type LayerResult =
  { ok: true; plan: LayerPlan; windowConsulted: boolean; upstreamRead: string[] } | { ok: false; layer: Layer; stackName: string; failure: LayerFailure };

export interface RunOptions {
  /**
   * Keep the runtime's stack traces for the program's errors. Without them the SDK still records every resource's
   * source position exactly (it lifts the trace limit for that itself), and the run is several times faster: the
   * SDK captures a source-mapped trace for every promise it creates.
   */
  stackTraces?: boolean;
}

/**
 * One pass of a layer's program in a fresh Pulumi runtime state of this process: the runtime's global store is
 * dropped, so the SDK makes a new one, as in a new `pulumi up` process. (The SDK's `withLocalStorage` would scope
 * the state with an AsyncLocalStorage instead, which turns on Node's promise hooks for every promise of the pass.)
 * Passes run one at a time: each ends with the runtime disconnected, so no work of a pass outlives it.
 */
export async function runLayerInProcess(job: LayerJob, options: RunOptions = {}): Promise<LayerResult> {
  const limit = Error.stackTraceLimit;
  if (!options.stackTraces) Error.stackTraceLimit = 0;
  runtimeGlobals.globalStore = undefined;
  try {
    return await runPass(job);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

async function runPass(job: LayerJob): Promise<LayerResult> {
  process.env[BLOCKER_MODE_ENV] = "record";
  clearRecordedBlockers();
  resetWindowConsulted();
  pulumi.runtime.setAllConfig(job.config, job.secretKeys);
  const cloud = new MockCloud({ region: job.region, upstream: job.upstream, upstreamSecrets: job.upstreamSecrets });
  await pulumi.runtime.setMocks(cloud, job.project, job.stackName, job.preview, job.organization);
  const monitor = new RecordingMonitor(cloud, job.project, job.stackName, job.preview);
  getStore().settings.monitor = monitor;

  try {
    // As `cmd/run` runs the entry point: inside the stack resource.
    await pulumi.runtime.runInPulumiStack(async () => program());
    await pulumi.runtime.disconnect();
  } catch (e) {
    return { ok: false, layer: job.layer, stackName: job.stackName, failure: failureOf(e) };
  }
  const outputs = monitor.stackOutputs;
  return {
    ok: true,
    windowConsulted: windowConsulted(),
    upstreamRead: [...cloud.upstreamRead].sort(),
    plan: {
      layer: job.layer,
      stackName: job.stackName,
      resources: withDefaultProviders(monitor, job),
      reads: monitor.reads,
      outputs,
      secretOutputNames: Object.keys(outputs).filter((k) => isSecretValue(outputs[k])),
      invokes: cloud.invokes,
      blockers: recordedBlockers().map((b) => ({
        code: `${b.kind}:${b.handle}`,
        handle: b.handle,
        layer: job.layer,
        message: b.message,
        pinCommand: b.pinCommand,
      })),
    },
  };
}

/**
 * The engine registers a default provider per package for custom resources and remote components without an
 * explicit one (the SDK does not, so mocks never see them). Adds them as a real preview shows them, with the
 * package's stack config as inputs.
 */
function withDefaultProviders(monitor: RecordingMonitor, job: LayerJob): RecordedResource[] {
  const resources = monitor.resources;
  const providers = new Map<string, RecordedResource>();
  for (const r of resources) {
    const pkg = r.type.split(":")[0];
    if ((!r.custom && !r.remote) || r.provider || pkg === "pulumi") continue;
    let provider = providers.get(pkg);
    if (!provider) {
      const version = packageVersion(pkg);
      const name = `default${version ? `_${version.replace(/\./g, "_")}` : ""}`;
      const inputs: PropertyMap = Object.fromEntries(
        Object.entries(job.config)
          .filter(([k]) => k.startsWith(`${pkg}:`))
          .map(([k, v]) => [k.slice(pkg.length + 1), v]),
      );
      if (version) inputs.version = version;
      provider = { urn: monitor.urnOf("", `pulumi:providers:${pkg}`, name), name, type: `pulumi:providers:${pkg}`, custom: true, id: UNKNOWN, inputs };
      providers.set(pkg, provider);
    }
    r.provider = `${provider.urn}::${provider.id}`;
  }
  const [root, ...rest] = resources;
  return root ? [root, ...providers.values(), ...rest] : [...providers.values()];
}

function packageVersion(pkg: string): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(`@pulumi/${pkg}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

function failureOf(e: unknown): LayerFailure {
  // The runtime wraps errors thrown inside the stack callback; find the original.
  const cause = unwrap(e);
  if (cause instanceof UnpinnedHandleError) return { kind: "blocked", message: cause.message, handle: cause.handle, pinCommand: cause.pinCommand };
  if (cause instanceof InputError) return { kind: "input", message: cause.message };
  return { kind: "program", message: cause instanceof Error ? (cause.stack ?? cause.message) : String(cause) };
}

function unwrap(e: unknown): unknown {
  let cur = e;
  for (let i = 0; i < 5 && cur instanceof Error && !(cur instanceof InputError) && !(cur instanceof UnpinnedHandleError); i++) {
    const next = (cur as Error & { cause?: unknown }).cause;
    if (!next) break;
    cur = next;
  }
  return cur;
}
