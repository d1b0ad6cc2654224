/**
 * The program of each layer. The entry point picks one from the stack name; the offline plan runs them in
 * apply order. A layer without a program yet is reported as such, never silently skipped.
 */
import type { Environment } from "../src/config/environment";
import type { Layer } from "../src/layers";
import type { StackOutputs } from "./handleOutputs";

export type LayerProgram = (env: Environment) => StackOutputs;

/**
 * Each layer's program, loaded on first use: a stack loads only its own module and the provider SDKs that module
 * imports (the core stack never loads the Kubernetes, Databricks or Kafka SDKs).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export const LAYER_PROGRAMS: Partial<Record<Layer, () => LayerProgram>> = {
  core: () => (require("./core") as typeof import("./core")).coreStack,
  streaming: () => (require("./streaming") as typeof import("./streaming")).streamingStack,
  runtime: () => (require("./runtime") as typeof import("./runtime")).runtimeStack,
  data_ml: () => (require("./dataMl") as typeof import("./dataMl")).dataMlStack,
  ops: () => (require("./ops") as typeof import("./ops")).opsStack,
};
/* eslint-enable @typescript-eslint/no-require-imports */

export function programFor(layer: Layer): LayerProgram {
  const load = LAYER_PROGRAMS[layer];
  if (!load) {
    throw new Error(`layer ${layer} has no program yet (implemented: ${Object.keys(LAYER_PROGRAMS).join(", ")})`);
  }
  return load();
}
