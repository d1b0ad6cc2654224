import { stackDomain } from "../../policies/rules/stackDomain";
import { ResourceState } from "../../src/plan/previewDocument";
import { check, compliant, doc, resource } from "../helpers/policyFixtures";

const inStack = (s: ResourceState, stack: string): ResourceState => ({ ...s, urn: s.urn.replace("dev-full-core", stack) });

describe("DA-01 stack domain ownership", () => {
  it("stays quiet when the core stack holds core and shared types", async () => {
    const r = await check(stackDomain, doc(resource("aws:s3/bucket:Bucket", "b", compliant.bucket()), resource("aws:iam/role:Role", "r", compliant.role())));
    expect(r.violations).toEqual([]);
  });

  it("fires on a resource of another layer's domain", async () => {
    const r = await check(stackDomain, doc(resource("aws:msk/serverlessCluster:ServerlessCluster", "msk", { clusterName: "fraud-platform-dev-full-msk" })));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(/belongs to the streaming layer, not core/);
  });

  it("reads the layer from the URN's stack name", async () => {
    const budget = inStack(resource("aws:budgets/budget:Budget", "b", { name: "fraud-platform-dev-full-monthly" }), "dev-full-ops");
    expect((await check(stackDomain, doc(budget))).violations).toEqual([]);
  });
});
