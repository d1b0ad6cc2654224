/**
 * Property-based tests (fast-check): the shipped YAML files, the registry, a policy config and preview documents,
 * mutated thousands of times (keys deleted, renamed or added, values replaced by arbitrary JSON, text bytes
 * inserted or deleted), never make a loader throw anything but the project's usage-error classes (exit 2).
 */
import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { budgetPins, parseCostSettings } from "../../src/cost/profile";
import { parsePriceTable, priceTableOf } from "../../src/cost/prices";
import { UsageError } from "../../src/errors";
import { loadEnvironment } from "../../src/config/environment";
import { parsePhases, phasesOf } from "../../src/evidence/phases";
import { resolvePolicyConfig } from "../../src/policy/harness";
import { normalizePreviewDocument } from "../../src/preview/read";
import { PROJECT_ROOT, loadRegistry, parseRegistry, registryOf } from "../../src/registry/registry";
import { stackConfigFor } from "../../src/plan/stackConfig";
import { parseSurfaceCatalog } from "../../src/window/surfaces";
import { parseYamlText } from "../../src/yamlFile";

const read = (rel: string) => fs.readFileSync(path.join(PROJECT_ROOT, rel), "utf8");
const yamlOf = (rel: string) => parseYamlText(read(rel), rel, "test input");

type Json = unknown;
type Step = (string | number)[];

const isObject = (value: Json): value is Record<string, Json> => value !== null && typeof value === "object" && !Array.isArray(value);

/** How many nodes a JSON value has, itself included. */
function nodeCount(value: Json): number {
  let n = 1;
  if (Array.isArray(value)) for (const v of value) n += nodeCount(v);
  else if (isObject(value)) for (const k of Object.keys(value)) n += nodeCount(value[k]);
  return n;
}

/** The path to a value's `k`-th node in pre-order (0: the root), `k` < {@link nodeCount}. */
function pathAt(value: Json, k: number): Step {
  const at: Step = [];
  let node = value;
  while (k > 0) {
    k--; // past this node, into its children
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : isObject(node) ? Object.keys(node) : [];
    for (const key of keys) {
      const child = (node as Record<string | number, Json>)[key];
      const size = nodeCount(child);
      if (k < size) {
        at.push(key);
        node = child;
        break;
      }
      k -= size;
    }
  }
  return at;
}

interface Mutation {
  at: number;
  kind: "delete" | "replace" | "rename" | "add";
  value: Json;
  name: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom("delete", "replace", "rename", "add"),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, "", "TO_PIN", -1, 0, Number.POSITIVE_INFINITY, "secure", { secure: "v1:AAAA" }, [], {})),
  name: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("status", "name", "value", "kind", "owner", "__proto__", "constructor", "secure")),
});

/** Applies mutations to a deep copy. */
function mutate(root: Json, mutations: readonly Mutation[]): Json {
  let doc = structuredClone(root);
  for (const m of mutations) {
    const at = pathAt(doc, m.at % nodeCount(doc));
    if (at.length === 0) {
      if (m.kind === "replace") doc = structuredClone(m.value);
      continue;
    }
    const parent = at.slice(0, -1).reduce<Json>((node, k) => (node as Record<string | number, Json>)[k], doc) as Record<string | number, Json> | Json[];
    const key = at[at.length - 1];
    const value = structuredClone(m.value); // a fresh copy per use: a value never ends up inside itself
    if (Array.isArray(parent)) {
      const i = key as number;
      if (m.kind === "delete") parent.splice(i, 1);
      else if (m.kind === "add") parent.splice(i, 0, value);
      else parent[i] = value;
    } else {
      const obj = parent as Record<string, Json>;
      const old = obj[key as string];
      if (m.kind === "delete") delete obj[key as string];
      else if (m.kind === "replace") obj[key as string] = value;
      else if (m.kind === "rename") {
        delete obj[key as string];
        Object.defineProperty(obj, m.name, { value: old, enumerable: true, writable: true, configurable: true });
      } else Object.defineProperty(obj, m.name, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return doc;
}

/** A text edit: insert or delete a few characters somewhere (YAML syntax errors, truncation). */
const textEdit = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 8 }),
  insert: fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom(":", "- ", "\n  ", "\t", "{", "'", "&a", "*a", "!!binary")),
});
function editText(text: string, edits: readonly { at: number; remove: number; insert: string }[]): string {
  let t = text;
  for (const e of edits) {
    const i = e.at % (t.length + 1);
    t = t.slice(0, i) + e.insert + t.slice(i + e.remove);
  }
  return t;
}

/** Runs `fn`; passes when it returns or throws a usage error, fails (with the error) on anything else. */
function onlyUsageErrors(fn: () => unknown): boolean {
  try {
    fn();
  } catch (e) {
    if (e instanceof UsageError) return true;
    throw e;
  }
  return true;
}

/** Text edits of a YAML file (parsing a large file is slow, so these runs are few). */
function textVariants(rel: string): fc.Arbitrary<string> {
  return fc.array(textEdit, { minLength: 1, maxLength: 3 }).map((es) => editText(read(rel), es));
}

/** Document mutations of a YAML file's parsed content. */
function docVariants(rel: string, maxLength = 4): fc.Arbitrary<Json> {
  const doc = yamlOf(rel);
  return fc.array(mutation, { minLength: 1, maxLength }).map((ms) => mutate(doc, ms));
}

// Each property runs hundreds of cases; on a loaded machine one can take longer than jest's default 5 s.
jest.setTimeout(60_000);

const registry = loadRegistry();
const file = (rel: string) => path.join(PROJECT_ROOT, rel);

