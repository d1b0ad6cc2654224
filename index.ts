/**
 * Pulumi entry point of the fraud-platform project. The stack name (`dev-full-<layer>`) picks the layer; the
 * environment is loaded and validated before any resource is declared; the layer's outputs become the stack's.
 * The program is the exported function: the Pulumi runtime calls it once the module has loaded (`cmd/run` under
 * `pulumi up`; the offline plan's workers once per pass).
 */
import { programFor } from "./stacks";
import { StackOutputs } from "./stacks/handleOutputs";
import { environmentFromPulumi } from "./src/config/fromPulumi";

export = function program(): StackOutputs {
  const env = environmentFromPulumi();
  return programFor(env.layer)(env);
};
