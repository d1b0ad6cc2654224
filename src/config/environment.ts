/**
 * Environment loader. A `dev-full-<layer>` stack reads the environment's shared settings from
 * `Pulumi.dev-full.yaml`, overlays its own stack config (`Pulumi.dev-full-<layer>.yaml`, overrides only) and
 * validates the result before any resource is declared. Every problem names the file, the key, what was
 * expected and what was found. Stacks receive a typed {@link Environment} and never call `config.get`.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { InputError, InputProblem, renderFound, valueAt } from "../errors";
import { readYamlFile, zodProblems } from "../yamlFile";
import { shellCommand } from "../shell";
import { parseStackName, stackNameFor } from "../layers";
import { PROJECT_ROOT, Registry, loadRegistry } from "../registry/registry";
import { Layer } from "../registry/schema";
import { pinnedOrBlocked, resolvePinned } from "./blockers";
import { EnvironmentSettings, LAYER_SECTIONS, PROJECT_NAMESPACE, SECTION_DECLARED_IN, layerSettingsSchema } from "./settings";

/** Raw stack config as Pulumi hands it to a program: `namespace:key` -> string (objects JSON-encoded). */
export type RawStackConfig = Readonly<Record<string, string>>;

export interface EnvironmentSources {
  /** The Pulumi stack name, e.g. `dev-full-core`. */
  stackName: string;
  /** The layer stack's own config (as from `pulumi.runtime.allConfig()`). */
  layerConfig: RawStackConfig;
  /** Keys of `layerConfig` that are secrets. */
  secretKeys?: readonly string[];
  /** Project directory holding `Pulumi.<env>.yaml` (default: the repository root). */
  projectDir?: string;
  /** Registry to resolve handles with (default: `registry/handles.yaml`). */
  registry?: Registry;
}

/** A validated environment, as every stack program receives it. */
export interface Environment {
  /** Environment slug of stack names, e.g. `dev-full`. */
  readonly name: string;
  /** The layer this stack materialises. */
  readonly layer: Layer;
  readonly stackName: string;
  /** AWS region every regional resource lives in (the registry's AWS_REGION). */
  readonly region: string;
  readonly settings: EnvironmentSettings;
  /** The handles registry with this environment's pins applied. */
  readonly registry: Registry;
  /** Keys of the layer config that hold secrets (never echoed, never in outputs). */
  readonly secretKeys: readonly string[];
  /** Fully qualified StackReference name of another layer of this environment. */
  stackReference(layer: Layer): string;
  /**
   * The value of a handle that may be TO_PIN (for example AWS_BUDGET_NOTIFICATION_EMAIL). Fails closed when it
   * is not pinned; the offline plan records a blocker instead (see `blockers.ts`).
   */
  pinned(handle: string): pulumi.Output<string>;
  /** The role name of a role handle that may be TO_PIN (for example ROLE_EKS_IRSA_LEARNING); same rules. */
  pinnedRoleName(handle: string): pulumi.Output<string>;
  /**
   * Whether a handle that may be TO_PIN is pinned; when it is not, fails closed, or in the offline plan records
   * the blocker and answers false (the caller then declares nothing that needs it).
   */
  pinnedOrBlocked(handle: string): boolean;
}

export function sharedFileFor(env: string, projectDir = PROJECT_ROOT): string {
  return path.join(projectDir, `Pulumi.${env}.yaml`);
}

export function layerFileFor(stackName: string, projectDir = PROJECT_ROOT): string {
  return path.join(projectDir, `Pulumi.${stackName}.yaml`);
}

/** Loads, overlays and validates an environment. Throws {@link InputError} listing every problem. */
/**
 * A layer's own settings section (`fraud-platform:<key>`). The layer's schema ({@link layerSettingsSchema}) requires
 * it, so a loaded environment has it; a stack that asks for another layer's section gets the same error the loader
 * gives for a missing one.
 */
export function layerSection<K extends "runtime" | "runtimeLanes" | "dataMl" | "ops">(env: Environment, key: K): NonNullable<EnvironmentSettings[K]> {
  const section = env.settings[key];
  if (section === undefined || section === null) {
    throw new InputError(`invalid environment for stack ${env.stackName}`, [
      {
        file: `Pulumi.${env.name}.yaml`,
        key: `${PROJECT_NAMESPACE}:${key}`,
        expected: `the ${key} settings${SECTION_DECLARED_IN[key] ? ` (${SECTION_DECLARED_IN[key]})` : ""}`,
        found: "nothing (key missing)",
      },
    ]);
  }
  return section as NonNullable<EnvironmentSettings[K]>;
}

