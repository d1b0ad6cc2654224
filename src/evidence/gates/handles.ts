/**
 * Stacks and handles: the stacks a phase reads are available, and each handle it needs is materialised in its
 * layer's outputs or pinned (in the registry or by the environment).
 */
import { pinCommand, Registry } from "../../registry/registry";
import { Layer } from "../../registry/schema";
import { PropertyValue, REDACTED, UNKNOWN } from "../../plan/previewDocument";
import { DEFERRED_HANDLES_OUTPUT } from "../../../stacks/handleOutputs";
import { sha256Hex } from "../digest";
import { PhaseLadder, PhaseSpec } from "../phases";
import { SourceSnapshot } from "../sources";
import { Blocker, GateCheck, GateOutcome, check } from "./common";

export type HandleStateName =
  | "materialized"
  | "secret"
  | "pinned"
  | "pinned_by_environment"
  | "missing"
  | "empty"
  /** Null by design: a switch keeps the surface off and the stack says why (`deferred_handles`). */
  | "deferred"
  | "unresolved"
  | "to_pin"
  | "stack_unavailable";

/** One row of the handle materialisation snapshot. */
export interface HandleState {
  handle: string;
  owner: string;
  kind: string;
  registry_status: string;
  /** Where the handle must resolve: in its layer's stack outputs, or in the registry (pinned). */
  resolves_in: "stack_output" | "registry";
  stack?: string;
  state: HandleStateName;
  satisfied: boolean;
  /** The output or registry value (outputs are already redacted). */
  value?: PropertyValue;
  /** For values pinned by the environment: their digest, not the value. */
  value_sha256?: string;
  /** For deferred handles: the switch that keeps the surface off, as the stack states it. */
  deferred_reason?: string;
}

/** A short list for messages: the first few names and how many more. */
function listed(names: readonly string[], max = 6): string {
  return names.length > max ? `${names.slice(0, max).join(", ")} (+${names.length - max} more)` : names.join(", ");
}

/**
 * Whether a value is (or holds) one a preview cannot know: Pulumi's unknown sentinel string, or `pulumi.unknown`
 * as it serialises to JSON (`{"__pulumiUnknown": true}`).
 */
