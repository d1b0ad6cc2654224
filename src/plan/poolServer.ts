/**
 * One warm worker pool shared by many processes over a local socket: the test run starts it (jest's global setup)
 * and every test file's plans send their passes to it, instead of each file starting and warming workers of its
 * own. A plan sees the same pool (`PassRunner`): the engine, the chain and the workers are the same code; only
 * the way a pass reaches a worker differs. {@link POOL_SOCKET_ENV} names the socket; without it a plan starts its
 * own workers (`acquirePool`).
 *
 * The protocol is one JSON object per line: `{ id, job, priority }` in, `{ id, reply }` or `{ id, error }` out.
 */
import * as net from "net";
import type { PassJob, PassReply } from "./layerWorker";

/** The socket of a shared pool; plans of a process with it set send their passes there. */
export const POOL_SOCKET_ENV = "FRAUD_PLATFORM_PLAN_POOL_SOCKET";

/** What the engine needs of a pool: run one pass, lower priority first. */
export interface PassRunner {
  run(job: Omit<PassJob, "id">, priority?: number): Promise<PassReply>;
}

interface Request {
  id: number;
  job: Omit<PassJob, "id">;
  priority: number;
}

type Response = { id: number; reply: PassReply } | { id: number; error: string };

/** Reads newline-delimited JSON from a socket. */
function onLines(socket: net.Socket, handle: (message: unknown) => void): void {
  let buffered = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      if (line) handle(JSON.parse(line));
    }
  });
}

/** Serves `pool` on `socketPath` until the returned close() is called. */
export async function servePool(pool: PassRunner, socketPath: string): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    onLines(socket, (message) => {
      const { id, job, priority } = message as Request;
      const send = (r: Response) => {
        if (!socket.destroyed) socket.write(`${JSON.stringify(r)}\n`);
      };
      pool.run(job, priority).then(
        (reply) => send({ id, reply }),
        (e: unknown) => send({ id, error: e instanceof Error ? e.message : String(e) }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, resolve);
  });
  server.unref();
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A pool served by {@link servePool}: one connection, passes multiplexed by id. */
export class RemotePool implements PassRunner {
  private socket?: net.Socket;
  private readonly pending = new Map<number, { resolve(r: PassReply): void; reject(e: Error): void }>();
  private nextId = 1;

  constructor(private readonly socketPath: string) {}

  run(job: Omit<PassJob, "id">, priority = 0): Promise<PassReply> {
    const socket = this.connection();
    const id = this.nextId++;
    return new Promise<PassReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      socket.ref();
      socket.write(`${JSON.stringify({ id, job, priority } satisfies Request)}\n`);
    });
  }

  /** Ends the connection; passes still pending fail. */
  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connection(): net.Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = net.createConnection(this.socketPath);
    const fail = (e: Error) => {
      for (const p of this.pending.values()) p.reject(new Error(`the shared plan pool at ${this.socketPath}: ${e.message}`));
      this.pending.clear();
    };
    socket.on("error", fail);
    socket.on("close", () => fail(new Error("connection closed")));
    onLines(socket, (message) => {
      const r = message as Response;
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if ("error" in r) p.reject(new Error(r.error));
      else p.resolve(r.reply);
      if (this.pending.size === 0) socket.unref();
    });
    this.socket = socket;
    return socket;
  }
}