export function loadEnvironment(sources: EnvironmentSources): Environment {
  const projectDir = sources.projectDir ?? PROJECT_ROOT;
  const { env, layer } = parseStackName(sources.stackName);
  const sharedPath = sharedFileFor(env, projectDir);
  const sharedRel = path.relative(projectDir, sharedPath);
  const layerRel = path.relative(projectDir, layerFileFor(sources.stackName, projectDir));
  const problems: InputProblem[] = [];

  const shared = readSharedFile(sharedPath, sharedRel, sources.stackName, problems);
  const overrides = decodeLayerConfig(sources.layerConfig);

  // Region: pinned by the registry, stated in the shared file, and read by the default AWS provider from the
  // layer stack file. All three must agree (DA-13).
  const registry = sources.registry ?? loadRegistry();
  const pinnedRegion = registry.string("AWS_REGION");
  const sharedRegion = shared["aws:region"];
  if (sharedRegion !== pinnedRegion) {
    problems.push({ file: sharedRel, key: "aws:region", expected: `${pinnedRegion} (AWS_REGION in the registry)`, found: renderFound(sharedRegion) });
  }
  const layerRegion = sources.layerConfig["aws:region"];
  if (layerRegion !== pinnedRegion) {
    problems.push({
      file: layerRel,
      key: "aws:region",
      expected: `${pinnedRegion} (the default AWS provider reads its region from the layer stack's own config)`,
      found: renderFound(layerRegion),
      fix: `pulumi config set aws:region ${pinnedRegion} --stack ${sources.stackName}`,
    });
  }

  // Secrets stay in the layer stack config; a secret handed to a non-secret key is fine, the reverse is not checked here.
  const merged = deepMerge(stripNamespace(shared, sharedRel, problems), stripNamespace(overrides, layerRel, problems));
  const schema = layerSettingsSchema(layer);
  const result = schema.safeParse(merged);
  if (!result.success) {
    problems.push(
      ...zodProblems(result.error.issues, merged, sharedRel, schema, {
        keyPrefix: `${PROJECT_NAMESPACE}:`,
        fileOf: (keyPath) => (hasPath(overrides, PROJECT_NAMESPACE, keyPath) ? layerRel : sharedRel),
        declaredIn: (keyPath) => (keyPath.length ? SECTION_DECLARED_IN[String(keyPath[0])] : "src/config/settings.ts (environmentSettingsSchema)"),
      }).map((p) => missingSection(p, merged, layer, sharedRel)),
    );
  }
  if (problems.length || !result.success) {
    throw new InputError(`invalid environment for stack ${sources.stackName}`, problems);
  }

  let pinned: Registry;
  try {
    pinned = registry.withPins(result.data.pins);
  } catch (e) {
    if (e instanceof InputError) {
      throw new InputError(
        `invalid environment for stack ${sources.stackName}`,
        e.problems.map((p) => ({ ...p, file: `${sharedRel} or ${layerRel}`, key: `${PROJECT_NAMESPACE}:pins.${p.key}` })),
      );
    }
    throw e;
  }
  const settings: EnvironmentSettings = result.data;
  return {
    name: env,
    layer,
    stackName: sources.stackName,
    region: pinnedRegion,
    settings,
    registry: pinned,
    secretKeys: sources.secretKeys ?? [],
    stackReference: (other: Layer) => `${settings.organization}/${PROJECT_NAMESPACE}/${stackNameFor(env, other)}`,
    pinned: (handle: string) => resolvePinned(() => pinned.string(handle)),
    pinnedRoleName: (handle: string) => resolvePinned(() => pinned.roleName(handle)),
    pinnedOrBlocked: (handle: string) => pinnedOrBlocked(() => pinned.string(handle)),
  };
}

