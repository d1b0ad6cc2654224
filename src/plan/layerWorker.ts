/**
 * Child-process entry of the plan engine: receives one {@link LayerJob} over IPC, runs the layer's program in
 * a fresh Pulumi runtime and sends the {@link LayerResult} back.
 */
import { LAYER_PROGRAMS } from "../../stacks";
import { Layer } from "../layers";
import { LayerJob, LayerResult, runLayerInProcess } from "./runLayer";

// Started ahead of its job (`<layer>` in argv): load the layer's program and its provider SDKs now, while the
// upstream layers run. A module that fails to load fails again, and is reported, when the job runs it.
try {
  LAYER_PROGRAMS[process.argv[2] as Layer]?.();
} catch {
  // reported by the job
}

function reply(result: LayerResult): void {
  if (process.send) process.send(result, () => process.exit(0));
  else process.exit(0);
}

// A failing program also rejects promises the runtime holds elsewhere; the first failure is the one reported.
let failed = false;
process.on("unhandledRejection", (reason) => {
  if (failed) return;
  failed = true;
  reply({ ok: false, layer: "core", stackName: "(unknown)", failure: { kind: "program", message: String(reason) } });
});

process.once("message", (job: LayerJob) => {
  runLayerInProcess(job)
    .then((result) => {
      if (!failed) {
        failed = !result.ok;
        reply(result);
      }
    })
    .catch((e: unknown) => {
      failed = true;
      reply({ ok: false, layer: job.layer, stackName: job.stackName, failure: { kind: "program", message: e instanceof Error ? (e.stack ?? e.message) : String(e) } });
    });
});
