/**
 * Identity and trust policies:
 * - SB-03 (mandatory, high): `iam:PassRole` is scoped to the roles passed: no Allow of iam:PassRole (directly or
 *   through `iam:*`, `iam:Pass*`, `*`) on Resource "*", on every role (`arn:aws:iam::<account>:role/*`) or with
 *   NotResource. checkov CKV_AWS_286 / awsguard's IAM privilege-escalation checks.
 * - SB-04 (mandatory, critical): a role trusted by an OIDC provider names the subject: GitHub Actions trusts
 *   (token.actions.githubusercontent.com) need `token.actions.githubusercontent.com:sub` = `repo:<owner>/<repo>...`
 *   (no wildcard in owner or repository) and `:aud` = sts.amazonaws.com; any other OIDC trust needs its `<issuer>:sub`
 *   condition. checkov CKV_AWS_358.
 * - SB-05 (mandatory, high): identity policies do not allow kms:Decrypt / kms:ReEncryptFrom on every key
 *   (Resource "*"): name the key ARNs. FSBP KMS.1 / KMS.2.
 * - SB-06 (mandatory, medium): identity policies do not allow every action of a service (`s3:*`, `kms:*`): list the
 *   actions. FSBP IAM.21 (`*` on `*` is DA-20).
 */
import type * as policy from "@pulumi/policy";
import { resourceRule } from "../../lib/rule";
import { BaselineStatement, IDENTITY_POLICY_TYPES, conditionValues, grantsAnyOf, identityDocuments, statementsOrProblem } from "./documents";

const ROLE = "aws:iam/role:Role";

/** Runs `check` on every Allow statement of every identity document of the resource. */
function eachIdentityStatement(check: (where: string, s: BaselineStatement, report: (m: string) => void) => void): policy.ResourceValidation {
  return (args, reportViolation) => {
    if (!IDENTITY_POLICY_TYPES.has(args.type)) return args.notApplicable("not an IAM identity policy");
    for (const d of identityDocuments(args.type, args.props as Record<string, unknown>)) {
      const read = statementsOrProblem(d.value, d.where);
      if (read === undefined) continue;
      if ("message" in read) {
        reportViolation(read.message);
        continue;
      }
      for (const s of read.statements) if (s.effect === "Allow") check(d.where, s, (m) => reportViolation(m));
    }
  };
}

const ANY_ROLE = /^arn:aws[a-z-]*:iam::(\*|\d{12}):role\/\*$/;

export const passRoleScoped = resourceRule(
  {
    id: "SB-03",
    slug: "passrole-scoped",
    description:
      'iam:PassRole must name the roles it passes: no Allow of iam:PassRole (or iam:*, *) on Resource "*", on every role (role/*) or with NotResource. List the role ARNs and add Condition iam:PassedToService.',
    severity: "high",
  },
  eachIdentityStatement((where, s, report) => {
    if (grantsAnyOf(s, ["iam:PassRole"]).length === 0) return;
    const wide = s.notResources ? ["NotResource"] : s.resources.filter((r) => r === "*" || ANY_ROLE.test(r));
    if (wide.length > 0)
      report(
        `${where}: ${s.id} allows iam:PassRole on ${wide.map((r) => JSON.stringify(r)).join(", ")}: any role can be handed to a service. Set Resource to the role ARNs passed and add Condition StringEquals iam:PassedToService.`,
      );
  }),
);

