/**
 * The program of each layer. The entry point picks one from the stack name; the offline plan runs them in
 * apply order. A layer without a program yet is reported as such, never silently skipped.
 */
import { Environment } from "../src/config/environment";
import { Layer } from "../src/layers";
import { coreStack } from "./core";
import { dataMlStack } from "./dataMl";
import { StackOutputs } from "./handleOutputs";
import { opsStack } from "./ops";
import { runtimeStack } from "./runtime";
import { streamingStack } from "./streaming";

export type LayerProgram = (env: Environment) => StackOutputs;

export const LAYER_PROGRAMS: Partial<Record<Layer, LayerProgram>> = {
  core: coreStack,
  streaming: streamingStack,
  runtime: runtimeStack,
  data_ml: dataMlStack,
  ops: opsStack,
};

export function programFor(layer: Layer): LayerProgram {
  const program = LAYER_PROGRAMS[layer];
  if (!program) {
    throw new Error(`layer ${layer} has no program yet (implemented: ${Object.keys(LAYER_PROGRAMS).join(", ")})`);
  }
  return program;
}
