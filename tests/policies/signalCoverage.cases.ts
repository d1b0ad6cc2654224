import { requiredSignalsAlarmed } from "../../policies/rules/signalCoverage";
import { check } from "../helpers/policyFixtures";
import { OPS_STACK, T, res, stackDoc } from "../helpers/dataMlOpsFixtures";
import { PropertyMap } from "../../src/plan/previewDocument";
import { mutate } from "../helpers/policyFixtures";

const alarms = (): Array<[string, PropertyMap]> => [
  ["throttles", { name: "fraud-platform-dev-full-ig-lambda-throttles", namespace: "AWS/Lambda", metricName: "Throttles" }],
  ["lag", { name: "fraud-platform-dev-full-rtdl-lag", namespace: "AWS/KinesisAnalytics", metricName: "records_lag_max" }],
  [
    "errors",
    {
      name: "fraud-platform-dev-full-error-rate",
      metricQueries: [
        { id: "errors", metric: { namespace: "AWS/Lambda", metricName: "Errors" } },
        { id: "value", expression: "errors" },
      ],
    },
  ],
  ["latency", { name: "fraud-platform-dev-full-ig-latency", namespace: "AWS/ApiGateway", metricName: "IntegrationLatency" }],
];
const ops = (list = alarms(), ...extra: ReturnType<typeof res>[]) => stackDoc(OPS_STACK, ...list.map(([k, i]) => res(OPS_STACK, T.alarm, k, i)), ...extra);

describe("DA-83 required signals (advisory)", () => {
  it("stays quiet when health, lag, error and latency are alarmed", async () => {
    expect((await check(requiredSignalsAlarmed, ops())).violations).toEqual([]);
  });
  it("fires (advisory) when no alarm watches latency", async () => {
    const list = alarms();
    list[3] = [list[3][0], mutate(list[3][1], "metricName", "Count")];
    list[3][1] = mutate(list[3][1], "name", "fraud-platform-dev-full-ig-requests");
    const r = await check(requiredSignalsAlarmed, ops(list));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-83-required-signals-alarmed", enforcementLevel: "advisory" });
    expect(r.violations[0].message).toMatch(/latency/);
  });
  it("requires model and pipeline signals once a data_ml StackReference exists", async () => {
    const ref = res(OPS_STACK, "pulumi:pulumi:StackReference", "data-ml", { name: "organization/fraud-platform/dev-full-data-ml" });
    const quiet = [
      ...alarms(),
      ["model", { name: "m", namespace: "AWS/SageMaker", metricName: "ModelLatency" }],
      ["sfn", { name: "p", namespace: "AWS/States", metricName: "ExecutionsFailed" }],
    ] as Array<[string, PropertyMap]>;
    expect((await check(requiredSignalsAlarmed, ops(quiet, ref))).violations).toEqual([]);
    const r = await check(requiredSignalsAlarmed, ops(alarms(), ref));
    expect(r.violations.map((v) => v.message)).toEqual([expect.stringMatching(/model, pipeline/)]);
  });
});
