/**
 * Gives every jest run a fresh shared-plan cache (tests/helpers/sharedPlan.ts), and each plan a test runs one warm
 * worker: jest already runs a test file per core.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PLAN_WORKERS_ENV } from "../../src/plan/workerPool";
import { PLAN_CACHE_ENV } from "./sharedPlan";

export default function globalSetup(): void {
  process.env[PLAN_CACHE_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-platform-plan-cache-"));
  process.env[PLAN_WORKERS_ENV] ??= "1";
}
