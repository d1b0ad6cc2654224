import { modelPackageGroupPinned, singleOnlineEndpoint } from "../../policies/rules/sagemakerServing";
import { DATA_ML_STACK, OPS_STACK, T, dataMlCompliant, res, stackDoc } from "../helpers/dataMlOpsFixtures";
import { check } from "../helpers/policyFixtures";

const group = () => res(DATA_ML_STACK, T.modelPackageGroup, "models", dataMlCompliant.modelPackageGroup());

describe("DA-71 one online endpoint and the pinned model registry", () => {
  it("stays quiet on the data_ml stack with the model package group and one pinned endpoint", async () => {
    const r = await check(
      [singleOnlineEndpoint, modelPackageGroupPinned],
      stackDoc(DATA_ML_STACK, group(), res(DATA_ML_STACK, T.endpoint, "online", dataMlCompliant.endpoint())),
    );
    expect(r.violations).toEqual([]);
  });

  it("fires on a second endpoint and on an endpoint with another name", async () => {
    const r = await check(
      singleOnlineEndpoint,
      stackDoc(
        DATA_ML_STACK,
        group(),
        res(DATA_ML_STACK, T.endpoint, "a", dataMlCompliant.endpoint()),
        res(DATA_ML_STACK, T.endpoint, "b", dataMlCompliant.endpoint("fraud-platform-dev-full-shadow")),
      ),
    );
    expect(r.violations.map((v) => v.message.split("\n").pop())).toEqual([
      "2 SageMaker endpoints declared; at most 1 (one active model slot).",
      'endpoint "fraud-platform-dev-full-shadow" is not fraud-platform-dev-full-online-v0.',
    ]);
  });

  it("fires when the data_ml stack has no model package group, not on other stacks", async () => {
    const r = await check(singleOnlineEndpoint, stackDoc(DATA_ML_STACK));
    expect(r.violations.map((v) => v.message)).toEqual([expect.stringContaining("declares no model package group (fraud-platform-dev-full-models)")]);
    expect((await check(singleOnlineEndpoint, stackDoc(OPS_STACK))).violations).toEqual([]);
  });

  it("fires on a model package group with another name", async () => {
    const r = await check(
      modelPackageGroupPinned,
      stackDoc(DATA_ML_STACK, res(DATA_ML_STACK, T.modelPackageGroup, "g", { modelPackageGroupName: "models-v2" })),
    );
    expect(r.violations.map((v) => v.message.split("\n").pop())).toEqual(['modelPackageGroupName "models-v2", expected fraud-platform-dev-full-models.']);
  });
});
