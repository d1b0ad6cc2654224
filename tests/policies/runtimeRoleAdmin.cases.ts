import { adminGrants, noAdminRoles } from "../../policies/rules/runtimeRoleAdmin";
import { check, doc, resource } from "../helpers/policyFixtures";
import { RUNTIME_TAGS, T, runtimeCompliant } from "../helpers/runtimeFixtures";

const scoped = { Sid: "Table", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: ["arn:aws:dynamodb:eu-west-2:123456789012:table/t"] };

describe("DA-20 no admin workload roles", () => {
  it("stays quiet on scoped statements, justified wildcards with narrow actions, denies and ordinary attachments", async () => {
    const r = await check(
      noAdminRoles,
      doc(
        resource(
          T.rolePolicy,
          "p",
          runtimeCompliant.rolePolicy([
            scoped,
            { Effect: "Allow", Action: ["ec2:DescribeSubnets"], Resource: "*" },
            { Effect: "Deny", Action: "*", Resource: "*" },
          ]),
        ),
        resource(T.attachment, "a", { role: "r", policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole" }),
        resource(T.role, "r", { name: "fraud-platform-dev-full-lambda-ig-execution", assumeRolePolicy: "{}", tags: RUNTIME_TAGS }),
      ),
    );
    expect(r.violations).toEqual([]);
  });

  it("fires on Action * on Resource * (inline, role inline policies, managed policy documents)", async () => {
    const admin = { Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" };
    const r = await check(
      noAdminRoles,
      doc(
        resource(T.rolePolicy, "p", runtimeCompliant.rolePolicy([scoped, admin])),
        resource(T.role, "r", {
          name: "x",
          assumeRolePolicy: "{}",
          inlinePolicies: [{ name: "all", policy: JSON.stringify({ Statement: [{ Action: ["*:*"], Resource: ["*"], Effect: "Allow" }] }) }],
          tags: RUNTIME_TAGS,
        }),
        resource(T.managedPolicy, "m", { name: "x", policy: JSON.stringify({ Statement: { Effect: "Allow", NotAction: "iam:*", Resource: "*" } }) }),
      ),
    );
    expect(r.violations.map((v) => v.message.split("\n")[1])).toEqual([
      expect.stringMatching(/statement Everything allows Action "\*" on Resource "\*"/),
      expect.stringMatching(/inline policy "all": Statement\[0\] allows Action/),
      expect.stringMatching(/NotAction "iam:\*" on Resource "\*"/),
    ]);
  });

  it("fires on AdministratorAccess attached directly or through managedPolicyArns", async () => {
    const arn = "arn:aws:iam::aws:policy/AdministratorAccess";
    const r = await check(
      noAdminRoles,
      doc(
        resource(T.attachment, "a", { role: "r", policyArn: arn }),
        resource(T.role, "r", { name: "x", assumeRolePolicy: "{}", managedPolicyArns: [arn], tags: RUNTIME_TAGS }),
      ),
    );
    expect(r.violations).toHaveLength(2);
    expect(r.violations.every((v) => v.message.includes("AdministratorAccess"))).toBe(true);
  });

  it("parses documents given as objects or strings and ignores unparseable text", () => {
    expect(adminGrants({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] })).toHaveLength(1);
    expect(adminGrants("not json")).toEqual([]);
  });
});
