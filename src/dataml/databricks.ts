/**
 * Pure building blocks of the platform's Databricks objects: the autoscale range and auto-termination pinned in the
 * registry (DBX_AUTOSCALE_WORKERS, DBX_AUTO_TERMINATE_MINUTES), the cluster policy that lets a cluster exist only as
 * job compute inside them (DA-70), the OFS job definition with its explicit timeout (DA-74), and the trust policy
 * of the Unity Catalog cross-account role. Shared by the data_ml stack and the DA-70 policy, so the stack and the
 * rule can never disagree on what "job compute, 1-8 workers, 20 minutes" means.
 */
import type * as aws from "@pulumi/aws";
import type * as databricks from "@pulumi/databricks";
import type * as pulumi from "@pulumi/pulumi";

export interface AutoscaleRange {
  minWorkers: number;
  maxWorkers: number;
}

/** `"1-8"` -> `{ minWorkers: 1, maxWorkers: 8 }`; anything else is an error naming the value. */
export function parseAutoscaleRange(value: string): AutoscaleRange {
  const m = /^(\d+)-(\d+)$/.exec(value.trim());
  const range = m ? { minWorkers: Number(m[1]), maxWorkers: Number(m[2]) } : undefined;
  if (!range || range.minWorkers < 1 || range.maxWorkers < range.minWorkers) {
    throw new Error(`DBX_AUTOSCALE_WORKERS must be "<min>-<max>" with 1 <= min <= max, found ${JSON.stringify(value)}`);
  }
  return range;
}

/** One attribute rule of a Databricks cluster policy definition. */
export type PolicyRule =
  | { type: "fixed"; value: string | number | boolean; hidden?: boolean }
  | { type: "range"; minValue: number; maxValue: number; defaultValue?: number }
  | { type: "allowlist"; values: string[]; defaultValue?: string }
  | { type: "forbidden" };

/**
 * Cluster policy definition: job clusters only (`cluster_type` fixed to `job`, so no all-purpose cluster can be
 * created under it), both autoscale bounds inside the pinned range, auto-termination fixed at the pinned minutes,
 * and the mandatory tags fixed as custom tags (every DBU is attributable to the platform).
 */
export function clusterPolicyDefinition(args: {
  autoscale: AutoscaleRange;
  autoTerminateMinutes: number;
  customTags: Record<string, string>;
}): Record<string, PolicyRule> {
  const { minWorkers, maxWorkers } = args.autoscale;
  return {
    cluster_type: { type: "fixed", value: "job" },
    "autoscale.min_workers": { type: "range", minValue: minWorkers, maxValue: maxWorkers, defaultValue: minWorkers },
    "autoscale.max_workers": { type: "range", minValue: minWorkers, maxValue: maxWorkers, defaultValue: maxWorkers },
    autotermination_minutes: { type: "fixed", value: args.autoTerminateMinutes, hidden: true },
    ...Object.fromEntries(Object.entries(args.customTags).map(([k, v]) => [`custom_tags.${k}`, { type: "fixed", value: v } satisfies PolicyRule])),
  };
}

/** Why a parsed cluster policy definition does not enforce the pinned job compute (empty when it does). */
export function clusterPolicyProblems(definition: unknown, autoscale: AutoscaleRange, autoTerminateMinutes: number): string[] {
  if (definition === null || typeof definition !== "object" || Array.isArray(definition)) return ["definition is not a JSON object of attribute rules"];
  const d = definition as Record<string, Record<string, unknown> | undefined>;
  const problems: string[] = [];
  const clusterType = d.cluster_type;
  if (!(clusterType?.type === "fixed" && clusterType.value === "job"))
    problems.push(`cluster_type must be fixed to "job" (no all-purpose compute), found ${JSON.stringify(clusterType ?? null)}`);
  for (const key of ["autoscale.min_workers", "autoscale.max_workers"]) {
    const rule = d[key];
    const lo = typeof rule?.minValue === "number" ? rule.minValue : rule?.type === "fixed" ? rule.value : undefined;
    const hi = typeof rule?.maxValue === "number" ? rule.maxValue : rule?.type === "fixed" ? rule.value : undefined;
    if (typeof lo !== "number" || typeof hi !== "number" || lo < autoscale.minWorkers || hi > autoscale.maxWorkers) {
      problems.push(`${key} must be limited to ${autoscale.minWorkers}-${autoscale.maxWorkers}, found ${JSON.stringify(rule ?? null)}`);
    }
  }
  const term = d.autotermination_minutes;
  if (!(term?.type === "fixed" && term.value === autoTerminateMinutes))
    problems.push(`autotermination_minutes must be fixed to ${autoTerminateMinutes}, found ${JSON.stringify(term ?? null)}`);
  return problems;
}

