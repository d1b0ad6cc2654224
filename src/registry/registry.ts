/**
 * Typed view of the handles registry. One registry is read by the stacks, the policy pack and the evidence
 * emitter; code asks it for values by handle name and never repeats them. Asking for a handle whose status is
 * `TO_PIN` (and that the environment has not pinned) throws {@link UnpinnedHandleError}: fail closed.
 */
import * as fs from "fs";
import * as path from "path";
import { fileStamp } from "../files";
import { parseYamlText, validateInput } from "../yamlFile";
import { DEFAULT_ENV, stackNameFor } from "../layers";
import { InputError, InputProblem, UnpinnedHandleError, renderFound, valueAt } from "../errors";
import { pinValueProblem } from "./pinValues";
import { Handle, LAYERS, HandleKind, HandleValue, Layer, LifecycleRuleSpec, RegistryFile, RoleEntry, TopicSpec, registryFileSchema } from "./schema";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
export const DEFAULT_REGISTRY_FILE = path.join(PROJECT_ROOT, "registry", "handles.yaml");

/** Handle kinds a stack exports as outputs, keyed by handle name (INTERFACES.md, Outputs). */
export const EXPORTED_KINDS: readonly HandleKind[] = ["name", "materialized_output", "secret_path", "topic"];

/** Pins supplied by an environment for TO_PIN handles (handle name -> value). */
export type Pins = Readonly<Record<string, string>>;

/** How a user pins a TO_PIN handle, in the stack of the layer that owns it; quoted in every fail-closed message. */
export function pinCommand(handle: string, owner?: string): string {
  const layer = (LAYERS as readonly string[]).includes(owner ?? "") ? (owner as Layer) : undefined;
  const stack = layer ? stackNameFor(DEFAULT_ENV, layer) : `${DEFAULT_ENV}-<layer>`;
  return (
    `pulumi config set --secret --path 'fraud-platform:pins.${handle}' <value> --stack ${stack} ` + `(offline plan: npm run plan -- --pin ${handle}=<value>)`
  );
}

export class Registry {
  private readonly byName: ReadonlyMap<string, Handle>;

  constructor(
    readonly file: RegistryFile,
    readonly source: string,
    readonly pins: Pins = {},
  ) {
    this.byName = new Map(file.handles.map((h) => [h.name, h]));
  }

  /** A view of this registry with the environment's pins applied to TO_PIN handles. */
  withPins(pins: Pins): Registry {
    const problems: InputProblem[] = [];
    for (const [name, value] of Object.entries(pins)) {
      const handle = this.byName.get(name);
      if (!handle) {
        problems.push({ file: "pins", key: name, expected: "the name of a TO_PIN handle", found: "an unknown handle" });
      } else if (handle.status !== "TO_PIN") {
        problems.push({
          file: "pins",
          key: name,
          expected: "a TO_PIN handle (pinned handles change in registry/handles.yaml, registry first)",
          found: `a handle already pinned to ${renderFound(handle.value)}`,
        });
      } else if (value.trim() === "" || value === "TO_PIN") {
        problems.push({ file: "pins", key: name, expected: "a non-empty value", found: renderFound(value) });
      } else {
        const form = pinValueProblem(name, value);
        if (form)
          problems.push({
            file: "pins",
            key: name,
            expected: form.expected,
            found: renderFound(value),
            fix: form.fixFor?.(value) ?? `pin it to a value of that form, for example ${form.example}`,
          });
      }
    }
    if (problems.length) throw new InputError("invalid handle pins", problems);
    return new Registry(this.file, this.source, { ...this.pins, ...pins });
  }

  get handles(): readonly Handle[] {
    return this.file.handles;
  }

