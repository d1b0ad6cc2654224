/**
 * Reader of `pulumi preview --json` documents (PreviewDigest of pulumi/pulumi `sdk/pkg/display/json.go`, with
 * ResourceV3 states of `sdk/go/common/apitype/core.go` and property values as `pkg/resource/stack/deployment.go`
 * serializes them), used by `policy-check`, `cost` and `pr-summary`. It turns any real document into the one
 * shape the policy harness and the cost model read, or stops with an {@link InputError} naming the file, the key
 * and the fix (exit 2):
 *
 * - every step op of `pkg/resource/deploy/step.go`: `same`, `create`, `update`, `replace`, `create-replacement`,
 *   `import`, `import-replacement` and `refresh` propose their `newState`; `delete`, `delete-replaced`, `discard`,
 *   `discard-replaced` and `remove-pending-replace` propose nothing (their `newState` is absent); `read` and
 *   `read-replacement` are external resources (`.get`): referenced, not proposed. A URN proposed twice
 *   (`replace` and `create-replacement` under `--show-replacement-steps`) counts once.
 * - fields the CLI omits when empty (`inputs`, `parent`, `dependencies`, false `protect`) get their empty values.
 * - property values: secrets (`"[secret]"`, or `{sig, ciphertext|plaintext}`) become the secret marker with a
 *   redacted value (plaintext is never kept); resource references become the referenced id (its URN for a
 *   component, the unknown sentinel for an unknown id), as the engine hands them to an analyzer; output values
 *   become their value (secret or unknown as marked); unknowns stay the engine's sentinel; assets and archives
 *   pass through; any other signature is bad input.
 * - an input holding the id of another resource of the document (an unchanged bucket's name in `bucket`, a key id
 *   in `targetKeyId`) is a reference to it: the reader adds that resource to `dependencies` when it is missing, so
 *   stack rules pair companions with their resource the way a fresh stack's dependencies do.
 * - a document whose program failed (error diagnostics) stops with the program's own error; a document that
 *   leaves unchanged resources out (an update previewed without `--show-sames`) is a partial picture that stack
 *   rules cannot judge: it stops with the command to rerun, unless the caller allows partial documents.
 */
import * as fs from "fs";
import { InputError, InputProblem, renderFound } from "../errors";
import {
  ARCHIVE_SIG,
  ASSET_SIG,
  PreviewDiagnostic,
  PreviewDocument,
  PreviewStep,
  PropertyMap,
  PropertyValue,
  REDACTED,
  RESOURCE_REFERENCE_SIG,
  ResourceState,
  SECRET_SIG,
  SIG_KEY,
  UNKNOWN,
} from "../plan/previewDocument";

/** Signature of serialized output values (sdk/nodejs runtime/rpc `specialOutputValueSig`). */
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** What each step op does to the stack's resources. */
const OP_KINDS = {
  same: "proposed",
  create: "proposed",
  update: "proposed",
  replace: "proposed",
  "create-replacement": "proposed",
  import: "proposed",
  "import-replacement": "proposed",
  refresh: "proposed",
  delete: "removed",
  "delete-replaced": "removed",
  discard: "removed",
  "discard-replaced": "removed",
  "remove-pending-replace": "removed",
  read: "external",
  "read-replacement": "external",
} as const;
export type StepOp = keyof typeof OP_KINDS;
export const STEP_OPS = Object.keys(OP_KINDS) as StepOp[];

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
const RERUN = "rerun the preview as `pulumi preview --json --show-sames` (pr.yml does) so unchanged resources are in the document";

export interface ReadOptions {
  /** Accept a document without the unchanged resources (no `--show-sames`); stack rules must then not judge it. */
  allowPartial?: boolean;
}

/** A document as read: the normalized document plus what the reader learned about it. */
export interface ReadDocument {
  file: string;
  doc: PreviewDocument;
  stack: string | undefined;
  /** Steps per op, as the document lists them. */
  ops: Record<string, number>;
  /** True when the document leaves unchanged resources out (an update previewed without `--show-sames`). */
  partial: boolean;
}

type Problems = InputProblem[];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function secretMarker(): PropertyValue {
  return { [SIG_KEY]: SECRET_SIG, value: REDACTED };
}

