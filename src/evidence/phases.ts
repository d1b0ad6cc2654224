/**
 * Typed view of the phase ladder (`registry/phases.yaml`): P(-1), P0..P17 with entry gates, the handles each
 * phase needs, pass checks, evidence artifacts and blocker codes. The file is data; this loader validates it
 * against itself (sequential ladder, known blocker codes) and against the handles registry (every handle name
 * and glob resolves), so a typo fails at load time, not in the middle of an evidence run.
 */
import * as fs from "fs";
import * as path from "path";
import { parseYamlText, validateInput } from "../yamlFile";
import { z } from "zod";
import { InputError, InputProblem, renderFound } from "../errors";
import { PROJECT_ROOT, Registry, loadRegistry } from "../registry/registry";
import { Handle, LAYERS, Layer } from "../registry/schema";

export const DEFAULT_PHASES_FILE = path.join(PROJECT_ROOT, "registry", "phases.yaml");

const HANDLE_NAME = /^[A-Z][A-Z0-9_]*$/;
const HANDLE_GLOB = /^[A-Z][A-Z0-9_]*\*?$|^[A-Z][A-Z0-9_]*\*[A-Z0-9_]*$/;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** One check on a field of a supplied JSON evidence document. Exactly one condition per check. */
const fieldCheckSchema = z
  .object({
    /** Dotted path into the document, e.g. `image_digest` or `summary.residual_item_count`. */
    field: z.string().min(1),
    equals: scalar.optional(),
    pattern: z.string().optional(),
    /** The field equals an input of the run (e.g. `git_sha`). */
    equals_input: z.string().optional(),
    /** The field matches a registry pattern handle; `{tokens}` are filled from inputs or match one path segment. */
    matches_handle_pattern: z.string().regex(HANDLE_NAME).optional(),
  })
  .strict()
  .refine((c) => [c.equals, c.pattern, c.equals_input, c.matches_handle_pattern].filter((v) => v !== undefined).length === 1, {
    message: "exactly one of equals, pattern, equals_input, matches_handle_pattern",
  });
export type FieldCheck = z.infer<typeof fieldCheckSchema>;

/** Evidence that is not produced by the emitter: CI, teardown or application output handed in as a file. */
const requiredEvidenceSchema = z
  .object({
    /** A registry pattern handle (e.g. RUN_PIN_PATH_PATTERN) or a [ref-impl] file name (e.g. m5j_p4_gate_verdict.json). */
    key: z.string().min(1),
    /** Blocker raised when the evidence is absent or fails a check (default: gate_codes.evidence_missing). */
    blocker: z.string().optional(),
    checks: z.array(fieldCheckSchema).default([]),
  })
  .strict();
export type RequiredEvidence = z.infer<typeof requiredEvidenceSchema>;

const entryInputSchema = z
  .object({
    name: z.enum(["git_sha", "scenario_run_id"]),
    pattern: z.string(),
    blocker: z.string(),
  })
  .strict();
export type EntryInputName = z.infer<typeof entryInputSchema>["name"];

