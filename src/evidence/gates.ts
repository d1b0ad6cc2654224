/**
 * Phase gates, fail-closed. Each check returns what it saw and the blockers it raises; a phase is PASS only when
 * no check raised a blocker. Checks: the entry gate (the required earlier phases closed PASS in verified bundles
 * that carry their cost-to-outcome receipt, entry inputs, backend expectations), the stacks the phase reads, every
 * handle it needs (materialised in outputs or pinned), the policy report, and the evidence it requires.
 */
import { KeyObject } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { pinCommand, Registry } from "../registry/registry";
import { Layer } from "../registry/schema";
import { PropertyValue, REDACTED, UNKNOWN } from "../plan/previewDocument";
import { BundleVerification, RECORD_FILE, verifyBundle } from "./bundle";
import { receiptProblems } from "./costPair";
import { sha256Hex } from "./digest";
import { EntryInputName, FieldCheck, PhaseLadder, PhaseSpec, RequiredEvidence } from "./phases";
import { SourceSnapshot } from "./sources";
import { DEFERRED_HANDLES_OUTPUT } from "../../stacks/handleOutputs";
import { shellCommand } from "../shell";

export type Verdict = "PASS" | "FAIL";

export type BlockerKind =
  | "entry_gate"
  | "entry_input"
  | "state_backend"
  | "stack_missing"
  | "handle_missing"
  | "handle_unresolved"
  | "handle_to_pin"
  | "policy_violation"
  | "policy_report_missing"
  | "evidence_missing"
  | "evidence_invalid"
  | "application_evidence_required"
  | "cost_receipt_missing"
  | "cost_over_envelope";

export interface Blocker {
  /** Code from the ladder (phases.md), e.g. DFULL-RUN-B0. */
  code: string;
  kind: BlockerKind;
  message: string;
  handle?: string;
  handles?: string[];
  stack?: string;
  evidence?: string;
  /** What to do about it. */
  fix?: string;
}

export interface GateCheck {
  id: string;
  description: string;
  result: Verdict;
  detail?: string;
}

export interface GateOutcome {
  checks: GateCheck[];
  blockers: Blocker[];
}

