/**
 * Output parity with the reference implementation (tests/fixtures/reference-stacks/*.md, copies of ../shared/spec/stacks): on the pinned plan of the five
 * stacks, each of the reference's 81 outputs exists under its own name, and each key of its five
 * handle-materialization maps exists in ours. A reference output or key that is off by design is a documented null:
 * null, with its reason under the layer's `deferred_handles`.
 */
import { Layer } from "../../src/layers";
import { LayerPlan, PropertyMap, isSecretValue } from "../../src/plan/previewDocument";
import { referenceMaterializationKeys, referenceOutputs } from "../helpers/referenceInventory";
import { ALL_STACK_PINS } from "../helpers/pins";
import { sharedPlan } from "../helpers/sharedPlan";

const LAYERS: Layer[] = ["core", "streaming", "runtime", "data_ml", "ops"];
let plans: Partial<Record<Layer, LayerPlan>>;

beforeAll(async () => {
  const { result } = await sharedPlan(LAYERS, ALL_STACK_PINS);
  plans = Object.fromEntries(result.outcomes.map((o) => [o.layer, o.plan]));
}, 600_000);

const outputsOf = (layer: Layer): PropertyMap => {
  const plan = plans[layer];
  if (!plan) throw new Error(`${layer} was not planned`);
  return plan.outputs;
};
const reasonsOf = (layer: Layer) => (outputsOf(layer).deferred_handles ?? {}) as Record<string, string>;

/** Names whose value is missing, or null without a reason. */
function undocumented(names: string[], values: PropertyMap, reasons: Record<string, string>): string[] {
  return names.filter((n) => !(n in values) || (values[n] === null && !(typeof reasons[n] === "string" && reasons[n].length > 20)));
}

describe("the reference inventories", () => {
  it("parse to the counts they state: 81 outputs, maps of 8, 7, 60, 6 and 14 keys", () => {
    const outputs = LAYERS.map((l) => referenceOutputs(l));
    for (const o of outputs) expect(o.names).toHaveLength(o.stated);
    expect(outputs.reduce((n, o) => n + o.names.length, 0)).toBe(81);
    const maps = LAYERS.map((l) => referenceMaterializationKeys(l));
    for (const m of maps) expect(m.names).toHaveLength(m.stated);
    expect(maps.map((m) => m.stated)).toEqual([8, 7, 60, 6, 14]);
  });
});

describe("output parity on the pinned plan", () => {
  it.each(LAYERS)("%s exports every reference output by name, or as a documented deferred null", (layer) => {
    expect(undocumented(referenceOutputs(layer).names, outputsOf(layer), reasonsOf(layer))).toEqual([]);
  });

  it.each(LAYERS)("%s's handle-materialization map holds every reference key, or a documented deferred null", (layer) => {
    const map = outputsOf(layer)[`${layer}_handle_materialization`];
    expect(isSecretValue(map)).toBe(false);
    expect(undocumented(referenceMaterializationKeys(layer).names, map as PropertyMap, reasonsOf(layer))).toEqual([]);
  });

  it("defers the ECS ingress service outputs, the M6F policy name and the removed table role with their decisions, and nothing else of the 81", () => {
    const nulls = LAYERS.flatMap((l) =>
      referenceOutputs(l)
        .names.filter((n) => outputsOf(l)[n] === null)
        .map((n) => [l, n, reasonsOf(l)[n]] as const),
    );
    expect(nulls.map(([l, n]) => `${l}.${n}`).sort()).toEqual(
      [
        "ops.github_actions_m6f_policy_name",
        ...[
          "ig_service_cluster_name",
          "ig_service_internal_dns_name",
          "ig_service_name",
          "ig_service_url",
          "ssm_ig_service_url_path",
          "role_ddb_ig_idempotency_rw_arn",
        ].map((n) => `runtime.${n}`),
      ].sort(),
    );
    for (const [, n, reason] of nulls) expect(reason).toMatch(n === "role_ddb_ig_idempotency_rw_arn" ? /docs\/decisions\/0009-/ : /docs\/decisions\/0008-/);
  });

  it("keeps the renamed outputs the reference's workflows read under their reference names", () => {
    const runtime = outputsOf("runtime");
    expect(runtime.eks_nodegroup_m6f_name).toBe(runtime.EKS_NODEGROUP_LANES_NAME);
    expect(runtime.eks_nodegroup_m6f_status).toBe(runtime.eks_nodegroup_lanes_status);
    expect(runtime.role_flink_execution_arn).toBe(runtime.ROLE_FLINK_EXECUTION);
    expect(runtime.sfn_platform_run_orchestrator_name).toBe(runtime.SFN_PLATFORM_RUN_ORCHESTRATOR_V0);
    const map = runtime.runtime_handle_materialization as PropertyMap;
    expect(map).toMatchObject({
      EKS_NODEGROUP_M6F_NAME: runtime.EKS_NODEGROUP_LANES_NAME,
      IG_SERVICE_ENABLED: false,
      VPC_ENDPOINT_S3_GATEWAY_ID: runtime.runtime_s3_gateway_vpc_endpoint_id,
    });
    expect(outputsOf("ops").ssm_aurora_password_path).toBe(runtime.SSM_AURORA_PASSWORD_PATH);
  });
});
