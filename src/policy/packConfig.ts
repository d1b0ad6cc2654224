/**
 * The CLI's side of policy pack configuration, as `pulumi preview --policy-pack-config FILE` does it
 * (pulumi/pulumi `pkg/resource/analyzer/config.go`, `sdk/go/common/resource/plugin/analyzer_plugin.go`):
 *
 * 1. parse the file: per key either an enforcement level string or an object whose `enforcementLevel` (if any)
 *    must be a valid level; anything else is an error;
 * 2. start from each policy's defaults: its enforcement level (the policy's own, else the pack's, as the analyzer
 *    reports it in GetAnalyzerInfo) and the top-level `default`s of its config schema;
 * 3. apply the pack's initial config, then the file: an `all` entry sets the level of every policy (never its
 *    properties); each key's level and properties are laid over what is there (keys that name no policy are kept);
 * 4. validate each policy's properties against its schema (`{ type: object, properties, required }`);
 * 5. Configure sends every entry; one without a valid level is refused.
 *
 * The offline harness and the analyzer conformance tests both use this, so `plan`, `policy-check` and a real
 * preview see the same configuration.
 */
import type * as policy from "@pulumi/policy";
import Ajv, { ValidateFunction } from "ajv";
import { InputError, InputProblem } from "../errors";

export type EnforcementLevel = policy.EnforcementLevel;

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** One policy's configuration after parsing or reconciling. */
export interface AnalyzerPolicyConfig {
  enforcementLevel?: EnforcementLevel;
  properties?: Record<string, unknown>;
}

/** What the CLI knows of a policy from GetAnalyzerInfo. */
export interface AnalyzerPolicyInfo {
  name: string;
  enforcementLevel: EnforcementLevel;
  configSchema?: { properties?: Record<string, Record<string, unknown>>; required?: string[] };
}

const isLevel = (v: unknown): v is EnforcementLevel => typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);

const LEVEL_FIX = `one of ${ENFORCEMENT_LEVELS.map((l) => JSON.stringify(l)).join(", ")}`;

/** Step 1: the file's content, as `LoadPolicyPackConfigFromFile` parses it. Empty content is no config. */
export function parsePolicyPackConfig(content: unknown, source: string): Record<string, AnalyzerPolicyConfig> {
  if (content === undefined || content === null) return {};
  if (typeof content !== "object" || Array.isArray(content)) {
    throw new InputError("invalid policy pack config", [
      { file: source, key: "(root)", expected: "a JSON object keyed by policy name (or `all`)", found: Array.isArray(content) ? "an array" : typeof content },
    ]);
  }
  const problems: InputProblem[] = [];
  const result: Record<string, AnalyzerPolicyConfig> = {};
  for (const [key, value] of Object.entries(content as Record<string, unknown>)) {
    let enforcementLevel: EnforcementLevel | undefined;
    let properties: Record<string, unknown> | undefined;
    if (typeof value === "string") {
      if (!isLevel(value)) {
        problems.push({
          file: source,
          key,
          expected: `an enforcement level (${LEVEL_FIX})`,
          found: JSON.stringify(value),
          fix: `set ${JSON.stringify(key)} to ${LEVEL_FIX}`,
        });
        continue;
      }
      enforcementLevel = value;
    } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const { enforcementLevel: level, ...rest } = value as Record<string, unknown>;
      if (level !== undefined) {
        if (!isLevel(level)) {
          problems.push({
            file: source,
            key: `${key}.enforcementLevel`,
            expected: LEVEL_FIX,
            found: JSON.stringify(level),
            fix: `set ${key}.enforcementLevel to ${LEVEL_FIX} (an unknown level would switch the policy off)`,
          });
          continue;
        }
        enforcementLevel = level;
      }
      if (Object.keys(rest).length) properties = rest;
    } else {
      problems.push({ file: source, key, expected: "an enforcement level string or an object of properties", found: JSON.stringify(value) });
      continue;
    }
    if (enforcementLevel === undefined && properties === undefined) continue;
    result[key] = { ...(enforcementLevel ? { enforcementLevel } : {}), ...(properties ? { properties } : {}) };
  }
  if (problems.length) throw new InputError("invalid policy pack config", problems);
  return result;
}

