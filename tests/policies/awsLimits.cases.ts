/**
 * SB-41..SB-44 AWS limits beyond names: tags, IAM policy sizes, Lambda environment size and security-group rule
 * counts. Each fires with a message naming the resource, the measured size, the limit and the fix, stays quiet
 * at the limit, and skips values unknown at preview.
 */
import { iamPolicySizeLimits, inlinePolicySizePerRole } from "../../policies/rules/awsLimits/iamPolicySizes";
import { lambdaEnvironmentSize } from "../../policies/rules/awsLimits/lambdaEnvironment";
import { securityGroupRuleLimits } from "../../policies/rules/awsLimits/securityGroupRules";
import { awsTagLimits } from "../../policies/rules/awsLimits/tags";
import { REDACTED, UNKNOWN } from "../../src/plan/previewDocument";
import { TAGS, check, doc, resource } from "../helpers/policyFixtures";

const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`]));
const messageOf = (m: string) => m.split("\n").slice(1).join("\n");

describe("SB-41 tag limits", () => {
  it("stays quiet on the platform tags and on exactly 50 tags with keys of 128 and values of 256 characters", async () => {
    const full = { ...tags(48), ["k".repeat(128)]: "v".repeat(256), "aws:cloudformation:stack-name": "ignored-by-count" };
    delete (full as Record<string, string>)["aws:cloudformation:stack-name"];
    const r = await check(
      awsTagLimits,
      doc(resource("aws:s3/bucket:Bucket", "a", { bucket: "a-bucket", tags: TAGS }), resource("aws:sqs/queue:Queue", "b", { tags: { ...full, extra: "x" } })),
    );
    expect(r.violations).toEqual([]);
  });
  it("fires on 51 tags", async () => {
    const r = await check(awsTagLimits, doc(resource("aws:sqs/queue:Queue", "q", { name: "q", tags: tags(51) })));
    expect(r.violations.map((v) => messageOf(v.message))).toEqual([
      expect.stringMatching(/^q: it carries 51 tags .* over the limit of 50 per resource: drop 1 tag\(s\)/),
    ]);
    expect(r.violations[0]).toMatchObject({ policy: "sb-41-aws-tag-limits", enforcementLevel: "mandatory" });
    expect(r.violations[0].message).toContain("https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html");
  });
  it("counts the provider's default tags with the resource's (merged by key) and tagsAll", async () => {
    const provider = resource("pulumi:providers:aws", "default", { region: "eu-west-2", defaultTags: { tags: { ...tags(30), shared: "x" } } });
    const providerRef = `${provider.urn}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`;
    const quiet = await check(
      awsTagLimits,
      doc(
        provider,
        resource(
          "aws:sqs/queue:Queue",
          "q",
          { tags: { shared: "y", ...Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`own${i}`, "v"])) } },
          { provider: providerRef },
        ),
      ),
    );
    expect(quiet.violations).toEqual([]);
    const over = await check(
      awsTagLimits,
      doc(
        provider,
        resource("aws:sqs/queue:Queue", "q", { tags: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`own${i}`, "v"])) }, { provider: providerRef }),
      ),
    );
    expect(over.violations.map((v) => messageOf(v.message))).toEqual([
      expect.stringContaining("carries 52 tags (resource tags and provider default tags merged)"),
    ]);
    const untagged = await check(
      awsTagLimits,
      doc({ ...provider, inputs: { defaultTags: { tags: tags(51) } } }, resource("aws:sqs/queue:Queue", "bare", { name: "bare" }, { provider: providerRef })),
    );
    expect(untagged.violations.map((v) => messageOf(v.message))).toEqual([expect.stringContaining("bare: it carries 51 tags")]);
    const all = await check(awsTagLimits, doc(resource("aws:sqs/queue:Queue", "q", { tags: tags(2), tagsAll: tags(55) })));
    expect(all.violations.map((v) => messageOf(v.message))).toEqual([expect.stringContaining("carries 55 tags")]);
  });
  it.each([
    ["a key over 128 characters", { ["k".repeat(129)]: "v" }, "is 129 characters, over the limit of 128: shorten the key to 128 characters or fewer"],
    [
      "a value over 256 characters",
      { note: "v".repeat(257) },
      'tag "note" has a value of 257 characters, over the limit of 256: shorten the value to 256 characters or fewer',
    ],
    ["an aws: key", { "aws:owner": "x" }, 'tag key "aws:owner" starts with the reserved prefix "aws:": rename the key'],
    ["an AWS: value", { owner: "AWS:team" }, 'tag "owner" has a value starting with the reserved prefix "aws:": change the value'],
  ])("fires on %s", async (_what, t, expected) => {
    const r = await check(awsTagLimits, doc(resource("aws:iam/role:Role", "role", { name: "r", tags: t })));
    expect(r.violations.map((v) => messageOf(v.message))).toEqual([expect.stringContaining(expected)]);
  });
  it("skips unknown tag maps and unknown values, and non-AWS resources", async () => {
    const r = await check(
      awsTagLimits,
      doc(
        resource("aws:sqs/queue:Queue", "q", { tags: UNKNOWN }),
        resource("aws:sqs/queue:Queue", "p", { tags: { run: UNKNOWN, secret: REDACTED } }),
        resource("databricks:index/job:Job", "j", { tags: tags(60) }),
      ),
    );
    expect(r.violations).toEqual([]);
  });
});

const doc1 = (statements: number, pad = 0) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: Array.from({ length: statements }, (_, i) => ({
      Sid: `S${i}${"x".repeat(pad)}`,
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: [`arn:aws:s3:::bucket-${i}/*`],
    })),
  });
const sizeOf = (s: string) => s.replace(/\s/g, "").length;
/** A policy document of exactly `n` characters without whitespace (padded in one Sid). */
function documentOf(n: number): string {
  const base = doc1(1);
  const d = doc1(1, n - sizeOf(base));
  expect(sizeOf(d)).toBe(n);
  return d;
}

