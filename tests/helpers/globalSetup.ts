/** Gives every jest run a fresh shared-plan cache (tests/helpers/sharedPlan.ts). */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PLAN_CACHE_ENV } from "./sharedPlan";

export default function globalSetup(): void {
  process.env[PLAN_CACHE_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), "fraud-platform-plan-cache-"));
}
