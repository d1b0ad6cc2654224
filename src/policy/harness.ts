/**
 * Runs the CrossGuard policy pack in-process on preview documents with the real analyzer's semantics: props are
 * deserialized by @pulumi/policy's own deserializer and wrapped in its unknown-checking proxy (touching an unknown
 * value downgrades that policy to an advisory "can't run during preview" note, as in a real preview);
 * `notApplicable` skips; policy config gets its JSON-schema defaults and is validated as the CLI does; the
 * enforcement level comes from config, then the policy, then the pack.
 */
import type * as policy from "@pulumi/policy";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { InputError, InputProblem } from "../errors";
import { analyzerPolicyInfos, parsePolicyPackConfig, reconcilePolicyPackConfig } from "./packConfig";
import { PreviewDocument, PropertyMap, ResourceState } from "../plan/previewDocument";
import { EnforcementLevel, PolicyReport, PolicyViolation, proposedResources, reportOf, stackOf } from "./report";

/* Internals of @pulumi/policy the analyzer server uses; required here so the harness behaves identically. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { deserializeProperties } = require("@pulumi/policy/deserialize") as {
  deserializeProperties(s: Pick<Struct, "toJavaScript">, proxySecrets: boolean): Record<string, unknown>;
};
const { unknownCheckingProxy, UnknownValueError } = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T extends object>(o: T): T;
  UnknownValueError: new (...args: unknown[]) => Error;
};
const { getPulumiType } = require("@pulumi/policy/policy") as { getPulumiType(o: unknown): string | undefined };
/* eslint-enable @typescript-eslint/no-require-imports */

export type { EnforcementLevel, PolicyViolation, PolicyReport, PackMetadata } from "./report";
export { proposedResources, stackOf, mergeReports } from "./report";

/** `--policy-pack-config` content: per policy (or `all`) either a level or `{ enforcementLevel?, ...properties }`. */
export type PolicyPackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface PolicyPackDefinition {
  name: string;
  /** The pack's version (`policies/package.json`); the analyzer names it in "can't run" notes. Default 0.0.0. */
  version?: string;
  enforcementLevel: EnforcementLevel;
  policies: policy.Policies;
}

interface ResolvedPolicyConfig {
  enforcementLevel?: EnforcementLevel;
  properties: Record<string, unknown>;
}

class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "not applicable");
  }
}
const throwNotApplicable = (reason?: string): never => {
  // A signal to the harness, never shown: no stack trace to capture (most policies skip most resources this way).
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const skip = new NotApplicableError(reason);
  Error.stackTraceLimit = limit;
  throw skip;
};

/**
 * The configuration a real preview would send the pack (`packConfig.ts`: the CLI's parsing, defaults, `all`,
 * per-policy entries and schema validation). On top of the CLI, a key that is neither `all` nor a policy of the
 * pack is refused: the CLI would pass such a typo on and silently leave the intended policy unconfigured.
 */
export function resolvePolicyConfig(pack: PolicyPackDefinition, config: PolicyPackConfig = {}, source = "policy config"): Map<string, ResolvedPolicyConfig> {
  const parsed = parsePolicyPackConfig(config, source);
  const names = new Set(pack.policies.map((p) => p.name));
  const typos: InputProblem[] = Object.keys(parsed)
    .filter((key) => key !== "all" && !names.has(key))
    .map((key) => ({
      file: source,
      key,
      expected: "the name of a policy in the pack (or `all`)",
      found: "an unknown policy name",
      fix: closestName(key, names) ?? "use a policy name of the pack (npm run policy-check -- --json lists them in byPolicy)",
    }));
  if (typos.length) throw new InputError("invalid policy pack config", typos);
  const reconciled = reconcilePolicyPackConfig(analyzerPolicyInfos(pack.policies, pack.enforcementLevel), undefined, parsed, source);
  return new Map(
    pack.policies.map((p) => [p.name, { enforcementLevel: reconciled[p.name]?.enforcementLevel, properties: reconciled[p.name]?.properties ?? {} }]),
  );
}

function closestName(key: string, names: ReadonlySet<string>): string | undefined {
  const prefix = /^(da|sb)-\d+/.exec(key)?.[0];
  const match = [...names].find((n) => (prefix ? n.startsWith(`${prefix}-`) : n.includes(key)));
  return match ? `did you mean ${JSON.stringify(match)}?` : undefined;
}

/** The level the analyzer server applies: configured, else the policy's own, else the pack's; remediate reports as mandatory. */
function levelOf(p: policy.Policy, pack: PolicyPackDefinition, cfg?: ResolvedPolicyConfig): EnforcementLevel {
  let level = cfg?.enforcementLevel || p.enforcementLevel || pack.enforcementLevel;
  if (level === "remediate") level = "mandatory";
  return level;
}

