/**
 * Costly surfaces as data (registry/surfaces.yaml) and the proof-window setting that says which of them are up.
 *
 * `fraud-platform:window` (in Pulumi.<env>.yaml or a layer stack file, set on every layer stack by
 * `npm run window -- open|close`):
 * - `all`: every surface the other switches allow (the shipped default: the plan of a full `dev-full-up`);
 * - `closed`: persistent surfaces only (between windows);
 * - a phase id (`P5`): the persistent surfaces plus the ephemeral surfaces that phase names in registry/phases.yaml.
 *
 * Stacks ask {@link surfaceUp}; the cost model asks {@link surfaceOf} which surface a planned resource belongs to.
 */
import * as path from "path";
import { fileStamp } from "../files";
import { readYamlFile, validateInput } from "../yamlFile";
import { z } from "zod";
import { InputError, InputProblem } from "../errors";
import { LAYERS, Layer } from "../layers";
import { PROJECT_ROOT } from "../registry/registry";
import { PHASE_ID, WindowSetting, windowSettingSchema } from "./setting";

export const DEFAULT_SURFACES_FILE = path.join(PROJECT_ROOT, "registry", "surfaces.yaml");
export const DEFAULT_PHASES_FILE = path.join(PROJECT_ROOT, "registry", "phases.yaml");
export const WINDOW_KEY = "fraud-platform:window";

export { PHASE_ID, windowSettingSchema };
export type { WindowSetting };

const surfaceSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z_]*$/, { error: "a lower-case surface id" }),
    title: z.string().min(1),
    kind: z.enum(["persistent", "ephemeral"]),
    layer: z.enum(LAYERS),
    down: z.enum(["destroy", "snapshot", "scale_to_zero", "keep"]),
    match: z.object({ names: z.array(z.string().min(1)), types: z.array(z.string().min(1)).optional() }).strict(),
    /** Registry handles declared only with the surface: while it is down its stack exports them under `deferred_handles`. */
    handles: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, { error: "a registry handle name" })).default([]),
    why: z.string().min(1),
    scan: z.string().min(1),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.kind === "persistent") !== (s.down === "keep"))
      ctx.addIssue({ code: "custom", path: ["down"], message: "keep for a persistent surface, destroy/snapshot/scale_to_zero for an ephemeral one" });
  });
export type Surface = z.infer<typeof surfaceSchema>;

const surfacesFileSchema = z.object({ surfaces: z.array(surfaceSchema).min(1) }).strict();

/** What the window module reads of a phase (the ladder itself is validated by src/evidence/phases.ts). */
const phaseSurfacesSchema = z
  .object({ phases: z.array(z.object({ id: z.string(), name: z.string(), surfaces: z.array(z.string()).default([]) }).loose()) })
  .loose();

export interface PhaseSurfaces {
  id: string;
  name: string;
  surfaces: string[];
}

export class SurfaceCatalog {
  readonly byId: ReadonlyMap<string, Surface>;
  readonly phaseById: ReadonlyMap<string, PhaseSurfaces>;

  constructor(
    readonly surfaces: readonly Surface[],
    readonly phases: readonly PhaseSurfaces[],
  ) {
    this.byId = new Map(surfaces.map((s) => [s.id, s]));
    this.phaseById = new Map(phases.map((p) => [p.id, p]));
  }

  get(id: string): Surface {
    const s = this.byId.get(id);
    if (!s) throw new Error(`unknown surface ${JSON.stringify(id)} (registry/surfaces.yaml has ${[...this.byId.keys()].join(", ")})`);
    return s;
  }

  /** The surface every unmatched resource belongs to. */
  get platform(): Surface {
    const p = this.surfaces.find((s) => s.kind === "persistent" && s.match.names.length === 0 && !s.match.types);
    if (!p) throw new Error("registry/surfaces.yaml has no catch-all persistent surface (kind persistent, match: { names: [] })");
    return p;
  }

  ephemeral(): Surface[] {
    return this.surfaces.filter((s) => s.kind === "ephemeral");
  }