function check(id: string, description: string, blockers: readonly Blocker[], detail?: string): GateCheck {
  return { id, description, result: blockers.length ? "FAIL" : "PASS", ...(detail ? { detail } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------
// Entry gate

/** The state of an earlier phase's latest bundle, as the entry gate saw it. */
export interface PreviousBundle {
  phase_id: string;
  found: boolean;
  /** Bundle path relative to the out root: `<run>/<phase>/<execution>`. */
  bundle?: string;
  phase_execution_id?: string;
  verdict?: string;
  verified?: boolean;
  manifest_sha256?: string;
  /** sha256 of its `statement.intoto.json`: the link the next phase's record names (hash chain). */
  statement_sha256?: string;
  problems: string[];
}

/** Bundle directories of a phase in a run, oldest first (by the record's written_at_utc, then execution id). */
export function phaseBundles(outRoot: string, runId: string, phaseId: string): string[] {
  const dir = path.join(outRoot, runId, phaseId);
  if (!fs.existsSync(dir)) return [];
  const entries = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => {
      const bundle = path.join(dir, e.name);
      let at = "";
      try {
        const record = JSON.parse(fs.readFileSync(path.join(bundle, RECORD_FILE), "utf8")) as { written_at_utc?: unknown };
        if (typeof record.written_at_utc === "string") at = record.written_at_utc;
      } catch {
        // An unreadable record sorts first; verification reports it if it is the latest.
      }
      return { bundle, at, name: e.name };
    });
  entries.sort((a, b) => (a.at === b.at ? a.name.localeCompare(b.name) : a.at.localeCompare(b.at)));
  return entries.map((e) => e.bundle);
}

/**
 * Inspects the latest bundle of an earlier phase: present, intact, signed (by `trustedKey` when given), PASS and
 * carrying a valid receipt.
 */
export function inspectPreviousBundle(outRoot: string, runId: string, phaseId: string, receiptFields: readonly string[], trustedKey?: KeyObject): PreviousBundle {
  const bundles = phaseBundles(outRoot, runId, phaseId);
  const latest = bundles[bundles.length - 1];
  if (!latest) return { phase_id: phaseId, found: false, problems: [`no bundle of ${phaseId} under ${path.join(runId, phaseId)}/`] };
  const verification: BundleVerification = verifyBundle(latest, { trustedKey });
  const record = verification.record ?? {};
  const problems = [...verification.problems];
  const rel = path.relative(outRoot, latest).split(path.sep).join("/");
  const receiptPath = (record.cost as { receipt?: { bundle_path?: unknown } } | undefined)?.receipt?.bundle_path;
  if (typeof receiptPath !== "string" || !verification.files.includes(receiptPath)) {
    problems.push("no cost-to-outcome receipt in the bundle");
  } else {
    try {
      const receipt = JSON.parse(fs.readFileSync(path.join(latest, receiptPath), "utf8")) as unknown;
      problems.push(...receiptProblems(receipt, receiptFields).map((p) => `receipt: ${p}`));
    } catch (e) {
      problems.push(`receipt unreadable (${(e as Error).message})`);
    }
  }
  const manifest = path.join(latest, "manifest.json");
  return {
    phase_id: phaseId,
    found: true,
    bundle: rel,
    phase_execution_id: typeof record.phase_execution_id === "string" ? record.phase_execution_id : path.basename(latest),
    verdict: typeof record.verdict === "string" ? record.verdict : undefined,
    verified: verification.ok,
    manifest_sha256: fs.existsSync(manifest) ? sha256Hex(fs.readFileSync(manifest)) : undefined,
    statement_sha256: verification.statementSha256,
    problems,
  };
}

export interface EntryInputs {
  git_sha?: string;
  scenario_run_id?: string;
}

export interface EntryGateArgs {
  ladder: PhaseLadder;
  registry: Registry;
  phase: PhaseSpec;
  outRoot: string;
  runId: string;
  inputs: EntryInputs;
  /** The key earlier bundles must be signed with (the emitter's signer): one run, one signing key. */
  trustedKey?: KeyObject;
}

export interface EntryGateOutcome extends GateOutcome {
  previous: PreviousBundle[];
}

export function evaluateEntryGate(args: EntryGateArgs): EntryGateOutcome {
  const { ladder, registry, phase } = args;
  const codes = ladder.gateCodes;
  const receiptFields = registry.string("COST_OUTCOME_RECEIPT_REQUIRED_FIELDS").split(",").map((s) => s.trim());
  const checks: GateCheck[] = [];
  const blockers: Blocker[] = [];
  const previous: PreviousBundle[] = [];

  for (const req of phase.entry_gate.requires_pass) {
    const prev = inspectPreviousBundle(args.outRoot, args.runId, req, receiptFields, args.trustedKey);
    previous.push(prev);
    const these: Blocker[] = [];
    if (!prev.found) {
      these.push({ code: codes.entry_gate, kind: "entry_gate", message: `entry gate: ${req} has no evidence bundle in run ${args.runId}`, fix: `close ${req} first (${shellCommand(["npm", "run", "evidence", "--", "--phase", req, "--run-id", args.runId])} ...)` });
    } else if (!prev.verified) {
      these.push({ code: codes.entry_gate, kind: "entry_gate", message: `entry gate: the ${req} bundle ${prev.bundle} does not verify: ${prev.problems.filter((p) => !p.startsWith("receipt") && !p.startsWith("no cost")).join("; ")}` });
    } else if (prev.verdict !== "PASS") {
      these.push({ code: codes.entry_gate, kind: "entry_gate", message: `entry gate: ${req} closed ${prev.verdict ?? "without a verdict"} (${prev.bundle}); its blockers must be resolved and the phase rerun`, fix: `rerun ${req}` });
    }
    const receiptIssues = prev.found ? prev.problems.filter((p) => p.startsWith("receipt") || p.startsWith("no cost")) : [];
    if (prev.found && receiptIssues.length) {
      these.push({ code: codes.cost_guardrail, kind: "cost_receipt_missing", message: `no spend-only progress (G-09): advancing past ${req} is refused: ${receiptIssues.join("; ")}` });
    }
    blockers.push(...these);
    checks.push(check(`entry.${req}`, `${req} closed PASS with a verified bundle and a cost-to-outcome receipt`, these, prev.bundle));
  }

  for (const input of phase.entry_gate.inputs) {
    const value = args.inputs[input.name as EntryInputName];
    const these: Blocker[] = [];
    if (value === undefined || !new RegExp(input.pattern).test(value)) {
      these.push({
        code: input.blocker,
        kind: "entry_input",
        message: `entry gate: ${input.name} ${value === undefined ? "not supplied" : `${JSON.stringify(value)} does not match ${input.pattern}`}`,
        fix: `pass --${input.name.replace(/_/g, "-")} <value>`,
      });
    }
    blockers.push(...these);
    checks.push(check(`entry.input.${input.name}`, `${input.name} supplied and well-formed`, these, value));
  }

  const expectations = Object.entries(phase.entry_gate.expect);
  if (expectations.length) {
    const these: Blocker[] = [];
    for (const [handle, expected] of expectations) {
      const actual = registry.isPinned(handle) ? registry.value(handle) : undefined;
      if (actual !== expected) {
        these.push({
          code: phase.entry_gate.expect_blocker ?? codes.entry_gate,
          kind: "state_backend",
          handle,
          message: `entry gate: ${handle} is ${actual === undefined ? "not pinned" : JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
        });
      }
    }
    blockers.push(...these);
    checks.push(check("entry.backend", phase.entry_gate.description, these));
  }
  return { checks, blockers, previous };
}

// ---------------------------------------------------------------------------------------------------------------
// Stacks and handles

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
      fix: snapshot.kind === "plan" ? `plan the layer (npm run plan -- --layers ${layer.replace("_", "-")})` : `apply the stack (pulumi up --stack ${s?.stackName ?? layer})`,
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
      states.push({ ...base, resolves_in: "registry", state: "pinned_by_environment", satisfied: true, value_sha256: sha256Hex(String(registry.value(handle.name))) });
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
    check("dod.stacks", `stacks read: ${neededLayers.join(", ")}`, stackBlockers, `${neededLayers.length - stackBlockers.length}/${neededLayers.length} available`),
    {
      id: "dod.handles",
      description: "every needed handle materialised in stack outputs or pinned (G-01)",
      result: unsatisfied ? "FAIL" : "PASS",
      detail: `${satisfied}/${states.length} satisfied`,
    },
  ];
  return { checks, blockers: [...stackBlockers, ...handleBlockers], states };
}

// ---------------------------------------------------------------------------------------------------------------
// Policy

export function evaluatePolicy(ladder: PhaseLadder, phase: PhaseSpec, snapshot: SourceSnapshot, stackNames: readonly string[]): GateOutcome {
  const code = ladder.gateCodes.policy_violation;
  const report = snapshot.policyReport?.document;
  const blockers: Blocker[] = [];
  if (!report) {
    if (phase.requires_policy_report) {
      blockers.push({
        code: ladder.gateCodes.evidence_missing,
        kind: "policy_report_missing",
        message: `no policy report (${snapshot.kind === "plan" ? "policy-report.json missing from the plan directory" : "pass --policy-report FILE from npm run policy-check -- --json"})`,
      });
    }
    return { checks: phase.requires_policy_report || blockers.length ? [check("dod.policy", "policy report present, no mandatory violation", blockers)] : [], blockers };
  }
  const relevant = report.violations.filter((v) => v.enforcementLevel === "mandatory" && (v.stack === undefined || stackNames.includes(v.stack)));
  const byPolicy = new Map<string, typeof relevant>();
  for (const v of relevant) byPolicy.set(v.policy, [...(byPolicy.get(v.policy) ?? []), v]);
  for (const [policyName, vs] of byPolicy) {
    const stacks = [...new Set(vs.map((v) => v.stack ?? "(stack)"))];
    blockers.push({
      code,
      kind: "policy_violation",
      message: `mandatory policy ${policyName}: ${vs.length} violation(s) in ${stacks.join(", ")}: ${vs[0].message.split("\n")[0]}`,
      ...(stacks.length === 1 && stacks[0] !== "(stack)" ? { stack: stacks[0] } : {}),
    });
  }
  return { checks: [check("dod.policy", "no mandatory policy violation in the stacks read", blockers, `${relevant.length} mandatory violation(s)`)], blockers };
}

// ---------------------------------------------------------------------------------------------------------------
// Required evidence

/** Evidence handed in with `--artifact KEY=FILE`. */
export interface SuppliedEvidence {
  key: string;
  /** Where it was read from (for messages only; never recorded). */
  file: string;
  content: Buffer;
  /** Path inside the bundle. */
  bundlePath: string;
}

function fieldAt(doc: unknown, dotted: string): unknown {
  let cur: unknown = doc;
  for (const k of dotted.split(".")) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A registry pattern like `git-{git_sha}-run-{ci_run_id}` as a regex; known inputs fill their tokens. */
export function patternRegExp(pattern: string, inputs: Readonly<Record<string, string | undefined>>): RegExp {
  const parts = pattern.split(/(\{[a-z_]+\})/);
  const body = parts
    .map((p) => {
      const token = /^\{([a-z_]+)\}$/.exec(p);
      if (!token) return escapeRegExp(p);
      const value = inputs[token[1]];
      return value !== undefined ? escapeRegExp(value) : "[A-Za-z0-9._-]+";
    })
    .join("");
  return new RegExp(`^${body}$`);
}

function checkProblem(c: FieldCheck, doc: unknown, registry: Registry, inputs: EntryInputs): string | undefined {
  const value = fieldAt(doc, c.field);
  const shown = value === undefined ? "missing" : JSON.stringify(value);
  if (c.equals !== undefined && value !== c.equals) return `${c.field} is ${shown}, expected ${JSON.stringify(c.equals)}`;
  if (c.pattern !== undefined && (typeof value !== "string" || !new RegExp(c.pattern).test(value))) return `${c.field} is ${shown}, expected to match ${c.pattern}`;
  if (c.equals_input !== undefined) {
    const expected = inputs[c.equals_input as EntryInputName];
    if (expected === undefined || value !== expected) return `${c.field} is ${shown}, expected the ${c.equals_input} of this run (${expected ?? "not supplied"})`;
  }
  if (c.matches_handle_pattern !== undefined) {
    const pattern = registry.string(c.matches_handle_pattern);
    const re = patternRegExp(pattern, { ...inputs });
    if (typeof value !== "string" || !re.test(value)) return `${c.field} is ${shown}, expected ${c.matches_handle_pattern} (${pattern})`;
  }
  return undefined;
}

/** Display form of a required evidence key: the handle's pattern where it is one. */
export function describeEvidence(ladder: PhaseLadder, item: RequiredEvidence): string {
  const pattern = ladder.evidencePattern(item.key);
  return pattern ? `${item.key} (${pattern})` : item.key;
}

export function evaluateRequiredEvidence(
  ladder: PhaseLadder,
  registry: Registry,
  phase: PhaseSpec,
  supplied: ReadonlyMap<string, SuppliedEvidence>,
  inputs: EntryInputs,
): GateOutcome & { required: Array<{ key: string; pattern?: string; supplied: boolean; bundle_path?: string; result: Verdict }> } {
  const checks: GateCheck[] = [];
  const blockers: Blocker[] = [];
  const required: Array<{ key: string; pattern?: string; supplied: boolean; bundle_path?: string; result: Verdict }> = [];
  for (const item of phase.evidence.required) {
    const code = item.blocker ?? ladder.gateCodes.evidence_missing;
    const given = supplied.get(item.key);
    const these: Blocker[] = [];
    if (!given) {
      const application = phase.owner === "application";
      these.push({
        code,
        kind: application ? "application_evidence_required" : "evidence_missing",
        evidence: item.key,
        message: `${application ? "application evidence required" : "required evidence missing"}: ${describeEvidence(ladder, item)}`,
        fix: `supply it with --artifact ${item.key}=FILE`,
      });
    } else {
      let doc: unknown;
      let parsed = true;
      try {
        doc = JSON.parse(given.content.toString("utf8")) as unknown;
      } catch {
        parsed = false;
      }
      if (!parsed && item.checks.length) {
        these.push({ code, kind: "evidence_invalid", evidence: item.key, message: `${item.key}: not a JSON document, so its checks cannot run` });
      }
      if (parsed) {
        const problems = item.checks.map((c) => checkProblem(c, doc, registry, inputs)).filter((p): p is string => p !== undefined);
        // Evidence that reports its own failure never closes a phase.
        if (fieldAt(doc, "overall_pass") === false) problems.push("overall_pass is false");
        if (fieldAt(doc, "verdict") === "FAIL") problems.push("verdict is FAIL");
        for (const p of problems) these.push({ code, kind: "evidence_invalid", evidence: item.key, message: `${item.key}: ${p}` });
      }
    }
    blockers.push(...these);
    const pattern = ladder.evidencePattern(item.key);
    required.push({ key: item.key, ...(pattern ? { pattern } : {}), supplied: given !== undefined, ...(given ? { bundle_path: given.bundlePath } : {}), result: these.length ? "FAIL" : "PASS" });
    checks.push(check(`dod.evidence.${item.key}`, `${phase.owner === "application" ? "application" : "required"} evidence ${describeEvidence(ladder, item)}`, these));
  }
  return { checks, blockers, required };
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