  /** The registry entry of a handle; unknown names are an error (add the handle to the registry first). */
  handle(name: string): Handle {
    const handle = this.byName.get(name);
    if (!handle) {
      throw new InputError(`unknown handle ${name}`, [
        {
          file: path.relative(PROJECT_ROOT, this.source),
          key: `handles[name=${name}]`,
          expected: "a handle entry",
          found: "none",
          fix: "add the handle to registry/handles.yaml before any code uses it (registry first, DA-07)",
        },
      ]);
    }
    return handle;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  isPinned(name: string): boolean {
    return this.handle(name).status === "pinned" || this.pins[name] !== undefined;
  }

  /** The value of a handle, failing closed on an unpinned TO_PIN handle. */
  value(name: string): HandleValue {
    const handle = this.handle(name);
    if (handle.status === "TO_PIN") {
      const pinned = this.pins[name];
      if (pinned === undefined) throw new UnpinnedHandleError(name, pinCommand(name, handle.owner));
      return pinned;
    }
    return handle.value as HandleValue;
  }

  string(name: string): string {
    return this.typed(name, "a string", (v): v is string => typeof v === "string");
  }

  number(name: string): number {
    return this.typed(name, "a number", (v): v is number => typeof v === "number");
  }

  boolean(name: string): boolean {
    return this.typed(name, "a boolean", (v): v is boolean => typeof v === "boolean");
  }

  strings(name: string): string[] {
    return this.typed(name, "a list of strings", (v): v is string[] => Array.isArray(v) && v.every((e) => typeof e === "string"));
  }

  private typed<T>(name: string, expected: string, guard: (v: HandleValue) => v is T & HandleValue): T {
    const value = this.value(name);
    if (!guard(value)) {
      throw new InputError(`handle ${name} has the wrong type`, [
        { file: path.relative(PROJECT_ROOT, this.source), key: `handles[name=${name}].value`, expected, found: renderFound(value) },
      ]);
    }
    return value;
  }

  /** The 14 Kafka topics of the catalog. */
  topics(): readonly TopicSpec[] {
    return this.file.topic_catalog;
  }

  /** Every IAM role the registry names (DA 8.6 required, registry additional, IRSA). */
  roles(): readonly RoleEntry[] {
    const r = this.file.iam_roles;
    return [...r.design_authority_required, ...r.registry_required_additional, ...r.eks_irsa_roles];
  }

  /** The role name pinned for a role handle (for example ROLE_EKS_NODEGROUP_DEV_FULL); fails closed on TO_PIN. */
  roleName(handle: string): string {
    const role = this.roles().find((r) => r.handle === handle);
    if (!role) {
      throw new InputError(`unknown role handle ${handle}`, [
        { file: path.relative(PROJECT_ROOT, this.source), key: `iam_roles[handle=${handle}]`, expected: "a role entry", found: "none" },
      ]);
    }
    if (role.status === "TO_PIN" || !role.role_name) {
      const pinned = this.pins[handle];
      if (pinned === undefined) throw new UnpinnedHandleError(handle, pinCommand(handle, role.owner));
      return pinned;
    }
    return role.role_name;
  }

  /** Lifecycle rules pinned for a bucket (by bucket handle) in the registry's S3 layout. */
  lifecycle(bucketHandle: string): readonly LifecycleRuleSpec[] {
    const entry = Object.values(this.file.s3_layout).find((b) => b.bucket_handle === bucketHandle);
    if (!entry?.lifecycle) return [];
    return Array.isArray(entry.lifecycle) ? entry.lifecycle : [entry.lifecycle];
  }

  /** Handles a layer owns. */
  ownedBy(layer: Layer): readonly Handle[] {
    return this.file.handles.filter((h) => h.owner === layer);
  }

  /** Handles a layer must export as stack outputs, keyed by handle name. */
  exportedBy(layer: Layer): readonly Handle[] {
    return this.ownedBy(layer).filter((h) => EXPORTED_KINDS.includes(h.kind));
  }

  /** A TO_PIN handle (or TO_PIN role handle) that this environment's stack config pins. */
  pinnedByConfig(handle: string): boolean {
    return this.pins[handle] !== undefined;
  }

  /** TO_PIN handles that the environment has not pinned. */
  unresolved(): readonly string[] {
    return this.file.handles.filter((h) => h.status === "TO_PIN" && this.pins[h.name] === undefined).map((h) => h.name);
  }

  /**
   * Every physical name the registry pins: values of pinned `name`, `secret_path` and `topic` handles, the
   * catalog topics, role names, and pinned values of TO_PIN handles. DA-06 checks resource names against it.
   */
  physicalNames(): ReadonlySet<string> {
    const names = new Set<string>();
    for (const h of this.file.handles) {
      if (h.status === "pinned" && (h.kind === "name" || h.kind === "secret_path" || h.kind === "topic")) {
        if (typeof h.value === "string") names.add(h.value);
      }
    }
    for (const t of this.file.topic_catalog) names.add(t.name);
    for (const r of this.roles()) if (r.role_name) names.add(r.role_name);
    for (const p of this.file.required_secret_paths) names.add(p.path);
    for (const v of Object.values(this.pins)) names.add(v);
    return names;
  }

  /** Counts derived from the handles (the registry file carries no hand-kept summary). */
  summary(): { handles: number; pinned: number; toPin: number; byOwner: Record<string, number> } {
    const byOwner: Record<string, number> = {};
    for (const h of this.file.handles) byOwner[h.owner] = (byOwner[h.owner] ?? 0) + 1;
    const toPin = this.file.handles.filter((h) => h.status === "TO_PIN").length;
    return { handles: this.file.handles.length, pinned: this.file.handles.length - toPin, toPin, byOwner };
  }
}

/** Parses and validates a registry file; every schema problem is reported with its key. */
export function parseRegistry(text: string, source: string): Registry {
  const rel = path.relative(PROJECT_ROOT, source) || source;
  return registryOf(parseYamlText(text, rel, "handles registry"), source);
}

/** Validates an already parsed registry document (`source` names it in errors). */
export function registryOf(raw: unknown, source: string): Registry {
  const rel = path.relative(PROJECT_ROOT, source) || source;
  const data = validateInput(registryFileSchema, raw, rel, "handles registry", {
    describePath: describeRegistryPath,
    declaredIn: () => "src/registry/schema.ts",
  });
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  for (const h of data.handles) {
    if (seen.has(h.name)) problems.push({ file: rel, key: `handles[name=${h.name}]`, expected: "unique handle names", found: "a duplicate" });
    seen.add(h.name);
  }
  if (problems.length) throw new InputError(`invalid handles registry ${rel}`, problems);
  return new Registry(data, source);
}

const cache = new Map<string, { stamp: string; registry: Registry }>();

/** Loads and validates the registry file (once per version of the file in a process). */
export function loadRegistry(file: string = DEFAULT_REGISTRY_FILE): Registry {
  const abs = path.resolve(file);
  const stamp = fileStamp(abs);
  const hit = cache.get(abs);
  if (stamp !== undefined && hit?.stamp === stamp) return hit.registry;
  const registry = parseRegistry(fs.readFileSync(abs, "utf8"), abs);
  if (stamp !== undefined) cache.set(abs, { stamp, registry });
  return registry;
}

/** Renders `handles.12.value` as `handles[name=FOO].value` so the user can find the entry. */
function describeRegistryPath(root: unknown, keyPath: readonly PropertyKey[]): string {
  if (keyPath[0] === "handles" && typeof keyPath[1] === "number") {
    const entry = valueAt(root, keyPath.slice(0, 2)) as { name?: unknown } | undefined;
    const id = typeof entry?.name === "string" ? `name=${entry.name}` : String(keyPath[1]);
    return [`handles[${id}]`, ...keyPath.slice(2).map(String)].join(".");
  }
  return keyPath.map(String).join(".") || "(document)";
}