describe("SB-42 IAM policy sizes", () => {
  it("stays quiet at 6,144 (managed) and 2,048 (trust) characters, counting no whitespace", async () => {
    const spaced = JSON.stringify(JSON.parse(documentOf(6144)), null, 4);
    expect(spaced.length).toBeGreaterThan(6144);
    const r = await check(
      iamPolicySizeLimits,
      doc(
        resource("aws:iam/policy:Policy", "p", { name: "p", policy: spaced }),
        resource("aws:iam/role:Role", "r", { name: "r", assumeRolePolicy: documentOf(2048) }),
      ),
    );
    expect(r.violations).toEqual([]);
  });
  it("fires on a managed policy over 6,144 characters", async () => {
    const r = await check(iamPolicySizeLimits, doc(resource("aws:iam/policy:Policy", "deploy", { name: "deploy", policy: documentOf(6145) })));
    expect(r.violations.map((v) => messageOf(v.message))).toEqual([
      expect.stringContaining(
        "deploy: `policy` is 6145 characters without whitespace, over the managed policy quota of 6144: split the policy into two managed policies",
      ),
    ]);
    expect(r.violations[0]).toMatchObject({ policy: "sb-42-iam-policy-size-limits", enforcementLevel: "mandatory" });
    expect(r.violations[0].message).toContain("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html");
  });
  it("fires on a trust policy over 2,048 characters, also when the document is an object", async () => {
    const r = await check(iamPolicySizeLimits, doc(resource("aws:iam/role:Role", "ci", { name: "ci", assumeRolePolicy: JSON.parse(documentOf(2049)) })));
    expect(r.violations.map((v) => messageOf(v.message))).toEqual([
      expect.stringContaining("ci: `assumeRolePolicy` is 2049 characters without whitespace, over the role trust policy quota of 2048"),
    ]);
  });
  it("skips documents unknown at preview", async () => {
    const r = await check(
      [iamPolicySizeLimits, inlinePolicySizePerRole],
      doc(
        resource("aws:iam/policy:Policy", "p", { policy: UNKNOWN }),
        resource("aws:iam/role:Role", "r", { assumeRolePolicy: UNKNOWN }),
        resource("aws:iam/rolePolicy:RolePolicy", "rp", { role: "r", policy: UNKNOWN }),
      ),
    );
    expect(r.violations).toEqual([]);
  });

  describe("inline policies per role (stack)", () => {
    const role = resource("aws:iam/role:Role", "runtime", {
      name: "fraud-runtime",
      assumeRolePolicy: "{}",
      inlinePolicies: [{ name: "inline-a", policy: documentOf(4000) }],
    });
    it("stays quiet at 10,240 characters across inlinePolicies and RolePolicy resources", async () => {
      const r = await check(
        inlinePolicySizePerRole,
        doc(role, resource("aws:iam/rolePolicy:RolePolicy", "rp1", { role: "fraud-runtime", policy: documentOf(6240) }, { dependencies: [role.urn] })),
      );
      expect(r.violations).toEqual([]);
    });
    it("fires when the role's inline policies total more than 10,240 characters (matched by dependency and by role name)", async () => {
      const r = await check(
        inlinePolicySizePerRole,
        doc(
          role,
          resource("aws:iam/rolePolicy:RolePolicy", "rp1", { role: UNKNOWN, policy: documentOf(3000) }, { dependencies: [role.urn] }),
          resource("aws:iam/rolePolicy:RolePolicy", "rp2", { role: "fraud-runtime", policy: documentOf(3241) }),
        ),
      );
      expect(r.violations).toHaveLength(1);
      expect(r.violations[0]).toMatchObject({ policy: "sb-42-inline-policy-size-per-role", urn: role.urn, enforcementLevel: "mandatory" });
      expect(messageOf(r.violations[0].message)).toContain(
        "role runtime: its inline policies total 10241 characters without whitespace (inlinePolicies[0] (inline-a) 4000, RolePolicy rp1 3000, RolePolicy rp2 3241), over the quota of 10240 per role: move statements into a managed policy",
      );
    });
    it("sums RolePolicies of a role declared in another stack by its name", async () => {
      const r = await check(
        inlinePolicySizePerRole,
        doc(
          resource("aws:iam/rolePolicy:RolePolicy", "a", { role: "elsewhere", policy: documentOf(6000) }),
          resource("aws:iam/rolePolicy:RolePolicy", "b", { role: "elsewhere", policy: documentOf(5000) }),
        ),
      );
      expect(r.violations.map((v) => messageOf(v.message))).toEqual([expect.stringContaining("role elsewhere: its inline policies total 11000 characters")]);
    });
  });
});

