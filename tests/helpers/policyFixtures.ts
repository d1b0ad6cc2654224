/**
 * Fixture builders for policy tests: a compliant resource per type, mutated one field at a time, wrapped in a
 * preview document and evaluated with the same harness the plan uses.
 */
import type * as policy from "@pulumi/policy";
import { PreviewDocument, PropertyMap, ResourceState } from "../../src/plan/previewDocument";
import { PolicyPackConfig, PolicyReport, evaluatePolicies } from "../../src/policy/harness";

export const STACK = "dev-full-core";
export const TAGS = { project: "fraud-platform", env: "dev_full", owner: "esosa", fp_stack: "core" };

export function urnOf(type: string, name: string, stack = STACK): string {
  return `urn:pulumi:${stack}::fraud-platform::${type}::${name}`;
}

export function resource(type: string, name: string, inputs: PropertyMap, extra: Partial<ResourceState> = {}): ResourceState {
  return { urn: urnOf(type, name), type, custom: true, protect: false, retainOnDelete: false, dependencies: [], inputs, ...extra };
}

export function doc(...states: ResourceState[]): PreviewDocument {
  return { stack: STACK, steps: states.map((s) => ({ op: "create", urn: s.urn, newState: s })), changeSummary: { create: states.length } };
}

/** Evaluates one policy (or a few) on documents. */
export function check(policies: policy.Policies | policy.Policy, docs: PreviewDocument | PreviewDocument[], config?: PolicyPackConfig): Promise<PolicyReport> {
  const list = (Array.isArray(policies) ? policies : [policies]) as policy.Policies;
  return evaluatePolicies(Array.isArray(docs) ? docs : [docs], { name: "test-pack", enforcementLevel: "mandatory", policies: list }, config);
}

/** Deep copy of inputs with one path set (or deleted when value is undefined). */
export function mutate(inputs: PropertyMap, dotted: string, value: PropertyMap[string] | undefined): PropertyMap {
  const copy = JSON.parse(JSON.stringify(inputs)) as PropertyMap;
  const keys = dotted.split(".");
  let cur: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
  const last = keys[keys.length - 1];
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return copy;
}

/** Compliant fixtures. */
export const compliant = {
  bucket: (name = "fraud-platform-dev-full-artifacts") => ({ bucket: name, forceDestroy: false, tags: { ...TAGS, Name: name } }),
  sse: () => ({
    bucket: "fraud-platform-dev-full-artifacts",
    rules: [
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:eu-west-2:123456789012:key/abc" }, bucketKeyEnabled: true },
    ],
  }),
  versioning: () => ({ bucket: "fraud-platform-dev-full-artifacts", versioningConfiguration: { status: "Enabled" } }),
  publicAccessBlock: () => ({
    bucket: "fraud-platform-dev-full-artifacts",
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  }),
  role: () => ({ name: "fraud-platform-dev-full-eks-nodegroup", assumeRolePolicy: "{}", tags: TAGS }),
};
