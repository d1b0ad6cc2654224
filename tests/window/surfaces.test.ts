/**
 * Surfaces as data: the catalog and the ladder agree, the window setting says what is up, planned resources are
 * attributed to their surface, and a closed window is a plan like any other (the stacks read the setting).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { costReportOf } from "../../src/cost/costReport";
import { costInputsOf } from "../../src/cost/inputs";
import { modelDeps } from "../../src/cost/model";
import { LAYERS } from "../../src/layers";
import { runPlan } from "../../src/plan/engine";
import { PROJECT_ROOT } from "../../src/registry/registry";
import { ALL_STACK_PINS, STACK_SECRETS } from "../helpers/pins";
import { sharedPlan } from "../helpers/sharedPlan";
import { DEFAULT_PHASES_FILE, DEFAULT_SURFACES_FILE, loadSurfaceCatalog, parseSurfaceCatalog, surfaceOf } from "../../src/window/surfaces";
import { windowPlanDocs } from "./fakes";

const surfacesRaw = () => parse(fs.readFileSync(DEFAULT_SURFACES_FILE, "utf8")) as { surfaces: Array<Record<string, unknown>> };
const phasesRaw = () => parse(fs.readFileSync(DEFAULT_PHASES_FILE, "utf8")) as { phases: Array<Record<string, unknown>> };

describe("registry/surfaces.yaml and the phases' surfaces", () => {
  const catalog = loadSurfaceCatalog();

  it("marks every costly surface of the issue persistent or ephemeral, and every phase names only ephemeral ones", () => {
    for (const id of ["msk", "eks_lane", "aurora", "redis", "edge", "flink", "emr", "ecs_lanes", "sagemaker", "databricks_jobs", "mwaa", "endpoints", "nat"])
      expect(catalog.get(id).kind).toBe("ephemeral");
    expect(catalog.platform.kind).toBe("persistent");
    expect(catalog.phases).toHaveLength(19);
    expect(catalog.phase("P5").surfaces).toEqual(["msk", "endpoints", "orchestration"]);
    expect(catalog.phase("P13").surfaces).toEqual(["databricks_jobs"]);
  });

  it("says what a window setting keeps up", () => {
    expect(catalog.isUp("msk", "all")).toBe(true);
    expect(catalog.isUp("msk", "closed")).toBe(false);
    expect(catalog.isUp("platform", "closed")).toBe(true);
    expect(catalog.isUp("msk", "P5")).toBe(true);
    expect(catalog.isUp("aurora", "P5")).toBe(false);
    expect(catalog.isUp("edge", "P13")).toBe(false);
    expect(() => catalog.isUp("no_such", "all")).toThrow(/unknown surface "no_such"/);
  });

  it("rejects a phase naming an unknown or a persistent surface, with file, key and fix", () => {
    const phases = phasesRaw();
    phases.phases[5].surfaces = ["msk", "mks"];
    phases.phases[6].surfaces = ["platform"];
    expect(() => parseSurfaceCatalog(surfacesRaw(), phases)).toThrow(/invalid surface catalog/);
    try {
      parseSurfaceCatalog(surfacesRaw(), phases);
    } catch (e) {
      const problems = (e as { problems: Array<{ key: string; expected: string; fix?: string }> }).problems;
      expect(problems.map((p) => p.key)).toEqual(["phases.5.surfaces.1", "phases.6.surfaces.0"]);
      expect(problems[0].fix).toMatch(/add the surface to registry\/surfaces.yaml/);
      expect(problems[1].expected).toMatch(/an ephemeral surface/);
    }
  });

  it("rejects a persistent surface with a down mode and a duplicate id", () => {
    const persistentMsk = surfacesRaw();
    persistentMsk.surfaces[0].kind = "persistent";
    expect(() => parseSurfaceCatalog(persistentMsk, phasesRaw())).toThrow(/invalid registry\/surfaces.yaml/);
    const twice = surfacesRaw();
    twice.surfaces.push({ ...twice.surfaces[0] });
    expect(() => parseSurfaceCatalog(twice, phasesRaw())).toThrow(/invalid surface catalog/);
  });

  it("attributes planned resources through their parent chain; unmatched ones are the persistent platform", () => {
    const inputs = windowPlanDocs().flatMap(costInputsOf);
    const byUrn = new Map(inputs.map((r) => [r.urn, r]));
    const of = (name: string, layer: (typeof LAYERS)[number]) =>
      surfaceOf(inputs.find((r) => r.name === name && r.type !== "fraud-platform:runtime:AuroraServerlessCluster") ?? inputs[0], layer, byUrn, catalog).id;
    expect(of("aurora-writer", "runtime")).toBe("aurora");
    expect(of("runtime-endpoints-sts", "runtime")).toBe("endpoints");
    expect(of("ig-edge-api", "runtime")).toBe("edge");
    expect(of("dashboards-operations", "ops")).toBe("observability");
    expect(of("evidence", "core")).toBe("platform");
  });
});

describe("the window setting has one reader", () => {
  it("stacks, components and src read fraud-platform:window only through surfaceUp/downReason (the plan's reuse of a layer depends on it)", () => {
    const files = ["stacks", "components", "src"].flatMap((d) =>
      (fs.readdirSync(path.join(PROJECT_ROOT, d), { recursive: true }) as string[]).filter((f) => f.endsWith(".ts")).map((f) => path.join(d, f)),
    );
    expect(files.length).toBeGreaterThan(100);
    const readers = files.filter(
      (f) =>
        f !== path.join("src", "window", "surfaces.ts") &&
        /settings\.window\b|settings\[["']window["']\]|\{[^}]*\bwindow\b[^}]*\}\s*=\s*\w*\.?settings/.test(fs.readFileSync(path.join(PROJECT_ROOT, f), "utf8")),
    );
    expect(readers).toEqual([]);
  });
});

describe("a closed window is a plan like any other", () => {
  jest.setTimeout(300_000);

  it("plans the five stacks with fraud-platform:window closed: no MSK, EKS, Aurora, Redis, interface endpoints or dashboards, handles deferred, at most 5 USD/month", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "window-closed-"));
    const result = await runPlan({
      env: "dev-full",
      layers: [...LAYERS],
      outDir,
      pins: ALL_STACK_PINS,
      secrets: STACK_SECRETS,
      config: { "fraud-platform:window": "closed" },
    });
    expect(result.outcomes.map((o) => o.status)).toEqual(["planned", "planned", "planned", "planned", "planned"]);
    const types = result.outcomes.flatMap((o) => o.plan?.resources.map((r) => r.type) ?? []);
    for (const t of [
      "aws:msk/serverlessCluster:ServerlessCluster",
      "aws:eks/cluster:Cluster",
      "aws:rds/clusterInstance:ClusterInstance",
      "aws:elasticache/replicationGroup:ReplicationGroup",
      "aws:cloudwatch/dashboard:Dashboard",
    ]) {
      expect(types).not.toContain(t);
    }
    const endpoints = result.outcomes.flatMap((o) => o.plan?.resources ?? []).filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(endpoints.every((r) => r.inputs.vpcEndpointType === "Gateway")).toBe(true);
    const runtime = result.outcomes.find((o) => o.layer === "runtime")?.plan?.outputs as Record<string, unknown>;
    expect((runtime.deferred_handles as Record<string, string>).AURORA_CLUSTER_IDENTIFIER).toMatch(/surface aurora is down in window closed/);
    expect(runtime.AURORA_CLUSTER_IDENTIFIER).toBeNull();
    const report = costReportOf(
      result.outcomes.flatMap((o) => (o.plan ? [JSON.parse(fs.readFileSync(path.join(outDir, `${o.stackName}.preview.json`), "utf8"))] : [])),
      modelDeps({ env: "dev-full" }),
      "dev-full",
      {
        docs: result.outcomes.flatMap((o) => (o.plan ? [JSON.parse(fs.readFileSync(path.join(outDir, `${o.stackName}.preview.json`), "utf8"))] : [])),
        source: outDir,
      },
    );
    expect(Number(report.postures.betweenWindows?.monthlyCost)).toBeLessThanOrEqual(5);
    expect(Number(report.postures.betweenWindows?.monthlyCost)).toBeGreaterThan(0);
    // The default plan's closed-window chain takes the open window's plan of the layers the window changes
    // nothing in (core, data_ml): equal, file for file, to this chain, which planned every layer itself.
    const shared = await sharedPlan([...LAYERS], ALL_STACK_PINS, { closedWindowPlan: true });
    expect(shared.result.closedWindow?.outcomes.filter((o) => o.reused).map((o) => o.layer)).toEqual(["core", "data_ml"]);
    for (const o of result.outcomes) {
      const name = `${o.stackName}.preview.json`;
      expect(fs.readFileSync(path.join(shared.outDir, "window-closed", name), "utf8")).toEqual(fs.readFileSync(path.join(outDir, name), "utf8"));
    }
    // Judged like any other plan: the EKS lane's roles and the window dashboards/alarms are deferred with their
    // surfaces (registry/surfaces.yaml `handles`), so nothing mandatory fires and the pinned plan exits 0.
    expect(result.policy.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(runtime.deferred_handles).toHaveProperty("ROLE_EKS_IRSA_IG");
  });
});
