/**
 * Typed builder for IAM policy documents. Workload roles are assembled from small statement builders instead of
 * JSON strings, and the builder refuses what the design rules forbid before anything is declared:
 * `Action: "*"` on `Resource: "*"` (DA-20), any write or delete under `oracle-store/` (DA-28), any delete under
 * `evidence/` (DA-30), and a wildcard resource without a written justification (DA-21).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** IAM condition block: operator -> key -> value(s). */
export type Conditions = Record<string, Record<string, string | string[]>>;

export interface StatementSpec {
  /** Statement id (alphanumeric). */
  sid: string;
  effect?: "Allow" | "Deny";
  actions: string[];
  resources: pulumi.Input<string>[];
  conditions?: Conditions;
  /** Required when `resources` contains "*": why the service offers no narrower scope (DA-21). */
  wildcardJustification?: string;
}

export class PolicyRuleError extends Error {
  constructor(sid: string, rule: string) {
    super(`IAM statement ${sid}: ${rule}`);
    this.name = "PolicyRuleError";
  }
}

const WRITE_OR_DELETE = /^s3:(Put|Delete|Restore|Replicate|Abort|Create)|^s3:\*$|^\*$/;
const DELETE = /^s3:Delete|^s3:\*$|^\*$/;

/** Checks a statement against DA-20/21/28/30 with the resource strings that are known now. */
export function checkStatement(spec: StatementSpec): void {
  const effect = spec.effect ?? "Allow";
  if (effect !== "Allow") return;
  if (!/^[A-Za-z0-9]+$/.test(spec.sid)) throw new PolicyRuleError(spec.sid, "sid must be alphanumeric");
  if (spec.actions.length === 0 || spec.resources.length === 0) throw new PolicyRuleError(spec.sid, "needs at least one action and one resource");
  const known = spec.resources.filter((r): r is string => typeof r === "string");
  if (spec.actions.includes("*") && known.includes("*")) throw new PolicyRuleError(spec.sid, 'grants Action "*" on Resource "*" (DA-20)');
  if (known.includes("*") && !spec.wildcardJustification) throw new PolicyRuleError(spec.sid, 'uses Resource "*" without a wildcardJustification (DA-21)');
  for (const r of known) {
    if (/oracle-store\//.test(r) && spec.actions.some((a) => WRITE_OR_DELETE.test(a)))
      throw new PolicyRuleError(spec.sid, `may write or delete under oracle-store/ (${r}); oracle data is read-only (DA-28)`);
    if (/evidence\//.test(r) && spec.actions.some((a) => DELETE.test(a))) throw new PolicyRuleError(spec.sid, `may delete evidence (${r}) (DA-30)`);
  }
}

function statementOf(spec: StatementSpec): aws.iam.PolicyStatement {
  return {
    Sid: spec.sid,
    Effect: spec.effect ?? "Allow",
    Action: spec.actions,
    Resource: spec.resources,
    ...(spec.conditions ? { Condition: spec.conditions } : {}),
  };
}

/** A validated policy document. */
export function policyDocument(specs: StatementSpec[]): aws.iam.PolicyDocument {
  const sids = new Set<string>();
  for (const spec of specs) {
    checkStatement(spec);
    if (sids.has(spec.sid)) throw new PolicyRuleError(spec.sid, "duplicate sid");
    sids.add(spec.sid);
  }
  return { Version: "2012-10-17", Statement: specs.map(statementOf) };
}

/** JSON text of a document whose resources may still be outputs. */
export function policyJson(doc: aws.iam.PolicyDocument): pulumi.Output<string> {
  return pulumi.jsonStringify(doc);
}

/** Trust policy for an AWS service principal. */
export function serviceTrust(service: string, conditions?: Conditions): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", ...(conditions ? { Condition: conditions } : {}) }],
  };
}

/** Trust policy for a Kubernetes service account through the cluster's OIDC provider (IRSA). */
export function irsaTrust(
  oidcProviderArn: pulumi.Input<string>,
  oidcIssuerHost: pulumi.Input<string>,
  namespace: string,
  serviceAccount: string,
): pulumi.Output<aws.iam.PolicyDocument> {
  return pulumi.all([oidcProviderArn, oidcIssuerHost]).apply(([arn, host]): aws.iam.PolicyDocument => ({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: arn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${host}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`, [`${host}:aud`]: "sts.amazonaws.com" } },
      },
    ],
  }));
}

/** ARN of an SSM parameter path (paths start with "/"). */
export function ssmParameterArn(region: string, accountId: pulumi.Input<string>, parameterPath: string): pulumi.Output<string> {
  return pulumi.interpolate`arn:aws:ssm:${region}:${accountId}:parameter${parameterPath}`;
}

/**
 * Read access to exactly the SSM parameters a workload needs (never the whole tree), plus decrypt with the
 * platform key limited to SSM use.
 */
export function ssmReadStatements(args: {
  sid: string;
  region: string;
  accountId: pulumi.Input<string>;
  parameterPaths: string[];
  kmsKeyArn: pulumi.Input<string>;
}): StatementSpec[] {
  if (args.parameterPaths.length === 0) return [];
  return [
    {
      sid: `${args.sid}SsmRead`,
      actions: ["ssm:GetParameter", "ssm:GetParameters"],
      resources: args.parameterPaths.map((p) => ssmParameterArn(args.region, args.accountId, p)),
    },
    {
      sid: `${args.sid}SsmDecrypt`,
      actions: ["kms:Decrypt"],
      resources: [args.kmsKeyArn],
      conditions: { StringEquals: { "kms:ViaService": `ssm.${args.region}.amazonaws.com` } },
    },
  ];
}

export type S3Access = "read" | "write" | "readwrite";

const S3_ACTIONS: Record<S3Access, string[]> = {
  read: ["s3:GetObject", "s3:GetObjectVersion"],
  write: ["s3:PutObject", "s3:AbortMultipartUpload"],
  readwrite: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:AbortMultipartUpload"],
};

/**
 * Object access to a prefix of a bucket, plus listing limited to that prefix. Never grants delete: runtime roles
 * do not delete evidence, receipts or governance objects, and the builder refuses writes under oracle-store/.
 */
export function s3PrefixStatements(args: { sid: string; bucketArn: pulumi.Input<string>; prefix: string; access: S3Access }): StatementSpec[] {
  if (!args.prefix.endsWith("/")) throw new PolicyRuleError(args.sid, `prefix ${JSON.stringify(args.prefix)} must end with "/"`);
  const objects = pulumi.interpolate`${args.bucketArn}/${args.prefix}*`;
  const specs: StatementSpec[] = [
    { sid: `${args.sid}Objects`, actions: S3_ACTIONS[args.access], resources: [objects] },
    { sid: `${args.sid}List`, actions: ["s3:ListBucket"], resources: [args.bucketArn], conditions: { StringLike: { "s3:prefix": [`${args.prefix}*`] } } },
  ];
  // The object ARN is an output; check the rule against the literal prefix too.
  if (args.prefix.startsWith("oracle-store/") && args.access !== "read")
    throw new PolicyRuleError(args.sid, "may write under oracle-store/; oracle data is read-only (DA-28)");
  return specs;
}