  phase(id: string): PhaseSurfaces {
    const p = this.phaseById.get(id);
    if (!p)
      throw new InputError(`unknown phase ${id}`, [
        {
          file: "registry/phases.yaml",
          key: "phases",
          expected: `a phase id of the ladder (${this.phases.map((x) => x.id).join(", ")})`,
          found: JSON.stringify(id),
        },
      ]);
    return p;
  }

  /** The ephemeral surfaces a window setting keeps up. */
  upIn(window: WindowSetting): Surface[] {
    if (window === "all") return this.ephemeral();
    if (window === "closed") return [];
    const wanted = new Set(this.phase(window).surfaces);
    return this.ephemeral().filter((s) => wanted.has(s.id));
  }

  isUp(id: string, window: WindowSetting): boolean {
    const s = this.get(id);
    return s.kind === "persistent" || this.upIn(window).some((u) => u.id === s.id);
  }
}

/** Parses both files and checks them against each other: unique ids, phases naming only ephemeral surfaces. */
export function parseSurfaceCatalog(
  surfacesRaw: unknown,
  phasesRaw: unknown,
  files = { surfaces: "registry/surfaces.yaml", phases: "registry/phases.yaml" },
): SurfaceCatalog {
  const s = { data: validateInput(surfacesFileSchema, surfacesRaw, files.surfaces, "", { declaredIn: () => "src/window/surfaces.ts" }) };
  const p = { data: validateInput(phaseSurfacesSchema, phasesRaw, files.phases, "", { declaredIn: () => "src/window/surfaces.ts" }) };
  const problems: InputProblem[] = [];
  const ids = new Set<string>();
  s.data.surfaces.forEach((surface, i) => {
    if (ids.has(surface.id)) problems.push({ file: files.surfaces, key: `surfaces.${i}.id`, expected: "unique surface ids", found: `a second ${surface.id}` });
    ids.add(surface.id);
  });
  const byId = new Map(s.data.surfaces.map((x) => [x.id, x]));
  p.data.phases.forEach((phase, i) => {
    phase.surfaces.forEach((id, j) => {
      const surface = byId.get(id);
      if (!surface)
        problems.push({
          file: files.phases,
          key: `phases.${i}.surfaces.${j}`,
          expected: `a surface id of ${files.surfaces}`,
          found: JSON.stringify(id),
          fix: `add the surface to ${files.surfaces} or correct the id of phase ${phase.id}`,
        });
      else if (surface.kind !== "ephemeral")
        problems.push({
          file: files.phases,
          key: `phases.${i}.surfaces.${j}`,
          expected: "an ephemeral surface (persistent ones are always up)",
          found: JSON.stringify(id),
        });
    });
  });
  if (!s.data.surfaces.some((x) => x.kind === "persistent" && x.match.names.length === 0 && !x.match.types)) {
    problems.push({
      file: files.surfaces,
      key: "surfaces",
      expected: "one catch-all persistent surface (kind: persistent, match: { names: [] }): every resource no other surface matches",
      found: "none",
      fix: `add it back to ${files.surfaces} (id: platform)`,
    });
  }
  if (problems.length) throw new InputError(`invalid surface catalog`, problems);
  return new SurfaceCatalog(
    s.data.surfaces,
    p.data.phases.map((x) => ({ id: x.id, name: x.name, surfaces: x.surfaces })),
  );
}

const cache = new Map<string, SurfaceCatalog>();

export function loadSurfaceCatalog(surfacesFile: string = DEFAULT_SURFACES_FILE, phasesFile: string = DEFAULT_PHASES_FILE): SurfaceCatalog {
  const key = `${path.resolve(surfacesFile)}@${fileStamp(surfacesFile)}|${path.resolve(phasesFile)}@${fileStamp(phasesFile)}`;
  let catalog = cache.get(key);
  if (!catalog) {
    const rel = (f: string) => path.relative(PROJECT_ROOT, f) || f;
    catalog = parseSurfaceCatalog(readYamlFile(surfacesFile, rel(surfacesFile), "surface catalog"), readYamlFile(phasesFile, rel(phasesFile), "phase ladder"), {
      surfaces: rel(surfacesFile),
      phases: rel(phasesFile),
    });
    cache.set(key, catalog);
  }
  return catalog;
}

