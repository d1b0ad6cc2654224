/**
 * The evidence emitter on plan files: PASS and FAIL bundles for the substrate's phases P(-1), P0 and P17, the
 * application phases' "evidence required" posture, the entry gate (previous phase PASS, verified, with a receipt)
 * and the cost pair. The real core plan comes from `runPlan`; the layers not built yet are synthesised.
 */
import * as fs from "fs";
import * as path from "path";
import { phaseEnvelope } from "../../src/cost/envelope";
import { CostReport } from "../../src/cost/report";
import { runPlan } from "../../src/plan/engine";
import { PropertyMap } from "../../src/plan/previewDocument";
import { verifyBundle } from "../../src/evidence/bundle";
import { EmitResult, EvidenceUsageError, emitEvidence } from "../../src/evidence/emit";
import { OutputsSource, PlanDirSource } from "../../src/evidence/sources";
import {
  CLOCK,
  GIT_SHA,
  RUN_ID,
  SCENARIO_RUN_ID,
  applicationEvidence,
  baseOptions,
  closeLadderUpTo,
  entrypointPins,
  ladder,
  packagingEvidence,
  passingOptions,
  registry,
  syntheticOutputs,
  teardownEvidence,
  tmpDir,
  writePlanDir,
} from "./fixtures";

let realPlanDir: string;
let realCore: PropertyMap;
let completeDir: string;
let evidenceDir: string;

beforeAll(async () => {
  realPlanDir = tmpDir("ev-realplan");
  const plan = await runPlan({ env: "dev-full", layers: ["core"], outDir: realPlanDir });
  if (plan.outcomes[0].status !== "planned") throw new Error(`core did not plan: ${plan.outcomes[0].failure?.message}`);
  realCore = JSON.parse(fs.readFileSync(path.join(realPlanDir, "dev-full-core.outputs.json"), "utf8")) as PropertyMap;
  completeDir = writePlanDir(tmpDir("ev-complete"), { real: { core: realCore } });
  evidenceDir = tmpDir("ev-supplied");
});

const codes = (r: EmitResult): string[] => [...new Set(r.record.blockers.map((b) => b.code))].sort();
const kinds = (r: EmitResult): string[] => [...new Set(r.record.blockers.map((b) => b.kind))].sort();

