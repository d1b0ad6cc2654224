/**
 * Amazon States Language for the three pinned state machines (DA-55/57), built as typed objects and
 * JSON-stringified by the stack, plus their validation (asl-validator and the project's Fail-state rule) and the
 * READY-commit detector the DA-57 policies and the tests share.
 *
 * - platform-run-v0 holds the READY commit path, and only it: it checks the run pin, writes the commit receipt
 *   (carrying the execution reference, DA-111) under `evidence/runs/{platform_run_id}/sr/`, then publishes READY
 *   as an EventBridge event (WSP is READY-event triggered).
 * - learning-gate-v0 reads the P12 learning input readiness snapshot and records a gate receipt.
 * - final-verdict-v0 reads the P11 run report and the P15 promotion receipt and writes the P16 final verdict.
 * Failures end in Fail states named after the DFULL_SFN_B* failure taxonomy of the registry.
 */
import validateAsl from "asl-validator";
import { diskMemo, packageVersion } from "../cache";
import type { Registry } from "../registry/registry";

export interface RetrySpec {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
}

export interface CatchSpec {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string;
}

interface StateBase {
  Comment?: string;
}

export interface PassState extends StateBase {
  Type: "Pass";
  Parameters?: Record<string, unknown>;
  ResultPath?: string | null;
  Next?: string;
  End?: true;
}

export interface TaskState extends StateBase {
  Type: "Task";
  Resource: string;
  Parameters?: Record<string, unknown>;
  ResultSelector?: Record<string, unknown>;
  ResultPath?: string | null;
  TimeoutSeconds?: number;
  Retry?: RetrySpec[];
  Catch?: CatchSpec[];
  Next?: string;
  End?: true;
}

export interface ChoiceRule {
  Variable?: string;
  IsPresent?: boolean;
  IsString?: boolean;
  BooleanEquals?: boolean;
  StringEquals?: string;
  And?: ChoiceRule[];
  Next?: string;
}

export interface ChoiceState extends StateBase {
  Type: "Choice";
  Choices: ChoiceRule[];
  Default?: string;
}

export interface SucceedState extends StateBase {
  Type: "Succeed";
}

export interface FailState extends StateBase {
  Type: "Fail";
  Error: string;
  Cause: string;
}

export type State = PassState | TaskState | ChoiceState | SucceedState | FailState;

export interface StateMachineDefinition {
  Comment: string;
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, State>;
}

/** What the definitions need to know about their environment. */
export interface OrchestrationContext {
  /** Evidence bucket name. */
  evidenceBucket: string;
  /** EventBridge bus the READY event goes to (name or ARN). */
  eventBusName: string;
  /** Registry patterns (with `{platform_run_id}`) of the evidence keys the machines read and write. */
  paths: {
    readyCommitReceipt: string;
    learningReadiness: string;
    learningGateReceipt: string;
    runReport: string;
    promotionReceipt: string;
    finalVerdict: string;
  };
  /** Failure taxonomy codes (registry DFULL_SFN_B1..B5). */
  failures: { precheck: string; runtime: string; evidence: string };
  /** Value of SR_READY_COMMIT_AUTHORITY. */
  commitAuthority: string;
}

/** The context of an environment, every value from its registry (handle names as in registry/handles.yaml). */
export function orchestrationContext(registry: Registry, evidenceBucket: string): OrchestrationContext {
  const r = registry;
  return {
    evidenceBucket,
    eventBusName: r.string("SR_READY_EVENT_BUS_NAME"),
    paths: {
      readyCommitReceipt: r.string("SR_READY_COMMIT_RECEIPT_PATH_PATTERN"),
      learningReadiness: r.string("LEARNING_INPUT_READINESS_PATH_PATTERN"),
      learningGateReceipt: r.string("LEARNING_GATE_RECEIPT_PATH_PATTERN"),
      runReport: r.string("SPINE_RUN_REPORT_PATH_PATTERN"),
      promotionReceipt: r.string("MPR_PROMOTION_RECEIPT_PATH_PATTERN"),
      finalVerdict: r.string("FULL_VERDICT_PATH_PATTERN"),
    },
    failures: { precheck: r.string("DFULL_SFN_B1"), runtime: r.string("DFULL_SFN_B2"), evidence: r.string("DFULL_SFN_B3") },
    commitAuthority: r.string("SR_READY_COMMIT_AUTHORITY"),
  };
}

