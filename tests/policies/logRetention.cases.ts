import { logGroupRetention } from "../../policies/rules/logRetention";
import { OPS_STACK, T, opsCompliant, res, stackDoc } from "../helpers/dataMlOpsFixtures";
import { check, mutate } from "../helpers/policyFixtures";

const group = (inputs = opsCompliant.logGroup()) => check(logGroupRetention, stackDoc(OPS_STACK, res(OPS_STACK, T.logGroup, "lg", inputs)));

describe("DA-80 log groups under the prefix with 14-day retention", () => {
  it("stays quiet on a group under the prefix and on a pinned service-fixed name", async () => {
    expect((await group()).violations).toEqual([]);
    expect((await group(opsCompliant.logGroup("/aws/rds/cluster/fraud-platform-dev-full-aurora/postgresql"))).violations).toEqual([]);
  });

  it.each([
    [undefined, /\(never expire\), expected 14/],
    [0, /\(never expire\)/],
    [30, /retentionInDays is 30, expected 14/],
  ])("fires when retentionInDays is %p", async (days, message) => {
    const r = await group(mutate(opsCompliant.logGroup(), "retentionInDays", days as never));
    expect(r.violations).toEqual([
      expect.objectContaining({ policy: "da-80-log-group-retention", enforcementLevel: "mandatory", message: expect.stringMatching(message) }),
    ]);
  });

  it("fires on a group outside the prefix and on an unnamed group", async () => {
    expect((await group(opsCompliant.logGroup("/aws/lambda/some-function"))).violations.map((v) => v.message)).toEqual([
      expect.stringContaining("/aws/lambda/some-function is not under /fraud-platform/dev_full/"),
    ]);
    expect((await group(mutate(opsCompliant.logGroup(), "name", undefined))).violations.map((v) => v.message)).toEqual([
      expect.stringContaining("no explicit name"),
    ]);
  });
});
