import { egressScoped } from "../../policies/rules/egressScope";
import { PropertyMap } from "../../src/plan/previewDocument";
import { check, doc, mutate, resource } from "../helpers/policyFixtures";

const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const rule = (): PropertyMap => ({ securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.70.0.0/16" });

describe("DA-18 egress scoped (advisory)", () => {
  it("stays quiet on egress to the VPC CIDR", async () => {
    expect((await check(egressScoped, doc(resource(EGRESS, "e", rule())))).violations).toEqual([]);
  });

  it("fires on egress to 0.0.0.0/0", async () => {
    const r = await check(egressScoped, doc(resource(EGRESS, "e", mutate(rule(), "cidrIpv4", "0.0.0.0/0"))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].enforcementLevel).toBe("advisory");
  });

  it("fires on inline egress and securityGroupRule egress, not on ingress rules", async () => {
    const r = await check(
      egressScoped,
      doc(
        resource("aws:ec2/securityGroup:SecurityGroup", "sg", { name: "x", egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }),
        resource("aws:ec2/securityGroupRule:SecurityGroupRule", "out", {
          type: "egress",
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: ["0.0.0.0/0"],
          securityGroupId: "sg-1",
        }),
        resource("aws:ec2/securityGroupRule:SecurityGroupRule", "in", {
          type: "ingress",
          protocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrBlocks: ["0.0.0.0/0"],
          securityGroupId: "sg-1",
        }),
      ),
    );
    expect(r.violations).toHaveLength(2);
  });
});
