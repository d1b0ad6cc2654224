/**
 * The entry gate: the required earlier phases closed PASS in verified bundles that carry their cost-to-outcome
 * receipt, the phase's entry inputs are supplied and well-formed, and the state backend meets its expectations.
 */
import { KeyObject } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Registry } from "../../registry/registry";
import { BundleVerification, RECORD_FILE, verifyBundle } from "../bundle";
import { receiptProblems } from "../costPair";
import { sha256Hex } from "../digest";
import { EntryInputName, PhaseLadder, PhaseSpec } from "../phases";
import { Blocker, GateCheck, GateOutcome, check } from "./common";
import { shellCommand } from "../../shell";

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
export function inspectPreviousBundle(
  outRoot: string,
  runId: string,
  phaseId: string,
  receiptFields: readonly string[],
  trustedKey?: KeyObject,
): PreviousBundle {
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
  const receiptFields = registry
    .string("COST_OUTCOME_RECEIPT_REQUIRED_FIELDS")
    .split(",")
    .map((s) => s.trim());
  const checks: GateCheck[] = [];
  const blockers: Blocker[] = [];
  const previous: PreviousBundle[] = [];

  for (const req of phase.entry_gate.requires_pass) {
    const prev = inspectPreviousBundle(args.outRoot, args.runId, req, receiptFields, args.trustedKey);
    previous.push(prev);
    const these: Blocker[] = [];
    if (!prev.found) {
      these.push({
        code: codes.entry_gate,
        kind: "entry_gate",
        message: `entry gate: ${req} has no evidence bundle in run ${args.runId}`,
        fix: `close ${req} first (${shellCommand(["npm", "run", "evidence", "--", "--phase", req, "--run-id", args.runId])} ...)`,
      });
    } else if (!prev.verified) {
      these.push({
        code: codes.entry_gate,
        kind: "entry_gate",
        message: `entry gate: the ${req} bundle ${prev.bundle} does not verify: ${prev.problems.filter((p) => !p.startsWith("receipt") && !p.startsWith("no cost")).join("; ")}`,
      });
    } else if (prev.verdict !== "PASS") {
      these.push({
        code: codes.entry_gate,
        kind: "entry_gate",
        message: `entry gate: ${req} closed ${prev.verdict ?? "without a verdict"} (${prev.bundle}); its blockers must be resolved and the phase rerun`,
        fix: `rerun ${req}`,
      });
    }
    const receiptIssues = prev.found ? prev.problems.filter((p) => p.startsWith("receipt") || p.startsWith("no cost")) : [];
    if (prev.found && receiptIssues.length) {
      these.push({
        code: codes.cost_guardrail,
        kind: "cost_receipt_missing",
        message: `no spend-only progress (G-09): advancing past ${req} is refused: ${receiptIssues.join("; ")}`,
      });
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
