/**
 * DA-20 (mandatory, critical): no workload role is an administrator. A role policy (inline `aws:iam/rolePolicy`,
 * a role's `inlinePolicies`, or a customer-managed `aws:iam/policy`) must not allow `Action: "*"` on
 * `Resource: "*"` (nor `NotAction` on `*`, which is the same grant spelled differently), and no role gets
 * `AdministratorAccess` attached (`aws:iam/rolePolicyAttachment` or a role's `managedPolicyArns`).
 * The typed builder (src/iam/policy.ts) refuses the first at build time; this rule catches hand-written JSON.
 */
import { itemsOf } from "../lib/knownValues";
import { resourceRule } from "../lib/rule";

const ADMIN_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;
const ANY_ACTION = new Set(["*", "*:*"]);

/** Why a policy document grants administrator rights (one message per offending statement). */
export function adminGrants(document: unknown): string[] {
  let doc = document;
  if (typeof doc === "string") {
    try {
      doc = JSON.parse(doc);
    } catch {
      return [];
    }
  }
  if (typeof doc !== "object" || doc === null) return [];
  const problems: string[] = [];
  itemsOf((doc as { Statement?: unknown }).Statement).forEach((raw, i) => {
    if (typeof raw !== "object" || raw === null) return;
    const s = raw as Record<string, unknown>;
    if ((s.Effect ?? "Allow") !== "Allow") return;
    const onAll = itemsOf(s.Resource).includes("*");
    const id = typeof s.Sid === "string" ? `statement ${s.Sid}` : `Statement[${i}]`;
    if (onAll && itemsOf(s.Action).some((a) => typeof a === "string" && ANY_ACTION.has(a))) problems.push(`${id} allows Action "*" on Resource "*"`);
    else if (onAll && s.NotAction !== undefined)
      problems.push(`${id} allows NotAction ${JSON.stringify(s.NotAction)} on Resource "*" (everything else, everywhere)`);
  });
  return problems;
}

const FIX = "grant the workload's actions on its own resources (src/iam/policy.ts)";

export const noAdminRoles = resourceRule(
  {
    id: "DA-20",
    slug: "no-admin-workload-roles",
    description: 'Workload roles must not be administrators: no policy allowing Action "*" (or NotAction) on Resource "*", no AdministratorAccess attachment.',
    severity: "critical",
  },
  (args, reportViolation) => {
    const props = args.props as Record<string, unknown>;
    switch (args.type) {
      case "aws:iam/rolePolicy:RolePolicy":
      case "aws:iam/policy:Policy":
        for (const p of adminGrants(props.policy)) reportViolation(`${p}; ${FIX}.`);
        return;
      case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
        if (typeof props.policyArn === "string" && ADMIN_POLICY.test(props.policyArn)) reportViolation(`attaches ${props.policyArn}; ${FIX}.`);
        return;
      case "aws:iam/role:Role": {
        for (const inline of itemsOf(props.inlinePolicies)) {
          const name = (inline as { name?: unknown })?.name;
          for (const p of adminGrants((inline as { policy?: unknown })?.policy))
            reportViolation(`inline policy ${JSON.stringify(name ?? null)}: ${p}; ${FIX}.`);
        }
        for (const arn of itemsOf(props.managedPolicyArns))
          if (typeof arn === "string" && ADMIN_POLICY.test(arn)) reportViolation(`managedPolicyArns include ${arn}; ${FIX}.`);
        return;
      }
      default:
        return args.notApplicable("not an IAM role or policy");
    }
  },
);
