/**
 * SB-42 (mandatory, high): IAM policy documents within IAM's size quotas, counted as IAM counts them (whitespace
 * excluded):
 * - a managed policy (`aws:iam/policy:Policy` `policy`) 6,144 characters or fewer;
 * - a role trust policy (`assumeRolePolicy`) 2,048 characters or fewer (the default quota);
 * - a role's inline policies together 10,240 characters or fewer: its `inlinePolicies` and every
 *   `aws:iam/rolePolicy:RolePolicy` of the stack attached to it (by dependency on the role, else by role name), in a
 *   stack rule.
 * A document unknown at preview is left out of the sum (a known total already over the quota still fails).
 */
import type * as policy from "@pulumi/policy";
import { rawOf } from "../../lib/knownValues";
import { resourceRule, stackRule } from "../../lib/rule";
import { stackIndex } from "../../lib/stackIndex";
import { documentText, iamPolicySize, isKnownString } from "./values";

export const IAM_QUOTAS_DOC = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html";
export const MANAGED_POLICY_MAX = 6144;
export const TRUST_POLICY_MAX = 2048;
export const INLINE_PER_ROLE_MAX = 10240;

const ROLE = "aws:iam/role:Role";
const MANAGED_POLICY = "aws:iam/policy:Policy";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

export const iamPolicySizeLimits = resourceRule(
  {
    id: "SB-42",
    slug: "iam-policy-size-limits",
    description: `IAM documents must fit IAM's size quotas (whitespace not counted), which preview does not check and pulumi up's create call rejects: a managed policy ${MANAGED_POLICY_MAX} characters or fewer, a role trust policy ${TRUST_POLICY_MAX} or fewer (default quota). Split a managed policy in two or merge statements, narrow a trust policy's conditions (${IAM_QUOTAS_DOC}).`,
    severity: "high",
  },
  (args: policy.ResourceValidationArgs, reportViolation: policy.ReportViolation) => {
    const props = rawOf<Record<string, unknown>>(args.props) ?? {};
    const check = (property: string, max: number, what: string, fix: string) => {
      const text = documentText(props[property]);
      if (text === undefined) return;
      const size = iamPolicySize(text);
      if (size > max)
        reportViolation(
          `${args.name}: \`${property}\` is ${size} characters without whitespace, over the ${what} quota of ${max}: ${fix} (${IAM_QUOTAS_DOC}).`,
        );
    };
    if (args.type === MANAGED_POLICY)
      check(
        "policy",
        MANAGED_POLICY_MAX,
        "managed policy",
        `split the policy into two managed policies or merge statements so each is ${MANAGED_POLICY_MAX} characters or fewer`,
      );
    if (args.type === ROLE)
      check(
        "assumeRolePolicy",
        TRUST_POLICY_MAX,
        "role trust policy",
        `shrink the trust policy to ${TRUST_POLICY_MAX} characters or fewer (fewer statements or condition values), or raise the account's quota first`,
      );
  },
);

interface RoleTotal {
  name: string;
  urn?: string;
  size: number;
  parts: string[];
}

export const inlinePolicySizePerRole = stackRule(
  {
    id: "SB-42",
    slug: "inline-policy-size-per-role",
    description: `A role's inline policies together (its inlinePolicies and every aws.iam.RolePolicy attached to it) must be ${INLINE_PER_ROLE_MAX} characters or fewer without whitespace, which preview does not check and pulumi up's PutRolePolicy rejects: move statements into a managed policy attached to the role (${IAM_QUOTAS_DOC}).`,
    severity: "high",
  },
  (args, reportViolation) => {
    const totals = new Map<string, RoleTotal>();
    const index = stackIndex(args.resources);
    const roles = index.ofType(ROLE);
    // The first listed role of each name, for a role policy that names its role.
    const roleByName = new Map<unknown, policy.PolicyResource>();
    for (const role of roles) {
      const name = (rawOf<Record<string, unknown>>(role.props) ?? {}).name;
      if (!roleByName.has(name)) roleByName.set(name, role);
    }
    const add = (key: string, init: Omit<RoleTotal, "size" | "parts">, part: string, text: string) => {
      const t = totals.get(key) ?? { ...init, size: 0, parts: [] };
      const size = iamPolicySize(text);
      t.size += size;
      t.parts.push(`${part} ${size}`);
      totals.set(key, t);
    };
    for (const role of roles) {
      const props = rawOf<Record<string, unknown>>(role.props) ?? {};
      const inline = rawOf<unknown>(props.inlinePolicies);
      if (!Array.isArray(inline)) continue;
      inline.forEach((p, i) => {
        const entry = rawOf<Record<string, unknown>>(p) ?? {};
        const text = documentText(entry.policy);
        if (text !== undefined)
          add(role.urn, { name: role.name, urn: role.urn }, `inlinePolicies[${i}]${isKnownString(entry.name) ? ` (${entry.name})` : ""}`, text);
      });
    }
    for (const rp of index.ofType(ROLE_POLICY)) {
      const props = rawOf<Record<string, unknown>>(rp.props) ?? {};
      const text = documentText(props.policy);
      if (text === undefined) continue;
      const byDependency = index.dependenciesOfType(rp, ROLE)[0];
      const roleName = isKnownString(props.role) ? props.role : undefined;
      const byName = roleName ? roleByName.get(roleName) : undefined;
      const role = byDependency ?? byName;
      if (role) add(role.urn, { name: role.name, urn: role.urn }, `RolePolicy ${rp.name}`, text);
      else if (roleName) add(`name:${roleName}`, { name: roleName, urn: rp.urn }, `RolePolicy ${rp.name}`, text);
    }
    for (const t of totals.values()) {
      if (t.size > INLINE_PER_ROLE_MAX)
        reportViolation(
          `role ${t.name}: its inline policies total ${t.size} characters without whitespace (${t.parts.join(", ")}), over the quota of ${INLINE_PER_ROLE_MAX} per role: move statements into a managed policy (aws.iam.Policy + RolePolicyAttachment) until the inline total is ${INLINE_PER_ROLE_MAX} or fewer (${IAM_QUOTAS_DOC}).`,
          t.urn,
        );
    }
  },
);
