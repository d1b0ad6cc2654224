import { wildcardResources } from "../../policies/rules/wildcardResources";
import { check, doc, resource } from "../helpers/policyFixtures";

const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const policyOf = (resource_: string | string[]) => ({
  role: "fraud-platform-dev-full-df-task",
  policy: JSON.stringify({ Statement: [{ Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: resource_ }] }),
});

describe("DA-21 no wildcard resources (advisory)", () => {
  it("stays quiet on named resources", async () => {
    expect((await check(wildcardResources, doc(resource(ROLE_POLICY, "p", policyOf(["arn:aws:s3:::b/x/*"]))))).violations).toEqual([]);
  });

  it("fires on Resource *", async () => {
    const r = await check(wildcardResources, doc(resource(ROLE_POLICY, "p", policyOf("*"))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].enforcementLevel).toBe("advisory");
    expect(r.violations[0].message).toMatch(/statement Read allows s3:GetObject on Resource "\*"/);
  });
});
