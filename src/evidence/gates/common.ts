/** What every phase-gate check returns: the checks it ran (PASS/FAIL) and the blockers it raised. */

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

export function check(id: string, description: string, blockers: readonly Blocker[], detail?: string): GateCheck {
  return { id, description, result: blockers.length ? "FAIL" : "PASS", ...(detail ? { detail } : {}) };
}