describe("SB-43 Lambda environment size", () => {
  const fn = (variables: Record<string, string>) => resource("aws:lambda/function:Function", "handler", { name: "fraud-handler", environment: { variables } });
  it("stays quiet at 4,096 bytes of keys and values", async () => {
    const r = await check(lambdaEnvironmentSize, doc(fn({ A: "x".repeat(4095) }), resource("aws:lambda/function:Function", "bare", { name: "bare" })));
    expect(r.violations).toEqual([]);
  });
  it("fires over 4,096 bytes (UTF-8, keys included), naming the total and the fix", async () => {
    const r = await check(lambdaEnvironmentSize, doc(fn({ A: "é".repeat(2047), B: "x" })));
    expect(r.violations.map((v) => messageOf(v.message))).toEqual([
      expect.stringContaining(
        "handler: `environment.variables` total 4097 bytes, over Lambda's limit of 4096 bytes: move large values to SSM parameters or S3",
      ),
    ]);
    expect(r.violations[0]).toMatchObject({ policy: "sb-43-lambda-environment-size", enforcementLevel: "mandatory" });
    expect(r.violations[0].message).toContain("https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html");
  });
  it("judges the known part when some values are unknown, and says so", async () => {
    const quiet = await check(lambdaEnvironmentSize, doc(fn({ A: UNKNOWN, B: REDACTED, C: "x" })));
    expect(quiet.violations).toEqual([]);
    const over = await check(lambdaEnvironmentSize, doc(fn({ A: UNKNOWN, B: "x".repeat(5000) })));
    expect(over.violations.map((v) => messageOf(v.message))).toEqual([
      expect.stringContaining("total 5002 bytes (not counting 1 value(s) unknown at preview)"),
    ]);
  });
});