describe("P(-1) PACKAGING_READY", () => {
  it("FAILs on shipped defaults: unpinned entrypoints and no packaging evidence", async () => {
    const r = await emitEvidence(baseOptions(completeDir, tmpDir("ev-out"), "P(-1)"));
    expect(r.record.verdict).toBe("FAIL");
    expect(r.record.entry_gate.result).toBe("PASS");
    expect(codes(r)).toEqual(["DFULL-RUN-BP1", "DFULL-RUN-BP2", "M1-B1"]);
    expect(r.record.blockers.filter((b) => b.kind === "handle_to_pin").map((b) => b.handle)).toHaveLength(15);
    expect(r.record.next_gate).toBe("BLOCKED");
    expect(verifyBundle(r.dir).ok).toBe(true);
  });

  it("PASSes with the ECR handles materialised, entrypoints pinned, digest and provenance supplied", async () => {
    const r = await emitEvidence(passingOptions(completeDir, tmpDir("ev-out"), "P(-1)", evidenceDir));
    expect(r.record.blockers).toEqual([]);
    expect(r.record.verdict).toBe("PASS");
    expect(r.record.next_gate).toBe("P0_READY");
    expect(r.record.source.git_sha).toBe(GIT_SHA);
    expect(r.files).toEqual(
      expect.arrayContaining(["supplied/image_digest_manifest.json", "supplied/packaging_provenance.json", "stack_outputs/dev-full-core.json"]),
    );
    const snapshot = JSON.parse(fs.readFileSync(path.join(r.dir, "handle_materialization.json"), "utf8")) as {
      handles: Array<{ handle: string; state: string; value?: unknown }>;
    };
    expect(snapshot.handles.find((h) => h.handle === "ECR_REPO_URI")).toMatchObject({ state: "materialized", value: realCore.ECR_REPO_URI });
    expect(snapshot.handles.find((h) => h.handle === "ENTRYPOINT_SR")).toMatchObject({ state: "pinned_by_environment" });
    // Pinned values are recorded by digest only.
    expect(JSON.stringify(snapshot)).not.toContain(entrypointPins().ENTRYPOINT_SR);
  });

  it("FAILs on a mutable tag or a digest that is not sha256 (BP2), and on a missing git SHA (BP1)", async () => {
    const mutable = await emitEvidence({
      ...passingOptions(completeDir, tmpDir("ev-out"), "P(-1)", evidenceDir),
      artifacts: packagingEvidence(tmpDir("ev-bad"), { image_tag: registry.string("IMAGE_TAG_DEV_FULL_LATEST"), image_digest: "latest" }),
    });
    expect(mutable.record.verdict).toBe("FAIL");
    expect(mutable.record.blockers.map((b) => [b.code, b.kind])).toEqual([
      ["DFULL-RUN-BP2", "evidence_invalid"],
      ["DFULL-RUN-BP2", "evidence_invalid"],
    ]);
    expect(mutable.record.blockers[1].message).toMatch(
      /image_tag is "dev-full-latest", expected IMAGE_TAG_IMMUTABLE_PATTERN \(git-\{git_sha\}-run-\{ci_run_id\}\)/,
    );

    const noSha = await emitEvidence({ ...passingOptions(completeDir, tmpDir("ev-out"), "P(-1)", evidenceDir), gitSha: "not-a-sha" });
    expect(noSha.record.entry_gate.result).toBe("FAIL");
    expect(noSha.record.blockers.find((b) => b.kind === "entry_input")).toMatchObject({ code: "DFULL-RUN-BP1" });
  });

  it("FAILs when the ECR repository is not materialised (M1-B1)", async () => {
    const dir = writePlanDir(tmpDir("ev-noecr"), { real: { core: realCore }, drop: ["ECR_REPO_URI"] });
    const r = await emitEvidence(passingOptions(dir, tmpDir("ev-out"), "P(-1)", evidenceDir));
    expect(r.record.blockers).toEqual([expect.objectContaining({ code: "M1-B1", kind: "handle_missing", handle: "ECR_REPO_URI", stack: "dev-full-core" })]);
  });
});