let consulted = false;

/**
 * Whether this process's program has asked for the window setting (through {@link surfaceUp} or
 * {@link downReason}, the only readers of `settings.window`). A program that never did plans the same in every
 * window, so the plan engine reuses its open-window plan for the closed window when its upstream outputs are equal.
 */
export function windowConsulted(): boolean {
  return consulted;
}

/** Starts a program run that has not consulted the window yet (a plan worker runs many programs). */
export function resetWindowConsulted(): void {
  consulted = false;
}

/** Whether a surface is up under an environment's `fraud-platform:window` setting (persistent ones always are). */
export function surfaceUp(env: { settings: { window: WindowSetting } }, id: string, catalog: SurfaceCatalog = loadSurfaceCatalog()): boolean {
  consulted = true;
  return catalog.isUp(id, env.settings.window);
}

/** The reason a handle of a surface the window keeps down is exported as null (`deferred_handles`). */
export function downReason(env: { settings: { window: WindowSetting } }, id: string, catalog: SurfaceCatalog = loadSurfaceCatalog()): string {
  consulted = true;
  const s = catalog.get(id);
  return `surface ${id} is down in window ${env.settings.window} (${WINDOW_KEY}; ${s.down === "snapshot" ? "kept as a final snapshot" : "destroyed between windows"})`;
}

/**
 * The handles of `layer` that a stack defers with a surface it does not declare: a surface with handles counts as
 * down in a stack that holds none of its resources (by the surface's `match`) and none of its handles' resources
 * (`handleDeclared`, e.g. a resource named by the handle's pinned value). The stack then exports those handles
 * under `deferred_handles` with {@link downReason}; the policies that require a handle's resource (DA-25 roles,
 * DA-82 dashboards and alarms) skip them, so a closed-window preview is judged like any other. A surface that is
 * partly declared is up: all of its handles are required.
 */
export function handlesOfAbsentSurfaces(
  resources: readonly AttributableResource[],
  layer: Layer,
  handleDeclared: (handle: string) => boolean = () => false,
  catalog: SurfaceCatalog = loadSurfaceCatalog(),
): Set<string> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const deferred = new Set<string>();
  for (const s of catalog.surfaces) {
    if (s.layer !== layer || s.handles.length === 0) continue;
    const declared = s.handles.some(handleDeclared) || resources.some((r) => surfaceOf(r, layer, byUrn, catalog).id === s.id);
    if (!declared) for (const h of s.handles) deferred.add(h);
  }
  return deferred;
}

/** Minimal view of a planned resource for attribution. */
export interface AttributableResource {
  urn: string;
  type: string;
  name: string;
  parent?: string;
}

/**
 * The surface a planned resource belongs to: the first surface of its layer whose match names the resource or one
 * of its ancestors (and whose types, when given, include its type); else the catch-all persistent surface.
 */
export function surfaceOf(
  r: AttributableResource,
  layer: Layer,
  byUrn: ReadonlyMap<string, AttributableResource>,
  catalog: SurfaceCatalog = loadSurfaceCatalog(),
): Surface {
  const names: string[] = [];
  for (let cur: AttributableResource | undefined = r, depth = 0; cur && depth < 50; cur = cur.parent ? byUrn.get(cur.parent) : undefined, depth++)
    names.push(cur.name);
  for (const s of catalog.surfaces) {
    if (s.layer !== layer && s.match.names.length > 0) continue;
    const typeOk = !s.match.types || s.match.types.includes(r.type);
    if (!typeOk) continue;
    if (s.match.names.length === 0 ? Boolean(s.match.types) : s.match.names.some((n) => names.includes(n))) return s;
  }
  return catalog.platform;
}
