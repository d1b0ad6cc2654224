/** The three state machine definitions: structure (ASL), READY commit placement, run-scoped evidence keys. */
import fc from "fast-check";
import { loadRegistry } from "../../src/registry/registry";
import {
  OrchestrationContext,
  orchestrationContext,
  READY_COMMIT_STATE,
  READY_DETAIL_TYPE,
  StateMachineDefinition,
  aslProblems,
  finalVerdictDefinition,
  hasReadyCommitPath,
  learningGateDefinition,
  platformRunDefinition,
  runScopedKey,
} from "../../src/orchestration/asl";

const r = loadRegistry();
const ctx: OrchestrationContext = orchestrationContext(r, "fraud-platform-dev-full-evidence");
const definitions: Array<[string, StateMachineDefinition]> = [
  ["platform-run", platformRunDefinition(ctx)],
  ["learning-gate", learningGateDefinition(ctx)],
  ["final-verdict", finalVerdictDefinition(ctx)],
];

/** Every transition target of a state (Next, Default, Choices[].Next, Catch[].Next). */
function targets(state: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of ["Next", "Default"]) if (typeof state[k] === "string") out.push(state[k] as string);
  for (const k of ["Choices", "Catch"]) for (const e of (state[k] as Array<{ Next?: string }> | undefined) ?? []) if (e.Next) out.push(e.Next);
  return out;
}

describe.each(definitions)("%s definition", (_name, def) => {
  const json = JSON.parse(JSON.stringify(def)) as StateMachineDefinition;
  const states = json.States as unknown as Record<string, Record<string, unknown>>;

  it("round-trips through JSON and passes the structural validator", () => {
    expect(aslProblems(json)).toEqual([]);
  });

  it("starts at an existing state and every Next/Default/Choice/Catch target exists", () => {
    expect(Object.keys(states)).toContain(json.StartAt);
    for (const [name, state] of Object.entries(states))
      for (const t of targets(state)) expect({ from: name, to: t, exists: t in states }).toEqual({ from: name, to: t, exists: true });
  });

  it("reaches every state and both a Succeed and a Fail state from StartAt", () => {
    const seen = new Set([json.StartAt]);
    const queue = [json.StartAt];
    while (queue.length)
      for (const t of targets(states[queue.shift() as string]))
        if (!seen.has(t)) {
          seen.add(t);
          queue.push(t);
        }
    expect([...seen].sort()).toEqual(Object.keys(states).sort());
    const types = [...seen].map((s) => states[s].Type);
    expect(types).toContain("Succeed");
    expect(types).toContain("Fail");
  });

  it("checks the run pin first and fails with a registry failure code", () => {
    expect(states[json.StartAt].Type).toBe("Choice");
    const fails = Object.values(states).filter((s) => s.Type === "Fail");
    for (const f of fails) expect(["PRECHECK_OR_CONFIG_INVALID", "RUNTIME_HEALTH_OR_DEPENDENCY_UNAVAILABLE", "EVIDENCE_MISSING_OR_INVALID"]).toContain(f.Error);
  });

  it("reads and writes only run-scoped keys of the evidence bucket", () => {
    for (const s of Object.values(states).filter((x) => x.Type === "Task" && String(x.Resource).includes(":s3:"))) {
      const params = s.Parameters as Record<string, unknown>;
      expect(params.Bucket).toBe(ctx.evidenceBucket);
      expect(params["Key.$"]).toMatch(/^States\.Format\('evidence\/runs\/\{\}\/.+', \$\.platform_run_id\)$/);
    }
  });
});

describe("READY commit path (DA-57)", () => {
  it("exists in platform-run only", () => {
    expect(definitions.map(([name, def]) => [name, hasReadyCommitPath(def)])).toEqual([
      ["platform-run", true],
      ["learning-gate", false],
      ["final-verdict", false],
    ]);
  });
  it("commits (receipt with the execution reference) before it publishes READY", () => {
    const def = platformRunDefinition(ctx);
    const commit = def.States[READY_COMMIT_STATE] as { Type: string; Next?: string; Parameters?: { Body?: Record<string, unknown>; "Key.$"?: string } };
    expect(commit.Type).toBe("Task");
    expect(commit.Parameters?.Body).toMatchObject({ "sfn_execution_ref.$": "$$.Execution.Id", commit_authority: "step_functions_only" });
    expect(commit.Parameters?.["Key.$"]).toContain("/sr/ready_commit_receipt.json");
    const publish = def.States[commit.Next as string] as unknown as { Resource: string; Parameters: { Entries: Array<{ DetailType: string }> } };
    expect(publish.Resource).toBe("arn:aws:states:::events:putEvents");
    expect(publish.Parameters.Entries[0].DetailType).toBe(READY_DETAIL_TYPE);
  });
  it("is recognised by the receipt key or the READY event alone", () => {
    expect(hasReadyCommitPath({ States: { X: { Type: "Task", Parameters: { "Key.$": "evidence/runs/{}/sr/ready_commit_receipt.json" } } } })).toBe(true);
    expect(hasReadyCommitPath({ States: { X: { Type: "Task", Parameters: { Entries: [{ DetailType: READY_DETAIL_TYPE }] } } } })).toBe(true);
    expect(hasReadyCommitPath({ States: { X: { Type: "Pass" } } })).toBe(false);
    expect(hasReadyCommitPath("not json")).toBe(false);
  });
});

