/**
 * What a program needs and the environment lacks: TO_PIN handles and required secrets that are not set.
 * `pulumi up`/`preview` fail closed on the first one (the program throws {@link UnpinnedHandleError}, or an
 * InputError for a missing secret). The offline plan runs in "record" mode instead: the value becomes unknown (as
 * an unresolvable value is in a real preview, never an invented one), the blocker is recorded, and the plan goes
 * on to report every blocker of every stack at once, with the command that sets each.
 */
import type * as pulumi from "@pulumi/pulumi";
import { UnpinnedHandleError } from "../errors";

/** The SDK, loaded when a program resolves a value (a process that only checks config never loads it). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = (): typeof pulumi => require("@pulumi/pulumi") as typeof pulumi;

/** Environment variable the plan worker sets to record instead of fail. */
export const BLOCKER_MODE_ENV = "FRAUD_PLATFORM_TO_PIN";

export interface RecordedBlocker {
  /** `TO_PIN`: a registry handle to pin; `SECRET_MISSING`: a required secret of the stack's config to set. */
  kind: "TO_PIN" | "SECRET_MISSING";
  /** The handle, or the secret's full config key (`fraud-platform:databricksToken`). */
  handle: string;
  message: string;
  /** The command that resolves it. */
  pinCommand: string;
}

/** Records a blocker once (record mode only; callers check {@link recording}). */
export function recordBlocker(blocker: RecordedBlocker): void {
  if (!recorded.some((b) => b.kind === blocker.kind && b.handle === blocker.handle)) recorded.push(blocker);
}

/** Whether the plan runs the program in record mode (blockers recorded, not thrown). */
export function recording(): boolean {
  return process.env[BLOCKER_MODE_ENV] === "record";
}

const recorded: RecordedBlocker[] = [];

export function recordedBlockers(): readonly RecordedBlocker[] {
  return recorded;
}

/** Forgets the blockers recorded so far: a plan worker runs many programs, and each reports its own. */
export function clearRecordedBlockers(): void {
  recorded.length = 0;
}

/**
 * Whether a handle that may be TO_PIN is pinned (`lookup` reads it). Unpinned, it fails closed like
 * {@link resolvePinned} (the program stops), or in record mode records the blocker and answers false, so the caller
 * declares nothing that needs the handle.
 */
export function pinnedOrBlocked(lookup: () => string): boolean {
  try {
    lookup();
    return true;
  } catch (e) {
    if (!(e instanceof UnpinnedHandleError) || !recording()) throw e;
    recordBlocker({ kind: "TO_PIN", handle: e.handle, message: e.message, pinCommand: e.pinCommand });
    return false;
  }
}

/** Resolves a pinned value, or fails closed / records a blocker when the handle is TO_PIN and unpinned. */
export function resolvePinned(lookup: () => string): pulumi.Output<string> {
  try {
    return sdk().output(lookup());
  } catch (e) {
    if (!(e instanceof UnpinnedHandleError) || !recording()) throw e;
    recordBlocker({ kind: "TO_PIN", handle: e.handle, message: e.message, pinCommand: e.pinCommand });
    return sdk().output(sdk().unknown) as pulumi.Output<string>;
  }
}