const phaseSchema = z
  .object({
    id: z.string().regex(/^P(\(-1\)|[0-9]|1[0-7])$/, "a phase id P(-1), P0..P17"),
    name: z.string().regex(/^[A-Z][A-Z_]*$/),
    /** Build-plan alias, e.g. M2 or M13.E-J. */
    plan: z.string().regex(/^M[0-9]+(\.[A-Z](-[A-Z])?)?$/, "an M-plan alias like M2 or M13.E-J"),
    owner: z.enum(["substrate", "application"]),
    proves: z.string().min(1),
    authority_refs: z.array(z.string().min(1)).min(1),
    entry_gate: z
      .object({
        description: z.string().min(1),
        requires_pass: z.array(z.string()),
        inputs: z.array(entryInputSchema).default([]),
        /** Registry handles whose pinned value must equal the given value (e.g. state bucket encrypted). */
        expect: z.record(z.string().regex(HANDLE_NAME), scalar).default({}),
        expect_blocker: z.string().optional(),
      })
      .strict(),
    stacks: z.array(z.enum(LAYERS)),
    /** Ephemeral surfaces (registry/surfaces.yaml) the phase's proof window brings up; checked by src/window/surfaces.ts. */
    surfaces: z.array(z.string().regex(/^[a-z][a-z_]*$/, "a surface id of registry/surfaces.yaml")).default([]),
    /** Layers whose every exported handle the phase needs (P0: all five). */
    exported_by: z.array(z.enum(LAYERS)).default([]),
    handles: z.array(z.string().regex(HANDLE_GLOB, "a handle name or glob like ROLE_*")),
    requires_policy_report: z.boolean().default(false),
    pass_checks: z.array(z.string().min(1)).min(1),
    evidence: z
      .object({
        ref_impl: z.array(z.string()).default([]),
        required: z.array(requiredEvidenceSchema),
      })
      .strict(),
    blockers: z
      .object({
        /** Code raised for a needed handle that is missing, TO_PIN, empty or unresolved. */
        missing_handle: z.string(),
        codes: z.array(z.string()).min(1),
      })
      .strict(),
    rollback: z.string().min(1),
  })
  .strict();
export type PhaseSpec = z.infer<typeof phaseSchema>;

const gateCodesSchema = z
  .object({
    entry_gate: z.string(),
    policy_violation: z.string(),
    evidence_missing: z.string(),
    cost_guardrail: z.string(),
  })
  .strict();
export type GateCodes = z.infer<typeof gateCodesSchema>;

const phasesFileSchema = z
  .object({
    meta: z.object({ title: z.string(), source: z.string(), ladder_rule: z.string() }).loose(),
    authorities: z.record(z.string(), z.string()),
    blocker_codes: z.record(z.string(), z.string()),
    gate_codes: gateCodesSchema,
    every_phase_evidence: z.object({ envelope: z.string(), receipt: z.string(), run_root: z.string() }).strict(),
    phases: z.array(phaseSchema).length(19),
  })
  .strict();
export type PhasesFile = z.infer<typeof phasesFileSchema>;

/** A handle a phase needs, resolved against the registry. */
export interface NeededHandle {
  handle: Handle;
  /** The layer whose stack outputs must carry it, when the handle is one a stack exports. */
  exportedBy?: Layer;
}

/** Matches a registry handle name against a phase glob (`*` spans any run of name characters). */
export function globMatches(glob: string, name: string): boolean {
  if (!glob.includes("*")) return glob === name;
  let re = globCache.get(glob);
  if (!re) {
    re = new RegExp(`^${glob.split("*").map(escapeRegExp).join("[A-Z0-9_]*")}$`);
    globCache.set(glob, re);
  }
  return re.test(name);
}

