import { mandatoryTags } from "../../policies/rules/mandatoryTags";
import { PINNED_HANDLE_TAG } from "../../policies/lib/pins";
import { pinnedPhysicalNames } from "../../policies/rules/pinnedNames";
import { regionPin } from "../../policies/rules/regionPin";
import { TAGS, check, compliant, doc, mutate, resource } from "../helpers/policyFixtures";

const ROLE = "aws:iam/role:Role";

describe("DA-06 pinned physical names", () => {
  it("stays quiet on a registry name", async () => {
    expect((await check(pinnedPhysicalNames, doc(resource(ROLE, "r", compliant.role())))).violations).toEqual([]);
  });
  it("fires on a name no handle pins", async () => {
    const r = await check(pinnedPhysicalNames, doc(resource(ROLE, "r", mutate(compliant.role(), "name", "my-test-role"))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-06-pinned-physical-names", enforcementLevel: "mandatory" });
    expect(r.violations[0].message).toContain('"my-test-role" is not the value of any pinned handle');
  });
  it("fires on an auto-named resource", async () => {
    const r = await check(pinnedPhysicalNames, doc(resource(ROLE, "r", mutate(compliant.role(), "name", undefined))));
    expect(r.violations[0].message).toMatch(/no explicit name; auto-generated names are never pinned/);
  });
  it("accepts the stack config's value for a TO_PIN handle when the resource declares the handle", async () => {
    const inputs = mutate(compliant.role(), "name", "fraud-platform-dev-full-irsa-learning");
    expect((await check(pinnedPhysicalNames, doc(resource(ROLE, "r", inputs)))).violations).toHaveLength(1);
    const tagged = mutate(inputs, `tags.${PINNED_HANDLE_TAG}`, "ROLE_EKS_IRSA_LEARNING");
    expect((await check(pinnedPhysicalNames, doc(resource(ROLE, "r", tagged)))).violations).toEqual([]);
  });
  it("fires when the declared handle is unknown, already pinned, or the value breaks the handle's form", async () => {
    const inputs = mutate(compliant.role(), "name", "fraud-platform-dev-full-irsa-learning");
    const messages = async (handle: string, name = "fraud-platform-dev-full-irsa-learning") =>
      (await check(pinnedPhysicalNames, doc(resource(ROLE, "r", mutate(mutate(inputs, "name", name), `tags.${PINNED_HANDLE_TAG}`, handle))))).violations.map(
        (v) => v.message,
      );
    expect(await messages("ROLE_NOPE")).toEqual([expect.stringMatching(/names ROLE_NOPE, which is not a handle/)]);
    expect(await messages("ROLE_EKS_NODEGROUP_DEV_FULL")).toEqual([expect.stringMatching(/already pins to/)]);
    expect(await messages("ROLE_EKS_IRSA_LEARNING", "x".repeat(70))).toEqual([expect.stringMatching(/is not an IAM role name/)]);
  });
  it("is not applicable to types without a physical name", async () => {
    const r = await check(pinnedPhysicalNames, doc(resource("aws:ec2/subnet:Subnet", "s", { cidrBlock: "10.70.0.0/20" })));
    expect(r.violations).toEqual([]);
    expect(r.summary.notApplicable).toBe(1);
  });
});

describe("DA-10 mandatory tags", () => {
  it("stays quiet on the mandatory tag set", async () => {
    expect((await check(mandatoryTags, doc(resource(ROLE, "r", compliant.role())))).violations).toEqual([]);
  });
  it.each([
    ["tags.owner", "someone-else", /owner="someone-else" \(expected "esosa"\)/],
    ["tags.env", undefined, /env=null \(expected "dev_full"\)/],
    ["tags.fp_stack", "network", /fp_stack="network"/],
    ["tags", undefined, /project=null/],
  ])("fires when %s is %p", async (path, value, message) => {
    const r = await check(mandatoryTags, doc(resource(ROLE, "r", mutate(compliant.role(), path, value))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(message);
  });
  it("is not applicable to untaggable types", async () => {
    const r = await check(mandatoryTags, doc(resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", { role: "x", policyArn: "y" })));
    expect(r.violations).toEqual([]);
    expect(r.summary.notApplicable).toBe(1);
  });
});

describe("DA-13 region pin", () => {
  const provider = (region?: string) => resource("pulumi:providers:aws", "default", region ? { region } : {});
  it("stays quiet on the home region and on a billing-metric alarm in us-east-1", async () => {
    const alarm = resource("aws:cloudwatch/metricAlarm:MetricAlarm", "billing", { region: "us-east-1", namespace: "AWS/Billing", tags: TAGS });
    expect(
      (await check(regionPin, doc(provider("eu-west-2"), provider("us-east-1"), alarm, resource(ROLE, "r", { ...compliant.role(), region: "eu-west-2" }))))
        .violations,
    ).toEqual([]);
  });
  it("fires on another region, on a non-billing alarm in us-east-1, and on a provider without region", async () => {
    const r = await check(
      regionPin,
      doc(
        provider("eu-west-1"),
        provider(),
        resource("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu", { region: "us-east-1", namespace: "AWS/EC2" }),
        resource("aws:s3/bucket:Bucket", "b", { region: "us-west-2" }),
      ),
    );
    expect(r.violations.map((v) => v.message.split("\n")[1])).toEqual([
      expect.stringMatching(/region "eu-west-1" is not allowed/),
      expect.stringMatching(/without an explicit region/),
      expect.stringMatching(/region "us-east-1" is not allowed for aws:cloudwatch\/metricAlarm:MetricAlarm/),
      expect.stringMatching(/region "us-west-2"/),
    ]);
  });
});
