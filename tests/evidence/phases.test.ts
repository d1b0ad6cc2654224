/** The phase ladder as data (registry/phases.yaml) and its typed loader. */
import * as fs from "fs";
import { parse, stringify } from "yaml";
import { InputError } from "../../src/errors";
import { DEFAULT_PHASES_FILE, globMatches, parsePhases } from "../../src/evidence/phases";
import { LAYERS } from "../../src/layers";
import { ladder, registry } from "./fixtures";

const text = fs.readFileSync(DEFAULT_PHASES_FILE, "utf8");

/** The ladder file with one edit applied, parsed again. */
function edited(edit: (doc: { phases: Array<Record<string, unknown>>; [k: string]: unknown }) => void): () => unknown {
  const doc = parse(text) as { phases: Array<Record<string, unknown>> };
  edit(doc);
  return () => parsePhases(stringify(doc), DEFAULT_PHASES_FILE, registry);
}

describe("phase ladder", () => {
  it("holds P(-1), P0..P17 in order with their plan aliases", () => {
    expect(ladder.ids).toEqual(["P(-1)", ...Array.from({ length: 18 }, (_, i) => `P${i}`)]);
    expect(ladder.phases.map((p) => p.plan)).toEqual([
      "M1",
      "M2",
      "M3",
      "M4",
      "M5",
      "M5",
      "M6",
      "M6",
      "M6",
      "M7",
      "M7",
      "M7",
      "M8",
      "M9",
      "M10",
      "M11",
      "M12",
      "M13.A-D",
      "M13.E-J",
    ]);
    expect(ladder.phase("P0").name).toBe("SUBSTRATE_READY");
    expect(ladder.phase("P17").name).toBe("TEARDOWN_IDLE_SAFE");
  });

  it("leaves P(-1), P0 and P17 to the substrate and the rest to the application", () => {
    expect(ladder.phases.filter((p) => p.owner === "substrate").map((p) => p.id)).toEqual(["P(-1)", "P0", "P17"]);
  });

  it("makes every entry gate require the previous phase PASS (P11 needs P8..P10, P16 needs P1..P15)", () => {
    ladder.phases.forEach((p, i) => {
      if (i > 0) expect(p.entry_gate.requires_pass).toContain(ladder.ids[i - 1]);
    });
    expect(ladder.phase("P(-1)").entry_gate.requires_pass).toEqual([]);
    expect(ladder.phase("P11").entry_gate.requires_pass).toEqual(["P8", "P9", "P10"]);
    expect(ladder.phase("P16").entry_gate.requires_pass).toEqual(Array.from({ length: 15 }, (_, i) => `P${i + 1}`));
  });

  it("indexes the 47 run-level blocker codes of phases.md and the orchestrator classes", () => {
    const codes = Object.keys(ladder.file.blocker_codes);
    expect(codes.filter((c) => c.startsWith("DFULL-RUN-"))).toHaveLength(47);
    expect(codes).toEqual(expect.arrayContaining(["DFULL-RUN-B0", "DFULL-RUN-B0.1", "DFULL-RUN-B17", "DFULL-RUN-B17.1", "DFULL-SFN-B3", "DFULL-SFN-B5"]));
    expect(ladder.phase("P0").blockers).toEqual({ missing_handle: "DFULL-RUN-B0", codes: ["DFULL-RUN-B0", "DFULL-RUN-B0.1"] });
  });

  it("makes P0 need every handle every layer exports, from all five stacks", () => {
    const needed = new Set(ladder.neededHandles("P0").map((n) => n.handle.name));
    for (const layer of LAYERS) for (const h of registry.exportedBy(layer)) expect(needed).toContain(h.name);
    expect(ladder.neededLayers("P0")).toEqual([...LAYERS]);
    expect(needed).toContain("TF_STATE_ENCRYPTION_ENABLED");
  });

  it("resolves globs against the registry: P(-1) needs the ECR, image and entrypoint handles", () => {
    const names = ladder.neededHandles("P(-1)").map((n) => n.handle.name);
    expect(names).toEqual(expect.arrayContaining(["ECR_REPO_NAME", "ECR_REPO_URI", "IMAGE_TAG_IMMUTABLE_PATTERN", "IMAGE_BUILD_DRIVER", "ENTRYPOINT_SR"]));
    expect(names.filter((n) => n.startsWith("ENTRYPOINT_"))).toHaveLength(15);
    expect(ladder.neededHandles("P(-1)").find((n) => n.handle.name === "ECR_REPO_URI")?.exportedBy).toBe("core");
    expect(globMatches("IG_*", "IG_BASE_URL")).toBe(true);
    expect(globMatches("IG_*", "LAMBDA_IG_MEMORY_MB")).toBe(false);
    expect(globMatches("S3_*_BUCKET", "S3_EVIDENCE_BUCKET")).toBe(true);
  });

  it("names evidence by registry pattern handle where one exists", () => {
    expect(ladder.phase("P1").evidence.required.map((r) => r.key)).toEqual(["RUN_PIN_PATH_PATTERN", "EVIDENCE_RUN_JSON_KEY"]);
    expect(ladder.evidencePattern("RUN_PIN_PATH_PATTERN")).toBe("evidence/runs/{platform_run_id}/run_pin/run_header.json");
    expect(ladder.evidencePattern("m5j_p4_gate_verdict.json")).toBeUndefined();
    expect(ladder.file.every_phase_evidence).toEqual({
      envelope: "PHASE_BUDGET_ENVELOPE_PATH_PATTERN",
      receipt: "PHASE_COST_OUTCOME_RECEIPT_PATH_PATTERN",
      run_root: "EVIDENCE_PHASE_PREFIX_PATTERN",
    });
  });

  it("rejects a glob that matches no registry handle (registry first)", () => {
    expect(edited((d) => (d.phases[1].handles as string[]).push("NO_SUCH_*"))).toThrow(
      /handles: expected a handle name or glob that matches a registry handle.*found NO_SUCH_\*/,
    );
  });

  it("rejects unknown blocker codes, non-sequential gates and evidence keys outside the registry", () => {
    expect(edited((d) => ((d.phases[1].blockers as { missing_handle: string }).missing_handle = "DFULL-RUN-B99"))).toThrow(
      /missing_handle: expected a code listed under blocker_codes, found "DFULL-RUN-B99"/,
    );
    expect(edited((d) => ((d.phases[3].entry_gate as { requires_pass: string[] }).requires_pass = ["P0"]))).toThrow(
      /requires_pass: expected to include the previous phase P1/,
    );
    expect(edited((d) => ((d.phases[2].evidence as { required: unknown[] }).required = [{ key: "NOT_A_HANDLE" }]))).toThrow(
      /expected a registry handle \(registry first\)/,
    );
    expect(edited((d) => ((d.phases[2].evidence as { required: unknown[] }).required = [{ key: "S3_EVIDENCE_BUCKET" }]))).toThrow(
      /expected a pattern handle, found name/,
    );
    expect(edited((d) => d.phases.pop())).toThrow(InputError);
  });

  it("reports an unknown phase with the valid ids", () => {
    expect(() => ladder.phase("P18")).toThrow(/--phase: expected one of P\(-1\), P0, P1/);
  });
});