function isTypeOf(type: string, resourceClass: unknown): boolean {
  const pulumiType = getPulumiType(resourceClass);
  if (pulumiType) return type === pulumiType;
  const isInstance = (resourceClass as { isInstance?: (o: unknown) => boolean }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

/**
 * A resource's inputs as the analyzer receives them: one `Struct` per resource (an Analyze request carries one) and,
 * per validation, freshly deserialized props behind the unknown-checking proxy, as the analyzer server gives each
 * validation. The Struct's JavaScript form is taken once per resource: `deserializeProperties` only reads it and
 * builds new objects and arrays every time.
 */
const structs = new WeakMap<PropertyMap, Pick<Struct, "toJavaScript">>();
function propsOf(inputs: PropertyMap): Record<string, unknown> {
  let struct = structs.get(inputs);
  if (!struct) {
    const plain = Struct.fromJavaScript(inputs as Parameters<typeof Struct.fromJavaScript>[0]).toJavaScript();
    structs.set(inputs, (struct = { toJavaScript: () => plain }));
  }
  return unknownCheckingProxy(deserializeProperties(struct, false));
}

function optionsOf(state: ResourceState): policy.PolicyResourceOptions {
  return {
    protect: state.protect ?? false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(state.parent ? { parent: state.parent } : {}),
  };
}

function ruleOf(policyName: string): string | undefined {
  const m = /^(da|sb)-(\d+)/.exec(policyName);
  return m ? `${m[1].toUpperCase()}-${m[2]}` : undefined;
}

/**
 * The provider a resource is managed by (`args.provider`, as the analyzer passes it): its reference is
 * `<provider urn>::<provider id>`; default providers are part of the document too.
 */
function providerArg(state: ResourceState, providers: ReadonlyMap<string, ResourceState>): { provider?: policy.PolicyProviderResource } {
  const ref = state.provider;
  const urn = ref ? ref.slice(0, ref.lastIndexOf("::")) : undefined;
  const provider = urn ? providers.get(urn) : undefined;
  if (!provider) return {};
  return { provider: { type: provider.type, props: propsOf(provider.inputs), urn: provider.urn, name: provider.urn.split("::").pop() ?? provider.urn } };
}

/** Evaluates every policy of the pack against every document (one document = one stack). */
export async function evaluatePolicies(
  docs: PreviewDocument[],
  pack: PolicyPackDefinition,
  config: PolicyPackConfig = {},
  configSource?: string,
): Promise<PolicyReport> {
  const resolved = resolvePolicyConfig(pack, config, configSource);
  const violations: PolicyViolation[] = [];
  let notApplicable = 0;
  let resourceCount = 0;

  for (const doc of docs) {
    const stack = stackOf(doc);
    const resources = proposedResources(doc);
    resourceCount += resources.length;
    const providerStates = new Map(resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => [r.urn, r]));
    for (const p of pack.policies) {
      const cfg = resolved.get(p.name);
      const level = levelOf(p, pack, cfg);
      if (level === "disabled") continue;
      const getConfig = <T extends object>() => (cfg?.properties ?? {}) as T;
      const report = (urnDefault?: string, type?: string) => (message: string, urn?: string) => {
        violations.push({
          policy: p.name,
          rule: ruleOf(p.name),
          stack,
          urn: urn ?? urnDefault,
          type,
          enforcementLevel: level,
          severity: p.severity,
          message: message ? `${p.description}\n${message}` : p.description,
        });
      };
      const onError = (e: unknown, urn?: string, type?: string): void => {
        if (e instanceof UnknownValueError) {
          violations.push({
            policy: p.name,
            rule: ruleOf(p.name),
            stack,
            urn,
            type,
            enforcementLevel: "advisory",
            severity: p.severity,
            blindLevel: level,
            message: `can't run policy '${p.name}' from policy pack '${pack.name}@v${pack.version ?? "0.0.0"}' during preview: ${e.message}`,
          });
        } else if (e instanceof NotApplicableError) {
          notApplicable++;
        } else {
          throw new Error(`Error validating ${urn ?? stack} with policy '${p.name}': ${e instanceof Error ? e.message : String(e)}`);
        }
      };

      if ("validateResource" in p && p.validateResource) {
        const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
        // As the analyzer server: only a single validation with an attached type is skipped by type; every
        // validation of a list runs, and does its own type check.
        const onlyType = Array.isArray(p.validateResource) ? undefined : getPulumiType(p.validateResource);
        for (const state of resources) {
          if (onlyType && onlyType !== state.type) {
            notApplicable++;
            continue;
          }
          for (const validation of validations) {
            const props = propsOf(state.inputs);
            const args: policy.ResourceValidationArgs = {
              type: state.type,
              props,
              urn: state.urn,
              name: state.urn.split("::").pop() ?? state.urn,
              opts: optionsOf(state),
              stackTags: new Map(),
              isType: (cls) => isTypeOf(state.type, cls),
              asType: ((cls: unknown) => (isTypeOf(state.type, cls) ? props : undefined)) as policy.ResourceValidationArgs["asType"],
              getConfig,
              notApplicable: throwNotApplicable,
              ...providerArg(state, providerStates),
            };
            try {
              await Promise.resolve(validation(args, report(state.urn, state.type)));
            } catch (e) {
              onError(e, state.urn, state.type);
            }
          }
        }
      } else if ("validateStack" in p && p.validateStack) {
        const onlyType = getPulumiType(p.validateStack);
        if (onlyType && !resources.some((r) => r.type === onlyType)) {
          notApplicable++;
          continue;
        }
        const byUrn = new Map<string, policy.PolicyResource>();
        const policyResources = resources.map((state) => {
          const props = propsOf(state.inputs);
          const r: policy.PolicyResource = {
            type: state.type,
            props,
            urn: state.urn,
            name: state.urn.split("::").pop() ?? state.urn,
            opts: optionsOf(state),
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => isTypeOf(state.type, cls),
            asType: ((cls: unknown) => (isTypeOf(state.type, cls) ? props : undefined)) as policy.PolicyResource["asType"],
          };
          byUrn.set(state.urn, r);
          return r;
        });
        resources.forEach((state, i) => {
          const r = policyResources[i];
          if (state.parent && byUrn.has(state.parent)) r.parent = byUrn.get(state.parent);
          r.dependencies = (state.dependencies ?? []).map((d) => byUrn.get(d)).filter((d): d is policy.PolicyResource => d !== undefined);
        });
        try {
          await Promise.resolve(p.validateStack({ resources: policyResources, getConfig, stackTags: new Map(), notApplicable: throwNotApplicable }, report()));
        } catch (e) {
          onError(e);
        }
      }
    }
  }

  return reportOf(violations, { policies: pack.policies.length, resources: resourceCount, notApplicable });
}
