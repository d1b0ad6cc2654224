/**
 * Child-process entry of the plan engine: receives one {@link WorkerJob} over IPC, runs the layer's program once
 * per pass (`up` first: its outputs feed the next layers; then `preview`) and sends each pass's
 * {@link LayerResult} back as soon as it has it.
 */
import { LAYER_PROGRAMS } from "../../stacks";
import { Layer } from "../layers";
import { LayerJob, LayerResult, Pass, runLayerInProcess } from "./runLayer";

/** A layer job and the passes to run it in, in order. */
export type WorkerJob = Omit<LayerJob, "preview"> & { passes: Pass[] };
export interface WorkerReply {
  pass: Pass;
  result: LayerResult;
}

// Started ahead of its job (`<layer>` in argv): load the layer's program and its provider SDKs now, while the
// upstream layers run. A module that fails to load fails again, and is reported, when the job runs it.
try {
  LAYER_PROGRAMS[process.argv[2] as Layer]?.();
} catch {
  // reported by the job
}

let current: { job: WorkerJob; pass: Pass } | undefined;
let failed = false;

function send(reply: WorkerReply): Promise<void> {
  return new Promise((resolve) => (process.send ? process.send(reply, () => resolve()) : resolve()));
}

// A failing program also rejects promises the runtime holds elsewhere; the first failure is the one reported, for
// the pass that was running, and ends the worker.
process.on("unhandledRejection", (reason) => {
  if (failed) return;
  failed = true;
  const job = current?.job;
  const failure = { kind: "program" as const, message: String(reason) };
  void send({ pass: current?.pass ?? "up", result: { ok: false, layer: job?.layer ?? "core", stackName: job?.stackName ?? "(unknown)", failure } }).then(() => process.exit(0));
});

process.once("message", (job: WorkerJob) => {
  void (async () => {
    for (const pass of job.passes) {
      current = { job, pass };
      let result: LayerResult;
      try {
        result = await runLayerInProcess({ ...job, preview: pass === "preview" });
      } catch (e) {
        result = { ok: false, layer: job.layer, stackName: job.stackName, failure: { kind: "program", message: e instanceof Error ? (e.stack ?? e.message) : String(e) } };
      }
      if (failed) return;
      await send({ pass, result });
      if (!result.ok) break;
    }
    failed = true;
    process.exit(0);
  })();
});
