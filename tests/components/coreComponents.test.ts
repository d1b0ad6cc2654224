/** Pure parts of the core components (no mocks needed). */
import { subnetKey, subnetTags } from "../../components/platformNetwork";

describe("PlatformNetwork subnets", () => {
  it("keys subnets by tier and zone, and tags each tier for the Kubernetes load balancers it may hold", () => {
    expect([subnetKey("public", 0), subnetKey("private", 1)]).toEqual(["public-01", "private-02"]);
    const args = { tags: { project: "fraud-platform" }, namePrefix: "fraud-platform-dev-full" };
    expect(subnetTags(args, "public", 0)).toEqual({
      project: "fraud-platform",
      Name: "fraud-platform-dev-full-public-01",
      fp_subnet_tier: "public",
      "kubernetes.io/role/elb": "1",
    });
    expect(subnetTags(args, "private", 1)).toEqual({
      project: "fraud-platform",
      Name: "fraud-platform-dev-full-private-02",
      fp_subnet_tier: "private",
      "kubernetes.io/role/internal-elb": "1",
    });
  });
});
