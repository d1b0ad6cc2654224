/**
 * DA-57 (mandatory, high) and DA-55 (mandatory, high): orchestration and batch placement. A stack that declares
 * state machines (or is a runtime stack) declares exactly the three pinned ones, each with a valid ASL definition,
 * and the READY commit path (the commit state, the READY commit receipt, the READY event) lives only in the
 * platform-run machine. The oracle stream
 * sort is EMR Serverless Spark on the pinned release; WSP is a Fargate task.
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { aslProblems, hasReadyCommitPath } from "../../src/orchestration/asl";
import { registry } from "../lib/registry";
import { resourceRule, stackRule } from "../lib/rule";

const STATE_MACHINE = "aws:sfn/stateMachine:StateMachine";
const PINNED = ["SFN_PLATFORM_RUN_ORCHESTRATOR_V0", "SFN_LEARNING_PIPELINE_GATE_V0", "SFN_FINAL_VERDICT_AGGREGATOR_V0"] as const;

function parsed(definition: unknown): unknown {
  if (typeof definition !== "string") return definition;
  try {
    return JSON.parse(definition);
  } catch {
    return undefined;
  }
}

export const pinnedStateMachines = stackRule(
  {
    id: "DA-57",
    slug: "three-pinned-state-machines",
    description:
      "Exactly three state machines with the pinned names (platform-run-v0, learning-gate-v0, final-verdict-v0); the READY commit path exists only in fraud-platform-dev-full-platform-run-v0.",
    severity: "high",
  },
  (args, reportViolation) => {
    const machines = args.resources.filter((r) => r.type === STATE_MACHINE);
    const runtimeStack = args.resources.some((r) => /^urn:pulumi:[^:]+-runtime::/.test(r.urn));
    if (machines.length === 0 && !runtimeStack) return;
    const r = registry();
    const pinned = PINNED.map((h) => r.string(h));
    const platformRun = r.string("SFN_PLATFORM_RUN_ORCHESTRATOR_V0");
    const names = machines.map((m) => String(m.props.name ?? ""));
    const missing = pinned.filter((n) => !names.includes(n));
    const extra = machines.filter((m) => !pinned.includes(String(m.props.name ?? "")));
    const dupes = pinned.filter((n) => names.filter((x) => x === n).length > 1);
    if (missing.length) reportViolation(`missing pinned state machines: ${missing.join(", ")}.`);
    for (const m of extra) reportViolation(`state machine ${JSON.stringify(m.props.name ?? null)} is not one of the three pinned ones.`, m.urn);
    if (dupes.length) reportViolation(`state machines declared more than once: ${dupes.join(", ")}.`);
    const receipt = r.string("SR_READY_COMMIT_RECEIPT_PATH_PATTERN").split("{platform_run_id}").pop() ?? "";
    for (const m of machines) {
      const ready = hasReadyCommitPath(parsed(m.props.definition), receipt);
      const name = String(m.props.name ?? "");
      if (name === platformRun && !ready) reportViolation(`${platformRun} has no READY commit path (commit receipt + READY publish).`, m.urn);
      if (name !== platformRun && ready)
        reportViolation(`${name} holds a READY commit path; only ${platformRun} may commit READY (SR_READY_COMMIT_AUTHORITY).`, m.urn);
    }
  },
);

export const stateMachineDefinitionValid = resourceRule(
  {
    id: "DA-57",
    slug: "state-machine-definition-valid",
    description:
      "Every Step Functions state machine's definition is valid Amazon States Language (asl-validator: schema, StartAt and transition targets, reachable states, a terminal state) and every Fail state names its error code; fix the definition (src/orchestration/asl.ts) until `aslProblems` reports nothing.",
    severity: "high",
  },
  policy.validateResourceOfType(aws.sfn.StateMachine, (machine, _args, reportViolation) => {
    const name = JSON.stringify(machine.name ?? null);
    const definition = parsed(machine.definition);
    if (definition === undefined) {
      reportViolation(`state machine ${name}: definition is not JSON; set definition to the JSON text of an ASL state machine.`);
      return;
    }
    const problems = aslProblems(definition);
    if (problems.length)
      reportViolation(`state machine ${name}: definition is not valid ASL: ${problems.join("; ")}. Fix the definition (src/orchestration/asl.ts).`);
  }),
);

export const streamSortOnEmrServerless = resourceRule(
  {
    id: "DA-55",
    slug: "stream-sort-emr-serverless-spark",
    description: "EMR Serverless applications are the oracle stream sort: the pinned name, type spark, the pinned release label (emr-6.15.0).",
    severity: "high",
  },
  policy.validateResourceOfType(aws.emrserverless.Application, (app, _args, reportViolation) => {
    const r = registry();
    const name = r.string("ORACLE_STREAM_SORT_EMR_SERVERLESS_APP");
    const release = r.string("ORACLE_STREAM_SORT_EMR_RELEASE_LABEL");
    if (app.name !== name) reportViolation(`name ${JSON.stringify(app.name ?? null)}, expected ${name}.`);
    if (String(app.type).toLowerCase() !== "spark") reportViolation(`type ${JSON.stringify(app.type)}, expected spark.`);
    if (app.releaseLabel !== release) reportViolation(`releaseLabel ${JSON.stringify(app.releaseLabel)}, expected ${release}.`);
  }),
);

export const wspOnFargate = resourceRule(
  {
    id: "DA-55",
    slug: "wsp-task-on-fargate",
    description: "The WSP task definition (WSP_TASK_DEFINITION_FAMILY) is a Fargate task: requiresCompatibilities FARGATE, networkMode awsvpc.",
    severity: "high",
  },
  policy.validateResourceOfType(aws.ecs.TaskDefinition, (td, args, reportViolation) => {
    if (td.family !== registry().string("WSP_TASK_DEFINITION_FAMILY")) return args.notApplicable("not the WSP task definition");
    if (!(td.requiresCompatibilities ?? []).includes("FARGATE"))
      reportViolation(`requiresCompatibilities ${JSON.stringify(td.requiresCompatibilities ?? [])}, expected FARGATE.`);
    if (td.networkMode !== "awsvpc") reportViolation(`networkMode ${JSON.stringify(td.networkMode ?? null)}, expected awsvpc.`);
  }),
);

export const orchestrationPolicies = [pinnedStateMachines, stateMachineDefinitionValid, streamSortOnEmrServerless, wspOnFargate];