/** Reads `config:` of the shared environment file; `secure:` values are an error (no secrets in shared files). */
function readSharedFile(file: string, rel: string, stackName: string, problems: InputProblem[]): Record<string, unknown> {
  if (!fs.existsSync(file)) {
    problems.push({
      file: rel,
      key: "(file)",
      expected: "the environment's shared settings file",
      found: "no such file",
      fix: `create ${rel} (see README.md)`,
    });
    return {};
  }
  const doc = readYamlFile(file, rel, "environment settings file");
  const config = isPlainObject(doc) ? doc.config : undefined;
  if (!isPlainObject(config)) {
    problems.push({
      file: rel,
      key: "config",
      expected: "a map of namespaced settings",
      found: renderFound(config),
      fix: `start ${rel} with config: and the fraud-platform:* keys (see README.md)`,
    });
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const secret = securePath(value);
    if (secret) {
      const full = [key, ...secret].join(".");
      problems.push({
        file: rel,
        key: full,
        expected: "a plain value (the shared environment file holds no secrets)",
        found: "a `secure:` value",
        fix: `remove it from ${rel} and set it on the layer stack that reads it: ${pulumiConfigSetSecret(full, stackName)}`,
      });
      continue;
    }
    out[key] = value;
  }
  return out;
}

/** The path (under a top-level key) of the first `secure:` value, or undefined when there is none. */
function securePath(value: unknown): string[] | undefined {
  if (value === null || typeof value !== "object") return undefined;
  if (!Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value) return [];
  for (const [k, v] of Object.entries(value)) {
    const inner = securePath(v);
    if (inner) return [k, ...inner];
  }
  return undefined;
}

/** `pulumi config set --secret --path 'fraud-platform:pins.X' '<value>' --stack dev-full-ops`, quoted for bash. */
export function pulumiConfigSetSecret(key: string, stackName: string): string {
  const nested = key.includes(".");
  return shellCommand(["pulumi", "config", "set", "--secret", ...(nested ? ["--path"] : []), key, "<value>", "--stack", stackName]);
}

/** A missing layer section: say which layer needs it and where its fields are declared. */
function missingSection(p: InputProblem, merged: Record<string, unknown>, layer: Layer, sharedRel: string): InputProblem {
  const section = p.key.slice(PROJECT_NAMESPACE.length + 1);
  const required: readonly string[] = LAYER_SECTIONS[layer];
  if (section.includes(".") || merged[section] !== undefined || p.found !== renderFound(undefined)) return p;
  if (!required.includes(section)) {
    const declared = SECTION_DECLARED_IN[section];
    return {
      ...p,
      file: sharedRel,
      fix: `add ${p.key} to ${sharedRel}${declared ? ` (fields declared in ${declared})` : ""}; the shipped Pulumi.dev-full.yaml has an example`,
    };
  }
  return {
    ...p,
    file: sharedRel,
    expected: `the ${layer} layer's settings section (fields declared in ${SECTION_DECLARED_IN[section]})`,
    found: "nothing (key missing)",
    fix: `add ${p.key} to ${sharedRel} (the shipped Pulumi.dev-full.yaml has an example)`,
  };
}

/** Pulumi hands config values as strings; objects, lists, numbers and booleans arrive JSON-encoded. */
function decodeLayerConfig(raw: RawStackConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(raw)) {
    try {
      out[key] = JSON.parse(text);
    } catch {
      out[key] = text;
    }
  }
  return out;
}

/** Keeps the `fraud-platform:` keys as a nested object; other namespaces (aws:, kubernetes:) are provider config. */
function stripNamespace(config: Record<string, unknown>, rel: string, problems: InputProblem[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const [ns, name] = key.includes(":") ? key.split(":", 2) : [undefined, key];
    if (ns === PROJECT_NAMESPACE && name) out[name] = value;
    else if (ns === undefined) {
      problems.push({ file: rel, key, expected: `a namespaced key such as ${PROJECT_NAMESPACE}:${key}`, found: "a key without namespace" });
    }
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Overlay: objects merge key by key, everything else (lists included) is replaced. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

function hasPath(config: Record<string, unknown>, ns: string, keyPath: readonly PropertyKey[]): boolean {
  if (keyPath.length === 0) return false;
  const top = config[`${ns}:${String(keyPath[0])}`];
  return top !== undefined && (keyPath.length === 1 || valueAt(top, keyPath.slice(1)) !== undefined);
}
