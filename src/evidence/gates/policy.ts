/** The policy gate: no mandatory violation in the stacks a phase reads (and a report when the phase requires one). */
import { PhaseLadder, PhaseSpec } from "../phases";
import { SourceSnapshot } from "../sources";
import { Blocker, GateOutcome, check } from "./common";

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
    return {
      checks: phase.requires_policy_report || blockers.length ? [check("dod.policy", "policy report present, no mandatory violation", blockers)] : [],
      blockers,
    };
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
