import { clusterPolicyJobCompute, jobClusterAutoscale, noAllPurposeClusters } from "../../policies/rules/databricksCompute";
import { clusterPolicyDefinition, clusterPolicyProblems, parseAutoscaleRange } from "../../src/dataml/databricks";
import { DATA_ML_STACK, T, dataMlCompliant, res, stackDoc } from "../helpers/dataMlOpsFixtures";
import { check, mutate } from "../helpers/policyFixtures";

const job = (inputs = dataMlCompliant.job()) => stackDoc(DATA_ML_STACK, res(DATA_ML_STACK, T.job, "ofs-build", inputs));

describe("DA-70 Databricks job compute only", () => {
  it("forbids any all-purpose cluster", async () => {
    const r = await check(noAllPurposeClusters, stackDoc(DATA_ML_STACK, res(DATA_ML_STACK, T.cluster, "adhoc", { clusterName: "adhoc", numWorkers: 2 })));
    expect(r.violations).toEqual([
      expect.objectContaining({
        policy: "da-70-no-all-purpose-clusters",
        enforcementLevel: "mandatory",
        message: expect.stringContaining('all-purpose cluster "adhoc"'),
      }),
    ]);
  });

  it("stays quiet on a job whose cluster autoscales 1-8 under a policy", async () => {
    const r = await check([noAllPurposeClusters, jobClusterAutoscale], job());
    expect(r.violations).toEqual([]);
  });

  it.each([
    ["jobClusters.0.newCluster.autoscale", { minWorkers: 1, maxWorkers: 16 }, /autoscales 1-16, outside 1-8/],
    ["jobClusters.0.newCluster.autoscale", { minWorkers: 0, maxWorkers: 8 }, /autoscales 0-8, outside 1-8/],
    ["jobClusters.0.newCluster.autoscale", undefined, /does not autoscale/],
    ["jobClusters.0.newCluster.policyId", undefined, /runs under no cluster policy/],
    ["existingClusterId", "0123-456789-abcdef", /runs on an existing cluster/],
  ])("fires when %s is %p", async (path, value, message) => {
    const r = await check(jobClusterAutoscale, job(mutate(dataMlCompliant.job(), path, value as never)));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(message);
  });

  it("fires on a task that runs on an existing cluster", async () => {
    const inputs = mutate(dataMlCompliant.job(), "tasks.0.existingClusterId", "0123-456789-abcdef");
    const r = await check(jobClusterAutoscale, job(inputs));
    expect(r.violations.map((v) => v.message)).toEqual([expect.stringContaining('task "ofs_build" runs on an existing cluster')]);
  });

  it("accepts the cluster policy the stack builds and names what a weaker one lacks", async () => {
    const quiet = await check(clusterPolicyJobCompute, stackDoc(DATA_ML_STACK, res(DATA_ML_STACK, T.clusterPolicy, "p", dataMlCompliant.clusterPolicy())));
    expect(quiet.violations).toEqual([]);
    const weak = { cluster_type: { type: "allowlist", values: ["job", "all-purpose"] }, "autoscale.max_workers": { type: "range", minValue: 1, maxValue: 32 } };
    const r = await check(
      clusterPolicyJobCompute,
      stackDoc(DATA_ML_STACK, res(DATA_ML_STACK, T.clusterPolicy, "p", { name: "p", definition: JSON.stringify(weak) })),
    );
    expect(r.violations.map((v) => v.message.split("\n").pop())).toEqual([
      expect.stringMatching(/cluster_type must be fixed to "job"/),
      expect.stringMatching(/autoscale.min_workers must be limited to 1-8/),
      expect.stringMatching(/autoscale.max_workers must be limited to 1-8/),
      expect.stringMatching(/autotermination_minutes must be fixed to 20/),
    ]);
  });

  it("parses the pinned autoscale range and refuses a malformed one", () => {
    expect(parseAutoscaleRange("1-8")).toEqual({ minWorkers: 1, maxWorkers: 8 });
    expect(() => parseAutoscaleRange("8-1")).toThrow(/DBX_AUTOSCALE_WORKERS/);
    expect(() => parseAutoscaleRange("eight")).toThrow(/"eight"/);
    expect(
      clusterPolicyProblems(
        clusterPolicyDefinition({ autoscale: { minWorkers: 1, maxWorkers: 8 }, autoTerminateMinutes: 20, customTags: {} }),
        { minWorkers: 1, maxWorkers: 8 },
        20,
      ),
    ).toEqual([]);
  });
});
