/**
 * P17 TEARDOWN_IDLE_SAFE bundles from the teardown's own documents, through the emitter's existing interface: PASS
 * after a PASS ladder with a clean residual scan, readable retained surfaces and an idle-safe cost posture; FAIL
 * (DFULL-RUN-B17) with residuals, with an unreadable retained surface, with an incomplete scan and without a cost
 * model. The bundles verify with the emitter's own verifier.
 */
import * as fs from "fs";
import * as path from "path";
import { DescribeDBClustersCommand } from "@aws-sdk/client-rds";
import { costReportOf } from "../../src/cost/costReport";
import { modelDeps } from "../../src/cost/model";
import { verifyBundle } from "../../src/evidence/bundle";
import { PlanDirSource } from "../../src/evidence/sources";
import { runTeardown } from "../../src/cli/teardownCommand";
import { loadRegistry } from "../../src/registry/registry";
import { CostSource, P17_KEYS, P17Inputs, costGuardrailSnapshot, emitP17 } from "../../src/teardown/evidence";
import { checkRetainedSurfaces } from "../../src/teardown/readability";
import { ResidualScanResult, residualScan, retainedSetOf } from "../../src/teardown/residualScan";
import { GIT_SHA, OPERATOR, RUN_ID, closeLadderUpTo, writePlanDir } from "../evidence/fixtures";
import { res, stackDoc } from "../cost/fixtures";
import { ARN, REGION, ScanMocks, calls, cleanAccount, dirtyAccount, fakePulumiForDestroy, readabilityMocks, tmpDir } from "./fakes";

const registry = loadRegistry();
const NOW = new Date("2026-03-01T12:00:00Z");

let planDir: string;
let outRoot: string;
let cost: CostSource;

beforeAll(async () => {
  planDir = writePlanDir(tmpDir("p17-plan"));
  outRoot = tmpDir("p17-out");
  await closeLadderUpTo("P17", planDir, outRoot, tmpDir("p17-ladder-evidence"));
  const C = "dev-full-core";
  const docs = [
    stackDoc(
      C,
      res(C, "aws:kms/key:Key", "platform-key", {}, { protect: true }),
      res(C, "aws:s3/bucket:Bucket", "evidence", { bucket: "fraud-platform-dev-full-evidence" }, { protect: true }),
      res(C, "aws:s3/bucket:Bucket", "artifacts", { bucket: "fraud-platform-dev-full-artifacts" }),
    ),
  ];
  cost = { report: costReportOf(docs, modelDeps({ env: "dev-full" }), "dev-full"), origin: "test plan" };
}, 300_000);

async function scanOf(m: ScanMocks): Promise<ResidualScanResult> {
  return residualScan({
    clients: m.clients,
    registry,
    mode: "teardown",
    region: REGION,
    retained: retainedSetOf(registry, { kmsKeyArns: [ARN.kmsKey] }),
    now: NOW,
  });
}

async function inputs(executionId: string, over: Partial<P17Inputs> = {}): Promise<P17Inputs> {
  return {
    scan: await scanOf(cleanAccount()),
    readability: await checkRetainedSurfaces({ clients: readabilityMocks("readable").clients, registry, now: NOW }),
    cost,
    artifactsDir: tmpDir(`p17-${executionId}`),
    now: NOW,
    emit: { source: new PlanDirSource(planDir), outRoot, runId: RUN_ID, executionId, operator: OPERATOR, gitSha: GIT_SHA },
    ...over,
  };
}

const readJson = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;