describe("ASL validation (asl-validator and the Fail-state rule)", () => {
  const base = (): StateMachineDefinition => platformRunDefinition(ctx);
  it("reports a missing StartAt state", () => {
    expect(aslProblems({ ...base(), StartAt: "Nope" })).toEqual(
      expect.arrayContaining(["MISSING_TRANSITION_TARGET: Missing 'StartAt'|'Next'|'Default' target: Nope"]),
    );
  });
  it("reports a dangling Next and the states it leaves unreachable", () => {
    const def = base() as unknown as { States: Record<string, Record<string, unknown>> };
    def.States.PublishReady.Next = "Gone";
    def.States.Orphan = { Type: "Succeed" };
    expect(aslProblems(def)).toEqual([
      "MISSING_TRANSITION_TARGET: State ReadyPublished is not reachable",
      "MISSING_TRANSITION_TARGET: State Orphan is not reachable",
      "MISSING_TRANSITION_TARGET: Missing 'StartAt'|'Next'|'Default' target: Gone",
    ]);
  });
  it("reports a state with neither Next nor End, and a loop with no terminal state", () => {
    expect(aslProblems({ StartAt: "A", States: { A: { Type: "Pass" } } })).toEqual([
      "MISSING_TERMINAL_STATE: State machine fsm1 is missing a terminal state",
      'TERMINAL_STATE_WITH_NEXT: State "A" MUST contain exactly one of "End", "Next"',
    ]);
    expect(aslProblems({ StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "A" } } })).toEqual([
      "MISSING_TERMINAL_STATE: State machine fsm1 is missing a terminal state",
    ]);
  });
  it("reports what the ASL schema rejects: an unknown state type, an empty States, a non-object", () => {
    expect(aslProblems({ StartAt: "A", States: { A: { Type: "Tusk", End: true } } })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^SCHEMA_VALIDATION_FAILED: \/States\/A\/Type is invalid/)]),
    );
    expect(aslProblems({ StartAt: "A", States: {} })).toEqual(
      expect.arrayContaining(["MISSING_TRANSITION_TARGET: Missing 'StartAt'|'Next'|'Default' target: A"]),
    );
    expect(aslProblems("not json")).toEqual(["definition is not a JSON object"]);
  });
  it("reports a Fail state without an error code (the failure taxonomy names every failure)", () => {
    expect(aslProblems({ StartAt: "A", States: { A: { Type: "Fail", Cause: "x" } } })).toEqual(["fail state A has no Error code"]);
    expect(aslProblems({ StartAt: "A", States: { A: { Type: "Fail", Error: "DFULL_SFN_B1", Cause: "x" } } })).toEqual([]);
  });
  it("leaves the definition it checks unchanged", () => {
    const def = JSON.parse(JSON.stringify(base())) as StateMachineDefinition;
    const before = JSON.stringify(def);
    aslProblems(def);
    expect(JSON.stringify(def)).toBe(before);
  });
  it("accepts any linear chain of Pass states ending in Succeed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), (n) => {
        const States: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) States[`S${i}`] = i === n - 1 ? { Type: "Succeed" } : { Type: "Pass", Next: `S${i + 1}` };
        return aslProblems({ StartAt: "S0", States }).length === 0;
      }),
    );
  });
});

describe("run-scoped keys", () => {
  it("turn a registry pattern into States.Format over $.platform_run_id", () => {
    expect(runScopedKey("evidence/runs/{platform_run_id}/sr/ready_commit_receipt.json")).toBe(
      "States.Format('evidence/runs/{}/sr/ready_commit_receipt.json', $.platform_run_id)",
    );
    expect(() => runScopedKey("evidence/{phase_execution_id}/x.json")).toThrow(/exactly once/);
    expect(() => runScopedKey("evidence/runs/{platform_run_id}/{phase_id}/x.json")).toThrow(/no other placeholder/);
  });
});
