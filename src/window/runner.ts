/**
 * How a window applies a layer stack: the Automation API runner (`stack.setConfig` + `stack.up` on a local
 * workspace of the project) and the Aurora snapshot config that keeps the data across windows.
 */
import { LocalWorkspace, PulumiCommand, StackNotFoundError } from "@pulumi/pulumi/automation";
import { cliError } from "../teardown/destroy";
import { WINDOW_KEY, WindowSetting } from "./surfaces";

/**
 * Config a window sets on one stack besides `fraud-platform:window`, as `pulumi config set --path` keys; it may read
 * the stack's current value of a key first (`current`, undefined when unset).
 */
export type StackConfigFor = (current: (key: string) => Promise<string | undefined>) => Promise<Record<string, string>>;

/** Brings one layer stack to a window setting (Automation API in production, a fake in tests). */
export interface StackRunner {
  apply(stackName: string, window: WindowSetting, extraConfig?: StackConfigFor): Promise<StackApplyResult>;
}

export const AURORA_FINAL_SNAPSHOT_KEY = "fraud-platform:auroraSnapshots.finalIdentifier";
export const AURORA_RESTORE_SNAPSHOT_KEY = "fraud-platform:auroraSnapshots.restoreFrom";

/**
 * Aurora across windows (decision 0004): each window that brings Aurora up names its own final snapshot
 * (`<cluster>-final-<phase_execution_id>`, so a second close never collides with the first), and restores the
 * cluster from the previous window's final snapshot, which the runtime stack's config still names.
 */
export function auroraSnapshotConfig(clusterIdentifier: string, phaseExecutionId: string, previousFinal: string | undefined): Record<string, string> {
  const suffix = phaseExecutionId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const finalIdentifier = `${clusterIdentifier}-final-${suffix}`.slice(0, 255).replace(/-+$/, "");
  return {
    [AURORA_FINAL_SNAPSHOT_KEY]: finalIdentifier,
    ...(previousFinal && previousFinal !== finalIdentifier ? { [AURORA_RESTORE_SNAPSHOT_KEY]: previousFinal } : {}),
  };
}

export interface StackApplyResult {
  stackName: string;
  window: WindowSetting;
  status: "updated" | "absent" | "failed";
  resourceChanges?: Record<string, number>;
  message?: string;
}

export interface AutomationRunnerOptions {
  workDir: string;
  pulumiRoot?: string;
  envVars?: Record<string, string>;
  /** Policy pack directories passed to `up` (the DA-90 budget policies deny an over-envelope window). */
  policyPacks?: string[];
  onOutput?: (stackName: string, text: string) => void;
}

/** `pulumi config set fraud-platform:window <value> --stack S` then `pulumi up --yes --skip-preview`. */
export function automationRunner(options: AutomationRunnerOptions): StackRunner {
  let command: Promise<PulumiCommand> | undefined;
  return {
    async apply(stackName, window, extraConfig) {
      command ??= PulumiCommand.get({ root: options.pulumiRoot });
      try {
        const stack = await LocalWorkspace.selectStack({ stackName, workDir: options.workDir }, { pulumiCommand: await command, envVars: options.envVars });
        await stack.setConfig(WINDOW_KEY, { value: window });
        const current = async (key: string) => {
          try {
            return (await stack.getConfig(key, true)).value;
          } catch {
            return undefined; // not set: `pulumi config get` exits non-zero
          }
        };
        for (const [key, value] of Object.entries(extraConfig ? await extraConfig(current) : {})) await stack.setConfig(key, { value }, true);
        const result = await stack.up({
          onOutput: (t) => options.onOutput?.(stackName, t),
          ...(options.policyPacks?.length ? { policyPacks: options.policyPacks } : {}),
        });
        return { stackName, window, status: "updated", ...(result.summary?.resourceChanges ? { resourceChanges: { ...result.summary.resourceChanges } } : {}) };
      } catch (e) {
        if (e instanceof StackNotFoundError) return { stackName, window, status: "absent", message: `stack ${stackName} does not exist (apply it first)` };
        return { stackName, window, status: "failed", message: cliError(e) };
      }
    },
  };
}