function withDefaults(policies: readonly AnalyzerPolicyInfo[]): Record<string, AnalyzerPolicyConfig> {
  const result: Record<string, AnalyzerPolicyConfig> = {};
  for (const p of policies) {
    let properties: Record<string, unknown> | undefined;
    for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
      if ("default" in schema) (properties ??= {})[k] = structuredClone(schema.default);
    }
    result[p.name] = { enforcementLevel: p.enforcementLevel, ...(properties ? { properties } : {}) };
  }
  return result;
}

function applyConfig(result: Record<string, AnalyzerPolicyConfig>, toApply: Record<string, AnalyzerPolicyConfig>): Record<string, AnalyzerPolicyConfig> {
  const all = toApply.all;
  if (all && isLevel(all.enforcementLevel)) {
    for (const [k, v] of Object.entries(result)) result[k] = { ...v, enforcementLevel: all.enforcementLevel };
  }
  for (const [name, given] of Object.entries(toApply)) {
    const current = result[name] ?? {};
    const enforcementLevel = isLevel(given.enforcementLevel) ? given.enforcementLevel : current.enforcementLevel;
    const properties = given.properties && Object.keys(given.properties).length ? { ...current.properties, ...given.properties } : current.properties;
    result[name] = { ...(enforcementLevel ? { enforcementLevel } : {}), ...(properties ? { properties } : {}) };
  }
  return result;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map<string, ValidateFunction>();

/** One compiled validator per distinct config schema (a pack's schemas are compiled once per process). */
function validatorOf(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) validators.set(key, (validate = ajv.compile(schema)));
  return validate;
}

/**
 * Steps 2 to 5: the configuration the CLI sends in Configure. Throws an {@link InputError} naming `source` for
 * schema violations (the CLI's "validating policy config" errors) and for entries Configure would refuse.
 */
export function reconcilePolicyPackConfig(
  policies: readonly AnalyzerPolicyInfo[],
  initialConfig: Record<string, AnalyzerPolicyConfig> | undefined,
  config: Record<string, AnalyzerPolicyConfig> | undefined,
  source = "policy config",
): Record<string, AnalyzerPolicyConfig> {
  let result = withDefaults(policies);
  if (initialConfig) result = applyConfig(result, initialConfig);
  if (config) result = applyConfig(result, config);

  const problems: InputProblem[] = [];
  for (const p of policies) {
    if (!p.configSchema) continue;
    const schema = {
      type: "object",
      ...(p.configSchema.properties && Object.keys(p.configSchema.properties).length ? { properties: p.configSchema.properties } : {}),
      ...(p.configSchema.required?.length ? { required: p.configSchema.required } : {}),
    };
    const validate = validatorOf(schema);
    if (!validate(result[p.name]?.properties ?? {})) {
      for (const err of validate.errors ?? []) {
        const at = err.instancePath.replace(/\//g, ".");
        problems.push({
          file: source,
          key: `${p.name}${at}`,
          expected: err.message ?? "a valid value",
          found: JSON.stringify(err.params),
          fix: `correct ${p.name}${at} against the policy's configSchema`,
        });
      }
    }
  }
  for (const [name, c] of Object.entries(result)) {
    if (!isLevel(c.enforcementLevel)) {
      problems.push({
        file: source,
        key: name,
        expected: `an enforcementLevel (${LEVEL_FIX}); the CLI refuses an entry without one for a name that is not a policy`,
        found: "no enforcement level",
      });
    }
  }
  if (problems.length) throw new InputError("invalid policy pack config", problems);
  return result;
}

/** The policies of a pack as GetAnalyzerInfo reports them (level: the policy's own, else the pack's). */
export function analyzerPolicyInfos(policies: readonly policy.Policy[], packLevel: EnforcementLevel): AnalyzerPolicyInfo[] {
  return policies.map((p) => ({
    name: p.name,
    enforcementLevel: p.enforcementLevel ?? packLevel,
    ...(p.configSchema
      ? { configSchema: { properties: p.configSchema.properties as Record<string, Record<string, unknown>>, required: p.configSchema.required } }
      : {}),
  }));
}
