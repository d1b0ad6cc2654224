/**
 * Gives every jest run a fresh shared-plan cache (tests/helpers/sharedPlan.ts) and one warm plan worker pool that
 * every test file's plans share (src/plan/poolServer.ts): a file's plans then take warm workers instead of
 * starting and warming their own. Two workers: jest runs a test file per core beside them. The pool answers a pass
 * of the shipped tree that an earlier plan of the run already ran from its reply (tests/helpers/passMemo.ts).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LAYERS } from "../../src/layers";
import { POOL_SOCKET_ENV, servePool } from "../../src/plan/poolServer";
import { WorkerPool } from "../../src/plan/workerPool";
import { PROJECT_ROOT } from "../../src/registry/registry";
import { PassMemo } from "./passMemo";
import { PLAN_CACHE_ENV } from "./sharedPlan";

export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-platform-plan-cache-"));
  process.env[PLAN_CACHE_ENV] = dir;
  const pool = new WorkerPool(2, [...LAYERS]);
  const socket = path.join(dir, "pool.sock");
  const server = await servePool(new PassMemo(pool, PROJECT_ROOT), socket);
  process.env[POOL_SOCKET_ENV] = socket;
  (globalThis as { __planPool?: { close(): Promise<void> } }).__planPool = {
    close: async () => {
      await server.close();
      pool.close();
    },
  };
}
