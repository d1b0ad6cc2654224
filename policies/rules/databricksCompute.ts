/**
 * DA-70 (mandatory, high): Databricks runs job compute only, inside the pinned bounds.
 * - `da-70-no-all-purpose-clusters`: no `databricks:index/cluster:Cluster` (all-purpose/interactive compute).
 * - `da-70-job-cluster-autoscale`: every cluster a job launches autoscales within DBX_AUTOSCALE_WORKERS (no fixed
 *   size) under a cluster policy, and no task runs on an existing (all-purpose) cluster.
 * - `da-70-cluster-policy-job-compute`: a cluster policy fixes `cluster_type` to job, keeps both autoscale bounds
 *   inside DBX_AUTOSCALE_WORKERS and fixes auto-termination at DBX_AUTO_TERMINATE_MINUTES.
 */
import { isRecord, presenceOf, recordsOf } from "../lib/knownValues";
import { clusterPolicyProblems, parseAutoscaleRange } from "../../src/dataml/databricks";
import { registry } from "../lib/registry";
import { resourceRule } from "../lib/rule";

const CLUSTER = "databricks:index/cluster:Cluster";
const JOB = "databricks:index/job:Job";
const CLUSTER_POLICY = "databricks:index/clusterPolicy:ClusterPolicy";

const obj = (v: unknown): Record<string, unknown> | undefined => (isRecord(v) ? v : undefined);

function pinned() {
  const r = registry();
  return { autoscale: parseAutoscaleRange(r.string("DBX_AUTOSCALE_WORKERS")), minutes: r.number("DBX_AUTO_TERMINATE_MINUTES") };
}

export const noAllPurposeClusters = resourceRule(
  {
    id: "DA-70",
    slug: "no-all-purpose-clusters",
    description:
      "Databricks compute is job compute only: no all-purpose (interactive) clusters. Run the work as a job with a job cluster under the platform's cluster policy.",
    severity: "high",
  },
  (args, reportViolation) => {
    if (args.type !== CLUSTER) return args.notApplicable("not a Databricks cluster");
    reportViolation(`all-purpose cluster ${JSON.stringify(args.props.clusterName ?? args.name)} is not allowed (DBX_COMPUTE_POLICY: job compute only).`);
  },
);

/** Problems of one cluster spec a job launches. */
function jobClusterProblems(where: string, cluster: Record<string, unknown>, autoscale: { minWorkers: number; maxWorkers: number }): string[] {
  const problems: string[] = [];
  const scale = obj(cluster.autoscale);
  const min = scale?.minWorkers;
  const max = scale?.maxWorkers;
  if (typeof min !== "number" || typeof max !== "number")
    problems.push(
      `${where} does not autoscale (autoscale.minWorkers/maxWorkers missing${cluster.numWorkers !== undefined ? `, fixed numWorkers ${JSON.stringify(cluster.numWorkers)}` : ""})`,
    );
  else if (min < autoscale.minWorkers || max > autoscale.maxWorkers || min > max)
    problems.push(`${where} autoscales ${min}-${max}, outside ${autoscale.minWorkers}-${autoscale.maxWorkers}`);
  return problems;
}

export const jobClusterAutoscale = resourceRule(
  {
    id: "DA-70",
    slug: "job-cluster-autoscale",
    description:
      "Databricks jobs run on job clusters that autoscale within DBX_AUTOSCALE_WORKERS (1-8) under a cluster policy; no task uses an existing (all-purpose) cluster.",
    severity: "high",
  },
  (args, reportViolation) => {
    if (args.type !== JOB) return args.notApplicable("not a Databricks job");
    const { autoscale } = pinned();
    const p = args.props;
    const problems: string[] = [];
    if (p.existingClusterId !== undefined) problems.push("the job runs on an existing cluster (existingClusterId)");
    const top = obj(p.newCluster);
    if (top) problems.push(...jobClusterProblems("newCluster", top, autoscale));
    for (const jc of recordsOf(p.jobClusters)) {
      const spec = obj(jc.newCluster);
      if (spec) problems.push(...jobClusterProblems(`job cluster ${JSON.stringify(jc.jobClusterKey)}`, spec, autoscale));
    }
    for (const t of recordsOf(p.tasks)) {
      const key = JSON.stringify(t.taskKey);
      if (t.existingClusterId !== undefined) problems.push(`task ${key} runs on an existing cluster (existingClusterId)`);
      const spec = obj(t.newCluster);
      if (spec) problems.push(...jobClusterProblems(`task ${key} newCluster`, spec, autoscale));
    }
    for (const problem of problems) reportViolation(`${problem}.`);
    // The policy id is unknown in a first preview until the policy exists: its presence is what counts.
    const specs: Array<[string, Record<string, unknown>]> = [
      ...(top ? [["newCluster", top] as [string, Record<string, unknown>]] : []),
      ...recordsOf(p.jobClusters).flatMap((jc): Array<[string, Record<string, unknown>]> =>
        obj(jc.newCluster) ? [[`job cluster ${JSON.stringify(jc.jobClusterKey)}`, obj(jc.newCluster) as Record<string, unknown>]] : [],
      ),
      ...recordsOf(p.tasks).flatMap((t): Array<[string, Record<string, unknown>]> =>
        obj(t.newCluster) ? [[`task ${JSON.stringify(t.taskKey)} newCluster`, obj(t.newCluster) as Record<string, unknown>]] : [],
      ),
    ];
    for (const [where, spec] of specs) {
      const policyId = presenceOf(spec, "policyId");
      if (policyId === "absent" || policyId === "empty") reportViolation(`${where} runs under no cluster policy (policyId).`);
    }
  },
);

export const clusterPolicyJobCompute = resourceRule(
  {
    id: "DA-70",
    slug: "cluster-policy-job-compute",
    description: `Databricks cluster policies admit job compute only: cluster_type fixed to "job", autoscale bounds within DBX_AUTOSCALE_WORKERS, autotermination_minutes fixed to DBX_AUTO_TERMINATE_MINUTES (src/dataml/databricks.ts builds one).`,
    severity: "high",
  },
  (args, reportViolation) => {
    if (args.type !== CLUSTER_POLICY) return args.notApplicable("not a Databricks cluster policy");
    const { autoscale, minutes } = pinned();
    const raw = args.props.definition;
    let definition: unknown;
    try {
      definition = typeof raw === "string" ? JSON.parse(raw) : raw;
    } catch {
      return reportViolation("definition is not valid JSON.");
    }
    for (const problem of clusterPolicyProblems(definition, autoscale, minutes)) reportViolation(`${problem}.`);
  },
);

export const databricksComputePolicies = [noAllPurposeClusters, jobClusterAutoscale, clusterPolicyJobCompute];