describe("P0 SUBSTRATE_READY", () => {
  it("FAILs on the real plan of the built layers with named blockers (entry gate, layers not planned, unpinned handles)", async () => {
    const r = await emitEvidence(baseOptions(realPlanDir, tmpDir("ev-out"), "P0"));
    expect(r.record.verdict).toBe("FAIL");
    expect(r.record.entry_gate.result).toBe("FAIL");
    expect(r.record.blockers[0]).toMatchObject({ code: "DFULL-SFN-B1", kind: "entry_gate" });
    const missing = r.record.blockers.filter((b) => b.kind === "stack_missing").map((b) => b.stack);
    expect(missing).toEqual(["dev-full-streaming", "dev-full-runtime", "dev-full-data-ml", "dev-full-ops"]);
    // Every TO_PIN handle a not-yet-planned layer must export is named (today ROLE_EKS_IRSA_LEARNING, AWS_BUDGET_NOTIFICATION_EMAIL).
    const unpinned = (["streaming", "runtime", "data_ml", "ops"] as const).flatMap((l) =>
      registry
        .exportedBy(l)
        .filter((h) => h.status === "TO_PIN")
        .map((h) => h.name),
    );
    expect(unpinned).toEqual(expect.arrayContaining(["AWS_BUDGET_NOTIFICATION_EMAIL", "ROLE_EKS_IRSA_LEARNING"]));
    expect(
      r.record.blockers
        .filter((b) => b.kind === "handle_to_pin")
        .map((b) => b.handle)
        .sort(),
    ).toEqual(unpinned.sort());
    expect(codes(r)).toEqual(["DFULL-RUN-B0", "DFULL-SFN-B1"]);
    // Core's own handles are materialised from the real plan.
    const snapshot = JSON.parse(fs.readFileSync(path.join(r.dir, "handle_materialization.json"), "utf8")) as {
      handles: Array<{ handle: string; satisfied: boolean; stack?: string }>;
    };
    expect(snapshot.handles.filter((h) => h.stack === "dev-full-core").every((h) => h.satisfied)).toBe(true);
    expect(verifyBundle(r.dir).ok).toBe(true);
  });

  it("counts a handle a switch keeps off as deferred only when its stack says why", async () => {
    const ops = syntheticOutputs("ops", {
      MWAA_ENV_NAME: null,
      deferred_handles: { MWAA_ENV_NAME: "no MWAA environment while AIRFLOW_MODE is deferred (DA-60)" },
    });
    const explained = writePlanDir(tmpDir("ev-deferred"), { real: { core: realCore, ops } });
    const unexplained = writePlanDir(tmpDir("ev-null"), { real: { core: realCore, ops: syntheticOutputs("ops", { MWAA_ENV_NAME: null }) } });
    const run = async (dir: string) => {
      const out = tmpDir("ev-out");
      await closeLadderUpTo("P0", dir, out, evidenceDir);
      return emitEvidence(passingOptions(dir, out, "P0", evidenceDir));
    };
    const ok = await run(explained);
    expect(ok.record.verdict).toBe("PASS");
    const snapshot = JSON.parse(fs.readFileSync(path.join(ok.dir, "handle_materialization.json"), "utf8")) as {
      handles: Array<{ handle: string; state: string; deferred_reason?: string }>;
    };
    expect(snapshot.handles.find((h) => h.handle === "MWAA_ENV_NAME")).toMatchObject({
      state: "deferred",
      deferred_reason: expect.stringContaining("AIRFLOW_MODE"),
    });
    const bad = await run(unexplained);
    expect(bad.record.verdict).toBe("FAIL");
    expect(bad.record.blockers.map((b) => [b.kind, b.handle])).toEqual([["handle_missing", "MWAA_ENV_NAME"]]);
  });

  it("PASSes on a complete plan once P(-1) has closed PASS in the same run", async () => {
    const out = tmpDir("ev-out");
    await closeLadderUpTo("P0", completeDir, out, evidenceDir);
    const r = await emitEvidence(passingOptions(completeDir, out, "P0", evidenceDir));
    expect(r.record.blockers).toEqual([]);
    expect(r.record.verdict).toBe("PASS");
    expect(r.record.entry_gate.previous).toEqual([expect.objectContaining({ phase_id: "P(-1)", found: true, verdict: "PASS", verified: true, problems: [] })]);
    expect(r.handles.satisfied).toBe(r.handles.required);
    expect(r.files.filter((f) => f.startsWith("stack_outputs/"))).toHaveLength(5);
    expect(r.dir).toBe(path.join(out, RUN_ID, "P0", r.executionId));
    expect(r.executionId).toBe("m2_p0_20260301T100000Z");
  });

  it("FAILs on a handle left unresolved by the plan, a dropped handle, a mandatory violation and a missing policy report", async () => {
    const out = tmpDir("ev-out");
    await closeLadderUpTo("P0", completeDir, out, evidenceDir);
    const runtime = { ...syntheticOutputs("runtime"), ROLE_EKS_IRSA_LEARNING: { __pulumiUnknown: true } };
    const dir = writePlanDir(tmpDir("ev-p0bad"), {
      real: { runtime },
      unknown: ["MSK_CLUSTER_ARN"],
      drop: ["EKS_CLUSTER_ARN"],
      policyReport: {
        violations: [
          { policy: "s3-bucket-lifecycle", stack: "dev-full-core", enforcementLevel: "mandatory", message: "bucket has no lifecycle rule" },
          { policy: "tags", stack: "dev-full-core", enforcementLevel: "advisory", message: "advisory only" },
        ],
        summary: { mandatory: 1, advisory: 1 },
      },
    });
    const r = await emitEvidence(baseOptions(dir, out, "P0"));
    expect(r.record.entry_gate.result).toBe("PASS");
    expect(r.record.blockers.map((b) => [b.code, b.kind, b.handle])).toEqual([
      ["DFULL-RUN-B0", "handle_unresolved", "MSK_CLUSTER_ARN"],
      ["DFULL-RUN-B0", "handle_missing", "EKS_CLUSTER_ARN"],
      ["DFULL-RUN-B0", "handle_unresolved", "ROLE_EKS_IRSA_LEARNING"],
      ["DFULL-SFN-B1", "policy_violation", undefined],
    ]);
    expect(r.record.blockers[0].message).toMatch(/unresolved in dev-full-streaming's plan \(TO_PIN:MSK_CLUSTER_ARN or a TO_PIN handle it depends on/);
    expect(r.record.blockers[2]).toMatchObject({
      message: expect.stringMatching(/^ROLE_EKS_IRSA_LEARNING: unresolved in dev-full-runtime's plan \(TO_PIN:ROLE_EKS_IRSA_LEARNING;/),
      fix: expect.stringMatching(/pins\.ROLE_EKS_IRSA_LEARNING/),
    });

    const noReport = await emitEvidence({
      ...baseOptions(writePlanDir(tmpDir("ev-p0nopol"), { policyReport: null }), out, "P0"),
      executionId: "m2_p0_nopolicy",
    });
    expect(noReport.record.blockers).toEqual([expect.objectContaining({ code: "DFULL-SFN-B3", kind: "policy_report_missing" })]);
  });

  it("refuses to advance past a P(-1) that FAILed, was tampered with, or has no cost-to-outcome receipt", async () => {
    // FAIL
    const failed = tmpDir("ev-out");
    await emitEvidence(baseOptions(completeDir, failed, "P(-1)"));
    const afterFail = await emitEvidence(baseOptions(completeDir, failed, "P0"));
    expect(afterFail.record.blockers[0].message).toMatch(/entry gate: P\(-1\) closed FAIL/);

    // tampered
    const tampered = tmpDir("ev-out");
    const [pm1] = await closeLadderUpTo("P0", completeDir, tampered, evidenceDir);
    fs.appendFileSync(path.join(pm1.dir, "phase_record.json"), " ");
    const afterTamper = await emitEvidence(baseOptions(completeDir, tampered, "P0"));
    expect(afterTamper.record.verdict).toBe("FAIL");
    expect(afterTamper.record.blockers[0].message).toMatch(/does not verify: phase_record.json: sha256 mismatch/);

    // no receipt: a source with no recorded spend, so the P(-1) bundle carries no receipt
    const noSpend = tmpDir("ev-out");
    const plan = new PlanDirSource(completeDir);
    const spendless: OutputsSource = {
      kind: "plan",
      describe: () => plan.describe(),
      read: async (env, layers) => ({ ...(await plan.read(env, layers)), defaultSpend: undefined }),
    };
    const pm1NoReceipt = await emitEvidence({ ...passingOptions(completeDir, noSpend, "P(-1)", evidenceDir), source: spendless });
    expect(pm1NoReceipt.record.cost.receipt).toBeNull();
    expect(pm1NoReceipt.record.blockers).toEqual([expect.objectContaining({ code: "DFULL-SFN-B5", kind: "cost_receipt_missing" })]);
    expect(pm1NoReceipt.files).not.toContain("phase_cost_outcome_receipt.json");
    const afterSpendOnly = await emitEvidence(baseOptions(completeDir, noSpend, "P0"));
    expect(afterSpendOnly.record.blockers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: "DFULL-SFN-B5",
          kind: "cost_receipt_missing",
          message: expect.stringMatching(/no spend-only progress \(G-09\): advancing past P\(-1\) is refused/),
        }),
      ]),
    );
  });

  it("looks for the previous phase's bundle in the run it is given, and by default reuses the latest run holding one", async () => {
    const out = tmpDir("ev-out");
    await closeLadderUpTo("P0", completeDir, out, evidenceDir);
    const defaulted = await emitEvidence({ ...baseOptions(completeDir, out, "P0"), runId: undefined });
    expect(defaulted.runId).toBe(RUN_ID);
    expect(defaulted.runIdChoice).toMatch(/latest run with a P\(-1\) bundle/);
    const other = await emitEvidence({ ...baseOptions(completeDir, out, "P0"), runId: "platform_20260301T110000Z" });
    expect(other.record.blockers[0].message).toBe("entry gate: P(-1) has no evidence bundle in run platform_20260301T110000Z");
    await expect(emitEvidence({ ...baseOptions(completeDir, out, "P0"), runId: "run-1" })).rejects.toThrow(EvidenceUsageError);
  });
});

