import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { PassJob, PassReply } from "../../src/plan/layerWorker";
import { PassRunner, RemotePool, servePool } from "../../src/plan/poolServer";

const job = (stackName: string) => ({ job: { stackName } }) as unknown as Omit<PassJob, "id">;
const socketPath = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pool-server-")), "pool.sock");

describe("a worker pool shared over a socket", () => {
  it("answers each pass with the pool's reply, in any order, and passes the priority on", async () => {
    const seen: [string, number | undefined][] = [];
    const pool: PassRunner = {
      run: async (j, priority) => {
        seen.push([j.job.stackName, priority]);
        await new Promise((r) => setTimeout(r, j.job.stackName === "slow" ? 30 : 1));
        return { id: 0, result: { ok: false, layer: "core", stackName: j.job.stackName, failure: { kind: "program", message: "m" } } } as unknown as PassReply;
      },
    };
    const file = socketPath();
    const server = await servePool(pool, file);
    const remote = new RemotePool(file);
    const [slow, fast] = await Promise.all([remote.run(job("slow"), 3), remote.run(job("fast"))]);
    const stackOf = (r: PassReply) => (r.result.ok ? r.result.plan.stackName : r.result.stackName);
    expect([stackOf(slow), stackOf(fast)]).toEqual(["slow", "fast"]);
    expect(seen).toEqual([
      ["slow", 3],
      ["fast", 0],
    ]);
    remote.close();
    await server.close();
  });

  it("rejects a pass with the pool's error, and every pending pass when the pool goes away", async () => {
    let release: () => void = () => undefined;
    const pool: PassRunner = {
      run: (j) =>
        j.job.stackName === "bad"
          ? Promise.reject(new Error("cannot build the plan-worker bundle"))
          : new Promise<PassReply>((r) => (release = () => r({} as PassReply))),
    };
    const file = socketPath();
    const server = await servePool(pool, file);
    const remote = new RemotePool(file);
    await expect(remote.run(job("bad"))).rejects.toThrow("cannot build the plan-worker bundle");
    const pending = remote.run(job("hangs"));
    await new Promise((r) => setTimeout(r, 20));
    await server.close();
    await expect(pending).rejects.toThrow(/shared plan pool .*connection closed/);
    release();
  });
});