describe("P17 bundle", () => {
  it("PASSes with zero residuals, readable retained surfaces and an idle-safe posture within budget", async () => {
    const r = await emitP17(await inputs("m13ej_p17_clean"));
    expect(r.emit.record.blockers).toEqual([]);
    expect(r.emit.record.verdict).toBe("PASS");
    expect(r.emit.record.next_gate).toBe("DEV_FULL_TRACK_COMPLETE");
    expect(verifyBundle(r.emit.dir).ok).toBe(true);
    expect(r.costSnapshot).toMatchObject({ phase_id: "P17", idle_safe: true, residual_item_count: 0, scan_complete: true, overall_pass: true, blockers: [] });
    expect(r.costSnapshot.cost_model?.idle_safe_posture.overBudget).toBe(false);
    expect(r.costSnapshot.cost_model?.retained_resources.map((x) => x.resource_type)).toEqual(expect.arrayContaining(["aws:kms/key:Key"]));
    // The supplied documents are in the bundle byte for byte, under the ladder's keys.
    const required = r.emit.record.evidence_required.map((e) => [e.key, e.supplied, e.result]);
    expect(required).toEqual([
      [P17_KEYS.residualScan, true, "PASS"],
      [P17_KEYS.costSnapshot, true, "PASS"],
    ]);
    const scanDoc = readJson(path.join(r.emit.dir, "supplied", P17_KEYS.residualScan, "residual_scan.json"));
    expect(scanDoc).toMatchObject({ phase_id: "P17", platform_run_id: RUN_ID, residual_item_count: 0, retained_surfaces_readable: true, overall_pass: true });
    expect(fs.existsSync(path.join(r.emit.dir, "supplied", P17_KEYS.readability))).toBe(true);
  });

  it("FAILs with DFULL-RUN-B17 when residuals remain", async () => {
    const scan = await scanOf(dirtyAccount());
    const r = await emitP17(await inputs("m13ej_p17_dirty", { scan }));
    expect(r.emit.record.verdict).toBe("FAIL");
    expect(r.emit.record.next_gate).toBe("BLOCKED");
    const messages = r.emit.record.blockers.map((b) => `${b.code} ${b.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        "DFULL-RUN-B17 TEARDOWN_RESIDUAL_SCAN_PATH_PATTERN: residual_item_count is 13, expected 0",
        "DFULL-RUN-B17 TEARDOWN_COST_SNAPSHOT_PATH_PATTERN: idle_safe is false, expected true",
      ]),
    );
    expect(r.costSnapshot.blockers).toEqual(["13 residual item(s) (DFULL-RUN-B17)"]);
    expect(verifyBundle(r.emit.dir).ok).toBe(true);
  });

  it("FAILs when a retained surface is unreadable after teardown (the key pending deletion)", async () => {
    const readability = await checkRetainedSurfaces({ clients: readabilityMocks("key-pending-deletion").clients, registry, now: NOW });
    const r = await emitP17(await inputs("m13ej_p17_unreadable", { readability }));
    expect(r.emit.record.verdict).toBe("FAIL");
    expect(r.emit.record.blockers.map((b) => `${b.code} ${b.message}`)).toEqual(["DFULL-RUN-B17 TEARDOWN_RESIDUAL_SCAN_PATH_PATTERN: overall_pass is false"]);
    const snapshot = readJson(path.join(r.emit.dir, "supplied", P17_KEYS.readability));
    expect(snapshot).toMatchObject({ lane: "M13.G", overall_pass: false });
  });

  it("FAILs an incomplete scan and a snapshot without a cost model (fail closed)", async () => {
    const m = cleanAccount();
    m.rds.on(DescribeDBClustersCommand).rejects(new Error("throttled"));
    const incomplete = await emitP17(await inputs("m13ej_p17_incomplete", { scan: await scanOf(m) }));
    expect(incomplete.emit.record.verdict).toBe("FAIL");
    expect(incomplete.costSnapshot.blockers).toEqual([expect.stringMatching(/^residual scan incomplete: rds: throttled/)]);
    const costless = await emitP17(await inputs("m13ej_p17_nocost", { cost: undefined, costProblem: "no cost model: no plan directory" }));
    expect(costless.emit.record.verdict).toBe("FAIL");
    expect(costless.costSnapshot).toMatchObject({ idle_safe: false, cost_model: null, blockers: ["no cost model: no plan directory"] });
  });

  it("says idle_safe is false when the idle-safe posture breaks the budget", () => {
    const over: CostSource = {
      ...cost,
      report: {
        ...cost.report,
        postures: { ...cost.report.postures, idleSafe: { ...cost.report.postures.idleSafe, monthlyCost: "512.0000", overBudget: true } },
      },
    };
    const clean = { scan_version: "1", mode: "teardown", residual_item_count: 0, scan_complete: true, errors: [] } as unknown as ResidualScanResult;
    expect(costGuardrailSnapshot({ scan: clean, cost: over, now: NOW })).toMatchObject({
      idle_safe: false,
      blockers: ["idle-safe posture 512.0000 USD/month is over the 300.0000 USD budget"],
    });
  });
});

describe("npm run teardown -- --confirm dev-full (end to end, fake pulumi and AWS)", () => {
  let savedPath: string | undefined;
  beforeEach(() => {
    savedPath = process.env.PATH;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it("destroys, scans, checks readability and emits a PASS P17 bundle with the teardown documents", async () => {
    const stacks = ["dev-full-ops", "dev-full-data-ml", "dev-full-runtime", "dev-full-streaming", "dev-full-core"];
    const fake = fakePulumiForDestroy(tmpDir("p17-fake"), { stacks });
    process.env.PATH = `${fake.bin}${path.delimiter}${savedPath ?? ""}`;
    // The plan directory the teardown reads its cost model from (no preview documents: no teardown plan snapshot).
    const costDir = tmpDir("p17-costdir");
    fs.writeFileSync(path.join(costDir, "cost-report.json"), JSON.stringify(cost.report));
    const out: string[] = [];
    const artifactsDir = tmpDir("p17-artifacts");
    const code = await runTeardown(
      { env: "dev-full", confirm: "dev-full", fromPlan: costDir, out: outRoot, runId: RUN_ID, executionId: "m13ej_p17_e2e", operator: OPERATOR, artifactsDir },
      {
        scanClients: cleanAccount().clients,
        readabilityClients: readabilityMocks("readable").clients,
        source: new PlanDirSource(planDir),
        now: NOW,
        print: (t) => void out.push(t),
      },
    );
    const text = out.join("\n");
    expect(text).toMatch(/P17 TEARDOWN_IDLE_SAFE: PASS \(run platform_20260301T100000Z, execution m13ej_p17_e2e\)/);
    expect(code).toBe(0);
    expect(
      calls(fake.log)
        .filter((c) => c[0] === "destroy")
        .map((c) => c[c.indexOf("--stack") + 1]),
    ).toEqual(stacks);
    const bundle = path.join(outRoot, RUN_ID, "P17", "m13ej_p17_e2e");
    expect(verifyBundle(bundle).ok).toBe(true);
    const execution = readJson(path.join(bundle, "supplied", P17_KEYS.execution));
    expect(execution).toMatchObject({ lane: "M13.F", ok: true, overall_pass: true, command: "pulumi destroy --yes --skip-preview --exclude-protected" });
    expect((execution.results as Array<{ stackName: string; status: string }>).map((r) => [r.stackName, r.status])).toEqual(
      stacks.map((s) => [s, "destroyed"]),
    );
    expect(fs.readdirSync(artifactsDir).sort()).toEqual(
      ["cost_guardrail_snapshot.json", P17_KEYS.execution, P17_KEYS.readability, "residual_scan.json"].sort(),
    );
  });
});
