/**
 * The project's program: the stack name (`dev-full-<layer>`) picks the layer; the environment is loaded and
 * validated before any resource is declared; the layer's outputs become the stack's. `index.ts` runs it when it
 * loads, as `pulumi up` loads it; the offline plan's workers run it once per pass.
 */
import { environmentFromPulumi } from "../src/config/fromPulumi";
import { StackOutputs } from "./handleOutputs";
import { programFor } from "./index";

export function program(): StackOutputs {
  const env = environmentFromPulumi();
  return programFor(env.layer)(env);
}
