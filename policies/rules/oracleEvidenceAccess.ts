/**
 * DA-28, DA-29, DA-30 (mandatory, critical): the oracle zone and the evidence trail are protected in every policy
 * document a hand-written resource carries (inline role policies, a role's `inlinePolicies`, customer-managed
 * policies, and for DA-28/30 bucket-policy Allow statements):
 * - DA-28: no write or delete (`s3:Put*`, `s3:Delete*`, `s3:*`, `*`, NotAction) under `oracle-store/` (S3_ORACLE_ROOT_PREFIX);
 * - DA-29: live runtime roles (IG, WSP, RTDL, decision, case/labels, reporter lanes; role names from the registry)
 *   get no object read under `oracle-store/<...>/truth_view/`; a managed policy counts for the roles it is attached to;
 * - DA-30: no `s3:DeleteObject*` under `evidence/` (S3_EVIDENCE_ROOT_PREFIX).
 * An Allow is cancelled by a Deny of the same document covering the same action and object path (the lane
 * builders add such a truth-view deny). src/iam/policy.ts refuses these at build time; these rules catch
 * hand-written JSON. Documents unknown at preview are skipped.
 */
import type * as policy from "@pulumi/policy";
import { BUCKET_POLICY, MANAGED_POLICY, ROLE, ROLE_POLICY, Statement, documentsOf, grantsAnyOf, resourcesReaching } from "../lib/iamDocuments";
import { knownString, rawOf } from "../lib/knownValues";
import { registry } from "../lib/registry";
import { stackIndex } from "../lib/stackIndex";
import { resourceRule, stackRule } from "../lib/rule";

const WRITE_OR_DELETE = [
  "s3:PutObject",
  "s3:PutObjectAcl",
  "s3:PutObjectTagging",
  "s3:PutObjectRetention",
  "s3:PutObjectLegalHold",
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:DeleteObjectTagging",
  "s3:DeleteObjectVersionTagging",
  "s3:RestoreObject",
  "s3:ReplicateObject",
  "s3:ReplicateDelete",
  "s3:AbortMultipartUpload",
];
const OBJECT_READ = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAttributes", "s3:GetObjectTorrent"];
const OBJECT_DELETE = ["s3:DeleteObject", "s3:DeleteObjectVersion"];
const TRUTH_VIEW_SEGMENT = "/truth_view/";

/** Role handles of the live runtime lanes (IG, WSP, RTDL, decision, case/labels, reporter). */
export const LIVE_ROLE_HANDLES = [
  "ROLE_LAMBDA_IG_EXECUTION",
  "ROLE_APIGW_IG_INVOKE",
  "ROLE_EKS_IRSA_IG",
  "ROLE_ECS_WSP_TASK_NAME",
  "ROLE_FLINK_EXECUTION",
  "ROLE_EKS_IRSA_RTDL",
  "ROLE_EKS_IRSA_DECISION_LANE",
  "ROLE_ECS_DF_TASK_NAME",
  "ROLE_ECS_AL_TASK_NAME",
  "ROLE_ECS_DLA_TASK_NAME",
  "ROLE_EKS_IRSA_CASE_LABELS",
  "ROLE_ECS_CASE_TRIGGER_TASK_NAME",
  "ROLE_ECS_CM_TASK_NAME",
  "ROLE_ECS_LS_TASK_NAME",
  "ROLE_EKS_IRSA_OBS_GOV",
] as const;

/** Names of the live runtime roles that the registry pins (unpinned handles have no role to check yet). */
export function liveRoleNames(): Set<string> {
  const r = registry();
  const names = new Set<string>();
  for (const handle of LIVE_ROLE_HANDLES) {
    try {
      names.add(r.roles().some((e) => e.handle === handle) ? r.roleName(handle) : r.string(handle));
    } catch {
      // TO_PIN: nothing declared under it yet.
    }
  }
  return names;
}

/** Allow statements of a document granting `actions` on objects reaching `prefix` (+`segment`), net of Denies. */
export function offendingGrants(statements: Statement[], actions: readonly string[], prefix: string, segment?: string): string[] {
  const denies = statements.filter((s) => s.effect === "Deny");
  const problems: string[] = [];
  for (const s of statements.filter((st) => st.effect === "Allow")) {
    const granted = grantsAnyOf(s, actions);
    const reached = resourcesReaching(s, prefix, segment);
    if (!granted.length || !reached.length) continue;
    const concrete = actions.filter((a) => grantsAnyOf(s, [a]).length > 0);
    const denied = denies.some((d) => concrete.every((a) => grantsAnyOf(d, [a]).length > 0) && resourcesReaching(d, prefix, segment).length > 0);
    if (!denied) problems.push(`${s.id} allows ${granted.join(", ")} on ${reached.join(", ")}`);
  }
  return problems;
}

