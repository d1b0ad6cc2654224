/**
 * DA-21 (advisory, medium): least privilege. An Allow statement on `Resource: "*"` (or `NotResource`) in an IAM
 * policy document (`aws:iam/rolePolicy`, `aws:iam/policy`, a role's `inlinePolicies`) is reported for review: it is
 * acceptable only where the service offers no narrower scope, with a written justification (the typed builder's
 * `wildcardJustification`, src/iam/policy.ts). Documents unknown at preview are skipped.
 */
import { MANAGED_POLICY, ROLE, ROLE_POLICY, documentsOf } from "../lib/iamDocuments";
import { resourceRule } from "../lib/rule";

export const wildcardResources = resourceRule(
  {
    id: "DA-21",
    slug: "no-wildcard-resources",
    description:
      'IAM statements should name their resources: replace Resource "*" with the ARNs the workload uses, or keep it only where the service has no resource-level scope and record a wildcardJustification (src/iam/policy.ts).',
    severity: "medium",
    enforcementLevel: "advisory",
  },
  (args, reportViolation) => {
    if (args.type !== ROLE_POLICY && args.type !== MANAGED_POLICY && args.type !== ROLE) return args.notApplicable("not an IAM policy document");
    for (const d of documentsOf(args.type, args.props)) {
      for (const s of d.statements) {
        if (s.effect !== "Allow") continue;
        if (s.notResources) reportViolation(`${d.where}: ${s.id} uses NotResource (everything except the listed resources).`);
        else if (s.resources.includes("*")) reportViolation(`${d.where}: ${s.id} allows ${s.actions.join(", ")} on Resource "*".`);
      }
    }
  },
);