function containsUnknown(value: PropertyValue | undefined): boolean {
  if (value === UNKNOWN) return true;
  if (value !== null && typeof value === "object" && !Array.isArray(value) && value.__pulumiUnknown === true) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

function isEmpty(value: PropertyValue | undefined): boolean {
  return value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

export interface HandleOutcome extends GateOutcome {
  states: HandleState[];
}

/**
 * Stacks the phase reads must be available; each needed handle must be materialised in its layer's outputs (when
 * a stack exports it) or pinned in the registry / by the environment. One blocker per missing stack (naming its
 * handles), per unpinned handle, and per handle missing, empty or unresolved in available outputs.
 */
export function evaluateHandles(ladder: PhaseLadder, registry: Registry, phase: PhaseSpec, snapshot: SourceSnapshot): HandleOutcome {
  const code = phase.blockers.missing_handle;
  const needed = ladder.neededHandles(phase.id);
  const stacks = new Map(snapshot.stacks.map((s) => [s.layer, s]));
  const states: HandleState[] = [];
  const stackBlockers: Blocker[] = [];
  const handleBlockers: Blocker[] = [];

  for (const layer of ladder.neededLayers(phase.id)) {
    const s = stacks.get(layer);
    if (s?.outputs) continue;
    const owned = needed.filter((n) => n.exportedBy === layer).map((n) => n.handle.name);
    const reason = s?.problem?.message ?? `stack of layer ${layer} was not read`;
    stackBlockers.push({
      // An unreadable stack (backend/lock problem) raises the phase's state-backend code where it has one.
      code: s?.problem?.kind === "unreadable" ? (phase.entry_gate.expect_blocker ?? code) : code,
      kind: "stack_missing",
      stack: s?.stackName ?? layer,
      handles: owned,
      message: `${s?.stackName ?? layer}: ${reason}${owned.length ? `; its ${owned.length} handle(s) are not materialised: ${listed(owned)}` : ""}`,
      fix:
        snapshot.kind === "plan"
          ? `plan the layer (npm run plan -- --layers ${layer.replace("_", "-")})`
          : `apply the stack (pulumi up --stack ${s?.stackName ?? layer})`,
    });
  }

  for (const { handle, exportedBy } of needed) {
    const base = { handle: handle.name, owner: handle.owner, kind: handle.kind, registry_status: handle.status };
    if (exportedBy) {
      const s = stacks.get(exportedBy);
      const stackName = s?.stackName ?? exportedBy;
      if (!s?.outputs) {
        states.push({ ...base, resolves_in: "stack_output", stack: stackName, state: "stack_unavailable", satisfied: false });
        // Name unpinned handles now: the stack cannot produce them even once it exists.
        if (!registry.isPinned(handle.name)) {
          handleBlockers.push({
            code,
            kind: "handle_to_pin",
            handle: handle.name,
            stack: stackName,
            message: `${handle.name}: TO_PIN and not pinned by the environment; ${stackName} cannot materialise it (G-01)`,
            fix: pinCommand(handle.name, stackName),
          });
        }
        continue;
      }
      const value = s.outputs[handle.name];
      // A switch that keeps a surface off is declared by the stack itself (`deferred_handles`, with the reason).
      const deferredReason = deferredReasonOf(s.outputs, handle.name);
      const state: HandleStateName =
        value === undefined
          ? "missing"
          : containsUnknown(value)
            ? "unresolved"
            : isEmpty(value)
              ? deferredReason
                ? "deferred"
                : "empty"
              : value === REDACTED
                ? "secret"
                : "materialized";
      const satisfied = state === "materialized" || state === "secret" || state === "deferred";
      states.push({
        ...base,
        resolves_in: "stack_output",
        stack: stackName,
        state,
        satisfied,
        ...(value !== undefined && !containsUnknown(value) ? { value } : {}),
        ...(state === "deferred" ? { deferred_reason: deferredReason } : {}),
      });
      if (!satisfied) {
        const toPin = handle.status === "TO_PIN";
        handleBlockers.push({
          code,
          kind: state === "unresolved" ? "handle_unresolved" : toPin ? "handle_to_pin" : "handle_missing",
          handle: handle.name,
          stack: stackName,
          message:
            state === "unresolved"
              ? `${handle.name}: unresolved in ${stackName}'s plan (TO_PIN:${handle.name}${toPin ? "" : " or a TO_PIN handle it depends on"}; nothing that needs it can be created)`
              : `${handle.name}: ${state === "empty" ? `empty (${JSON.stringify(value)})` : state} in ${stackName}'s outputs${toPin ? " (TO_PIN in the registry)" : ""}`,
          ...(toPin ? { fix: pinCommand(handle.name, stackName) } : {}),
        });
      }
      continue;
    }
    if (handle.status === "pinned") {
      states.push({ ...base, resolves_in: "registry", state: "pinned", satisfied: true, value: handle.value as PropertyValue });
    } else if (registry.isPinned(handle.name)) {
      states.push({
        ...base,
        resolves_in: "registry",
        state: "pinned_by_environment",
        satisfied: true,
        value_sha256: sha256Hex(String(registry.value(handle.name))),
      });
    } else {
      states.push({ ...base, resolves_in: "registry", state: "to_pin", satisfied: false });
      handleBlockers.push({
        code,
        kind: "handle_to_pin",
        handle: handle.name,
        message: `${handle.name}: TO_PIN and not pinned by the environment (G-01)`,
        fix: `pin ${handle.name} under fraud-platform:pins in Pulumi.${snapshot.env}.yaml (non-secret) or pass --pin ${handle.name}=<value>`,
      });
    }
  }

  const neededLayers = ladder.neededLayers(phase.id);
  const satisfied = states.filter((s) => s.satisfied).length;
  const unsatisfied = states.length - satisfied;
  const checks: GateCheck[] = [
    check(
      "dod.stacks",
      `stacks read: ${neededLayers.join(", ")}`,
      stackBlockers,
      `${neededLayers.length - stackBlockers.length}/${neededLayers.length} available`,
    ),
    {
      id: "dod.handles",
      description: "every needed handle materialised in stack outputs or pinned (G-01)",
      result: unsatisfied ? "FAIL" : "PASS",
      detail: `${satisfied}/${states.length} satisfied`,
    },
  ];
  return { checks, blockers: [...stackBlockers, ...handleBlockers], states };
}

/** Stack names of layers, for filtering policy violations. */
export function stackNamesOf(snapshot: SourceSnapshot, layers: readonly Layer[]): string[] {
  return snapshot.stacks.filter((s) => layers.includes(s.layer)).map((s) => s.stackName);
}

/** The reason a stack gives for exporting a handle as null (`deferred_handles` output), if any. */
function deferredReasonOf(outputs: Record<string, unknown>, handle: string): string | undefined {
  const deferred = outputs[DEFERRED_HANDLES_OUTPUT];
  if (!deferred || typeof deferred !== "object" || Array.isArray(deferred)) return undefined;
  const reason = (deferred as Record<string, unknown>)[handle];
  return typeof reason === "string" && reason.trim() ? reason : undefined;
}