describe("no loader throws anything but a usage error, whatever the input", () => {
  it("the handles registry", () => {
    fc.assert(
      fc.property(docVariants("registry/handles.yaml"), (raw) => onlyUsageErrors(() => registryOf(raw, file("registry/handles.yaml")))),
      { numRuns: 40 },
    );
    fc.assert(
      fc.property(textVariants("registry/handles.yaml"), (text) => onlyUsageErrors(() => parseRegistry(text, file("registry/handles.yaml")))),
      { numRuns: 4 },
    );
  });

  it("the phase ladder", () => {
    fc.assert(
      fc.property(docVariants("registry/phases.yaml"), (raw) => onlyUsageErrors(() => phasesOf(raw, file("registry/phases.yaml"), registry))),
      { numRuns: 150 },
    );
    fc.assert(
      fc.property(textVariants("registry/phases.yaml"), (text) => onlyUsageErrors(() => parsePhases(text, file("registry/phases.yaml"), registry))),
      { numRuns: 30 },
    );
  });

  it("the price table", () => {
    fc.assert(
      fc.property(docVariants("pricing/prices.yaml"), (raw) => onlyUsageErrors(() => priceTableOf(raw, file("pricing/prices.yaml")))),
      { numRuns: 150 },
    );
    fc.assert(
      fc.property(textVariants("pricing/prices.yaml"), (text) => onlyUsageErrors(() => parsePriceTable(text, file("pricing/prices.yaml")))),
      { numRuns: 30 },
    );
  });

  it("the surface catalog and the phases' surfaces", () => {
    const surfaces = yamlOf("registry/surfaces.yaml");
    const phases = yamlOf("registry/phases.yaml");
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 3 }), fc.array(mutation, { maxLength: 3 }), (a, b) =>
        onlyUsageErrors(() => parseSurfaceCatalog(mutate(surfaces, a), mutate(phases, b))),
      ),
      { numRuns: 600 },
    );
  });

  it("the usage profile (fraud-platform:cost)", () => {
    const shared = yamlOf("Pulumi.dev-full.yaml") as { config: Record<string, Json> };
    const cost = shared.config["fraud-platform:cost"];
    const budget = budgetPins(registry);
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) =>
        onlyUsageErrors(() => parseCostSettings(mutate(cost, ms), "Pulumi.dev-full.yaml", budget)),
      ),
      { numRuns: 800 },
    );
  });

  it("the environment of every layer (shared file mutated)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fuzz-env-"));
    for (const f of fs.readdirSync(PROJECT_ROOT).filter((n) => /^Pulumi(\..*)?\.yaml$/.test(n))) fs.copyFileSync(path.join(PROJECT_ROOT, f), path.join(dir, f));
    const stacks = ["dev-full-core", "dev-full-streaming", "dev-full-runtime", "dev-full-data-ml", "dev-full-ops"];
    const configs = stacks.map((s) => stackConfigFor(PROJECT_ROOT, s));
    const shared = yamlOf("Pulumi.dev-full.yaml");
    const variants = fc.oneof(
      { arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => stringify(mutate(shared, ms))), weight: 4 },
      { arbitrary: textVariants("Pulumi.dev-full.yaml"), weight: 1 },
    );
    fc.assert(
      fc.property(variants, fc.nat({ max: stacks.length - 1 }), (text, i) => {
        fs.writeFileSync(path.join(dir, "Pulumi.dev-full.yaml"), text);
        return onlyUsageErrors(() =>
          loadEnvironment({ stackName: stacks[i], layerConfig: configs[i].config, secretKeys: configs[i].secretKeys, projectDir: dir, registry }),
        );
      }),
      { numRuns: 100 },
    );
  });

  it("a policy pack config", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { policyPack } = require("../../policies/pack") as typeof import("../../policies/pack");
    const names = policyPack.policies.map((p) => p.name);
    const entry = fc.oneof(
      fc.constantFrom("advisory", "mandatory", "disabled", "remediate", "bogus", ""),
      fc.record({ enforcementLevel: fc.oneof(fc.constantFrom("advisory", "mandatory", "bogus"), fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: [] }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const config = fc.dictionary(fc.oneof(fc.constantFrom(...names, "all"), fc.string({ maxLength: 12 })), entry, { maxKeys: 5 });
    fc.assert(
      fc.property(fc.oneof(config, fc.jsonValue({ maxDepth: 2 })), (c) => onlyUsageErrors(() => resolvePolicyConfig(policyPack, c as never, "policy.json"))),
      { numRuns: 25 },
    );
  });

  it("preview documents", () => {
    // Small documents keep each run fast: whole small fixtures and the first steps of large ones.
    const trimmed = (f: string) => {
      const doc = JSON.parse(read(f)) as { steps: Json[]; changeSummary?: Json };
      delete doc.changeSummary;
      return { ...doc, steps: doc.steps.slice(0, 12) };
    };
    const fixtures: Json[] = [
      ...["core.update-no-sames", "core.failed-program", "streaming.secrets"].map((n) => JSON.parse(read(`tests/fixtures/previews/${n}.preview.json`)) as Json),
      ...["core.create", "core.update-show-sames", "core.read-external", "core.replace-delete"].map((n) =>
        trimmed(`tests/fixtures/previews/${n}.preview.json`),
      ),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.array(mutation, { minLength: 1, maxLength: 5 }), (doc, ms) =>
        onlyUsageErrors(() => normalizePreviewDocument(mutate(doc, ms), "preview.json")),
      ),
      { numRuns: 800 },
    );
  });
});
