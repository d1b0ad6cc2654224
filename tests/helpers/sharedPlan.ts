/**
 * Offline plans of the shipped project, shared by every test file of one jest run: each distinct (layers, pins)
 * plan runs once, in whichever worker asks first; other workers wait for its result. The cache lives in a fresh
 * directory per run (tests/helpers/globalSetup.ts), so a code change is always planned again. Treat the plan
 * directory as read-only: copy it (`copyPlanDir`) before planning more layers into it.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Layer } from "../../src/layers";
import { PlanResult, runPlan } from "../../src/plan/engine";
import { STACK_SECRETS } from "./pins";

export const PLAN_CACHE_ENV = "FRAUD_PLATFORM_TEST_PLAN_CACHE";

export interface SharedPlan {
  result: PlanResult;
  /** Directory holding the plan's files (read-only). */
  outDir: string;
}

const WAIT_MS = 10 * 60 * 1000;

function cacheRoot(): string {
  const root = process.env[PLAN_CACHE_ENV] ?? path.join(os.tmpdir(), `fraud-platform-plan-cache-${process.ppid}`);
  fs.mkdirSync(root, { recursive: true });
  return root;
}

/** Waits for the planning worker's result, or rethrows its failure as soon as it records one. */
async function waitFor(file: string, errorFile: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!fs.existsSync(file)) {
    if (fs.existsSync(errorFile)) throw new Error(`the shared plan failed in another test worker:\n${fs.readFileSync(errorFile, "utf8")}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for the shared plan ${file}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Plan options beyond layers and pins that a shared plan may vary: the closed-window chain, extra stack config, the
 * stacks' secrets (default {@link STACK_SECRETS}: the Databricks token a configured user has set).
 */
export interface SharedPlanOptions {
  closedWindowPlan?: boolean;
  config?: Record<string, string>;
  secrets?: Record<string, string>;
}

export async function sharedPlan(layers: Layer[], pins: Record<string, string> = {}, options: SharedPlanOptions = {}): Promise<SharedPlan> {
  const extra = { ...options, secrets: options.secrets ?? STACK_SECRETS };
  const key = createHash("sha256")
    .update(JSON.stringify({ layers, pins: Object.entries(pins).sort(), closed: extra.closedWindowPlan ?? false, config: Object.entries(extra.config ?? {}).sort(), secrets: Object.entries(extra.secrets).sort() }))
    .digest("hex")
    .slice(0, 16);
  const dir = path.join(cacheRoot(), key);
  const outDir = path.join(dir, "plan");
  const resultFile = path.join(dir, "result.json");
  const errorFile = path.join(dir, "error.txt");
  try {
    fs.mkdirSync(dir); // atomic: the first caller plans, the others wait for its result
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    await waitFor(resultFile, errorFile);
    return { result: JSON.parse(fs.readFileSync(resultFile, "utf8")) as PlanResult, outDir };
  }
  let result: PlanResult;
  try {
    result = await runPlan({ env: "dev-full", layers, outDir, pins, ...extra });
  } catch (e) {
    fs.writeFileSync(errorFile, e instanceof Error ? (e.stack ?? e.message) : String(e));
    throw e;
  }
  const tmp = `${resultFile}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(result));
  fs.renameSync(tmp, resultFile);
  return { result, outDir };
}

/** A private, writable copy of a shared plan directory. */
export function copyPlanDir(from: string, to: string = fs.mkdtempSync(path.join(os.tmpdir(), "plan-copy-"))): string {
  fs.cpSync(from, to, { recursive: true });
  return to;
}
