/**
 * The plan's warm workers: a few Node processes (one per core by default), each loading the provider SDKs, the
 * layer programs and the policy pack once (`layerWorker.ts`, run from its bundle: `src/bundles.ts`), then running
 * passes one at a time, each in a fresh Pulumi runtime state. Jobs queue by priority (a layer's `up` pass feeds the
 * layers downstream, so it goes first) and go to whichever worker is idle. A worker whose program failed exits, and
 * a fresh one takes the next job.
 */
import { ChildProcess, fork } from "child_process";
import * as os from "os";
import type { Layer } from "../layers";
import { PROJECT_ROOT } from "../registry/registry";
import type { PassJob, PassReply } from "./layerWorker";
import type { PassRunner } from "./poolServer";
import { bundle } from "../bundles";

/** A directory: each worker writes its V8 CPU profile there when it exits (`--cpu-prof`), for `npm run bench` work. */
export const PLAN_PROFILE_ENV = "FRAUD_PLATFORM_PLAN_PROFILE";

/** Sets how many workers a plan starts. */
export const PLAN_WORKERS_ENV = "FRAUD_PLATFORM_PLAN_WORKERS";

/** Workers to start: {@link PLAN_WORKERS_ENV}, else one per core, at most 4 (a plan has few independent passes). */
export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
  const set = Number(env[PLAN_WORKERS_ENV]);
  if (Number.isInteger(set) && set > 0) return set;
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

interface Pending {
  job: Omit<PassJob, "id">;
  priority: number;
  seq: number;
  resolve(reply: PassReply): void;
  reject(e: Error): void;
}

class Worker {
  readonly child: ChildProcess;
  busy?: { id: number; pending: Pending };
  alive = true;

  constructor(script: string, preload: readonly string[], onReply: (w: Worker, reply: PassReply) => void, onExit: (w: Worker, e: Error) => void) {
    // No --enable-source-maps: the worker maps its own bundle's positions (src/bundleMap.ts).
    this.child = fork(script, [...preload], {
      execArgv: process.env[PLAN_PROFILE_ENV] ? ["--cpu-prof", `--cpu-prof-dir=${process.env[PLAN_PROFILE_ENV]}`] : [],
      cwd: PROJECT_ROOT,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.child.on("message", (reply: PassReply) => onReply(this, reply));
    this.child.once("error", (e) => onExit(this, e));
    // "close" comes after the IPC channel is drained ("exit" can overtake the last message under load).
    this.child.once("close", (code) => onExit(this, new Error(`plan worker exited with code ${code} without a result`)));
  }
}

export class WorkerPool implements PassRunner {
  private readonly workers: Worker[] = [];
  private readonly queue: Pending[] = [];
  private seq = 0;
  private nextId = 1;
  private closed = false;
  private script?: string;
  private buildError?: Error;
  private held = true;

  /**
   * `preload`: the layers whose programs the workers load ahead of their first job (default all). The workers
   * start once the worker bundle is built (at once when it is up to date); a build that fails fails every job.
   */
  constructor(
    readonly size: number = workerCount(),
    private readonly preload: readonly Layer[] = [],
  ) {
    bundle("plan-worker").then(
      (script) => {
        this.script = script;
        if (this.closed) return;
        for (let i = 0; i < size; i++) this.spawn();
        this.dispatch();
      },
      (e: Error) => {
        this.buildError = e;
        for (const p of this.queue.splice(0)) p.reject(e);
      },
    );
  }

  /**
   * Runs one pass on the first idle worker, lower `priority` first. A pass whose program failed without stack
   * traces runs again with them, in a fresh worker, and that run's reply is the answer.
   */
  run(job: Omit<PassJob, "id">, priority = 0): Promise<PassReply> {
    if (this.closed) return Promise.reject(new Error("the plan's worker pool is closed"));
    if (this.buildError) return Promise.reject(this.buildError);
    return new Promise<PassReply>((resolve, reject) => {
      this.queue.push({ job, priority, seq: this.seq++, resolve, reject });
      this.dispatch();
    }).then((reply) => (reply.retryWithStackTraces ? this.run({ ...job, stackTraces: true }, priority) : reply));
  }

  /** Whether the pool takes jobs. */
  get open(): boolean {
    return !this.closed;
  }

  /** Lets this process exit while the workers idle (they exit with it), or holds it while they work. */
  hold(held: boolean): void {
    this.held = held;
    for (const w of this.workers) {
      if (held) w.child.ref();
      else w.child.unref();
      const channel = w.child.channel as { ref(): void; unref(): void } | undefined;
      if (held) channel?.ref();
      else channel?.unref();
    }
  }

  /** Stops every worker (idle ones at once; a busy one's pass is abandoned). */
  close(): void {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error("the plan's worker pool is closed"));
    for (const w of this.workers) if (w.alive) w.child.kill();
  }

  private spawn(): Worker {
    const w = new Worker(
      this.script!,
      this.preload,
      (worker, reply) => this.onReply(worker, reply),
      (worker, e) => this.onExit(worker, e),
    );
    this.workers.push(w);
    if (!this.held) this.hold(false);
    return w;
  }

  private onReply(w: Worker, reply: PassReply): void {
    const busy = w.busy;
    if (!busy || busy.id !== reply.id) return;
    w.busy = undefined;
    if (reply.exiting) this.retire(w);
    busy.pending.resolve(reply);
    // After the reply's callbacks have queued the passes it unblocks, so the idle worker takes the most urgent.
    setImmediate(() => this.dispatch());
  }

  /** Takes a worker that is about to exit out of the pool, and starts its replacement. */
  private retire(w: Worker): void {
    if (!w.alive) return;
    w.alive = false;
    this.workers.splice(this.workers.indexOf(w), 1);
    if (!this.closed) this.spawn();
  }

  private onExit(w: Worker, e: Error): void {
    const busy = w.busy;
    w.busy = undefined;
    busy?.pending.reject(e);
    this.retire(w);
    this.dispatch();
  }

  private dispatch(): void {
    for (const w of this.workers) {
      if (!w.alive || w.busy || this.queue.length === 0) continue;
      this.queue.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
      const pending = this.queue.shift()!;
      const id = this.nextId++;
      w.busy = { id, pending };
      w.child.send({ ...pending.job, id } satisfies PassJob);
    }
  }
}

/** How long a pool stays warm after a plan, for the next plan of the same process (tests plan many variants). */
const WARM_MS = 3000;
let warm: { pool: WorkerPool; users: number; timer?: NodeJS.Timeout } | undefined;

/**
 * The process's warm pool, started with `preload` when there is none: plans of one process share it, and it closes
 * once no plan has used it for {@link WARM_MS}.
 */
export function acquirePool(preload: readonly Layer[]): WorkerPool {
  if (!warm || !warm.pool.open) warm = { pool: new WorkerPool(workerCount(), preload), users: 0 };
  clearTimeout(warm.timer);
  warm.users++;
  warm.pool.hold(true);
  return warm.pool;
}

/** A plan is done with the pool. */
export function releasePool(pool: WorkerPool): void {
  const w = warm;
  if (!w || w.pool !== pool) return pool.close();
  if (--w.users > 0) return;
  pool.hold(false);
  w.timer = setTimeout(() => {
    if (warm === w) warm = undefined;
    pool.close();
  }, WARM_MS);
  w.timer.unref();
}