/** One serialized property value as the harness and cost model read it (see the module comment). */
function normalizeValue(v: unknown, key: string, file: string, problems: Problems): PropertyValue {
  if (v === null || typeof v === "boolean" || typeof v === "number") return v;
  if (typeof v === "string") return v === REDACTED ? secretMarker() : v;
  if (Array.isArray(v)) return v.map((e, i) => normalizeValue(e, `${key}[${i}]`, file, problems));
  if (!isObject(v)) {
    problems.push({ file, key, expected: "a JSON property value", found: renderFound(v) });
    return null;
  }
  const sig = v[SIG_KEY];
  if (sig === undefined) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, normalizeValue(e, `${key}.${k}`, file, problems)]));
  switch (sig) {
    case SECRET_SIG:
      if (!("ciphertext" in v) && !("plaintext" in v) && !("value" in v)) {
        problems.push({ file, key, expected: "a secret with `ciphertext` (or `plaintext`)", found: renderFound(v) });
      }
      return secretMarker();
    case RESOURCE_REFERENCE_SIG: {
      if (typeof v.urn !== "string" || v.urn === "") {
        problems.push({ file, key: `${key}.urn`, expected: "the URN of the referenced resource", found: renderFound(v.urn) });
        return UNKNOWN;
      }
      if (!("id" in v)) return v.urn; // a component reference
      const id = isObject(v.id) ? v.id.V : v.id; // older CLIs wrote the id as {"V": ...}
      if (typeof id === "string") return id === "" ? UNKNOWN : id;
      return id === null || id === undefined ? v.urn : UNKNOWN;
    }
    case OUTPUT_VALUE_SIG: {
      if (!("value" in v)) return UNKNOWN;
      return v.secret === true ? secretMarker() : normalizeValue(v.value, key, file, problems);
    }
    case ASSET_SIG:
    case ARCHIVE_SIG:
      return v as PropertyValue;
    default:
      problems.push({
        file,
        key,
        expected: "a property value of `pulumi preview --json` (secret, resource reference, output, asset or archive signature)",
        found: `unrecognized signature ${JSON.stringify(sig)}`,
        fix: "pass the document the Pulumi CLI printed, unedited",
      });
      return null;
  }
}

function normalizeMap(v: unknown, key: string, file: string, problems: Problems): PropertyMap {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) {
    problems.push({ file, key, expected: "an object of properties", found: renderFound(v) });
    return {};
  }
  return normalizeValue(v, key, file, problems) as PropertyMap;
}

function stringList(v: unknown, key: string, file: string, problems: Problems): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((e) => typeof e !== "string")) {
    problems.push({ file, key, expected: "a list of URNs", found: renderFound(v) });
    return [];
  }
  return v as string[];
}

/** A ResourceV3 as the reader's ResourceState: omitted fields filled, property values normalized. */
function normalizeState(v: unknown, key: string, file: string, problems: Problems): ResourceState | undefined {
  if (!isObject(v)) {
    problems.push({ file, key, expected: "a resource state (ResourceV3)", found: renderFound(v) });
    return undefined;
  }
  for (const field of ["urn", "type"] as const) {
    if (typeof v[field] !== "string" || v[field] === "")
      problems.push({ file, key: `${key}.${field}`, expected: "a non-empty string", found: renderFound(v[field]) });
  }
  const state: ResourceState = {
    urn: String(v.urn ?? ""),
    type: String(v.type ?? ""),
    custom: v.custom === true,
    protect: v.protect === true,
    retainOnDelete: v.retainOnDelete === true,
    dependencies: stringList(v.dependencies, `${key}.dependencies`, file, problems),
    inputs: normalizeMap(v.inputs, `${key}.inputs`, file, problems),
  };
  if (typeof v.parent === "string" && v.parent !== "") state.parent = v.parent;
  if (typeof v.provider === "string" && v.provider !== "") state.provider = v.provider;
  if (typeof v.id === "string" && v.id !== "") state.id = v.id;
  if (v.outputs !== undefined) state.outputs = normalizeMap(v.outputs, `${key}.outputs`, file, problems);
  if (typeof v.sourcePosition === "string" && v.sourcePosition !== "") state.sourcePosition = v.sourcePosition;
  if (v.external === true) state.external = true;
  return state;
}

function stackOfUrn(urn: string): string | undefined {
  const m = /^urn:pulumi:([^:]+)::/.exec(urn);
  return m?.[1];
}