/** The EventBridge detail-type of the READY event; also how DA-57 recognises a READY publish. */
export const READY_DETAIL_TYPE = "fraud-platform.sr.READY";
/** Name of the state that commits READY (writes the commit receipt). */
export const READY_COMMIT_STATE = "CommitReady";

const S3_GET = "arn:aws:states:::aws-sdk:s3:getObject";
const S3_PUT = "arn:aws:states:::aws-sdk:s3:putObject";
const EVENTS_PUT = "arn:aws:states:::events:putEvents";
const RETRY_TRANSIENT: RetrySpec[] = [
  {
    ErrorEquals: ["States.Timeout", "S3.SdkClientException", "S3.InternalErrorException", "EventBridge.InternalException"],
    IntervalSeconds: 2,
    MaxAttempts: 3,
    BackoffRate: 2,
  },
];

/** `States.Format('evidence/runs/{}/...', $.platform_run_id)` from a registry pattern with `{platform_run_id}`. */
export function runScopedKey(pattern: string): string {
  const parts = pattern.split("{platform_run_id}");
  if (parts.length !== 2 || /[{}']/.test(parts.join("")))
    throw new Error(`pattern ${JSON.stringify(pattern)} must hold {platform_run_id} exactly once and no other placeholder`);
  return `States.Format('${parts[0]}{}${parts[1]}', $.platform_run_id)`;
}

function fail(error: string, cause: string): FailState {
  return { Type: "Fail", Error: error, Cause: cause };
}

function runPinCheck(next: string, failState: string): ChoiceState {
  return {
    Type: "Choice",
    Comment: "Every execution is pinned to one platform run (REQUIRED_PLATFORM_RUN_ID).",
    Choices: [
      {
        And: [
          { Variable: "$.platform_run_id", IsPresent: true },
          { Variable: "$.platform_run_id", IsString: true },
        ],
        Next: next,
      },
    ],
    Default: failState,
  };
}

function readJson(key: string, resultPath: string, next: string, catchTo: string): TaskState {
  return {
    Type: "Task",
    Resource: S3_GET,
    Parameters: { Bucket: "__bucket__", "Key.$": key },
    ResultSelector: { "document.$": "States.StringToJson($.Body)" },
    ResultPath: resultPath,
    TimeoutSeconds: 60,
    Retry: RETRY_TRANSIENT,
    Catch: [{ ErrorEquals: ["States.ALL"], Next: catchTo, ResultPath: "$.error" }],
    Next: next,
  };
}

function writeJson(key: string, body: Record<string, unknown>, next: string, catchTo: string, comment: string): TaskState {
  return {
    Type: "Task",
    Comment: comment,
    Resource: S3_PUT,
    Parameters: { Bucket: "__bucket__", "Key.$": key, ContentType: "application/json", Body: body },
    ResultPath: null,
    TimeoutSeconds: 60,
    Retry: RETRY_TRANSIENT,
    Catch: [{ ErrorEquals: ["States.ALL"], Next: catchTo, ResultPath: "$.error" }],
    Next: next,
  };
}

/** Fills the bucket placeholder (kept out of the builders so they stay readable). */
function withBucket(def: StateMachineDefinition, bucket: string): StateMachineDefinition {
  return JSON.parse(JSON.stringify(def).split('"__bucket__"').join(JSON.stringify(bucket))) as StateMachineDefinition;
}

/** platform-run-v0: the only READY commit authority (SR_READY_COMMIT_AUTHORITY = step_functions_only). */
export function platformRunDefinition(ctx: OrchestrationContext): StateMachineDefinition {
  const def: StateMachineDefinition = {
    Comment: "Platform run orchestrator v0: validates the run pin, commits READY with Step Functions commit evidence, publishes READY.",
    StartAt: "CheckRunPin",
    TimeoutSeconds: 3600,
    States: {
      CheckRunPin: runPinCheck(READY_COMMIT_STATE, "RunPinInvalid"),
      [READY_COMMIT_STATE]: writeJson(
        runScopedKey(ctx.paths.readyCommitReceipt),
        {
          "platform_run_id.$": "$.platform_run_id",
          commit_authority: ctx.commitAuthority,
          "sfn_execution_ref.$": "$$.Execution.Id",
          "state_machine_ref.$": "$$.StateMachine.Id",
          "committed_at_utc.$": "$$.State.EnteredTime",
        },
        "PublishReady",
        "EvidenceWriteFailed",
        "READY commit: the receipt carries the execution reference (DA-111) and is written before READY is published.",
      ),
      PublishReady: {
        Type: "Task",
        Comment: "Publishes READY for the run; WSP is READY-event triggered.",
        Resource: EVENTS_PUT,
        Parameters: {
          Entries: [
            {
              EventBusName: ctx.eventBusName,
              Source: "fraud-platform.sr",
              DetailType: READY_DETAIL_TYPE,
              Detail: { "platform_run_id.$": "$.platform_run_id", "sfn_execution_ref.$": "$$.Execution.Id", commit_authority: ctx.commitAuthority },
            },
          ],
        },
        ResultPath: "$.ready",
        TimeoutSeconds: 60,
        Retry: RETRY_TRANSIENT,
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "RuntimeUnavailable", ResultPath: "$.error" }],
        Next: "ReadyPublished",
      },
      ReadyPublished: { Type: "Succeed" },
      RunPinInvalid: fail(ctx.failures.precheck, "input has no platform_run_id string"),
      EvidenceWriteFailed: fail(ctx.failures.evidence, "READY commit receipt could not be written"),
      RuntimeUnavailable: fail(ctx.failures.runtime, "READY event could not be published"),
    },
  };
  return withBucket(def, ctx.evidenceBucket);
}

