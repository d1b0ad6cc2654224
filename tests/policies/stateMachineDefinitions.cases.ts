/** DA-57: every state machine of a plan carries a valid ASL definition (asl-validator and the Fail-state rule). */
import { loadRegistry } from "../../src/registry/registry";
import { finalVerdictDefinition, learningGateDefinition, orchestrationContext, platformRunDefinition } from "../../src/orchestration/asl";
import { stateMachineDefinitionValid } from "../../policies/rules/orchestration";
import { check, doc, resource, TAGS } from "../helpers/policyFixtures";

const STATE_MACHINE = "aws:sfn/stateMachine:StateMachine";
const ctx = orchestrationContext(loadRegistry(), "fraud-platform-dev-full-evidence");
const machine = (name: string, definition: unknown) =>
  resource(STATE_MACHINE, name, { name, definition: typeof definition === "string" ? definition : JSON.stringify(definition), tags: TAGS });

describe("da-57-state-machine-definition-valid", () => {
  it("stays quiet on the three shipped definitions", async () => {
    const report = await check(
      stateMachineDefinitionValid,
      doc(
        machine("platform-run", platformRunDefinition(ctx)),
        machine("learning-gate", learningGateDefinition(ctx)),
        machine("final-verdict", finalVerdictDefinition(ctx)),
      ),
    );
    expect(report.violations).toEqual([]);
  });

  it("fires on a definition with a dangling transition, naming the state and the fix", async () => {
    const broken = JSON.parse(JSON.stringify(learningGateDefinition(ctx))) as { StartAt: string; States: Record<string, Record<string, unknown>> };
    const [, withNext] = Object.entries(broken.States).find(([, state]) => typeof state.Next === "string") ?? [];
    if (!withNext) throw new Error("the learning gate has no state with a Next");
    withNext.Next = "Nowhere";
    const report = await check(stateMachineDefinitionValid, doc(machine("learning-gate", broken)));
    expect(report.violations).toHaveLength(1);
    expect(report.violations[0].message).toContain('state machine "learning-gate": definition is not valid ASL');
    expect(report.violations[0].message).toContain("Missing 'StartAt'|'Next'|'Default' target: Nowhere");
    expect(report.violations[0].message).toContain("Fix the definition (src/orchestration/asl.ts)");
  });

  it("fires on a Fail state without an error code and on a schema violation", async () => {
    const failWithoutError = machine("a", { StartAt: "A", States: { A: { Type: "Fail", Cause: "x" } } });
    const unknownType = machine("b", { StartAt: "A", States: { A: { Type: "Tusk", End: true } } });
    const report = await check(stateMachineDefinitionValid, doc(failWithoutError, unknownType));
    expect(report.violations.map((v) => v.message)).toEqual([
      expect.stringContaining("fail state A has no Error code"),
      expect.stringContaining("SCHEMA_VALIDATION_FAILED: /States/A/Type is invalid"),
    ]);
  });

  it("fires on a definition that is not JSON (fail closed)", async () => {
    const report = await check(stateMachineDefinitionValid, doc(machine("c", "{not json")));
    expect(report.violations.map((v) => v.message)).toEqual([expect.stringContaining("definition is not JSON")]);
  });

  it("looks at state machines only", async () => {
    const report = await check(stateMachineDefinitionValid, doc(resource("aws:s3/bucket:Bucket", "b", { bucket: "b", definition: "{not json", tags: TAGS })));
    expect(report.violations).toEqual([]);
  });
});
