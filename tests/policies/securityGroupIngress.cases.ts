import { noOpenIngress } from "../../policies/rules/securityGroupIngress";
import { check, doc, mutate, resource } from "../helpers/policyFixtures";
import { T, runtimeCompliant } from "../helpers/runtimeFixtures";

describe("DA-15 no open ingress", () => {
  it("stays quiet on VPC-CIDR ingress in all three forms, and on open egress rules", async () => {
    const r = await check(
      noOpenIngress,
      doc(
        resource(T.sg, "sg", runtimeCompliant.securityGroup()),
        resource(T.ingressRule, "in", runtimeCompliant.ingressRule()),
        resource(T.sgRule, "rule", runtimeCompliant.sgRule()),
        resource(T.sgRule, "egress", { ...runtimeCompliant.sgRule(), type: "egress", cidrBlocks: ["0.0.0.0/0"] }),
      ),
    );
    expect(r.violations).toEqual([]);
  });

  it.each([
    [
      T.sg,
      runtimeCompliant.securityGroup(),
      "ingress",
      [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
      /ingress\[0\] \(tcp\/22\) admits 0\.0\.0\.0\/0/,
    ],
    [T.sg, runtimeCompliant.securityGroup(), "ingress", [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }], /\(all traffic\) admits ::\/0/],
    [T.ingressRule, runtimeCompliant.ingressRule(), "cidrIpv4", "0.0.0.0/0", /\(tcp\/443\) admits 0\.0\.0\.0\/0/],
    [T.ingressRule, runtimeCompliant.ingressRule(), "cidrIpv6", "::/0", /admits ::\/0/],
    [T.sgRule, runtimeCompliant.sgRule(), "cidrBlocks", ["10.70.0.0/16", "0.0.0.0/0"], /\(tcp\/6379\) admits 0\.0\.0\.0\/0/],
  ])("fires on %s with %s = %j", async (type, inputs, path, value, message) => {
    const r = await check(noOpenIngress, doc(resource(type, "x", mutate(inputs, path, value as never))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-15-no-open-ingress", enforcementLevel: "mandatory" });
    expect(r.violations[0].message).toMatch(message);
  });

  it("lets a designated boundary endpoint through a reviewed exemption", async () => {
    const open = mutate(runtimeCompliant.ingressRule(), "cidrIpv4", "0.0.0.0/0");
    const tags = {
      ...(open.tags as Record<string, string>),
      "fp_exempt_da-15-no-open-ingress": "expires=2026-12-10 approver=esosa reason=public ALB of the boundary",
    };
    const r = await check(noOpenIngress, doc(resource(T.ingressRule, "x", { ...open, tags })), { "da-15-no-open-ingress": { today: "2026-11-25" } });
    expect(r.violations).toEqual([]);
  });
});
