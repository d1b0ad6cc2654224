import type { PassJob, PassReply } from "../../src/plan/layerWorker";
import type { PassRunner } from "../../src/plan/poolServer";
import { PassMemo } from "./passMemo";

type Job = Omit<PassJob, "id">;

const job = (projectDir: string, stackName = "dev-full-core", config: Record<string, string> = {}): Job =>
  ({
    projectDir,
    policy: {},
    job: {
      stackName,
      layer: "core",
      project: "fraud-platform",
      organization: "organization",
      region: "eu-west-2",
      config,
      secretKeys: [],
      upstream: {},
      upstreamSecrets: {},
      preview: true,
    },
  }) as Job;

class CountingPool implements PassRunner {
  readonly jobs: Job[] = [];
  failNext = false;
  run(j: Job): Promise<PassReply> {
    this.jobs.push(j);
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error("worker lost"));
    }
    return Promise.resolve({ id: this.jobs.length, pack: { name: "p", version: "1" } } as unknown as PassReply);
  }
}

describe("the test run's pass memo", () => {
  it("runs a job of the shipped tree once, and answers the same job again from its reply", async () => {
    const pool = new CountingPool();
    const memo = new PassMemo(pool, "/project");
    const [a, b] = await Promise.all([memo.run(job("/project")), memo.run(job("/project"))]);
    const c = await memo.run(job("/project"));
    expect(pool.jobs).toHaveLength(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(memo.counts).toEqual({ ran: 1, reused: 2 });
  });

  it("runs a job that differs in anything (config, stack) on its own", async () => {
    const pool = new CountingPool();
    const memo = new PassMemo(pool, "/project");
    await memo.run(job("/project"));
    await memo.run(job("/project", "dev-full-core", { "fraud-platform:x": "1" }));
    await memo.run(job("/project", "dev-full-streaming"));
    expect(pool.jobs).toHaveLength(3);
  });

  it("always runs a job of another project directory (a test's edited copy)", async () => {
    const pool = new CountingPool();
    const memo = new PassMemo(pool, "/project");
    await memo.run(job("/tmp/copy"));
    await memo.run(job("/tmp/copy"));
    expect(pool.jobs).toHaveLength(2);
    expect(memo.counts).toEqual({ ran: 2, reused: 0 });
  });

  it("does not remember a pass that could not run", async () => {
    const pool = new CountingPool();
    const memo = new PassMemo(pool, "/project");
    pool.failNext = true;
    await expect(memo.run(job("/project"))).rejects.toThrow("worker lost");
    await expect(memo.run(job("/project"))).resolves.toMatchObject({ id: 2 });
    expect(pool.jobs).toHaveLength(2);
  });
});
