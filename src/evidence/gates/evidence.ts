/** The required-evidence gate: each piece of evidence a phase requires is supplied and passes its field checks. */
import { Registry } from "../../registry/registry";
import { EntryInputName, FieldCheck, PhaseLadder, PhaseSpec, RequiredEvidence } from "../phases";
import { Blocker, GateCheck, GateOutcome, Verdict, check } from "./common";
import { EntryInputs } from "./entry";

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
  if (c.pattern !== undefined && (typeof value !== "string" || !new RegExp(c.pattern).test(value)))
    return `${c.field} is ${shown}, expected to match ${c.pattern}`;
  if (c.equals_input !== undefined) {
    const expected = inputs[c.equals_input as EntryInputName];
    if (expected === undefined || value !== expected)
      return `${c.field} is ${shown}, expected the ${c.equals_input} of this run (${expected ?? "not supplied"})`;
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
    required.push({
      key: item.key,
      ...(pattern ? { pattern } : {}),
      supplied: given !== undefined,
      ...(given ? { bundle_path: given.bundlePath } : {}),
      result: these.length ? "FAIL" : "PASS",
    });
    checks.push(
      check(`dod.evidence.${item.key}`, `${phase.owner === "application" ? "application" : "required"} evidence ${describeEvidence(ladder, item)}`, these),
    );
  }
  return { checks, blockers, required };
}