const DOC_TYPES = new Set([ROLE_POLICY, MANAGED_POLICY, ROLE, BUCKET_POLICY]);

export const oracleReadOnly = resourceRule(
  {
    id: "DA-28",
    slug: "oracle-store-read-only",
    description:
      "No policy may allow writing or deleting under oracle-store/ (s3:Put*, s3:Delete*, s3:*): oracle data is read-only to the platform; grant read actions only (src/iam/policy.ts s3Statements with access read).",
    severity: "critical",
  },
  (args, reportViolation) => {
    if (!DOC_TYPES.has(args.type)) return args.notApplicable("not an IAM or bucket policy document");
    const prefix = registry().string("S3_ORACLE_ROOT_PREFIX");
    for (const d of documentsOf(args.type, args.props))
      for (const p of offendingGrants(d.statements, WRITE_OR_DELETE, prefix)) reportViolation(`${d.where}: ${p}.`);
  },
);

export const evidenceNotDeletable = resourceRule(
  {
    id: "DA-30",
    slug: "evidence-not-deletable",
    description:
      "No policy may allow s3:DeleteObject* under evidence/: runtime roles never delete evidence, receipts or governance objects; drop the delete actions.",
    severity: "critical",
  },
  (args, reportViolation) => {
    if (!DOC_TYPES.has(args.type)) return args.notApplicable("not an IAM or bucket policy document");
    const prefix = registry().string("S3_EVIDENCE_ROOT_PREFIX");
    for (const d of documentsOf(args.type, args.props))
      for (const p of offendingGrants(d.statements, OBJECT_DELETE, prefix)) reportViolation(`${d.where}: ${p}.`);
  },
);

/** Role names a managed policy is attached to, through attachments that depend on it. */
function attachedRoleNames(policyUrn: string, resources: readonly policy.PolicyResource[]): string[] {
  const index = stackIndex(resources);
  return index
    .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    .filter((a) => a.dependencies.some((d) => d.urn === policyUrn))
    .flatMap((a) => {
      const direct = knownString(a.props, "role");
      if (direct) return [direct];
      return a.dependencies.flatMap((d) => {
        const role = index.byUrn.get(d.urn);
        const name = role?.type === ROLE ? knownString(role.props, "name") : undefined;
        return name ? [name] : [];
      });
    });
}

/** Role name of an inline role policy: its `role` input, else the (first listed) role resource it depends on. */
function rolePolicyRoleName(r: policy.PolicyResource, resources: readonly policy.PolicyResource[]): string | undefined {
  const direct = knownString(r.props, "role");
  if (direct) return direct;
  const role = stackIndex(resources).dependenciesOfType(r, ROLE)[0];
  return role ? knownString(role.props, "name") : undefined;
}

export const liveRolesNoTruthViews = stackRule(
  {
    id: "DA-29",
    slug: "live-roles-no-truth-view-read",
    description:
      "Live runtime roles (IG, WSP, RTDL, decision, case/labels, reporter) must not read oracle-store/*/truth_view/*: narrow the read to the lane's stream views, or add the lane deny (denyTruthViewsStatement).",
    severity: "critical",
  },
  (args, reportViolation) => {
    const live = liveRoleNames();
    const prefix = registry().string("S3_ORACLE_ROOT_PREFIX");
    for (const r of args.resources) {
      if (r.type !== ROLE_POLICY && r.type !== ROLE && r.type !== MANAGED_POLICY) continue;
      for (const d of documentsOf(r.type, rawOf(r.props))) {
        const problems = offendingGrants(d.statements, OBJECT_READ, prefix, TRUTH_VIEW_SEGMENT);
        if (!problems.length) continue;
        const roles =
          r.type === MANAGED_POLICY
            ? attachedRoleNames(r.urn, args.resources)
            : [r.type === ROLE_POLICY ? rolePolicyRoleName(r, args.resources) : d.roleName].filter((n): n is string => !!n);
        for (const role of roles.filter((n) => live.has(n))) for (const p of problems) reportViolation(`live role ${role}, ${r.name} ${d.where}: ${p}.`, r.urn);
      }
    }
  },
);

export const oracleEvidenceAccessPolicies = [oracleReadOnly, liveRolesNoTruthViews, evidenceNotDeletable];
