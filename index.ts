/**
 * Pulumi entry point of the fraud-platform project. The stack name (`dev-full-<layer>`) picks the layer; the
 * environment is loaded and validated before any resource is declared; the layer's outputs become the stack's.
 */
import { programFor } from "./stacks";
import { environmentFromPulumi } from "./src/config/fromPulumi";

const env = environmentFromPulumi();
export = programFor(env.layer)(env);
