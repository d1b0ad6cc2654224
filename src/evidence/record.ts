/** The phase record of a bundle: its shape, the hash-chain link to the previous phase, the decision line. */
import { CommonFields, EmittedEnvelope } from "./costPair";
import { Blocker, GateCheck, HandleState, PreviousBundle, Verdict } from "./gates";
import { PhaseSpec } from "./phases";
import { SourceSnapshot } from "./sources";

/**
 * The hash-chain link of a record: the ladder's previous phase and the sha256 of the `statement.intoto.json` of
 * the bundle of it the entry gate read (its latest execution in the run). All null at the start of the ladder;
 * the digest is null when the previous phase has no bundle in the run (the entry gate then FAILs the phase).
 */
export interface ChainLink {
  previous_phase_id: string | null;
  previous_phase_execution_id: string | null;
  previous_statement_sha256: string | null;
}

export interface PhaseRecord extends CommonFields {
  record_version: "1";
  phase_name: string;
  plan_phase: string;
  owner: PhaseSpec["owner"];
  env: string;
  authority_refs: string[];
  source: { kind: SourceSnapshot["kind"]; description: string; inputs: SourceSnapshot["inputs"]; git_sha: string };
  entry_gate: { result: Verdict; description: string; checks: GateCheck[]; previous: PreviousBundle[] };
  dod: { result: Verdict; pass_checks: string[]; checks: GateCheck[] };
  evidence_required: Array<{ key: string; pattern?: string; supplied: boolean; bundle_path?: string; result: Verdict }>;
  /** Keys of application evidence still required (application phases). */
  application_evidence_required: string[];
  artifacts: Array<{ path: string; sha256: string; s3_uri: string }>;
  rollback_note: string;
  verdict: Verdict;
  blocker_count: number;
  blockers: Blocker[];
  next_gate: string;
  cost: {
    envelope: { bundle_path: string; s3_uri: string; basis: EmittedEnvelope["envelope_basis"]; max_spend_amount: string };
    receipt: { bundle_path: string; s3_uri: string; spend_amount: string; cost_within_envelope: boolean } | null;
  };
  operator: string;
  chain: ChainLink;
}

/** The chain link to the previous phase, from the bundle the entry gate inspected. */
export function chainLinkOf(previous: PhaseSpec | undefined, seen: readonly PreviousBundle[]): ChainLink {
  if (!previous) return { previous_phase_id: null, previous_phase_execution_id: null, previous_statement_sha256: null };
  const bundle = seen.find((b) => b.phase_id === previous.id);
  return {
    previous_phase_id: previous.id,
    previous_phase_execution_id: bundle?.found ? (bundle.phase_execution_id ?? null) : null,
    previous_statement_sha256: bundle?.found ? (bundle.statement_sha256 ?? null) : null,
  };
}

/** Counts of the handle snapshot: required, satisfied, and per state. */
export function summaryOf(states: readonly HandleState[]): Record<string, number> {
  const summary: Record<string, number> = { required: states.length, satisfied: states.filter((s) => s.satisfied).length };
  for (const s of states) summary[s.state] = (summary[s.state] ?? 0) + 1;
  return summary;
}

/** The record's decision line: what a PASS proves, or why a FAIL has no outcome. */
export function decision(phase: PhaseSpec, verdict: Verdict, blockers: readonly Blocker[]): string {
  if (verdict === "PASS") return `${phase.id} ${phase.name} closed PASS: ${phase.proves}`;
  const codes = [...new Set(blockers.map((b) => b.code))].join(", ");
  return `no outcome: ${phase.id} FAIL with ${blockers.length} blocker(s) (${codes}); risk not retired, advancement blocked`;
}
