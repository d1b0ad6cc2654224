/** Sorting a finding into the report's buckets: residual, idle cost, retained, deleting, or nothing. */
import { parseArn } from "./arn";
import { costNoteOf } from "./costNotes";
import type { RetainedSet } from "./retained";
import type { CheckedFinding, RetainedItem, ScanItem, ScanMode } from "./types";

export const IDLE_SAFE_REMEDY =
  "apply the idle-safe switch: pulumi config set fraud-platform:idleSafe true --stack <env>-runtime && pulumi up --refresh --stack <env>-runtime (the idle guard's enforce mode does this)";
export const TEARDOWN_REMEDY =
  "rerun npm run teardown (its stack's destroy), or delete it; if it must stay, protect it in its stack and add it to the retained set";
export const TEARDOWN_ONLY_REMEDY = "bills while it exists: only a teardown of its stack retires it (npm run teardown)";

export type Sorted =
  | { bucket: "residual" | "idle_cost"; item: ScanItem }
  | { bucket: "retained"; item: RetainedItem }
  | { bucket: "deleting"; item: { arn: string; state: string } }
  | { bucket: "none" };

/**
 * Where a finding goes. In the retained set: retained. After a teardown, anything else is residual. In idle
 * mode, running capacity is residual (the idle-safe switch must have zeroed it), a persistent surface that bills
 * at rest is an idle cost (only a teardown retires it), and capacity at zero is nothing.
 */
export function classify(finding: CheckedFinding, mode: ScanMode, retained: RetainedSet): Sorted {
  switch (finding.kind) {
    case "deleting":
      return { bucket: "deleting", item: { arn: finding.arn, state: finding.state } };
    case "retained":
      return { bucket: "retained", item: { arn: finding.arn, surface: finding.surface, why: finding.why } };
    case "counted":
      return { bucket: "none" };
  }
  const { arn } = finding;
  const keep = retained.find(arn);
  if (keep) return { bucket: "retained", item: { arn, surface: keep.surface, why: keep.why } };
  const p = parseArn(arn);
  const note = costNoteOf(p?.service ?? "", p?.resourceType ?? "");
  const item: ScanItem = {
    arn,
    service: p?.service ?? "",
    resource_type: p?.resourceType ?? "",
    name: finding.name,
    check: finding.check,
    reason: note.reason,
    ...(finding.detail ? { detail: finding.detail } : {}),
    costly: note.costly,
    remedy: mode === "teardown" ? TEARDOWN_REMEDY : finding.running ? (finding.runningRemedy ?? IDLE_SAFE_REMEDY) : TEARDOWN_ONLY_REMEDY,
  };
  if (mode === "teardown" || finding.running) return { bucket: "residual", item };
  return finding.billsAtRest !== false ? { bucket: "idle_cost", item } : { bucket: "none" };
}
