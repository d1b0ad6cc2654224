/**
 * Offline plans of the shipped project, shared by every test file of one jest run: each distinct (layers, pins)
 * plan runs once, in whichever worker asks first; other workers wait for its result and see its failure at once
 * (tests/helpers/sharedOnce.ts). The cache lives in a fresh directory per run (tests/helpers/globalSetup.ts), so a
 * code change is always planned again. Treat the plan directory as read-only: copy it (`copyPlanDir`) before
 * planning more layers into it.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Layer } from "../../src/layers";
import { PlanResult, runPlan } from "../../src/plan/engine";
import { STACK_SECRETS } from "./pins";
import { sharedOnce } from "./sharedOnce";

export const PLAN_CACHE_ENV = "FRAUD_PLATFORM_TEST_PLAN_CACHE";

export interface SharedPlan {
  result: PlanResult;
  /** Directory holding the plan's files (read-only). */
  outDir: string;
}

function cacheRoot(): string {
  const root = process.env[PLAN_CACHE_ENV] ?? path.join(os.tmpdir(), `fraud-platform-plan-cache-${process.ppid}`);
  fs.mkdirSync(root, { recursive: true });
  return root;
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
    .update(
      JSON.stringify({
        layers,
        pins: Object.entries(pins).sort(),
        closed: extra.closedWindowPlan ?? false,
        config: Object.entries(extra.config ?? {}).sort(),
        secrets: Object.entries(extra.secrets).sort(),
      }),
    )
    .digest("hex")
    .slice(0, 16);
  const dir = path.join(cacheRoot(), key);
  const outDir = path.join(dir, "plan");
  const result = await sharedOnce(dir, `the shared plan of ${layers.join(",")}`, () => runPlan({ env: "dev-full", layers, outDir, pins, ...extra }));
  return { result, outDir };
}

/** A private, writable copy of a shared plan directory. */
export function copyPlanDir(from: string, to: string = fs.mkdtempSync(path.join(os.tmpdir(), "plan-copy-"))): string {
  fs.cpSync(from, to, { recursive: true });
  return to;
}