/** learning-gate-v0: P12 learning input gate. */
export function learningGateDefinition(ctx: OrchestrationContext): StateMachineDefinition {
  const def: StateMachineDefinition = {
    Comment: "Learning pipeline gate v0: admits a run to OFS/MF only when its learning input readiness snapshot says ready.",
    StartAt: "CheckRunPin",
    TimeoutSeconds: 900,
    States: {
      CheckRunPin: runPinCheck("ReadReadinessSnapshot", "RunPinInvalid"),
      ReadReadinessSnapshot: readJson(runScopedKey(ctx.paths.learningReadiness), "$.readiness", "EvaluateReadiness", "EvidenceMissing"),
      EvaluateReadiness: {
        Type: "Choice",
        Choices: [
          {
            And: [
              { Variable: "$.readiness.document.ready", IsPresent: true },
              { Variable: "$.readiness.document.ready", BooleanEquals: true },
            ],
            Next: "RecordGatePass",
          },
        ],
        Default: "GateBlocked",
      },
      RecordGatePass: writeJson(
        runScopedKey(ctx.paths.learningGateReceipt),
        { "platform_run_id.$": "$.platform_run_id", gate: "learning_input", verdict: "PASS", "sfn_execution_ref.$": "$$.Execution.Id" },
        "GatePassed",
        "EvidenceMissing",
        "Gate receipt for the learning input.",
      ),
      GatePassed: { Type: "Succeed" },
      GateBlocked: fail(ctx.failures.precheck, "learning input readiness snapshot is not ready"),
      EvidenceMissing: fail(ctx.failures.evidence, "learning input evidence missing or unreadable"),
      RunPinInvalid: fail(ctx.failures.precheck, "input has no platform_run_id string"),
    },
  };
  return withBucket(def, ctx.evidenceBucket);
}