const globCache = new Map<string, RegExp>();

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export class PhaseLadder {
  private readonly byId: ReadonlyMap<string, PhaseSpec>;
  /** Handle name -> the layer that exports it. */
  private readonly exporters: ReadonlyMap<string, Layer>;

  constructor(
    readonly file: PhasesFile,
    readonly source: string,
    readonly registry: Registry,
  ) {
    this.byId = new Map(file.phases.map((p) => [p.id, p]));
    this.exporters = new Map(LAYERS.flatMap((layer) => registry.exportedBy(layer).map((h) => [h.name, layer] as const)));
  }

  get phases(): readonly PhaseSpec[] {
    return this.file.phases;
  }

  get ids(): readonly string[] {
    return this.file.phases.map((p) => p.id);
  }

  get gateCodes(): GateCodes {
    return this.file.gate_codes;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  phase(id: string): PhaseSpec {
    const phase = this.byId.get(id);
    if (!phase) {
      throw new InputError(`unknown phase ${JSON.stringify(id)}`, [
        { file: "command line", key: "--phase", expected: `one of ${this.ids.join(", ")}`, found: JSON.stringify(id) },
      ]);
    }
    return phase;
  }

  /** The phase before `id` on the ladder (undefined for P(-1)). */
  previous(id: string): PhaseSpec | undefined {
    const i = this.ids.indexOf(this.phase(id).id);
    return i > 0 ? this.file.phases[i - 1] : undefined;
  }

  next(id: string): PhaseSpec | undefined {
    const i = this.ids.indexOf(this.phase(id).id);
    return this.file.phases[i + 1];
  }

  /** Meaning of a blocker code, from the ladder's code index. */
  describeCode(code: string): string {
    return this.file.blocker_codes[code] ?? "unknown code";
  }

  /**
   * Every handle a phase needs, in registry order, each once: the exports of `exported_by` layers plus every
   * handle matched by `handles`, the entry gate's `expect` handles and the registry keys of its evidence.
   */
  neededHandles(id: string): NeededHandle[] {
    const phase = this.phase(id);
    const wanted = (h: Handle): boolean => {
      const layer = this.exporters.get(h.name);
      return (
        (layer !== undefined && phase.exported_by.includes(layer)) || phase.handles.some((g) => globMatches(g, h.name)) || h.name in phase.entry_gate.expect
      );
    };
    return this.registry.handles.filter(wanted).map((handle) => ({ handle, exportedBy: this.exporters.get(handle.name) }));
  }

  /** Layers whose stack outputs the phase reads: its `stacks` plus the owners of exported handles it needs. */
  neededLayers(id: string): Layer[] {
    const phase = this.phase(id);
    const layers = new Set<Layer>([...phase.stacks, ...phase.exported_by]);
    for (const n of this.neededHandles(id)) if (n.exportedBy) layers.add(n.exportedBy);
    return LAYERS.filter((l) => layers.has(l));
  }

  /** Registry pattern of a required evidence key, when the key is a handle. */
  evidencePattern(key: string): string | undefined {
    return HANDLE_NAME.test(key) ? this.registry.string(key) : undefined;
  }
}

/** Parses and validates a ladder file against the registry; every problem is reported at once. */
export function parsePhases(text: string, source: string, registry: Registry = loadRegistry()): PhaseLadder {
  const rel = path.relative(PROJECT_ROOT, source) || source;
  return phasesOf(parseYamlText(text, rel, "phase ladder"), source, registry);
}

/** Validates an already parsed ladder document against the registry (`source` names it in errors). */
export function phasesOf(raw: unknown, source: string, registry: Registry = loadRegistry()): PhaseLadder {
  const rel = path.relative(PROJECT_ROOT, source) || source;
  const file = validateInput(phasesFileSchema, raw, rel, "phase ladder", { declaredIn: () => "src/evidence/phases.ts" });
  const problems: InputProblem[] = [];
  const codes = new Set(Object.keys(file.blocker_codes));
  const ids = file.phases.map((p) => p.id);
  const expectedIds = ["P(-1)", ...Array.from({ length: 18 }, (_, i) => `P${i}`)];
  if (ids.join(",") !== expectedIds.join(",")) {
    problems.push({ file: rel, key: "phases[*].id", expected: `the ladder in order: ${expectedIds.join(", ")}`, found: ids.join(", ") });
  }
  const knownCode = (key: string, code: string | undefined): void => {
    if (code !== undefined && !codes.has(code)) problems.push({ file: rel, key, expected: "a code listed under blocker_codes", found: JSON.stringify(code) });
  };
  for (const [k, code] of Object.entries(file.gate_codes)) knownCode(`gate_codes.${k}`, code);
  for (const [k, handle] of Object.entries(file.every_phase_evidence)) {
    if (!registry.has(handle)) problems.push({ file: rel, key: `every_phase_evidence.${k}`, expected: "a registry handle", found: handle });
  }

  file.phases.forEach((phase, i) => {
    const at = `phases[id=${phase.id}]`;
    const previous = file.phases[i - 1];
    if (previous && !phase.entry_gate.requires_pass.includes(previous.id)) {
      problems.push({
        file: rel,
        key: `${at}.entry_gate.requires_pass`,
        expected: `to include the previous phase ${previous.id} (strictly sequential ladder)`,
        found: JSON.stringify(phase.entry_gate.requires_pass),
      });
    }
    for (const req of phase.entry_gate.requires_pass) {
      const j = ids.indexOf(req);
      if (j < 0 || j >= i) problems.push({ file: rel, key: `${at}.entry_gate.requires_pass`, expected: "earlier phases only", found: req });
    }
    for (const input of phase.entry_gate.inputs) knownCode(`${at}.entry_gate.inputs[${input.name}].blocker`, input.blocker);
    knownCode(`${at}.entry_gate.expect_blocker`, phase.entry_gate.expect_blocker);
    for (const [handle, value] of Object.entries(phase.entry_gate.expect)) {
      // A different value is not a ladder error (the gate fails at run time); a different type is.
      if (!registry.has(handle)) problems.push({ file: rel, key: `${at}.entry_gate.expect.${handle}`, expected: "a registry handle", found: "none" });
      else if (registry.isPinned(handle) && typeof registry.value(handle) !== typeof value) {
        problems.push({ file: rel, key: `${at}.entry_gate.expect.${handle}`, expected: `a ${typeof registry.value(handle)}`, found: renderFound(value) });
      }
    }
    for (const glob of phase.handles) {
      if (!registry.handles.some((h) => globMatches(glob, h.name))) {
        problems.push({ file: rel, key: `${at}.handles`, expected: "a handle name or glob that matches a registry handle (registry first)", found: glob });
      }
    }
    knownCode(`${at}.blockers.missing_handle`, phase.blockers.missing_handle);
    phase.blockers.codes.forEach((c, k) => knownCode(`${at}.blockers.codes[${k}]`, c));
    const keys = new Set<string>();
    for (const item of phase.evidence.required) {
      const key = `${at}.evidence.required[key=${item.key}]`;
      if (keys.has(item.key)) problems.push({ file: rel, key, expected: "unique evidence keys", found: "a duplicate" });
      keys.add(item.key);
      knownCode(`${key}.blocker`, item.blocker);
      if (HANDLE_NAME.test(item.key)) {
        if (!registry.has(item.key)) problems.push({ file: rel, key, expected: "a registry handle (registry first) or a file name", found: item.key });
        else if (registry.handle(item.key).kind !== "pattern")
          problems.push({ file: rel, key, expected: "a pattern handle", found: registry.handle(item.key).kind });
      } else if (!/^[a-z0-9_]+\.[a-z]+$/.test(item.key)) {
        problems.push({ file: rel, key, expected: "a registry handle or a [ref-impl] file name like m5j_p4_gate_verdict.json", found: item.key });
      }
      for (const check of item.checks) {
        if (check.matches_handle_pattern && !registry.has(check.matches_handle_pattern)) {
          problems.push({ file: rel, key: `${key}.checks`, expected: "a registry pattern handle", found: check.matches_handle_pattern });
        }
        if (check.pattern !== undefined) {
          try {
            new RegExp(check.pattern);
          } catch {
            problems.push({ file: rel, key: `${key}.checks`, expected: "a valid regular expression", found: check.pattern });
          }
        }
      }
    }
  });
  if (problems.length) throw new InputError(`invalid phase ladder ${rel}`, problems);
  return new PhaseLadder(file, source, registry);
}

const cache = new Map<string, PhaseLadder>();

/** Loads (once per process and registry) and validates the phase ladder. */
export function loadPhases(file: string = DEFAULT_PHASES_FILE, registry: Registry = loadRegistry()): PhaseLadder {
  const abs = path.resolve(file);
  const cached = cache.get(abs);
  if (cached && cached.registry === registry) return cached;
  const ladder = parsePhases(fs.readFileSync(abs, "utf8"), abs, registry);
  cache.set(abs, ladder);
  return ladder;
}
