/**
 * A runtime-layer program holding only the runtime lanes (runtime B), for component tests that must not depend on
 * the rest of the runtime layer: reads core and streaming through StackReferences exactly as stacks/runtime.ts
 * does and exports the lanes' handles and outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { environmentFromPulumi } from "../../src/config/fromPulumi";
import { runtimeLanes, runtimeLanesDepsFrom } from "../../stacks/runtimeLanes";

const env = environmentFromPulumi();
const lanes = runtimeLanes(env, runtimeLanesDepsFrom(new pulumi.StackReference(env.stackReference("core")), new pulumi.StackReference(env.stackReference("streaming"))));
export = { ...lanes.handles, ...lanes.outputs };
