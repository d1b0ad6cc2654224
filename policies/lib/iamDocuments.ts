/**
 * IAM policy documents as policies see them: the documents a resource carries (inline role policies, a role's
 * `inlinePolicies`, customer-managed policies, bucket policies), parsed from their JSON string, and their Allow
 * statements normalised to action / resource lists. Shared by DA-21 and DA-28/29/30.
 */
import { isUnknown, itemsOf, rawOf } from "./knownValues";

export const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const MANAGED_POLICY = "aws:iam/policy:Policy";
export const ROLE = "aws:iam/role:Role";
export const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

export interface Statement {
  /** `statement <Sid>` or `Statement[i]`. */
  id: string;
  effect: "Allow" | "Deny";
  actions: string[];
  notActions: boolean;
  resources: string[];
  notResources: boolean;
}

export interface CarriedDocument {
  /** Where the document sits, for messages (`policy`, `inline policy "x"`). */
  where: string;
  /** Role name the document is attached to, when the resource says so and it is known. */
  roleName?: string;
  statements: Statement[];
}

const strings = (v: unknown): string[] => itemsOf(rawOf(v)).filter((x): x is string => typeof x === "string" && !isUnknown(x));

/** Statements of a document given as an object or JSON string; unknown or unparseable documents yield none. */
export function statementsOf(document: unknown): Statement[] {
  let doc = rawOf(document);
  if (typeof doc === "string") {
    if (isUnknown(doc)) return [];
    try {
      doc = JSON.parse(doc);
    } catch {
      return [];
    }
  }
  if (typeof doc !== "object" || doc === null) return [];
  return itemsOf(rawOf((doc as { Statement?: unknown }).Statement)).flatMap((raw, i): Statement[] => {
    const s = rawOf<Record<string, unknown>>(raw);
    if (typeof s !== "object" || s === null) return [];
    return [
      {
        id: typeof s.Sid === "string" && s.Sid ? `statement ${s.Sid}` : `Statement[${i}]`,
        effect: s.Effect === "Deny" ? "Deny" : "Allow",
        actions: strings(s.Action ?? s.NotAction),
        notActions: s.Action === undefined && s.NotAction !== undefined,
        resources: strings(s.Resource ?? s.NotResource),
        notResources: s.Resource === undefined && s.NotResource !== undefined,
      },
    ];
  });
}

/** The documents a resource of `type` carries (none for other types). */
export function documentsOf(type: string, props: unknown): CarriedDocument[] {
  const p = rawOf<Record<string, unknown>>(props) ?? {};
  const known = (v: unknown) => (typeof v === "string" && !isUnknown(v) ? v : undefined);
  switch (type) {
    case ROLE_POLICY:
      return [{ where: "policy", roleName: known(p.role), statements: statementsOf(p.policy) }];
    case MANAGED_POLICY:
    case BUCKET_POLICY:
      return [{ where: "policy", statements: statementsOf(p.policy) }];
    case ROLE:
      return itemsOf(rawOf(p.inlinePolicies)).map((inline) => {
        const i = rawOf<Record<string, unknown>>(inline) ?? {};
        return { where: `inline policy ${JSON.stringify(known(i.name) ?? null)}`, roleName: known(p.name), statements: statementsOf(i.policy) };
      });
    default:
      return [];
  }
}

function glob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );
}

/** Whether an action pattern of a statement (e.g. `s3:Put*`, `*`) grants any of the given concrete actions. */
export function grantsAnyOf(statement: Statement, actions: readonly string[]): string[] {
  if (statement.notActions) return actions.filter((a) => !statement.actions.some((p) => glob(p).test(a)));
  return statement.actions.filter((p) => actions.some((a) => glob(p).test(a)));
}

/** The object-key part of an S3 object ARN (`arn:aws:s3:::bucket/<key>`); `*` for a bare wildcard resource. */
function objectKeyOf(resource: string): string | undefined {
  if (resource === "*") return "*";
  const m = /^arn:aws[a-z-]*:s3:::[^/]*\/(.*)$/.exec(resource);
  return m ? m[1] : undefined;
}

/**
 * Resources of a statement that reach objects under `prefix` (e.g. `oracle-store/`), optionally only those whose
 * key also has `segment` after the prefix (e.g. `/truth_view/`): a key pattern that matches a sample such key
 * (`*`, `oracle-store/*`) or spells the prefix (and segment) out literally.
 */
export function resourcesReaching(statement: Statement, prefix: string, segment?: string): string[] {
  if (statement.notResources) return [];
  const sample = segment ? `${prefix}x${segment}x` : `${prefix}x`;
  return statement.resources.filter((r) => {
    const key = objectKeyOf(r);
    if (key === undefined) return false;
    if (glob(key).test(sample)) return true;
    return key.startsWith(prefix) && (!segment || key.slice(prefix.length - 1).includes(segment));
  });
}