/** Error diagnostics of a document (the program failed, or the engine did). */
export function errorDiagnostics(raw: Record<string, unknown>): PreviewDiagnostic[] {
  const diags = Array.isArray(raw.diagnostics) ? raw.diagnostics.filter(isObject) : [];
  return diags.filter((d) => d.severity === "error") as PreviewDiagnostic[];
}

/**
 * Adds the dependency an id reference implies: a top-level input whose value is the id of another resource of
 * the document (known for resources that already exist) depends on that resource.
 */
function linkIdReferences(states: ResourceState[]): void {
  const byId = new Map<string, string>();
  // Several resources can share an id (S3 companions take their bucket's name); the first one the document lists,
  // the one registered first, owns it.
  for (const s of states) if (s.id && s.id !== UNKNOWN && s.custom && !byId.has(s.id)) byId.set(s.id, s.urn);
  if (byId.size === 0) return;
  for (const s of states) {
    for (const value of Object.values(s.inputs)) {
      const target = typeof value === "string" ? byId.get(value) : undefined;
      if (target && target !== s.urn && !(s.dependencies ?? []).includes(target)) s.dependencies = [...(s.dependencies ?? []), target];
    }
  }
}

/** Reads an already parsed document (`file` names it in errors). */
export function normalizePreviewDocument(raw: unknown, file: string, options: ReadOptions = {}): ReadDocument {
  if (!isObject(raw)) {
    throw new InputError(`${file} is not a preview document`, [
      {
        file,
        key: "(document)",
        expected: "the JSON object `pulumi preview --json` prints",
        found: renderFound(raw),
        fix: "pulumi preview --json --show-sames > preview.json",
      },
    ]);
  }
  const errors = errorDiagnostics(raw);
  if (errors.length > 0) {
    // Fields of a diagnostic are shown only when they have the documented type (a hand-edited document may not).
    const messages = errors.map(
      (d) =>
        `${typeof d.urn === "string" && d.urn ? `${d.urn.split("::").pop()}: ` : ""}${(typeof d.message === "string" ? d.message : renderFound(d.message)).trim()}`,
    );
    throw new InputError(
      `${file}: the previewed program failed, so there is nothing to judge; its error:\n${messages.map((m) => `    ${m.replace(/\n/g, "\n    ")}`).join("\n")}`,
      [
        {
          file,
          key: "diagnostics",
          expected: "a preview that ran to the end",
          found: `${errors.length} error diagnostic(s)`,
          fix: "fix the program error above and preview again",
        },
      ],
    );
  }
  if (raw.steps !== undefined && !Array.isArray(raw.steps)) {
    throw new InputError(`${file} is not a preview document`, [{ file, key: "steps", expected: "a list of steps", found: renderFound(raw.steps) }]);
  }
  const rawSteps = (raw.steps ?? []) as unknown[];
  if (rawSteps.length === 0) {
    throw new InputError(`${file} has no steps`, [
      {
        file,
        key: "steps",
        expected: "the steps of `pulumi preview --json` (a preview lists at least its stack)",
        found: raw.steps === undefined ? "no steps key" : "an empty list",
        fix: "pulumi preview --json --show-sames > preview.json",
      },
    ]);
  }

  const problems: Problems = [];
  const steps: PreviewStep[] = [];
  const external: ResourceState[] = [];
  const proposed = new Map<string, number>();
  const ops: Record<string, number> = {};
  rawSteps.forEach((rs, i) => {
    const key = `steps[${i}]`;
    if (!isObject(rs)) {
      problems.push({ file, key, expected: "a step object", found: renderFound(rs) });
      return;
    }
    const op = rs.op;
    if (typeof op !== "string" || !(op in OP_KINDS)) {
      problems.push({ file, key: `${key}.op`, expected: `one of ${STEP_OPS.join(", ")}`, found: renderFound(op) });
      return;
    }
    ops[op] = (ops[op] ?? 0) + 1;
    if (typeof rs.urn !== "string" || rs.urn === "") {
      problems.push({ file, key: `${key}.urn`, expected: "the URN of the step's resource", found: renderFound(rs.urn) });
      return;
    }
    const kind = OP_KINDS[op as StepOp];
    const newState = rs.newState === undefined || rs.newState === null ? undefined : normalizeState(rs.newState, `${key}.newState`, file, problems);
    const oldState = rs.oldState === undefined || rs.oldState === null ? undefined : normalizeState(rs.oldState, `${key}.oldState`, file, problems);
    const diffReasons = Array.isArray(rs.diffReasons) ? rs.diffReasons.filter((d): d is string => typeof d === "string") : undefined;
    if (kind === "removed") {
      steps.push({ op, urn: rs.urn, ...(oldState ? { oldState } : {}) });
      return;
    }
    if (!newState) {
      problems.push({ file, key: `${key}.newState`, expected: `the resource's new state (a ${op} step proposes it)`, found: "nothing" });
      return;
    }
    if (kind === "external") {
      external.push({ ...newState, external: true });
      return;
    }
    const step: PreviewStep = { op, urn: rs.urn, newState, ...(oldState ? { oldState } : {}), ...(diffReasons?.length ? { diffReasons } : {}) };
    const earlier = proposed.get(rs.urn);
    if (earlier !== undefined) steps[earlier] = step;
    else {
      proposed.set(rs.urn, steps.length);
      steps.push(step);
    }
  });

  const stacks = new Set([...steps.map((s) => s.urn), ...external.map((e) => e.urn)].map(stackOfUrn));
  if (stacks.has(undefined)) {
    const bad = [...steps.map((s) => s.urn), ...external.map((e) => e.urn)].find((u) => stackOfUrn(u) === undefined);
    problems.push({ file, key: "steps[].urn", expected: "URNs of the form urn:pulumi:<stack>::<project>::<type>::<name>", found: renderFound(bad) });
  } else if (stacks.size > 1) {
    problems.push({ file, key: "steps[].urn", expected: "the resources of one stack (one document per stack)", found: `stacks ${[...stacks].join(", ")}` });
  }
  if (problems.length) throw new InputError(`${file} is not a readable \`pulumi preview --json\` document`, problems);

  const stack = typeof raw.stack === "string" ? raw.stack : [...stacks][0];
  const changeSummary = isObject(raw.changeSummary) ? (raw.changeSummary as Record<string, number>) : undefined;
  const shownSames = ops.same ?? 0;
  const existingStack = steps.some((s) => s.op !== "create");
  const nonRootSames = steps.filter((s) => s.op === "same" && s.newState?.type !== ROOT_STACK_TYPE).length;
  // changeSummary counts every step, shown or not; without it, an existing stack with no unchanged resource listed
  // is taken as previewed without --show-sames.
  const countedSames = changeSummary ? (typeof changeSummary.same === "number" ? changeSummary.same : 0) : undefined;
  const partial = countedSames !== undefined ? countedSames > shownSames : existingStack && nonRootSames === 0;
  if (partial && !options.allowPartial) {
    const hidden =
      countedSames !== undefined
        ? `${countedSames - shownSames} unchanged resource(s) are counted in changeSummary.same but not listed`
        : "no changeSummary, and an update that lists no unchanged resource";
    throw new InputError(`${file}: the preview leaves unchanged resources out (${hidden}); stack-level rules cannot judge a partial picture`, [
      { file, key: "steps", expected: "every resource of the stack, unchanged ones as `same` steps", found: hidden, fix: RERUN },
    ]);
  }

  const states = steps.flatMap((s) => (s.newState ? [s.newState] : []));
  linkIdReferences([...states, ...external]);
  const doc: PreviewDocument = { steps, ...(stack ? { stack } : {}), ...(changeSummary ? { changeSummary } : {}), ...(external.length ? { external } : {}) };
  return { file, doc, stack, ops, partial };
}

/** Reads and normalizes one preview document file. */
export function readPreviewFile(file: string, options: ReadOptions = {}): ReadDocument {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`cannot read ${file}`, [
      {
        file,
        key: "(file)",
        expected: "a readable preview document",
        found: (e as NodeJS.ErrnoException).code ?? (e as Error).message,
        fix: "pulumi preview --json --show-sames > preview.json",
      },
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file} is not JSON`, [
      {
        file,
        key: "(document)",
        expected: "the JSON `pulumi preview --json` prints (nothing else on stdout)",
        found: (e as Error).message,
        fix: "pulumi preview --json --show-sames > preview.json",
      },
    ]);
  }
  return normalizePreviewDocument(raw, file, options);
}
