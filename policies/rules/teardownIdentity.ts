/**
 * The CI/teardown automation identity (ROLE_GITHUB_ACTIONS_CI_NAME), judged on everything the stack grants it:
 * inline role policies, the role's `inlinePolicies`, and customer-managed policies attached to it.
 * - `da-27-teardown-min-actions` (mandatory, critical): it holds every action of TEARDOWN_IAM_MIN_ACTIONS (a
 *   missing action fails the stack at preview, not as an AccessDenied in the middle of a teardown);
 *   the ops stack declares the role.
 * - `da-20-ci-no-privilege-escalation` (mandatory, critical): it cannot rewrite IAM (attach/put/create policies,
 *   pass roles, edit trust) nor create or change Lambda code/configuration: together they would let the CI
 *   role grant the ingress Lambda role any permission and run code as it.
 */
import type * as policy from "@pulumi/policy";
import { parseActionList } from "../../src/ops/ci";
import { itemsOf } from "../lib/knownValues";
import { registry } from "../lib/registry";
import { stackRule } from "../lib/rule";
import { layerOfStack, rootUrnOf } from "../lib/stackLayer";

/** Actions allowed by a policy document (JSON text or object); NotAction statements are returned separately. */
export function allowedActions(document: unknown): { actions: string[]; notAction: boolean } {
  let doc = document;
  if (typeof doc === "string") {
    try {
      doc = JSON.parse(doc);
    } catch {
      return { actions: [], notAction: false };
    }
  }
  const actions: string[] = [];
  let notAction = false;
  for (const raw of itemsOf((doc as { Statement?: unknown })?.Statement)) {
    if (typeof raw !== "object" || raw === null) continue;
    const s = raw as Record<string, unknown>;
    if ((s.Effect ?? "Allow") !== "Allow") continue;
    if (s.NotAction !== undefined) notAction = true;
    for (const a of itemsOf(s.Action)) if (typeof a === "string") actions.push(a);
  }
  return { actions, notAction };
}

/** Whether an IAM action pattern (`service:Verb*`, `*`) grants `action` (IAM matches case-insensitively). */
export function grants(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return re.test(action);
}

/** Everything the stack grants the role named `roleName`, and the role itself. */
function grantsOf(resources: readonly policy.PolicyResource[], roleName: string): { role?: policy.PolicyResource; actions: string[]; notAction: boolean } {
  const role = resources.find((r) => r.type === "aws:iam/role:Role" && r.props.name === roleName);
  const docs: unknown[] = [];
  for (const r of resources) {
    if (r.type === "aws:iam/rolePolicy:RolePolicy" && r.props.role === roleName) docs.push(r.props.policy);
  }
  for (const inline of itemsOf(role?.props.inlinePolicies)) docs.push((inline as { policy?: unknown })?.policy);
  const attached = resources
    .filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.props.role === roleName)
    .map((r) => String(r.props.policyArn));
  for (const p of resources.filter((r) => r.type === "aws:iam/policy:Policy")) {
    if (attached.some((arn) => arn.endsWith(`:policy${String(p.props.path ?? "/")}${String(p.props.name)}`))) docs.push(p.props.policy);
  }
  const parsed = docs.map(allowedActions);
  return { role, actions: parsed.flatMap((p) => p.actions), notAction: parsed.some((p) => p.notAction) };
}

function applies(resources: readonly policy.PolicyResource[], roleName: string): boolean {
  return layerOfStack(resources) === "ops" || resources.some((r) => r.type === "aws:iam/role:Role" && r.props.name === roleName);
}

export const teardownMinActions = stackRule(
  {
    id: "DA-27",
    slug: "teardown-min-actions",
    description:
      "The CI/teardown role (ROLE_GITHUB_ACTIONS_CI_NAME) is declared by the ops stack and holds every action of TEARDOWN_IAM_MIN_ACTIONS (TEARDOWN_IAM_DRIFT_POLICY: fail closed on a missing one).",
    severity: "critical",
  },
  (args, reportViolation) => {
    const r = registry();
    const roleName = r.string("ROLE_GITHUB_ACTIONS_CI_NAME");
    if (!applies(args.resources, roleName)) return args.notApplicable("no CI/teardown identity in this stack");
    const { role, actions } = grantsOf(args.resources, roleName);
    if (!role) return reportViolation(`the teardown automation role ${roleName} is not declared.`, rootUrnOf(args.resources));
    const missing = parseActionList(r.string("TEARDOWN_IAM_MIN_ACTIONS")).filter((a) => !actions.some((p) => grants(p, a)));
    if (missing.length) reportViolation(`${roleName} lacks teardown actions ${missing.join(", ")}.`, role.urn);
  },
);

/** IAM and Lambda actions that let an identity grant itself (or code it controls) more permissions. */
export const ESCALATION_ACTIONS = [
  "iam:AttachRolePolicy",
  "iam:PutRolePolicy",
  "iam:CreatePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:CreatePolicy",
  "iam:UpdateAssumeRolePolicy",
  "iam:PassRole",
  "iam:CreateRole",
  "iam:AttachUserPolicy",
  "iam:PutUserPolicy",
  "lambda:CreateFunction",
  "lambda:UpdateFunctionCode",
  "lambda:UpdateFunctionConfiguration",
];

export const ciNoPrivilegeEscalation = stackRule(
  {
    id: "DA-20",
    slug: "ci-no-privilege-escalation",
    description:
      "The CI/teardown role cannot write IAM (attach/put/create policies, pass or create roles, edit trust) or create/change Lambda code or configuration.",
    severity: "critical",
  },
  (args, reportViolation) => {
    const roleName = registry().string("ROLE_GITHUB_ACTIONS_CI_NAME");
    if (!applies(args.resources, roleName)) return args.notApplicable("no CI/teardown identity in this stack");
    const { role, actions, notAction } = grantsOf(args.resources, roleName);
    if (!role) return args.notApplicable("no CI/teardown role declared (DA-27 reports it)");
    const escalating = ESCALATION_ACTIONS.filter((a) => actions.some((p) => grants(p, a)));
    if (escalating.length) reportViolation(`${roleName} may ${escalating.join(", ")}: a path to arbitrary permissions.`, role.urn);
    if (notAction) reportViolation(`${roleName} has a NotAction allow statement (it grants everything not listed).`, role.urn);
  },
);

export const teardownIdentityPolicies = [teardownMinActions, ciNoPrivilegeEscalation];