describe("application phases P1..P16", () => {
  it("check the substrate preconditions and FAIL with 'application evidence required' until it is supplied", async () => {
    const out = tmpDir("ev-out");
    await closeLadderUpTo("P1", completeDir, out, evidenceDir);
    const bare = await emitEvidence({ ...baseOptions(completeDir, out, "P1"), scenarioRunId: SCENARIO_RUN_ID });
    expect(bare.record.verdict).toBe("FAIL");
    expect(bare.record.application_evidence_required).toEqual(["RUN_PIN_PATH_PATTERN", "EVIDENCE_RUN_JSON_KEY"]);
    expect(bare.record.blockers.map((b) => [b.code, b.kind])).toEqual([
      ["DFULL-SFN-B3", "application_evidence_required"],
      ["DFULL-SFN-B3", "application_evidence_required"],
    ]);
    expect(bare.record.blockers[0].message).toBe(
      "application evidence required: RUN_PIN_PATH_PATTERN (evidence/runs/{platform_run_id}/run_pin/run_header.json)",
    );
    expect(bare.record.dod.checks.find((c) => c.id === "dod.handles")?.result).toBe("PASS");

    const supplied = await emitEvidence({
      ...baseOptions(completeDir, out, "P1"),
      scenarioRunId: SCENARIO_RUN_ID,
      artifacts: applicationEvidence(evidenceDir, "P1"),
      executionId: "m3_p1_supplied",
    });
    expect(supplied.record.verdict).toBe("PASS");
    expect(supplied.files).toContain("supplied/RUN_PIN_PATH_PATTERN/run_header.json");
  });

  it("requires the scenario run id at P1 and refuses evidence a phase does not know", async () => {
    const out = tmpDir("ev-out");
    await closeLadderUpTo("P1", completeDir, out, evidenceDir);
    const r = await emitEvidence({ ...baseOptions(completeDir, out, "P1"), artifacts: applicationEvidence(evidenceDir, "P1") });
    expect(r.record.blockers).toEqual([expect.objectContaining({ code: "DFULL-RUN-B1", kind: "entry_input" })]);
    await expect(emitEvidence({ ...baseOptions(completeDir, out, "P1"), artifacts: { FULL_VERDICT_PATH_PATTERN: __filename } })).rejects.toThrow(
      /P1 knows no evidence of that name/,
    );
  });
});

