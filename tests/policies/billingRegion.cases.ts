import { billingAlarmRegion, billingWidgetsRegion } from "../../policies/rules/billingRegion";
import { ResourceState } from "../../src/plan/previewDocument";
import { OPS_STACK, T, opsCompliant, res, stackDoc } from "../helpers/dataMlOpsFixtures";
import { check } from "../helpers/policyFixtures";

const provider = (name: string, region: string): ResourceState => res(OPS_STACK, T.awsProvider, name, { region });
const last = (m: string) => m.split("\n").pop();

describe("DA-92 billing metrics in us-east-1", () => {
  it("stays quiet on a billing alarm behind a us-east-1 provider or with region us-east-1", async () => {
    const billing = provider("billing", "us-east-1");
    expect(
      (await check(billingAlarmRegion, stackDoc(OPS_STACK, billing, res(OPS_STACK, T.alarm, "billing", opsCompliant.billingAlarm(), billing)))).violations,
    ).toEqual([]);
    expect(
      (await check(billingAlarmRegion, stackDoc(OPS_STACK, res(OPS_STACK, T.alarm, "billing", { ...opsCompliant.billingAlarm(), region: "us-east-1" }))))
        .violations,
    ).toEqual([]);
  });

  it("fires on a billing alarm on the default (home-region) provider, or without provider information", async () => {
    const home = provider("default_7_48_0", "eu-west-2");
    const r = await check(billingAlarmRegion, stackDoc(OPS_STACK, home, res(OPS_STACK, T.alarm, "billing", opsCompliant.billingAlarm(), home)));
    expect(r.violations).toEqual([expect.objectContaining({ policy: "da-92-billing-alarm-region", enforcementLevel: "mandatory" })]);
    expect(last(r.violations[0].message)).toContain('is in "eu-west-2" (provider default_7_48_0); create it through a provider for us-east-1');
    expect((await check(billingAlarmRegion, stackDoc(OPS_STACK, res(OPS_STACK, T.alarm, "billing", opsCompliant.billingAlarm())))).violations).toHaveLength(1);
  });

  it("leaves other alarms alone", async () => {
    const [, lambda] = opsCompliant.alarms()[0];
    expect((await check(billingAlarmRegion, stackDoc(OPS_STACK, res(OPS_STACK, T.alarm, "a", lambda)))).violations).toEqual([]);
  });

  it("fires on a dashboard that plots AWS/Billing outside us-east-1", async () => {
    const dash = (region: string) =>
      stackDoc(
        OPS_STACK,
        res(OPS_STACK, T.dashboard, "cost", {
          dashboardName: "fraud-platform-dev-full-cost-guardrail",
          dashboardBody: JSON.stringify(opsCompliant.costBody(region)),
        }),
      );
    expect((await check(billingWidgetsRegion, dash("us-east-1"))).violations).toEqual([]);
    expect((await check(billingWidgetsRegion, dash("eu-west-2"))).violations.map((v) => last(v.message))).toEqual([
      'widget "Estimated charges" plots AWS/Billing in "eu-west-2"; billing metrics exist only in us-east-1.',
    ]);
  });
});
