/**
 * Policy documents as the security baseline reads them: a JSON string (or object) taken from a resource's props
 * through @pulumi/policy's unknown-checking proxy, so a document unknown at preview stops the policy with the
 * analyzer's "can't run during preview" note (never a pass), and a document that does not parse is a violation
 * (fail closed). Statements keep their principal and condition, which resource-policy and trust checks need.
 */
import { itemsOf } from "../../lib/knownValues";
import { Statement, grantsAnyOf } from "../../lib/iamDocuments";

export interface BaselineStatement extends Statement {
  principal: unknown;
  notPrincipal: boolean;
  /** Condition operator -> key -> value(s), as written. */
  condition: Record<string, Record<string, unknown>>;
}

export type ParsedDocument = { statements: BaselineStatement[] } | { problem: string };

const asStrings = (v: unknown): string[] => itemsOf(v).filter((x): x is string => typeof x === "string");

/**
 * Parses a document read from proxied props (reading it is what raises the preview-time unknown). Returns
 * undefined when the property is absent.
 */
export function parseDocument(value: unknown): ParsedDocument | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  let doc: unknown;
  try {
    // An object form is copied through the proxy (every leaf is read, so an unknown one raises as above).
    doc = typeof value === "string" ? JSON.parse(value) : JSON.parse(JSON.stringify(value));
  } catch (e) {
    if (typeof value !== "string") throw e;
    return { problem: "is not valid JSON" };
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return { problem: "is not a JSON policy document" };
  const raw = (doc as { Statement?: unknown }).Statement;
  if (raw === undefined) return { problem: "has no Statement" };
  const statements: BaselineStatement[] = [];
  for (const [i, entry] of itemsOf(raw).entries()) {
    if (typeof entry !== "object" || entry === null) return { problem: `Statement[${i}] is not an object` };
    const s = entry as Record<string, unknown>;
    const condition = typeof s.Condition === "object" && s.Condition !== null ? (s.Condition as Record<string, Record<string, unknown>>) : {};
    statements.push({
      id: typeof s.Sid === "string" && s.Sid ? `statement ${s.Sid}` : `Statement[${i}]`,
      effect: s.Effect === "Deny" ? "Deny" : "Allow",
      actions: asStrings(s.Action ?? s.NotAction),
      notActions: s.Action === undefined && s.NotAction !== undefined,
      resources: asStrings(s.Resource ?? s.NotResource),
      notResources: s.Resource === undefined && s.NotResource !== undefined,
      principal: s.Principal ?? s.NotPrincipal,
      notPrincipal: s.Principal === undefined && s.NotPrincipal !== undefined,
      condition,
    });
  }
  return { statements };
}

/** Whether a statement's principal is everyone: `"*"`, `{AWS: "*"}` (alone or in a list), or any NotPrincipal. */
export function isPublicPrincipal(s: BaselineStatement): boolean {
  if (s.notPrincipal) return true;
  if (s.principal === "*") return true;
  if (typeof s.principal === "object" && s.principal !== null) {
    return Object.values(s.principal as Record<string, unknown>).some((v) => asStrings(v).includes("*"));
  }
  return false;
}

/**
 * Condition keys that narrow a public principal to a known caller (an account, organisation, source resource,
 * VPC or network), after AWS's definition of a non-public policy. `...IfExists` operators do not restrict (an
 * absent key passes), nor does a bare `*` value.
 */
export const RESTRICTING_CONDITION_KEYS = [
  "aws:SourceArn",
  "aws:SourceAccount",
  "aws:SourceOwner",
  "aws:SourceOrgID",
  "aws:SourceOrgPaths",
  "aws:SourceVpc",
  "aws:SourceVpce",
  "aws:SourceIp",
  "aws:PrincipalArn",
  "aws:PrincipalAccount",
  "aws:PrincipalOrgID",
  "aws:PrincipalOrgPaths",
  "aws:userid",
  "kms:CallerAccount",
] as const;
const RESTRICTING = new Set(RESTRICTING_CONDITION_KEYS.map((k) => k.toLowerCase()));

/** The condition values a statement sets for `key` (case-insensitive) under restricting operators. */
export function conditionValues(s: BaselineStatement, key: string): string[] {
  const out: string[] = [];
  for (const [operator, entries] of Object.entries(s.condition)) {
    if (/IfExists$/i.test(operator) || /^Null$/i.test(operator) || /^StringNot|^ArnNot|^NotIpAddress/i.test(operator)) continue;
    if (typeof entries !== "object" || entries === null) continue;
    for (const [k, v] of Object.entries(entries)) if (k.toLowerCase() === key.toLowerCase()) out.push(...asStrings(v));
  }
  return out;
}

/** Whether a statement carries a condition that restricts who may use it. */
export function hasRestrictingCondition(s: BaselineStatement): boolean {
  for (const [operator, entries] of Object.entries(s.condition)) {
    if (/IfExists$/i.test(operator) || /^Null$/i.test(operator) || /^StringNot|^ArnNot|^NotIpAddress/i.test(operator)) continue;
    if (typeof entries !== "object" || entries === null) continue;
    for (const [k, v] of Object.entries(entries)) {
      if (!RESTRICTING.has(k.toLowerCase())) continue;
      const values = asStrings(v);
      if (values.length > 0 && values.every((x) => x !== "*" && x !== "")) return true;
    }
  }
  return false;
}

/** Allow statements open to everyone without a restricting condition. */
export function publicStatements(statements: readonly BaselineStatement[]): BaselineStatement[] {
  return statements.filter((s) => s.effect === "Allow" && isPublicPrincipal(s) && !hasRestrictingCondition(s));
}

export { grantsAnyOf };

/** A document's statements, or a message naming why it cannot be checked (fail closed). */
export function statementsOrProblem(value: unknown, where: string): { statements: BaselineStatement[] } | { message: string } | undefined {
  const parsed = parseDocument(value);
  if (parsed === undefined) return undefined;
  if ("problem" in parsed)
    return { message: `${where} ${parsed.problem}; write it with JSON.stringify of a policy document (a document the pack cannot read is not assumed safe).` };
  return parsed;
}

/**
 * The identity-policy documents an IAM resource carries, read through the proxy: a role policy's or managed
 * policy's `policy`, a role's `inlinePolicies[].policy`. Each entry: where it sits, and the raw value.
 */
export function identityDocuments(type: string, props: Record<string, unknown>): Array<{ where: string; value: unknown }> {
  switch (type) {
    case "aws:iam/rolePolicy:RolePolicy":
    case "aws:iam/policy:Policy":
    case "aws:iam/userPolicy:UserPolicy":
    case "aws:iam/groupPolicy:GroupPolicy":
      return [{ where: "policy", value: props.policy }];
    case "aws:iam/role:Role": {
      const inline = props.inlinePolicies;
      if (inline === undefined || inline === null) return [];
      return itemsOf(inline).map((p, i) => {
        const entry = (p ?? {}) as Record<string, unknown>;
        return { where: `inlinePolicies[${i}].policy`, value: entry.policy };
      });
    }
    default:
      return [];
  }
}

export const IDENTITY_POLICY_TYPES = new Set([
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/policy:Policy",
  "aws:iam/userPolicy:UserPolicy",
  "aws:iam/groupPolicy:GroupPolicy",
  "aws:iam/role:Role",
]);
