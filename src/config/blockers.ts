/**
 * TO_PIN handles a program needs. `pulumi up`/`preview` fail closed on the first one (the program throws
 * {@link UnpinnedHandleError}). The offline plan runs in "record" mode instead: the value becomes unknown (as an
 * unresolvable value is in a real preview, never an invented one), the blocker is recorded, and the plan goes on
 * to report every blocker of every stack at once, with the command that pins each.
 */
import * as pulumi from "@pulumi/pulumi";
import { UnpinnedHandleError } from "../errors";

/** Environment variable the plan worker sets to record instead of fail. */
export const BLOCKER_MODE_ENV = "FRAUD_PLATFORM_TO_PIN";

export interface RecordedBlocker {
  handle: string;
  message: string;
  pinCommand: string;
}

const recorded: RecordedBlocker[] = [];

export function recordedBlockers(): readonly RecordedBlocker[] {
  return recorded;
}

/** Resolves a pinned value, or fails closed / records a blocker when the handle is TO_PIN and unpinned. */
export function resolvePinned(lookup: () => string): pulumi.Output<string> {
  try {
    return pulumi.output(lookup());
  } catch (e) {
    if (!(e instanceof UnpinnedHandleError) || process.env[BLOCKER_MODE_ENV] !== "record") throw e;
    if (!recorded.some((b) => b.handle === e.handle)) recorded.push({ handle: e.handle, message: e.message, pinCommand: e.pinCommand });
    return pulumi.output(pulumi.unknown) as pulumi.Output<string>;
  }
}