describe("P17 TEARDOWN_IDLE_SAFE", () => {
  let out: string;

  beforeAll(async () => {
    out = tmpDir("ev-ladder");
    await closeLadderUpTo("P17", completeDir, out, evidenceDir);
  });

  it("PASSes after a PASS ladder with a clean residual scan, an idle-safe cost snapshot and the retained surfaces resolvable", async () => {
    const r = await emitEvidence(passingOptions(completeDir, out, "P17", evidenceDir));
    expect(r.record.blockers).toEqual([]);
    expect(r.record.verdict).toBe("PASS");
    expect(r.record.next_gate).toBe("DEV_FULL_TRACK_COMPLETE");
    expect(r.record.entry_gate.previous.map((p) => [p.phase_id, p.verdict])).toEqual([["P16", "PASS"]]);
    expect(fs.readdirSync(path.join(out, RUN_ID)).sort()).toEqual([...ladder.ids].sort());
  });

  it("FAILs with residuals (B17) and when the evidence bucket no longer resolves (B17.1)", async () => {
    const residual = await emitEvidence({
      ...passingOptions(completeDir, out, "P17", evidenceDir),
      artifacts: teardownEvidence(tmpDir("ev-td"), 3),
      executionId: "m13ej_p17_residual",
    });
    expect(residual.record.verdict).toBe("FAIL");
    expect(residual.record.blockers.map((b) => b.code)).toEqual(["DFULL-RUN-B17", "DFULL-RUN-B17", "DFULL-RUN-B17"]);
    expect(residual.record.blockers[0].message).toBe("TEARDOWN_RESIDUAL_SCAN_PATH_PATTERN: residual_item_count is 3, expected 0");

    const gone = writePlanDir(tmpDir("ev-gone"), { drop: ["S3_EVIDENCE_BUCKET"] });
    const unreadable = await emitEvidence({ ...passingOptions(gone, out, "P17", evidenceDir), executionId: "m13ej_p17_unreadable" });
    expect(unreadable.record.blockers).toEqual([expect.objectContaining({ code: "DFULL-RUN-B17.1", handle: "S3_EVIDENCE_BUCKET" })]);
  });

  it("FAILs without the teardown evidence", async () => {
    const r = await emitEvidence({ ...baseOptions(completeDir, out, "P17"), executionId: "m13ej_p17_bare" });
    expect(kinds(r)).toEqual(["evidence_missing"]);
    expect(codes(r)).toEqual(["DFULL-RUN-B17"]);
  });
});

