/**
 * The destroy half of `npm run teardown`: the five stacks in reverse apply order through the Pulumi Automation
 * API (`LocalWorkspace.selectStack` + `stack.destroy({ excludeProtected: true })`, i.e. `pulumi destroy --yes
 * --skip-preview --exclude-protected`), so the protected retained surfaces survive. A stack that does not exist is
 * skipped (teardown is idempotent: rerun until the residual count is 0); the first failing destroy stops the
 * sequence, because the stacks below it still hold what the failed one depends on.
 */
import * as path from "path";
import { LocalWorkspace, OpMap, PulumiCommand, StackNotFoundError } from "@pulumi/pulumi/automation";
import { PROJECT_ROOT } from "../registry/registry";
import { TeardownStep, teardownOrder } from "./plan";
import { utcSeconds as utc } from "../evidence/digest";

export interface DestroyStacksOptions {
  env: string;
  /** Directory holding Pulumi.yaml (default: the repository root). */
  workDir?: string;
  /** Root of a Pulumi CLI installation (`<root>/bin/pulumi`); default: `pulumi` on PATH. */
  pulumiRoot?: string;
  /** Extra environment for the CLI (PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE, ...). */
  envVars?: Record<string, string>;
  /** Each line the CLI prints, with the stack it belongs to. */
  onOutput?: (stackName: string, text: string) => void;
  /** Clock (injected for determinism). */
  now?: () => Date;
}

export type DestroyStatus = "destroyed" | "absent" | "failed" | "skipped";

export interface StackDestroyResult extends TeardownStep {
  status: DestroyStatus;
  /** Operation counts of the destroy (`delete`, ...), from the stack's last update. */
  resourceChanges?: OpMap;
  /** Why it failed, was skipped or was absent. */
  message?: string;
  started_at_utc?: string;
  finished_at_utc?: string;
}

export interface DestroyRun {
  env: string;
  /** True when every existing stack was destroyed (protected resources excluded). */
  ok: boolean;
  /** The CLI flags the destroy ran with, for the record. */
  command: string;
  results: StackDestroyResult[];
}

/** The telling line of an Automation API error: the CLI's first `error:` diagnostic, else its stderr, else the first line. */
export function cliError(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const diagnostic = lines.find((l) => /^error: /.test(l));
  const stderr = lines.map((l) => /^stderr:\s*(.+)$/.exec(l)?.[1]).find((l): l is string => Boolean(l));
  return diagnostic ?? stderr ?? lines.find((l) => /error/i.test(l)) ?? lines[0] ?? "unknown error";
}

export const DESTROY_COMMAND = "pulumi destroy --yes --skip-preview --exclude-protected";

/** Destroys the stacks in reverse apply order, stopping at the first failure. */
export async function destroyStacks(options: DestroyStacksOptions): Promise<DestroyRun> {
  const workDir = path.resolve(options.workDir ?? PROJECT_ROOT);
  const now = options.now ?? (() => new Date());
  const pulumiCommand = await PulumiCommand.get({ root: options.pulumiRoot });
  const results: StackDestroyResult[] = [];
  let failed: string | undefined;
  for (const step of teardownOrder(options.env)) {
    if (failed) {
      results.push({ ...step, status: "skipped", message: `not attempted: ${failed} failed to destroy` });
      continue;
    }
    const started = now();
    try {
      const stack = await LocalWorkspace.selectStack({ stackName: step.stackName, workDir }, { pulumiCommand, envVars: options.envVars });
      const result = await stack.destroy({ excludeProtected: true, onOutput: (text) => options.onOutput?.(step.stackName, text) });
      results.push({
        ...step,
        status: "destroyed",
        ...(result.summary?.resourceChanges ? { resourceChanges: result.summary.resourceChanges } : {}),
        started_at_utc: utc(started),
        finished_at_utc: utc(now()),
      });
    } catch (e) {
      if (e instanceof StackNotFoundError) {
        results.push({
          ...step,
          status: "absent",
          message: `stack ${step.stackName} does not exist (never applied, or already removed)`,
          started_at_utc: utc(started),
          finished_at_utc: utc(now()),
        });
        continue;
      }
      failed = step.stackName;
      results.push({ ...step, status: "failed", message: cliError(e), started_at_utc: utc(started), finished_at_utc: utc(now()) });
    }
  }
  return { env: options.env, ok: failed === undefined, command: DESTROY_COMMAND, results };
}
