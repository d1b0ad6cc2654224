/**
 * Phase gates, fail-closed. Each check returns what it saw and the blockers it raises; a phase is PASS only when
 * no check raised a blocker. Checks: the entry gate (the required earlier phases closed PASS in verified bundles
 * that carry their cost-to-outcome receipt, entry inputs, backend expectations), the stacks the phase reads, every
 * handle it needs (materialised in outputs or pinned), the policy report, and the evidence it requires.
 */
export * from "./common";
export * from "./entry";
export * from "./handles";
export * from "./policy";
export * from "./evidence";
