import { bucketNotForceDestroyable, bucketPostureComplete } from "../../policies/rules/bucketPosture";
import { parseExemptionTag, validateRecord } from "../../policies/lib/exemptions";
import { TAGS, check, compliant, doc, mutate, resource, urnOf } from "../helpers/policyFixtures";

const BUCKET = "aws:s3/bucket:Bucket";
const TODAY = "2026-11-25";
const forceDestroyed = (tags: Record<string, string> = TAGS) => resource(BUCKET, "b", { ...mutate(compliant.bucket(), "forceDestroy", true), tags });
const cfg = (extra: Record<string, unknown> = {}) => ({ "da-36-bucket-not-force-destroyable": { today: TODAY, ...extra } });

describe("reviewed exemptions", () => {
  it("parses the tag format with a free-text reason last", () => {
    expect(parseExemptionTag("expires=2026-12-01 approver=esosa reason=scratch bucket for the P3 drill")).toEqual({
      expires: "2026-12-01",
      approver: "esosa",
      reason: "scratch bucket for the P3 drill",
    });
  });

  it("validates reason, approver, date format, expiry and maximum length", () => {
    const ok = { reason: "r", approver: "a", expires: "2026-12-01" };
    expect(validateRecord(ok, TODAY).kind).toBe("valid");
    expect(validateRecord({ ...ok, reason: "" }, TODAY)).toEqual({ kind: "invalid", problem: "exemption has no reason" });
    expect(validateRecord({ ...ok, approver: undefined }, TODAY)).toEqual({ kind: "invalid", problem: "exemption has no approver" });
    expect(validateRecord({ ...ok, expires: "01/12/2026" }, TODAY).kind).toBe("invalid");
    expect(validateRecord({ ...ok, expires: "2026-11-24" }, TODAY)).toEqual({ kind: "invalid", problem: "exemption expired on 2026-11-24" });
    expect(validateRecord({ ...ok, expires: "2027-06-01" }, TODAY)).toEqual({ kind: "invalid", problem: expect.stringMatching(/at most 90 before re-review/) });
  });

  it("silences the named rule for a resource with a valid exemption tag", async () => {
    const tags = { ...TAGS, "fp_exempt_da-36-bucket-not-force-destroyable": "expires=2026-12-10 approver=esosa reason=throwaway drill bucket" };
    expect((await check(bucketNotForceDestroyable, doc(forceDestroyed()), cfg())).violations).toHaveLength(1);
    const r = await check(bucketNotForceDestroyable, doc(forceDestroyed(tags)), cfg());
    expect(r.violations).toEqual([]);
    expect(r.summary.notApplicable).toBe(1);
  });

  it("reports an expired or reasonless exemption as a violation of the rule", async () => {
    const expired = { ...TAGS, "fp_exempt_da-36-bucket-not-force-destroyable": "expires=2026-11-01 approver=esosa reason=old" };
    const r = await check(bucketNotForceDestroyable, doc(forceDestroyed(expired)), cfg());
    expect(r.violations.map((v) => v.message)).toEqual([
      expect.stringContaining("exemption expired on 2026-11-01"),
      expect.stringContaining("forceDestroy is true"),
    ]);
    const reasonless = { ...TAGS, "fp_exempt_da-36-bucket-not-force-destroyable": "expires=2026-12-01 approver=esosa" };
    expect((await check(bucketNotForceDestroyable, doc(forceDestroyed(reasonless)), cfg())).violations[0].message).toContain("exemption has no reason");
  });

  it("takes exemptions from policy config by URN (prefix) and only for the named rule", async () => {
    const exemptions = [
      { urn: "urn:pulumi:dev-full-core::fraud-platform::aws:s3/bucket:Bucket::*", reason: "drill", approver: "esosa", expires: "2026-12-01" },
    ];
    expect((await check(bucketNotForceDestroyable, doc(forceDestroyed()), cfg({ exemptions }))).violations).toEqual([]);
    const stackCfg = { "da-33-bucket-posture-complete": { today: TODAY, exemptions } };
    const stack = await check(bucketPostureComplete, doc(resource(BUCKET, "b", compliant.bucket())), stackCfg);
    expect(stack.violations).toEqual([]);
    const noExemption = await check(bucketPostureComplete, doc(resource(BUCKET, "b", compliant.bucket())), {
      "da-33-bucket-posture-complete": { today: TODAY },
    });
    expect(noExemption.violations.map((v) => v.urn)).toEqual([urnOf(BUCKET, "b")]);
  });
});
