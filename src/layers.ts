/**
 * The five layers of an environment, in apply order, and how stack names map to them
 * (`<env>-<layer>`, with `data_ml` spelled `data-ml` in stack names).
 */
import { InputError } from "./errors";
import { LAYERS, Layer } from "./registry/schema";

export { LAYERS };
export type { Layer };

export interface LayerSpec {
  readonly layer: Layer;
  /** Suffix of the layer's stack name. */
  readonly stackSuffix: string;
  /** What the layer holds. */
  readonly summary: string;
  /** The layers whose stack outputs its program reads (StackReferences): it runs once they are applied. */
  readonly reads: readonly Layer[];
}

/** The layers in apply order (core first); teardown runs this list in reverse. */
export const LAYER_SPECS: readonly LayerSpec[] = [
  { layer: "core", stackSuffix: "core", summary: "VPC, KMS, S3, ECR, base IAM", reads: [] },
  { layer: "streaming", stackSuffix: "streaming", summary: "MSK Serverless, topics, Glue schema registry", reads: ["core"] },
  { layer: "runtime", stackSuffix: "runtime", summary: "EKS, workload identities, Aurora, Redis, ingress edge, orchestration", reads: ["core", "streaming"] },
  { layer: "data_ml", stackSuffix: "data-ml", summary: "Databricks, SageMaker, MLflow, Glue OFS", reads: ["core"] },
  { layer: "ops", stackSuffix: "ops", summary: "budgets, alarms, dashboards, MWAA, CI automation", reads: ["core", "runtime"] },
];

export const DEFAULT_ENV = "dev-full";

export function layerSpec(layer: Layer): LayerSpec {
  const spec = LAYER_SPECS.find((s) => s.layer === layer);
  if (!spec) throw new Error(`unknown layer ${layer}`);
  return spec;
}

export function stackNameFor(env: string, layer: Layer): string {
  return `${env}-${layerSpec(layer).stackSuffix}`;
}

/** Parses `dev-full-core` into `{ env: "dev-full", layer: "core" }`; anything else is a clear error. */
export function parseStackName(stackName: string): { env: string; layer: Layer } {
  // A fully qualified name (org/project/stack) names the same stack.
  const bare = stackName.split("/").pop() ?? stackName;
  for (const spec of LAYER_SPECS) {
    const suffix = `-${spec.stackSuffix}`;
    if (bare.endsWith(suffix) && bare.length > suffix.length) {
      return { env: bare.slice(0, -suffix.length), layer: spec.layer };
    }
  }
  const valid = LAYER_SPECS.map((s) => `${DEFAULT_ENV}-${s.stackSuffix}`).join(", ");
  throw new InputError(`stack ${JSON.stringify(stackName)} names no layer`, [
    {
      file: "Pulumi.yaml",
      key: "stack name",
      expected: `<env>-<layer> with layer one of ${LAYER_SPECS.map((s) => s.stackSuffix).join(", ")} (valid names: ${valid})`,
      found: JSON.stringify(stackName),
      fix: `pulumi stack select ${DEFAULT_ENV}-core (or another of: ${valid})`,
    },
  ]);
}

/** Parses a comma-separated layer list (`core,streaming`), returned in apply order. */
export function parseLayerList(list: string): Layer[] {
  const wanted = list
    .split(",")
    .map((s) => s.trim().replace(/-/g, "_"))
    .filter(Boolean);
  const unknown = wanted.filter((w) => !(LAYERS as readonly string[]).includes(w));
  if (unknown.length || wanted.length === 0) {
    throw new InputError("invalid --layers", [
      {
        file: "command line",
        key: "--layers",
        expected: `a comma list of ${LAYERS.join(", ")}`,
        found:
          wanted.length === 0
            ? `${JSON.stringify(list)} (no layer)`
            : `${JSON.stringify(list)} (${unknown.map((u) => JSON.stringify(u)).join(", ")} names no layer)`,
        fix: "e.g. --layers core,streaming, or leave --layers out to plan every layer",
      },
    ]);
  }
  return LAYERS.filter((l) => wanted.includes(l));
}
