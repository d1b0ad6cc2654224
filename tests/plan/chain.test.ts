import { PREVIEW_PRIORITY, runChain } from "../../src/plan/chain";
import type { PassJob, PassReply } from "../../src/plan/layerWorker";
import type { PassRunner } from "../../src/plan/poolServer";
import { PROJECT_ROOT, loadRegistry } from "../../src/registry/registry";
import { LAYERS } from "../../src/layers";
import { WINDOW_KEY } from "../../src/window/surfaces";

/** A pool that answers every pass at once with an empty, planned stack, and records the queue position it was given. */
class RecordingPool implements PassRunner {
  readonly seen: { stack: string; preview: boolean; window?: string; priority: number }[] = [];
  run(j: Omit<PassJob, "id">, priority = 0): Promise<PassReply> {
    this.seen.push({ stack: j.job.stackName, preview: j.job.preview, window: j.job.config[WINDOW_KEY], priority });
    const plan = { layer: j.job.layer, stackName: j.job.stackName, resources: [], reads: [], outputs: {}, secretOutputNames: [], invokes: [], blockers: [] };
    // The runtime layer reads the window setting, so the closed chain runs it itself.
    const windowConsulted = j.job.layer === "runtime";
    return Promise.resolve({
      id: 0,
      result: { ok: true, plan, windowConsulted, upstreamRead: [] },
      pack: { name: "p", version: "1", policies: [] },
    } as unknown as PassReply);
  }
}

describe("the plan's queue", () => {
  it("puts every chain's up passes ahead of every preview: an up pass feeds the layers downstream, a preview nothing", async () => {
    const pool = new RecordingPool();
    const options = { env: "dev-full", layers: [...LAYERS], projectDir: PROJECT_ROOT, policy: {}, earlierDir: "/nonexistent", registry: loadRegistry(), pool };
    const open = runChain({ ...options, priority: 0 });
    const closed = runChain({ ...options, config: { [WINDOW_KEY]: "closed" }, priority: 1, reuse: open.share });
    await Promise.all([open.done, closed.done]);

    const priorities = (window: string | undefined, preview: boolean) => [
      ...new Set(pool.seen.filter((s) => s.window === window && s.preview === preview).map((s) => s.priority)),
    ];
    expect(priorities(undefined, false)).toEqual([0]);
    expect(priorities("closed", false)).toEqual([1]);
    expect(priorities(undefined, true)).toEqual([PREVIEW_PRIORITY]);
    expect(priorities("closed", true)).toEqual([1 + PREVIEW_PRIORITY]);
    // The closed chain ran what reads the window and took the open chain's run of the rest.
    expect(pool.seen.filter((s) => s.window === "closed" && !s.preview).map((s) => s.stack)).toEqual(["dev-full-runtime"]);
  });
});