describe("cost envelope and cost-to-outcome receipt", () => {
  const receiptOf = (r: EmitResult): Record<string, unknown> =>
    JSON.parse(fs.readFileSync(path.join(r.dir, "phase_cost_outcome_receipt.json"), "utf8")) as Record<string, unknown>;
  const envelopeOf = (r: EmitResult): Record<string, unknown> =>
    JSON.parse(fs.readFileSync(path.join(r.dir, "phase_budget_envelope.json"), "utf8")) as Record<string, unknown>;

  it("states an estimate when no cost report is available, and records the offline plan's zero spend", async () => {
    const r = await emitEvidence(passingOptions(completeDir, tmpDir("ev-out"), "P(-1)", evidenceDir));
    const envelope = envelopeOf(r);
    expect(envelope).toMatchObject({
      phase_id: "P(-1)",
      phase_execution_id: r.executionId,
      platform_run_id: RUN_ID,
      max_spend_amount: "0.4110",
      spend_currency: "USD",
      expected_window_start_utc: "2026-03-01T10:00:00Z",
      expected_duration_minutes: 60,
      monthly_limit_usd: registry.number("DEV_FULL_MONTHLY_BUDGET_LIMIT_USD"),
      alert_thresholds_usd: [120, 210, 270],
      cost_capture_scope: registry.string("COST_CAPTURE_SCOPE"),
      envelope_basis: "estimate",
    });
    expect(envelope.envelope_basis_note).toMatch(/^ESTIMATE \(no cost report available\)/);
    expect(envelope.expected_proof_artifacts).toEqual(
      expect.arrayContaining(["phase_record.json", "phase_cost_outcome_receipt.json", "supplied/image_digest_manifest.json"]),
    );
    const receipt = receiptOf(r);
    for (const field of registry.string("COST_OUTCOME_RECEIPT_REQUIRED_FIELDS").split(",")) expect(receipt[field]).toBeDefined();
    expect(receipt).toMatchObject({
      spend_amount: "0.0000",
      spend_currency: "USD",
      cost_sources: ["offline-plan"],
      cost_within_envelope: true,
      phase_outcome_pass: true,
      window_start_utc: "2026-03-01T10:00:00Z",
      window_end_utc: "2026-03-01T10:00:00Z",
      envelope_ref: `s3://fraud-platform-dev-full-evidence/evidence/dev_full/run_control/${r.executionId}/phase_budget_envelope.json`,
    });
    expect(receipt.artifacts_emitted).toEqual(expect.arrayContaining(["phase_record.json", "handle_materialization.json", "phase_budget_envelope.json"]));
    expect(r.record.cost.receipt?.s3_uri).toBe(
      `s3://fraud-platform-dev-full-evidence/evidence/dev_full/run_control/${r.executionId}/phase_cost_outcome_receipt.json`,
    );
  });

  it("takes the envelope from the cost model (phaseEnvelope) on the plan's cost report", async () => {
    const reportFile = path.join(realPlanDir, "cost-report.json");
    const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as CostReport;
    const r = await emitEvidence({ ...passingOptions(completeDir, tmpDir("ev-out"), "P(-1)", evidenceDir), costReportFile: reportFile, windowMinutes: 30 });
    const envelope = envelopeOf(r);
    const modelled = phaseEnvelope(report, {
      phaseId: "P(-1)",
      phaseExecutionId: r.executionId,
      platformRunId: RUN_ID,
      windowStartUtc: "2026-03-01T10:00:00Z",
      durationMinutes: 30,
      expectedProofArtifacts: envelope.expected_proof_artifacts as string[],
      configDigest: r.record.config_digest,
      writtenAtUtc: "2026-03-01T10:00:00Z",
    });
    expect(envelope).toEqual({
      ...modelled,
      scenario_run_id: "N/A",
      envelope_basis: "cost-model",
      envelope_basis_note: expect.stringContaining("phaseEnvelope()"),
    });
    expect(r.files).toContain("cost_report.json");
    expect(r.record.cost.envelope).toMatchObject({ basis: "cost-model", max_spend_amount: modelled.max_spend_amount });
  });

  it("falls back to the report's proof-window burn, saying why, when the cost model refuses the report", async () => {
    const report = JSON.parse(fs.readFileSync(path.join(realPlanDir, "cost-report.json"), "utf8")) as CostReport & { profile?: unknown };
    delete report.profile;
    const file = path.join(tmpDir("ev-cost"), "cost-report.json");
    fs.writeFileSync(
      file,
      JSON.stringify({ ...report, postures: { ...report.postures, proofWindow: { ...report.postures.proofWindow, hourlyBurn: "2.0000" } } }),
    );
    const r = await emitEvidence({ ...passingOptions(completeDir, tmpDir("ev-out"), "P(-1)", evidenceDir), costReportFile: file, windowMinutes: 45 });
    expect(envelopeOf(r)).toMatchObject({
      envelope_basis: "cost-report",
      max_spend_amount: "1.5000",
      envelope_basis_note: expect.stringMatching(/the cost model refused the report: invalid phase envelope/),
    });
  });

  it("FAILs a phase whose recorded spend exceeds its envelope, and records the spend it was given", async () => {
    const r = await emitEvidence({
      ...passingOptions(completeDir, tmpDir("ev-out"), "P(-1)", evidenceDir),
      spend: { amount: "5.00", sources: ["aws-cost-explorer"] },
    });
    expect(r.record.verdict).toBe("FAIL");
    expect(r.record.blockers).toEqual([expect.objectContaining({ code: "DFULL-SFN-B5", kind: "cost_over_envelope" })]);
    expect(receiptOf(r)).toMatchObject({ spend_amount: "5.0000", cost_sources: ["aws-cost-explorer"], cost_within_envelope: false, phase_outcome_pass: false });
    expect(receiptOf(r).decision_or_risk_retired).toMatch(/^no outcome: P\(-1\) FAIL with 1 blocker\(s\) \(DFULL-SFN-B5\)/);
  });

  it("reads recorded spend from a file", async () => {
    const file = path.join(tmpDir("ev-spend"), "spend.json");
    fs.writeFileSync(file, JSON.stringify({ spend_amount: "0.12", cost_sources: ["aws-cost-explorer"], window_start_utc: "2026-03-01T09:30:00Z" }));
    const r = await emitEvidence({ ...passingOptions(completeDir, tmpDir("ev-out"), "P(-1)", evidenceDir), spendFile: file });
    expect(r.record.verdict).toBe("PASS");
    expect(receiptOf(r)).toMatchObject({ spend_amount: "0.1200", window_start_utc: "2026-03-01T09:30:00Z", window_end_utc: "2026-03-01T10:00:00Z" });
    fs.writeFileSync(file, JSON.stringify({ spend_amount: "-1", cost_sources: [] }));
    await expect(emitEvidence({ ...passingOptions(completeDir, tmpDir("ev-out"), "P(-1)", evidenceDir), spendFile: file })).rejects.toThrow(
      /--spend-file .*spend_amount/,
    );
  });
});