/** final-verdict-v0: P16 aggregation of the run report and the promotion receipt. */
export function finalVerdictDefinition(ctx: OrchestrationContext): StateMachineDefinition {
  const verdict = (value: "PASS" | "FAIL") => ({
    "platform_run_id.$": "$.platform_run_id",
    verdict: value,
    "run_report.$": "$.runReport.document",
    "promotion_receipt.$": "$.promotion.document",
    "sfn_execution_ref.$": "$$.Execution.Id",
  });
  const def: StateMachineDefinition = {
    Comment: "Final verdict aggregator v0: combines the spine run report and the promotion receipt into the full-platform verdict.",
    StartAt: "CheckRunPin",
    TimeoutSeconds: 900,
    States: {
      CheckRunPin: runPinCheck("ReadRunReport", "RunPinInvalid"),
      ReadRunReport: readJson(runScopedKey(ctx.paths.runReport), "$.runReport", "ReadPromotionReceipt", "EvidenceMissing"),
      ReadPromotionReceipt: readJson(runScopedKey(ctx.paths.promotionReceipt), "$.promotion", "Decide", "EvidenceMissing"),
      Decide: {
        Type: "Choice",
        Choices: [
          {
            And: [
              { Variable: "$.runReport.document.status", IsPresent: true },
              { Variable: "$.runReport.document.status", StringEquals: "PASS" },
              { Variable: "$.promotion.document.status", IsPresent: true },
              { Variable: "$.promotion.document.status", StringEquals: "PASS" },
            ],
            Next: "WriteVerdictPass",
          },
        ],
        Default: "WriteVerdictFail",
      },
      WriteVerdictPass: writeJson(runScopedKey(ctx.paths.finalVerdict), verdict("PASS"), "VerdictPass", "EvidenceMissing", "Writes the PASS verdict."),
      WriteVerdictFail: writeJson(runScopedKey(ctx.paths.finalVerdict), verdict("FAIL"), "VerdictFail", "EvidenceMissing", "Writes the FAIL verdict."),
      VerdictPass: { Type: "Succeed" },
      VerdictFail: fail(ctx.failures.evidence, "run report or promotion receipt is not PASS"),
      EvidenceMissing: fail(ctx.failures.evidence, "run report or promotion receipt missing or unreadable"),
      RunPinInvalid: fail(ctx.failures.precheck, "input has no platform_run_id string"),
    },
  };
  return withBucket(def, ctx.evidenceBucket);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** aslProblems per definition text. */
const checked = new Map<string, string[]>();

/**
 * Problems of a definition (parsed JSON), empty when it is valid: every problem asl-validator reports (the ASL
 * schema, StartAt and every transition target naming a state, every state reachable, a terminal state, exactly
 * one of Next and End), as `CODE: message`, plus the project's own rule that every Fail state names its error code
 * (the DFULL_SFN_B* failure taxonomy). asl-validator compiles its schemas on every call (about half a second), so
 * its verdicts are kept per definition text, in this process and on disk (`src/cache.ts`): the component and the
 * policies check the same three definitions in every pass of every plan.
 */
export function aslProblems(definition: unknown): string[] {
  if (!isRecord(definition)) return ["definition is not a JSON object"];
  const text = JSON.stringify(definition);
  const known = checked.get(text);
  if (known) return [...known];
  // The validator writes each state's default QueryLanguage into the definition it is given: hand it a copy.
  const problems = diskMemo("asl-validator", packageVersion("asl-validator"), text, () =>
    validateAsl(JSON.parse(text) as Parameters<typeof validateAsl>[0]).errors.map((e) => `${e["Error code"]}: ${e.Message}`),
  );
  const states = isRecord(definition.States) ? definition.States : {};
  for (const [name, state] of Object.entries(states)) {
    if (isRecord(state) && state.Type === "Fail" && (typeof state.Error !== "string" || state.Error === ""))
      problems.push(`fail state ${name} has no Error code`);
  }
  checked.set(text, problems);
  return [...problems];
}

/**
 * Whether a definition holds a READY commit path: the READY commit state, a write of the READY commit receipt,
 * or a READY event publish. DA-57 allows it only in the platform-run state machine.
 */
export function hasReadyCommitPath(definition: unknown, readyReceiptMarker = "/sr/ready_commit_receipt.json"): boolean {
  if (!isRecord(definition) || !isRecord(definition.States)) return false;
  for (const [name, state] of Object.entries(definition.States)) {
    if (name === READY_COMMIT_STATE) return true;
    const text = JSON.stringify(state);
    if (text.includes(readyReceiptMarker) || text.includes(READY_DETAIL_TYPE)) return true;
  }
  return false;
}
