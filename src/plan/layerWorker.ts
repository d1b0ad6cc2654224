/**
 * Child-process entry of the plan engine: a warm worker. It loads every layer's program and the policy pack (the
 * provider SDKs) once, then runs {@link PassJob}s one at a time, each in a fresh Pulumi runtime state
 * (`runLayerInProcess`), and judges each pass's document with the pack before replying.
 *
 * A program that fails is run again with stack traces kept, in a fresh worker (the engine asks for it), so its
 * error reads as it would under `pulumi up`; the worker whose program failed exits, since its runtime may hold that
 * program's pending work.
 */
import "../installLazySdk";
import { performance } from "perf_hooks";
import { LAYER_PROGRAMS } from "../../stacks";
import { mapStack } from "../bundleMap";
import { PROJECT_DIR_ENV } from "../config/settings";
import { InputError } from "../errors";
import type { PolicyPackDefinition, PolicyPackConfig } from "../policy/harness";
import { PackMetadata, PolicyReport, packMetadataOf } from "../policy/report";
import { previewDocumentOf } from "./previewDocument";
import { LayerJob, LayerResult, runLayerInProcess } from "./runLayer";

/** One pass of one layer, and the pack config to judge its document with. */
export interface PassJob {
  id: number;
  job: LayerJob;
  /** The project whose programs run (its stack files and registry); the worker's programs read it per pass. */
  projectDir: string;
  policy: { config?: PolicyPackConfig; source?: string };
  /** Keep stack traces (the engine's second run of a pass whose program failed). */
  stackTraces?: boolean;
}

/** The pass's result and the pack's verdict on its document (or why the pack config was refused). */
export interface PassReply {
  id: number;
  result: LayerResult;
  report?: PolicyReport;
  /** The pack config was refused: bad input, named file, key and fix. */
  configProblem?: { summary: string; problems: InputError["problems"] };
  /** The program failed without stack traces: run the pass again with them, in a fresh worker. */
  retryWithStackTraces?: boolean;
  pack: PackMetadata;
  /** ms the program ran and the pack judged its document. */
  millis?: { run: number; judge: number };
  /** The worker exits after this reply (its program failed): the engine sends it no further job. */
  exiting?: boolean;
}

// The programs of the layers named in argv (default all), loaded ahead of the first job while the engine checks
// config and upstream layers run. A module that fails to load fails again, and is reported, when a job runs it.
const preload = process.argv.slice(2);
for (const [layer, load] of Object.entries(LAYER_PROGRAMS)) {
  if (preload.length && !preload.includes(layer)) continue;
  try {
    load?.();
  } catch {
    // reported by the job
  }
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pack: PolicyPackDefinition = (require("../../policies/pack") as typeof import("../../policies/pack")).policyPack;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { evaluatePolicies } = require("../policy/harness") as typeof import("../policy/harness");
const metadata = packMetadataOf(pack);

/**
 * A worker whose program failed exits with this code once it has replied: its runtime still holds the failed
 * program's promises (a non-zero exit also keeps the SDK from reporting them as leaked).
 */
const FAILED_PROGRAM_EXIT = 1;

let current: PassJob | undefined;
let failed = false;

function send(reply: PassReply): Promise<void> {
  return new Promise((resolve) => (process.send ? process.send(reply, () => resolve()) : resolve()));
}

/** A failed program's report; its stack trace names the project's sources, not the bundle (src/bundleMap.ts). */
function programFailure(job: PassJob, message: string): PassReply {
  return {
    id: job.id,
    result: { ok: false, layer: job.job.layer, stackName: job.job.stackName, failure: { kind: "program", message: mapStack(message) } },
    pack: metadata,
    ...(job.stackTraces ? {} : { retryWithStackTraces: true }),
  };
}

// A failing program also rejects promises the runtime holds elsewhere; the first failure is the one reported, for
// the pass that was running, and ends the worker.
process.on("unhandledRejection", (reason) => {
  if (failed || !current) return;
  failed = true;
  void send({ ...programFailure(current, reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)), exiting: true }).then(() =>
    process.exit(FAILED_PROGRAM_EXIT),
  );
});

async function judged(job: PassJob, result: LayerResult): Promise<PassReply> {
  if (!result.ok) return { id: job.id, result, pack: metadata };
  try {
    const report = await evaluatePolicies([previewDocumentOf(result.plan)], pack, job.policy.config, job.policy.source);
    return { id: job.id, result, report, pack: metadata };
  } catch (e) {
    if (e instanceof InputError) return { id: job.id, result, configProblem: { summary: e.summary, problems: e.problems }, pack: metadata };
    throw e;
  }
}

async function runJob(job: PassJob): Promise<void> {
  current = job;
  let reply: PassReply;
  try {
    process.env[PROJECT_DIR_ENV] = job.projectDir;
    const started = performance.now();
    const result = await runLayerInProcess(job.job, { stackTraces: job.stackTraces });
    const ran = performance.now();
    reply = !result.ok && result.failure.kind === "program" ? programFailure(job, result.failure.message) : await judged(job, result);
    reply.millis = { run: ran - started, judge: performance.now() - ran };
  } catch (e) {
    reply = programFailure(job, e instanceof Error ? (e.stack ?? e.message) : String(e));
  }
  if (failed) return;
  if (!reply.result.ok && reply.result.failure.kind === "program") failed = true;
  current = undefined;
  await send(failed ? { ...reply, exiting: true } : reply);
  if (failed) process.exit(FAILED_PROGRAM_EXIT);
}

// The engine gone, the worker goes too.
process.on("disconnect", () => process.exit(0));

// The engine sends a job only to an idle worker; the chain keeps them in order all the same.
let queue = Promise.resolve();
process.on("message", (job: PassJob) => {
  queue = queue.then(() => runJob(job));
});
