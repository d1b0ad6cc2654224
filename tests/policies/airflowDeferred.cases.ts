import { noMwaaWhileDeferred } from "../../policies/rules/airflowDeferred";
import { AIRFLOW_DEFERRED, mwaaEnvironmentAllowed } from "../../src/ops/airflow";
import { loadRegistry } from "../../src/registry/registry";
import { OPS_STACK, T, res, stackDoc } from "../helpers/dataMlOpsFixtures";
import { check } from "../helpers/policyFixtures";

describe("DA-60 no MWAA environment while deferred", () => {
  it("reads the deferred mode from the registry", () => {
    expect(loadRegistry().string("AIRFLOW_MODE")).toBe(AIRFLOW_DEFERRED);
    expect(mwaaEnvironmentAllowed(AIRFLOW_DEFERRED)).toBe(false);
    expect(mwaaEnvironmentAllowed("MWAA_ACTIVE")).toBe(true);
  });

  it("fires on an MWAA environment and stays quiet without one", async () => {
    const r = await check(
      noMwaaWhileDeferred,
      stackDoc(OPS_STACK, res(OPS_STACK, T.mwaa, "mwaa", { name: "fraud-platform-dev-full", environmentClass: "mw1.small" })),
    );
    expect(r.violations).toEqual([
      expect.objectContaining({
        policy: "da-60-no-mwaa-while-deferred",
        enforcementLevel: "mandatory",
        message: expect.stringContaining("AIRFLOW_MODE=DEFERRED_UNTIL_COMPLEXITY_THRESHOLD"),
      }),
    ]);
    expect(
      (await check(noMwaaWhileDeferred, stackDoc(OPS_STACK, res(OPS_STACK, T.logGroup, "lg", { name: "/fraud-platform/dev_full/x", retentionInDays: 14 }))))
        .violations,
    ).toEqual([]);
  });
});
