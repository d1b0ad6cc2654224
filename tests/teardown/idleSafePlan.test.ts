/**
 * The idle-safe switch through the offline plan: the runtime layer planned with window sizes (2 nodes, 2 tasks
 * per spine service, Flink started), then with `fraud-platform:idleSafe: true` on top. The preview documents of the
 * second plan carry zero node, task and KPU capacity, with the zero enforced on apply (no ignoreChanges); the plan
 * is policy-checked and costed like any config.
 */
import * as fs from "fs";
import * as path from "path";
import { PlanResult, runPlan } from "../../src/plan/engine";
import { PreviewDocument, ResourceState } from "../../src/plan/previewDocument";
import { PROJECT_ROOT } from "../../src/registry/registry";
import { tmpDir } from "./fakes";
import { copyPlanDir, sharedPlan } from "../helpers/sharedPlan";
import { ENTRYPOINT_PINS, LEARNING_PIN } from "../helpers/pins";

const PINS = { ...LEARNING_PIN, ...ENTRYPOINT_PINS };

/** A copy of the project's stack files whose runtime stack sets window sizes (and, optionally, the switch). */
function project(idleSafe: boolean): string {
  const dir = tmpDir("td-idle-project");
  for (const f of fs.readdirSync(PROJECT_ROOT).filter((f) => /^Pulumi\..*yaml$/.test(f))) fs.copyFileSync(path.join(PROJECT_ROOT, f), path.join(dir, f));
  const lanes = {
    eks: { nodeGroup: { desiredSize: 2, maxSize: 2 } },
    flink: { startApplication: true },
    ecs: { spineServicesEnabled: true, image: "git-0123abc-run-42", platformRunId: "run-20261125-001", desiredCount: 2 },
  };
  fs.appendFileSync(
    path.join(dir, "Pulumi.dev-full-runtime.yaml"),
    `  fraud-platform:runtimeLanes: ${JSON.stringify(lanes)}\n${idleSafe ? "  fraud-platform:idleSafe: true\n" : ""}`,
  );
  return dir;
}

let outDir: string;
let windowDoc: PreviewDocument;
let idleDoc: PreviewDocument;
let windowPlan: PlanResult;
let idlePlan: PlanResult;

const runtimeDoc = (): PreviewDocument => JSON.parse(fs.readFileSync(path.join(outDir, "dev-full-runtime.preview.json"), "utf8")) as PreviewDocument;

beforeAll(async () => {
  const shared = await sharedPlan(["core", "streaming"]);
  const upstream = shared.result;
  outDir = copyPlanDir(shared.outDir, tmpDir("td-idle-plan"));
  for (const o of upstream.outcomes) if (o.status !== "planned") throw new Error(`${o.stackName}: ${o.failure?.message}`);
  const planned = (r: PlanResult): PlanResult => {
    if (r.outcomes[0].status !== "planned") throw new Error(`runtime: ${r.outcomes[0].status} ${r.outcomes[0].failure?.message}`);
    return r;
  };
  windowPlan = planned(await runPlan({ env: "dev-full", layers: ["runtime"], outDir, projectDir: project(false), pins: PINS }));
  windowDoc = runtimeDoc();
  idlePlan = planned(await runPlan({ env: "dev-full", layers: ["runtime"], outDir, projectDir: project(true), pins: PINS }));
  idleDoc = runtimeDoc();
}, 400_000);

const ofType = (doc: PreviewDocument, type: string): ResourceState[] => doc.steps.map((s) => s.newState).filter((s): s is ResourceState => s?.type === type);
const num = (v: unknown): number => (typeof v === "number" ? v : NaN);

/** Node, task and KPU capacity a preview document leaves running. */
function capacity(doc: PreviewDocument): { nodes: number; tasks: number; kpus: number } {
  const nodes = ofType(doc, "aws:eks/nodeGroup:NodeGroup").reduce((n, s) => n + num((s.inputs.scalingConfig as Record<string, unknown>).desiredSize), 0);
  const tasks = ofType(doc, "aws:ecs/service:Service").reduce((n, s) => n + num(s.inputs.desiredCount), 0);
  const kpus = ofType(doc, "aws:kinesisanalyticsv2/application:Application").reduce((n, s) => {
    if (s.inputs.startApplication !== true) return n;
    const p = ((s.inputs.applicationConfiguration as Record<string, Record<string, Record<string, unknown>>>).flinkApplicationConfiguration
      .parallelismConfiguration ?? {}) as Record<string, unknown>;
    return n + Math.ceil(num(p.parallelism) / num(p.parallelismPerKpu)) + 1;
  }, 0);
  return { nodes, tasks, kpus };
}

describe("fraud-platform:idleSafe in the plan", () => {
  it("the window plan runs nodes, tasks and KPUs (the contrast)", () => {
    expect(ofType(windowDoc, "aws:ecs/service:Service")).toHaveLength(7);
    expect(capacity(windowDoc)).toEqual({ nodes: 2, tasks: 14, kpus: 3 });
  });

  it("the idle-safe plan has zero node, task and KPU capacity in its preview document", () => {
    expect(capacity(idleDoc)).toEqual({ nodes: 0, tasks: 0, kpus: 0 });
    for (const ng of ofType(idleDoc, "aws:eks/nodeGroup:NodeGroup")) expect(ng.inputs.scalingConfig).toMatchObject({ minSize: 0, desiredSize: 0, maxSize: 2 });
    expect(ofType(idleDoc, "aws:ecs/service:Service").map((s) => s.inputs.desiredCount)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(ofType(idleDoc, "aws:kinesisanalyticsv2/application:Application").map((s) => s.inputs.startApplication)).toEqual([false]);
    // State is untouched: the same Aurora range, the same EMR auto-stop.
    const aurora = (doc: PreviewDocument) => ofType(doc, "aws:rds/cluster:Cluster").map((s) => s.inputs.serverlessv2ScalingConfiguration);
    expect(aurora(idleDoc)).toEqual(aurora(windowDoc));
    const emr = (doc: PreviewDocument) => ofType(doc, "aws:emrserverless/application:Application").map((s) => s.inputs.autoStopConfiguration);
    expect(emr(idleDoc)).toEqual(emr(windowDoc));
    expect(idleDoc.steps.length).toBe(windowDoc.steps.length);
  });

  it("exports the switch and the effective Flink start among the runtime lanes' switches", () => {
    const outputs = JSON.parse(fs.readFileSync(path.join(outDir, "dev-full-runtime.outputs.json"), "utf8")) as Record<string, Record<string, unknown>>;
    expect(outputs.runtime_lanes_switches).toMatchObject({ idleSafe: true, flinkStartApplication: false });
  });

  it("is policy-checked and costed like any config: DA-93 holds only with the switch on", () => {
    const da93 = (r: PlanResult) => r.policy.violations.filter((v) => v.policy.startsWith("da-93-ecs-services-desired-zero")).length;
    expect(da93(windowPlan)).toBe(7);
    expect(da93(idlePlan)).toBe(0);
    expect(idlePlan.cost.report?.postures.idleSafe.monthlyCost).toMatch(/^\d+\.\d{4}$/);
  });
});
