import { ciNoPrivilegeEscalation, grants, teardownMinActions } from "../../policies/rules/teardownIdentity";
import { parseActionList } from "../../src/ops/ci";
import { loadRegistry } from "../../src/registry/registry";
import { DATA_ML_STACK, OPS_STACK, T, TEARDOWN_ACTIONS, opsCompliant, res, stackDoc } from "../helpers/dataMlOpsFixtures";
import { check } from "../helpers/policyFixtures";

const last = (m: string) => m.split("\n").pop();
const ci = (actions: string[]) =>
  stackDoc(OPS_STACK, res(OPS_STACK, T.role, "ci", opsCompliant.ciRole()), res(OPS_STACK, T.rolePolicy, "ci-policy", opsCompliant.ciPolicy(actions)));

describe("DA-27 the teardown identity holds the minimum actions", () => {
  it("uses the registry's list", () => {
    expect(parseActionList(loadRegistry().string("TEARDOWN_IAM_MIN_ACTIONS"))).toEqual(TEARDOWN_ACTIONS);
  });

  it("stays quiet when the CI role holds every action (exactly or through a wildcard)", async () => {
    expect((await check(teardownMinActions, ci(TEARDOWN_ACTIONS))).violations).toEqual([]);
    expect((await check(teardownMinActions, ci(["eks:*", "sagemaker:*Endpoint*", "ecs:*Service*", "emr-containers:*JobRun*"]))).violations).toEqual([]);
  });

  it("counts actions from a customer-managed policy attached to the role", async () => {
    const doc = stackDoc(
      OPS_STACK,
      res(OPS_STACK, T.role, "ci", opsCompliant.ciRole()),
      res(OPS_STACK, T.policy, "teardown", {
        name: "teardown",
        path: "/",
        policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: TEARDOWN_ACTIONS, Resource: "*" }] }),
      }),
      res(OPS_STACK, T.attachment, "att", { role: "fraud-platform-dev-full-github-actions", policyArn: "arn:aws:iam::123456789012:policy/teardown" }),
    );
    expect((await check(teardownMinActions, doc)).violations).toEqual([]);
  });

  it("fires on a missing action, naming it", async () => {
    const r = await check(teardownMinActions, ci(TEARDOWN_ACTIONS.filter((a) => a !== "sagemaker:ListEndpoints" && a !== "eks:ListNodegroups")));
    expect(r.violations).toEqual([expect.objectContaining({ policy: "da-27-teardown-min-actions", enforcementLevel: "mandatory" })]);
    expect(last(r.violations[0].message)).toBe("fraud-platform-dev-full-github-actions lacks teardown actions eks:ListNodegroups, sagemaker:ListEndpoints.");
  });

  it("fires when the ops stack declares no teardown role, and ignores stacks without one", async () => {
    expect((await check(teardownMinActions, stackDoc(OPS_STACK))).violations.map((v) => last(v.message))).toEqual([
      "the teardown automation role fraud-platform-dev-full-github-actions is not declared.",
    ]);
    expect((await check(teardownMinActions, stackDoc(DATA_ML_STACK))).violations).toEqual([]);
  });

  it("matches IAM action patterns case-insensitively", () => {
    expect(grants("EKS:list*", "eks:ListNodegroups")).toBe(true);
    expect(grants("eks:Describe*", "eks:UpdateNodegroupConfig")).toBe(false);
  });
});

describe("DA-20 the CI role has no privilege-escalation path", () => {
  it("stays quiet on the teardown actions", async () => {
    expect((await check(ciNoPrivilegeEscalation, ci(TEARDOWN_ACTIONS))).violations).toEqual([]);
  });

  it.each([
    [["iam:AttachRolePolicy", "iam:PutRolePolicy", "lambda:UpdateFunctionCode"], "iam:AttachRolePolicy, iam:PutRolePolicy, lambda:UpdateFunctionCode"],
    [["iam:*"], "iam:AttachRolePolicy, iam:PutRolePolicy, iam:CreatePolicyVersion"],
    [["lambda:Update*", "lambda:CreateFunction"], "lambda:CreateFunction, lambda:UpdateFunctionCode, lambda:UpdateFunctionConfiguration"],
  ])("fires on the reference's escalation path %p", async (actions, named) => {
    const r = await check(ciNoPrivilegeEscalation, ci([...TEARDOWN_ACTIONS, ...actions]));
    expect(r.violations).toEqual([
      expect.objectContaining({ policy: "da-20-ci-no-privilege-escalation", enforcementLevel: "mandatory", message: expect.stringContaining(named) }),
    ]);
  });
});