describe("SB-44 security group rules", () => {
  const sg = (ingress: unknown[] = [], egress: unknown[] = []) =>
    resource("aws:ec2/securityGroup:SecurityGroup", "edge", { name: "fraud-edge", vpcId: "vpc-1", ingress, egress } as never);
  const cidrs = (n: number) => Array.from({ length: n }, (_, i) => `10.0.${i}.0/24`);
  const ingressRules = (group: ReturnType<typeof sg>, n: number) =>
    Array.from({ length: n }, (_, i) =>
      resource(
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        `in-${i}`,
        { securityGroupId: UNKNOWN, cidrIpv4: `10.1.${i}.0/24`, ipProtocol: "tcp", fromPort: 443, toPort: 443 },
        { dependencies: [group.urn] },
      ),
    );

  it("stays quiet at 60 inbound rules (inline CIDRs plus standalone rules)", async () => {
    const group = sg(
      [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: cidrs(40) }],
      [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/16"] }],
    );
    const r = await check(securityGroupRuleLimits, doc(group, ...ingressRules(group, 20)));
    expect(r.violations).toEqual([]);
  });
  it("fires at 61 inbound IPv4 rules, naming the group, the count, the quota and the fix", async () => {
    const group = sg([{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: cidrs(40) }]);
    const r = await check(securityGroupRuleLimits, doc(group, ...ingressRules(group, 21)));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "sb-44-security-group-rule-limits", urn: group.urn, enforcementLevel: "mandatory" });
    expect(messageOf(r.violations[0].message)).toContain(
      "security group edge has 61 inbound IPv4 rules (from 22 rule declarations), over the quota of 60: merge CIDRs into a managed prefix list or split the workload across groups",
    );
    expect(r.violations[0].message).toContain("https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html");
  });
  it("counts egress through aws.ec2.SecurityGroupRule (each CIDR, referenced group or prefix list) and IPv6 separately", async () => {
    const group = sg();
    const rule = (name: string, p: Record<string, unknown>) =>
      resource(
        "aws:ec2/securityGroupRule:SecurityGroupRule",
        name,
        { type: "egress", protocol: "tcp", fromPort: 443, toPort: 443, securityGroupId: UNKNOWN, ...p } as never,
        { dependencies: [group.urn] },
      );
    const v6 = Array.from({ length: 61 }, (_, i) => `2001:db8:${i.toString(16)}::/48`);
    const r = await check(
      securityGroupRuleLimits,
      doc(group, rule("a", { cidrBlocks: cidrs(30), prefixListIds: ["pl-1"] }), rule("b", { cidrBlocks: cidrs(29) }), rule("c", { ipv6CidrBlocks: v6 })),
    );
    expect(r.violations.map((v) => messageOf(v.message))).toEqual([expect.stringContaining("has 62 outbound IPv6 rules")]);
    const v4 = await check(
      securityGroupRuleLimits,
      doc(group, rule("a", { cidrBlocks: cidrs(30), prefixListIds: ["pl-1"] }), rule("b", { cidrBlocks: cidrs(30) })),
    );
    expect(v4.violations.map((v) => messageOf(v.message))).toEqual([expect.stringContaining("has 61 outbound IPv4 rules")]);
  });
  it("attributes a rule that references a second group to its own group only", async () => {
    const own = sg();
    const peer = resource("aws:ec2/securityGroup:SecurityGroup", "peer", { name: "fraud-peer", vpcId: "vpc-1" });
    const rules = Array.from({ length: 61 }, (_, i) =>
      resource(
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        `from-peer-${i}`,
        { securityGroupId: UNKNOWN, referencedSecurityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 1000 + i, toPort: 1000 + i },
        { dependencies: [own.urn, peer.urn] },
      ),
    );
    const r = await check(securityGroupRuleLimits, doc(own, peer, ...rules));
    expect(r.violations.map((v) => [v.urn, messageOf(v.message)])).toEqual([
      [own.urn, expect.stringContaining("has 61 inbound IPv4 rules")],
      [own.urn, expect.stringContaining("has 61 inbound IPv6 rules")],
    ]);
  });
});

describe("the AWS limits family on resources with nothing set", () => {
  it("judges nothing and never crashes or reports can't-run", async () => {
    const { awsLimitsPolicies } = await import("../../policies/rules/awsLimits");
    const { NAME_LIMITS } = await import("../../policies/rules/awsLimits/nameLimits");
    const types = [
      ...new Set([
        ...NAME_LIMITS.map((r) => r.type),
        "aws:ec2/securityGroupRule:SecurityGroupRule",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        "aws:iam/rolePolicy:RolePolicy",
      ]),
    ];
    const r = await check(awsLimitsPolicies, doc(...types.map((t, i) => resource(t, `r${i}`, {}))));
    expect(r.violations).toEqual([]);
  });
});
