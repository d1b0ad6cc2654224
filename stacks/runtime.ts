/**
 * runtime: the managed runtime surfaces of dev_full (project issue 4). Two halves share one set of upstream
 * reads (core and streaming, one StackReference each) and export every `runtime` handle of the registry once:
 *
 * - edge and data (runtime A, stacks/runtimeEdgeAndData.ts): private VPC endpoints, Aurora PostgreSQL
 *   Serverless v2, ElastiCache Redis, the ingress edge (HTTP API, Lambda, idempotency table, DLQ, API key) and
 *   the edge's identities;
 * - EKS exception lane and orchestration (runtime B, stacks/runtimeLanes.ts): EKS with namespaces and IRSA,
 *   Step Functions, MSF, EMR Serverless, ECS lanes.
 *
 * Contract between the halves (keep it true when either side changes):
 *   runtimeLanes(env: Environment, deps: RuntimeLanesDeps): { handles: StackOutputs; outputs: StackOutputs }
 *   deps = runtimeLanesDepsFrom(upstream.core, upstream.streaming): core's vpc id, private subnets, platform KMS key ARN, bucket names/ARNs, ECR URI, EKS base role ARNs; streaming's MSK
 *     cluster ARN and per-lane stream-access policy JSON. The StackReferences are created once, here
 *     (readUpstream); runtime B reads through them and never creates its own.
 *   Also available to runtime B from `edgeAndData.parts`: the account id, `endpoints` (PrivateEndpoints: the
 *     endpoints' security group id and every endpoint resource, for `dependsOn` from node groups that boot
 *     without NAT), `workloads` (the workload security group every lane workload and the EKS nodes use), `aurora` / `redis` (security group ids; connection handles are the registry's SSM paths).
 *   Handles runtime B supplies: runtimeLanesHandleNames(registry) = EKS_*, FLINK_*, EMR_EKS_*,
 *     ORACLE_STREAM_SORT_*, SFN_*, ROLE_FLINK_EXECUTION, ROLE_STEP_FUNCTIONS_ORCHESTRATOR, ROLE_EKS_IRSA_*,
 *     ARCHIVE_CONNECTOR_*, WSP_*, ROLE_ECS_*, ECS_SERVICE_*. Every other exported `runtime` handle comes from
 *     runtime A. handleOutputs below checks the union against the registry: nothing missing, nothing foreign.
 *
 * Parity target: ../shared/spec/stacks/runtime.md (40 outputs), with the §6.5 defects fixed.
 */
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../src/config/environment";
import { DEFERRED_HANDLES_OUTPUT, StackOutputs, handleOutputs, withDeferred } from "./handleOutputs";
import { readUpstream, runtimeEdgeAndData } from "./runtimeEdgeAndData";
import { runtimeLanes, runtimeLanesDepsFrom } from "./runtimeLanes";

export function runtimeStack(env: Environment): StackOutputs {
  const upstream = readUpstream(env);

  // --- Private network, Aurora, Redis, ingress edge (runtime A) ---
  const edgeAndData = runtimeEdgeAndData(env, upstream);

  // --- EKS exception lane and orchestration (runtime B) ---
  const lanes = runtimeLanes(env, {
    ...runtimeLanesDepsFrom(upstream.core, upstream.streaming),
    bootDependencies: edgeAndData.parts.endpoints.endpoints,
    workloadSecurityGroupId: edgeAndData.parts.workloads.securityGroupId,
  });

  const handles = handleOutputs(env, { ...edgeAndData.handles, ...lanes.handles });
  const { [DEFERRED_HANDLES_OUTPUT]: _reasons, ...materialized } = handles;
  return withDeferred({
    ...handles,
    ...edgeAndData.outputs,
    ...lanes.outputs,
    // The reference's 60 keys (stacks/runtime.md §4) on top of every runtime handle; off-by-design keys are null
    // with their reason under deferred_handles.
    runtime_handle_materialization: { ...materialized, ...edgeAndData.materialization, ...lanes.materialization },
  });
}
