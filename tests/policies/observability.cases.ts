import { alarmDimensionPairs, dashboardDimensionPairs, dashboardsAndAlarms } from "../../policies/rules/observability";
import { OPS_STACK, DATA_ML_STACK, T, opsCompliant, opsObservabilityStates, res, stackDoc } from "../helpers/dataMlOpsFixtures";
import { check } from "../helpers/policyFixtures";

const last = (m: string) => m.split("\n").pop();

describe("DA-82 dashboards and alarms, no literal ids", () => {
  it("stays quiet on the ops stack with both dashboards and the pinned alarms plotting watched ids", async () => {
    expect((await check(dashboardsAndAlarms, stackDoc(OPS_STACK, ...opsObservabilityStates()))).violations).toEqual([]);
  });

  it("fires when a pinned alarm or dashboard is missing", async () => {
    const states = opsObservabilityStates().filter(
      (s) => s.inputs.name !== "fraud-platform-dev-full-rtdl-lag" && s.inputs.dashboardName !== "fraud-platform-dev-full-cost-guardrail",
    );
    const r = await check(dashboardsAndAlarms, stackDoc(OPS_STACK, ...states));
    expect(r.violations.map((v) => last(v.message))).toEqual([
      "dashboard fraud-platform-dev-full-cost-guardrail (CW_DASHBOARD_COST_GUARDRAIL) is missing.",
      "alarm fraud-platform-dev-full-rtdl-lag (ALARM_RTDL_LAG) is missing.",
    ]);
  });

  it("defers all five with the observability surface when the stack declares none of it (a closed window), and only then", async () => {
    const windowOnly = (s: { type: string; inputs: Record<string, unknown> }) =>
      s.type === T.dashboard || (s.type === T.alarm && !String(s.inputs.name).includes("estimated-charges"));
    const closed = opsObservabilityStates().filter((s) => !windowOnly(s));
    expect(closed.length).toBeGreaterThan(0);
    expect((await check(dashboardsAndAlarms, stackDoc(OPS_STACK, ...closed))).violations).toEqual([]);
    const oneDashboard = opsObservabilityStates().filter((s) => !windowOnly(s) || s.inputs.dashboardName === "fraud-platform-dev-full-operations");
    expect((await check(dashboardsAndAlarms, stackDoc(OPS_STACK, ...oneDashboard))).violations.map((v) => last(v.message))).toEqual(
      expect.arrayContaining([
        "dashboard fraud-platform-dev-full-cost-guardrail (CW_DASHBOARD_COST_GUARDRAIL) is missing.",
        "alarm fraud-platform-dev-full-rtdl-lag (ALARM_RTDL_LAG) is missing.",
      ]),
    );
  });

  it("fires on a stale literal API id that no alarm of the stack watches (the reference's pd7rtjze95)", async () => {
    const r = await check(dashboardsAndAlarms, stackDoc(OPS_STACK, ...opsObservabilityStates(opsCompliant.operationsBody("pd7rtjze95"))));
    expect(r.violations.map((v) => last(v.message))).toEqual([expect.stringContaining('ApiId="pd7rtjze95" is watched by no alarm of this stack')]);
    expect(r.violations[0]).toMatchObject({ policy: "da-82-dashboards-and-alarms", enforcementLevel: "mandatory" });
  });

  it("fires on a reference-account id even when an alarm watches it too, and on an undeclared alarm widget", async () => {
    const body = opsCompliant.operationsBody("ehwznd2uw7");
    body.widgets[2] = { type: "alarm", properties: { title: "alarms", alarms: ["arn:aws:cloudwatch:eu-west-2:123456789012:alarm:someone-elses-alarm"] } };
    const states = opsObservabilityStates(body).map((s) =>
      s.inputs.name === "fraud-platform-dev-full-ig-http-anomaly"
        ? { ...s, inputs: JSON.parse(JSON.stringify(s.inputs).replace("167f94a9d5", "ehwznd2uw7")) }
        : s,
    );
    const messages = (await check(dashboardsAndAlarms, stackDoc(OPS_STACK, ...states))).violations.map((v) => last(v.message));
    expect(messages).toEqual([
      expect.stringContaining('alarm fraud-platform-dev-full-ig-http-anomaly uses the reference account\'s "ehwznd2uw7"'),
      expect.stringContaining('dashboard fraud-platform-dev-full-operations contains the reference account\'s "ehwznd2uw7"'),
      'dashboard fraud-platform-dev-full-operations shows alarm "someone-elses-alarm", which this stack does not declare.',
    ]);
  });

  it("does not apply to a stack without dashboards other than ops", async () => {
    expect((await check(dashboardsAndAlarms, stackDoc(DATA_ML_STACK, res(DATA_ML_STACK, T.logGroup, "lg", opsCompliant.logGroup())))).violations).toEqual([]);
  });

  it("reads dimension pairs from alarms (metric and metric math) and from dashboard rows", () => {
    const alarms = opsObservabilityStates()
      .filter((s) => s.type === T.alarm)
      .map((s) => ({ props: s.inputs }) as never);
    expect([...alarmDimensionPairs(alarms)]).toEqual(
      expect.arrayContaining(["FunctionName=fraud-platform-dev-full-ig-handler", "ApiId=167f94a9d5", "Stage=v1", "Currency=USD"]),
    );
    expect(
      dashboardDimensionPairs({
        widgets: [
          {
            type: "metric",
            properties: {
              title: "t",
              metrics: [
                ["AWS/SQS", "NumberOfMessagesSent", "QueueName", "q", { stat: "Sum" }],
                ["...", "other"],
              ],
            },
          },
        ],
      }),
    ).toEqual([{ widget: "t", name: "QueueName", value: "q" }]);
  });
});