it("writes the §5 template fields into every phase record", async () => {
  const r = await emitEvidence(passingOptions(completeDir, tmpDir("ev-out"), "P(-1)", evidenceDir));
  expect(r.record).toMatchObject({
    phase_id: "P(-1)",
    plan_phase: "M1",
    platform_run_id: RUN_ID,
    scenario_run_id: "N/A",
    authority_refs: expect.arrayContaining([expect.stringMatching(/^RPF: /)]),
    entry_gate: { result: "PASS" },
    dod: { result: "PASS" },
    rollback_note: expect.stringMatching(/never retag/),
    verdict: "PASS",
    cost: { envelope: { bundle_path: "phase_budget_envelope.json" }, receipt: { bundle_path: "phase_cost_outcome_receipt.json" } },
    operator: "evidence-test@ci",
    written_at_utc: "2026-03-01T10:00:00Z",
  });
  expect(r.record.artifacts.every((a) => a.s3_uri.startsWith(`s3://fraud-platform-dev-full-evidence/evidence/runs/${RUN_ID}/P(-1)/${r.executionId}/`))).toBe(
    true,
  );
  expect(r.record.config_digest).toMatch(/^[0-9a-f]{64}$/);
  expect(CLOCK.toISOString()).toBe("2026-03-01T10:00:00.000Z");
});
