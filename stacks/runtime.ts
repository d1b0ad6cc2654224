/**
 * runtime: the managed runtime surfaces of dev_full (project issue 4), one part per concern (stacks/runtimeParts/),
 * all reading core and streaming through one reader each (stacks/upstreamOutputs.ts):
 *
 * - private network: VPC endpoints and the private workloads' security group;
 * - data stores: Aurora PostgreSQL Serverless v2, ElastiCache Redis;
 * - ingress edge: HTTP API, Lambda, idempotency table, DLQ, API key, and the edge's identities;
 * - EKS exception lane: cluster, namespaces, IRSA identities (lane tables: src/runtime/lanes.ts);
 * - stream processing: Flink on MSF, the EMR Serverless stream sort, the EMR-on-EKS fallback;
 * - orchestration: the three pinned state machines;
 * - spine services: the WSP cluster, the spine services and the WSP task on ECS Fargate.
 *
 * Each part returns its registry handles; handleOutputs checks their union against the registry (nothing missing,
 * nothing foreign). Parity target: the reference inventory (tests/fixtures/reference-stacks/runtime.md, 40 outputs), with the
 * defects it lists fixed.
 */
import { Environment } from "../src/config/environment";
import { laneSwitches } from "../src/runtime/lanes";
import { DEFERRED_HANDLES_OUTPUT, StackOutputs, handleOutputs, withDeferred } from "./handleOutputs";
import { RuntimePart, runtimeContext } from "./runtimeParts/context";
import { auroraPart, redisPart } from "./runtimeParts/dataStores";
import { eksLane } from "./runtimeParts/eksLane";
import { runtimePathGovernance } from "./runtimeParts/governance";
import { ingressPart } from "./runtimeParts/ingress";
import { orchestration } from "./runtimeParts/orchestration";
import { privateNetwork } from "./runtimeParts/privateNetwork";
import { spineServices } from "./runtimeParts/spineServices";
import { streamProcessing } from "./runtimeParts/streamProcessing";

export function runtimeStack(env: Environment): StackOutputs {
  const ctx = runtimeContext(env);
  const network = privateNetwork(ctx);
  const eks = eksLane(ctx, network.placement);
  const parts: RuntimePart[] = [
    network,
    auroraPart(ctx),
    redisPart(ctx),
    ingressPart(ctx, network),
    runtimePathGovernance(ctx.r),
    eks,
    streamProcessing(ctx, network.placement, eks),
    orchestration(ctx),
    spineServices(ctx, network.placement),
    { handles: {}, outputs: { runtime_lanes_switches: laneSwitches(ctx.lanes, env.settings.idleSafe) }, materialization: {} },
  ];
  return runtimeOutputs(env, parts);
}

/** The stack's outputs: every part's handles (checked against the registry), outputs and materialization map. */
export function runtimeOutputs(env: Environment, parts: readonly RuntimePart[]): StackOutputs {
  const merge = (pick: (p: RuntimePart) => StackOutputs, what: string): StackOutputs => mergeDisjoint(parts.map(pick), what);
  const handles = handleOutputs(
    env,
    merge((p) => p.handles, "handle"),
  );
  const { [DEFERRED_HANDLES_OUTPUT]: _reasons, ...materialized } = handles;
  return withDeferred({
    ...handles,
    ...merge((p) => p.outputs, "output"),
    // The reference's 60 keys (stacks/runtime.md §4) on top of every runtime handle; off-by-design keys are null
    // with their reason under deferred_handles.
    runtime_handle_materialization: { ...materialized, ...merge((p) => p.materialization, "materialization key") },
  });
}

/** One map of the parts' maps; a key two parts both supply is an error (each value has one source). */
export function mergeDisjoint(maps: readonly StackOutputs[], what: string): StackOutputs {
  const merged: StackOutputs = {};
  for (const map of maps) {
    for (const [key, value] of Object.entries(map)) {
      if (key in merged) throw new Error(`runtime: ${what} ${key} is supplied by two parts of the layer`);
      merged[key] = value;
    }
  }
  return merged;
}