export interface OfsJobSpec {
  /** Job name (registry). */
  name: string;
  description: string;
  /** Key of the job's single task. */
  taskKey: string;
  /** Python entry point in the workspace or a volume. */
  pythonFile: string;
  /** Hard limit of one run (job and task). */
  timeoutSeconds: number;
  /** Cluster policy every job cluster runs under (its id, known once the policy exists). */
  policyId: pulumi.Input<string>;
  sparkVersion: string;
  nodeTypeId: string;
  autoscale: AutoscaleRange;
  /** Mandatory tags: on the job and on the clusters it launches. */
  tags: Record<string, string>;
  /** Run-as service principal or user, when not the deploying identity. */
  runAs?: string;
}

/** The key of the job cluster each OFS job defines (job compute, created per run and gone after it). */
export const OFS_JOB_CLUSTER_KEY = "ofs_job_compute";

/**
 * Arguments of one OFS job: a single Python task on a job cluster under the platform's cluster policy, an explicit
 * timeout on the job and the task, one run at a time, no retries (a failed OFS build is re-run deliberately with a
 * new manifest, never silently).
 */
export function ofsJobArgs(spec: OfsJobSpec): databricks.JobArgs {
  if (!Number.isInteger(spec.timeoutSeconds) || spec.timeoutSeconds <= 0)
    throw new Error(`job ${spec.name}: timeoutSeconds must be a whole number > 0 (DA-74), found ${spec.timeoutSeconds}`);
  return {
    name: spec.name,
    description: spec.description,
    timeoutSeconds: spec.timeoutSeconds,
    maxConcurrentRuns: 1,
    maxRetries: 0,
    jobClusters: [
      {
        jobClusterKey: OFS_JOB_CLUSTER_KEY,
        newCluster: {
          policyId: spec.policyId,
          applyPolicyDefaultValues: true,
          sparkVersion: spec.sparkVersion,
          nodeTypeId: spec.nodeTypeId,
          autoscale: { minWorkers: spec.autoscale.minWorkers, maxWorkers: spec.autoscale.maxWorkers },
          dataSecurityMode: "USER_ISOLATION",
          customTags: spec.tags,
        },
      },
    ],
    tasks: [
      {
        taskKey: spec.taskKey,
        jobClusterKey: OFS_JOB_CLUSTER_KEY,
        sparkPythonTask: { pythonFile: spec.pythonFile, source: "WORKSPACE" },
        timeoutSeconds: spec.timeoutSeconds,
        maxRetries: 0,
      },
    ],
    tags: spec.tags,
    ...(spec.runAs ? { runAs: spec.runAs.includes("@") ? { userName: spec.runAs } : { servicePrincipalName: spec.runAs } } : {}),
  };
}

/**
 * Trust of the Unity Catalog storage-credential role, valid on the role's very first create (it never names the
 * role's own ARN as a principal, which IAM rejects while the role does not exist yet): Databricks' Unity
 * Catalog principal with the account's external id, and the self-assume Unity Catalog requires expressed as the
 * own account's root restricted by `aws:PrincipalArn` to the role itself. Without a Databricks account (no
 * principal, no external id) only the self-assume statement remains: the role exists but nobody outside can use it.
 */
export function unityCatalogTrust(args: { accountId: string; roleName: string; unityCatalogRoleArn?: string; externalId?: string }): aws.iam.PolicyDocument {
  const selfArn = `arn:aws:iam::${args.accountId}:role/${args.roleName}`;
  const externalId = args.externalId ? { StringEquals: { "sts:ExternalId": args.externalId } } : {};
  const statements: aws.iam.PolicyStatement[] = [];
  if (args.unityCatalogRoleArn) {
    if (!args.externalId) throw new Error(`trust of ${args.roleName}: an external id is required next to the Unity Catalog principal`);
    statements.push({
      Sid: "DatabricksUnityCatalog",
      Effect: "Allow",
      Principal: { AWS: args.unityCatalogRoleArn },
      Action: "sts:AssumeRole",
      Condition: externalId,
    });
  }
  statements.push({
    Sid: "UnityCatalogSelfAssume",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${args.accountId}:root` },
    Action: "sts:AssumeRole",
    Condition: { ...externalId, ArnEquals: { "aws:PrincipalArn": selfArn } },
  });
  return { Version: "2012-10-17", Statement: statements };
}