const GITHUB_ISSUER = "token.actions.githubusercontent.com";
/** `repo:<owner>/<repo>` followed by `:` and a ref/environment qualifier, with no wildcard in owner or repository. */
const GITHUB_SUB = /^repo:[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+:.+$/;

/** The OIDC issuers (host/path) a statement trusts: `oidc-provider/<issuer>` ARNs, or the GitHub host itself. */
function federatedIssuers(s: BaselineStatement): string[] {
  if (typeof s.principal !== "object" || s.principal === null) return [];
  const fed = (s.principal as Record<string, unknown>).Federated;
  const list = Array.isArray(fed) ? fed : [fed];
  return list
    .filter((f): f is string => typeof f === "string")
    .flatMap((f) => {
      const m = /^arn:aws[a-z-]*:iam::[^:]*:oidc-provider\/(.+)$/.exec(f);
      return m ? [m[1]] : f === GITHUB_ISSUER ? [f] : [];
    });
}

function checkTrust(s: BaselineStatement, report: (m: string) => void): void {
  if (s.effect !== "Allow") return;
  for (const issuer of federatedIssuers(s)) {
    const subs = conditionValues(s, `${issuer}:sub`);
    if (issuer === GITHUB_ISSUER) {
      if (subs.length === 0)
        report(
          `assumeRolePolicy: ${s.id} trusts ${GITHUB_ISSUER} with no ${GITHUB_ISSUER}:sub condition: any GitHub repository could assume the role. Add StringEquals "${GITHUB_ISSUER}:sub": "repo:<owner>/<repo>:ref:refs/heads/<branch>".`,
        );
      const loose = subs.filter((v) => !GITHUB_SUB.test(v));
      if (loose.length > 0)
        report(
          `assumeRolePolicy: ${s.id} ${GITHUB_ISSUER}:sub ${loose.map((v) => JSON.stringify(v)).join(", ")} does not pin one repository (repo:<owner>/<repo>:<qualifier>, no wildcard in owner or repository).`,
        );
      const auds = conditionValues(s, `${GITHUB_ISSUER}:aud`);
      if (!auds.includes("sts.amazonaws.com") || auds.some((a) => a !== "sts.amazonaws.com"))
        report(`assumeRolePolicy: ${s.id} needs StringEquals "${GITHUB_ISSUER}:aud": "sts.amazonaws.com".`);
    } else if (subs.length === 0 || subs.some((v) => v === "*" || v === "")) {
      report(
        `assumeRolePolicy: ${s.id} trusts the OIDC provider ${issuer} with no ${issuer}:sub condition naming the subject: every identity of the issuer could assume the role. Add StringEquals "${issuer}:sub" (e.g. system:serviceaccount:<namespace>:<name>).`,
      );
    }
  }
}

export const oidcTrustSubScoped = resourceRule(
  {
    id: "SB-04",
    slug: "oidc-trust-sub-scoped",
    description:
      'Roles trusted by an OIDC provider must name the subject: a GitHub Actions trust (token.actions.githubusercontent.com) needs a ":sub" condition pinning one repository (repo:<owner>/<repo>:...) and ":aud" sts.amazonaws.com; other OIDC trusts need their "<issuer>:sub" condition.',
    severity: "critical",
  },
  (args, reportViolation) => {
    if (args.type !== ROLE) return args.notApplicable("not an IAM role");
    const read = statementsOrProblem((args.props as Record<string, unknown>).assumeRolePolicy, "assumeRolePolicy");
    if (read === undefined) return;
    if ("message" in read) return reportViolation(read.message);
    for (const s of read.statements) checkTrust(s, (m) => reportViolation(m));
  },
);

const KMS_DECRYPT = ["kms:Decrypt", "kms:ReEncryptFrom"];

export const kmsDecryptScoped = resourceRule(
  {
    id: "SB-05",
    slug: "kms-decrypt-scoped",
    description:
      'Identity policies must not allow kms:Decrypt or kms:ReEncryptFrom on every key (Resource "*" or NotResource): name the key ARNs (the platform key, core\'s kms_key_arn).',
    severity: "high",
  },
  eachIdentityStatement((where, s, report) => {
    const granted = grantsAnyOf(s, KMS_DECRYPT);
    if (granted.length === 0) return;
    if (s.notResources || s.resources.includes("*") || s.resources.some((r) => /^arn:aws[a-z-]*:kms:[^:]*:[^:]*:key\/\*$/.test(r))) {
      report(`${where}: ${s.id} allows ${granted.join(", ")} on every KMS key. Set Resource to the key ARNs the workload decrypts with.`);
    }
  }),
);

export const noServiceWildcardActions = resourceRule(
  {
    id: "SB-06",
    slug: "no-service-wildcard-actions",
    description: 'Identity policies must not allow every action of a service ("s3:*", "kms:*", or NotAction): list the actions the workload calls.',
    severity: "medium",
  },
  eachIdentityStatement((where, s, report) => {
    if (s.notActions) return report(`${where}: ${s.id} uses NotAction with Allow (every action but the listed ones). List the allowed actions instead.`);
    const wild = s.actions.filter((a) => /^[a-z0-9-]+:\*$/i.test(a));
    if (wild.length > 0) report(`${where}: ${s.id} allows ${wild.join(", ")}: every action of the service. List the actions the workload calls.`);
  }),
);

export const iamBaselinePolicies = [passRoleScoped, oidcTrustSubScoped, kmsDecryptScoped, noServiceWildcardActions];
