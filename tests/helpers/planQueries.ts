/** Queries over a planned layer shared by the stack tests. */
import { LayerPlan, RecordedResource, isSecretValue } from "../../src/plan/previewDocument";

export const ofType = (p: LayerPlan, type: string): RecordedResource[] => p.resources.filter((r) => r.type === type);

/** The one custom resource with this logical name (fails the test when there is none or several). */
export const named = (p: LayerPlan, name: string): RecordedResource => {
  const found = p.resources.filter((r) => r.name === name && r.custom);
  expect(found).toHaveLength(1);
  return found[0];
};

/** A recorded value with its secret wrapper removed. */
export const unwrap = (v: unknown): unknown => (isSecretValue(v) ? v.value : v);

/** A JSON document input (IAM policy, trust, ...) parsed, secret or not. */
export const json = <T = { Statement: Array<Record<string, unknown>> }>(v: unknown): T => JSON.parse(String(unwrap(v))) as T;
