/**
 * The test run's pass memo, in front of the shared pool (tests/helpers/globalSetup.ts). A pass is a function of its
 * job: the project tree it runs, the stack config, the upstream outputs and the pack config. Many plans of a run
 * repeat passes (the plan of core and streaming starts as the plan of all five layers does, and files plan the same
 * variants), so a job of the shipped tree, which no test edits, runs once per run and later asks get its reply. A
 * job of any other project directory (a test's own edited copy) always runs.
 */
import { createHash } from "crypto";
import type { PassJob, PassReply } from "../../src/plan/layerWorker";
import type { PassRunner } from "../../src/plan/poolServer";

export class PassMemo implements PassRunner {
  private readonly replies = new Map<string, Promise<PassReply>>();
  /** Passes the pool ran, and passes answered from the memo. */
  readonly counts = { ran: 0, reused: 0 };

  constructor(
    private readonly pool: PassRunner,
    private readonly stableProject: string,
  ) {}

  run(job: Omit<PassJob, "id">, priority?: number): Promise<PassReply> {
    if (job.projectDir !== this.stableProject) {
      this.counts.ran++;
      return this.pool.run(job, priority);
    }
    const key = createHash("sha256").update(JSON.stringify(job)).digest("hex");
    const known = this.replies.get(key);
    if (known) {
      this.counts.reused++;
      return known;
    }
    this.counts.ran++;
    const reply = this.pool.run(job, priority);
    this.replies.set(key, reply);
    // A pass that could not run (a pool closed, a worker lost) is asked again, not remembered.
    reply.catch(() => this.replies.delete(key));
    return reply;
  }
}
