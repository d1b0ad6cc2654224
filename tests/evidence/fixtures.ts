/**
 * Fixtures of the evidence tests: synthetic plan directories (every handle of every layer, or some of them),
 * supplied evidence files, the pins a PASS needs, and a fake `pulumi` executable that answers exactly the CLI calls
 * the Automation API makes to read outputs (and fails loudly on any other call).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LAYERS, Layer, stackNameFor } from "../../src/layers";
import { PropertyMap, PropertyValue, REDACTED, UNKNOWN } from "../../src/plan/previewDocument";
import { Registry, loadRegistry } from "../../src/registry/registry";
import { PhaseLadder, loadPhases } from "../../src/evidence/phases";
import { EmitOptions, EmitResult, emitEvidence } from "../../src/evidence/emit";
import { PlanDirSource } from "../../src/evidence/sources";
import { DEFAULT_LOCAL_KEY_FILE, LocalSigner } from "../../src/evidence/signing";
import { sealPlanDir } from "../../src/plan/planDir";
import { writeShellCli } from "../helpers/shellCli";

export const registry: Registry = loadRegistry();
export const ladder: PhaseLadder = loadPhases();

export const CLOCK = new Date("2026-03-01T10:00:00Z");
export const RUN_ID = "platform_20260301T100000Z";
export const GIT_SHA = "0123456789abcdef0123456789abcdef01234567";
export const OPERATOR = "evidence-test@ci";
export const SCENARIO_RUN_ID = "scenario_0123456789abcdef0123456789abcdef";
/**
 * The local ECDSA P-256 key test bundles are signed with (behind the same interface as the KMS signer): the default
 * offline key, so bundles other suites emit without an explicit signer (P17 from the teardown) chain onto them.
 */
export const TEST_SIGNER = LocalSigner.fromFile(DEFAULT_LOCAL_KEY_FILE, { create: true });

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** A value of the right shape for an exported handle that has no pinned value. */
function syntheticValue(name: string, kind: string): PropertyValue {
  if (name === "AWS_BUDGET_NOTIFICATION_EMAIL") return REDACTED;
  if (kind === "materialized_output") {
    if (name.endsWith("_SUBNET_IDS")) return ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"];
    if (name.startsWith("ROLE_") || name.endsWith("_ARN")) return `arn:aws:iam::123456789012:role/synthetic-${name.toLowerCase()}`;
    return `synthetic-${name.toLowerCase().replace(/_/g, "-")}`;
  }
  return `fraud-platform-dev-full-${name.toLowerCase().replace(/_/g, "-")}`;
}

/** Outputs of a layer with every handle it exports (registry values where pinned), plus `extra`. */
export function syntheticOutputs(layer: Layer, extra: PropertyMap = {}): PropertyMap {
  const outputs: PropertyMap = {};
  for (const h of registry.exportedBy(layer)) {
    outputs[h.name] = h.status === "pinned" && h.kind !== "materialized_output" ? (h.value as PropertyValue) : syntheticValue(h.name, h.kind);
  }
  return { ...outputs, ...extra };
}

export const CLEAN_POLICY_REPORT = { violations: [], summary: { policies: 9, resources: 120, mandatory: 0, advisory: 0, notApplicable: 0, byPolicy: {} } };

export interface PlanDirOptions {
  /** Layers to write (default: all five). */
  layers?: readonly Layer[];
  /** Real plan outputs to use instead of synthetic ones, by layer. */
  real?: Partial<Record<Layer, PropertyMap>>;
  /** Handles to leave out of their layer's outputs. */
  drop?: readonly string[];
  /** Handles whose value is unknown (unresolved in the plan). */
  unknown?: readonly string[];
  /** Policy report to write (default: clean); null writes none. */
  policyReport?: object | null;
  costReport?: object;
}

/** Writes a plan directory in the shape `npm run plan` writes. */
export function writePlanDir(dir: string, options: PlanDirOptions = {}): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const layer of options.layers ?? LAYERS) {
    const outputs = { ...(options.real?.[layer] ?? syntheticOutputs(layer)) };
    for (const name of options.drop ?? []) delete outputs[name];
    for (const name of options.unknown ?? []) if (name in outputs) outputs[name] = UNKNOWN;
    fs.writeFileSync(path.join(dir, `${stackNameFor("dev-full", layer)}.outputs.json`), JSON.stringify(outputs, null, 2));
  }
  if (options.policyReport !== null)
    fs.writeFileSync(path.join(dir, "policy-report.json"), JSON.stringify(options.policyReport ?? CLEAN_POLICY_REPORT, null, 2));
  if (options.costReport) fs.writeFileSync(path.join(dir, "cost-report.json"), JSON.stringify(options.costReport, null, 2));
  sealPlanDir(dir, { env: "dev-full", layers: options.layers ?? LAYERS });
  return dir;
}

/** Pins for every TO_PIN handle the registry has that a stack does not export (the ENTRYPOINT_* commands). */
export function entrypointPins(): Record<string, string> {
  return Object.fromEntries(
    registry.handles
      .filter((h) => h.status === "TO_PIN" && h.name.startsWith("ENTRYPOINT_"))
      .map((h) => [h.name, `python -m fraud_detection.${h.name.toLowerCase()}`]),
  );
}

function writeJson(file: string, value: unknown): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

/** The CI's packaging evidence of P(-1): digest manifest and provenance for GIT_SHA. */
export function packagingEvidence(dir: string, overrides: { image_tag?: string; image_digest?: string } = {}): Record<string, string> {
  const digest = overrides.image_digest ?? `sha256:${"ab".repeat(32)}`;
  return {
    "image_digest_manifest.json": writeJson(path.join(dir, "image_digest_manifest.json"), {
      image_digest: digest,
      image_tag: overrides.image_tag ?? `git-${GIT_SHA}-run-4242`,
      git_sha: GIT_SHA,
    }),
    "packaging_provenance.json": writeJson(path.join(dir, "packaging_provenance.json"), { git_sha: GIT_SHA, builder: "github_actions", sbom: "spdx" }),
  };
}

/** P17's teardown evidence (the residual scan and the teardown cost snapshot). */
export function teardownEvidence(dir: string, residuals = 0): Record<string, string> {
  return {
    TEARDOWN_RESIDUAL_SCAN_PATH_PATTERN: writeJson(path.join(dir, "residual_scan.json"), { residual_item_count: residuals, items: [] }),
    TEARDOWN_COST_SNAPSHOT_PATH_PATTERN: writeJson(path.join(dir, "cost_guardrail_snapshot.json"), {
      idle_safe: residuals === 0,
      residual_item_count: residuals,
    }),
  };
}

/** Application evidence for every required key of a phase: a small JSON document reporting a pass. */
export function applicationEvidence(dir: string, phaseId: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of ladder.phase(phaseId).evidence.required) {
    out[item.key] = writeJson(path.join(dir, phaseId.replace(/[()]/g, "_"), `${item.key}.json`), { phase_id: phaseId, overall_pass: true, key: item.key });
  }
  return out;
}

/** Options every deterministic emit shares. */
export function baseOptions(planDir: string, outRoot: string, phase: string): EmitOptions {
  return { phase, source: new PlanDirSource(planDir), outRoot, runId: RUN_ID, now: CLOCK, operator: OPERATOR, gitSha: GIT_SHA, signer: TEST_SIGNER };
}

/** The evidence that makes a phase PASS on a complete plan directory (with its entry gate satisfied). */
export function passingOptions(planDir: string, outRoot: string, phase: string, evidenceDir: string): EmitOptions {
  const base = baseOptions(planDir, outRoot, phase);
  if (phase === "P(-1)") return { ...base, pins: entrypointPins(), artifacts: packagingEvidence(evidenceDir) };
  if (phase === "P17") return { ...base, artifacts: teardownEvidence(evidenceDir) };
  return { ...base, scenarioRunId: SCENARIO_RUN_ID, artifacts: phase === "P0" ? {} : applicationEvidence(evidenceDir, phase) };
}

/** Emits PASS bundles for every phase before `upTo` (exclusive), in ladder order. */
export async function closeLadderUpTo(upTo: string, planDir: string, outRoot: string, evidenceDir: string): Promise<EmitResult[]> {
  const results: EmitResult[] = [];
  for (const id of ladder.ids) {
    if (id === upTo) break;
    const result = await emitEvidence(passingOptions(planDir, outRoot, id, evidenceDir));
    if (result.record.verdict !== "PASS") throw new Error(`${id} did not PASS: ${result.record.blockers.map((b) => b.message).join("; ")}`);
    results.push(result);
  }
  return results;
}

/** Every file of a bundle directory with its bytes. */
export function readBundle(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else out.set(p, fs.readFileSync(path.join(dir, p)));
    }
  };
  walk("");
  return out;
}

export interface FakeStack {
  outputs: Record<string, unknown>;
  /** Output names that are secrets (masked as "[secret]" without --show-secrets). */
  secrets?: string[];
}

/**
 * A fake `pulumi` CLI in `<dir>/bin/pulumi`: answers `version`, `stack select --stack S` and
 * `stack output --json [--show-secrets] --stack S` from a fixture file, logs every call, and fails any other
 * command (so a test would notice a state-changing call).
 */
export function fakePulumi(dir: string, stacks: Record<string, FakeStack>): { root: string; bin: string; log: string } {
  const bin = path.join(dir, "bin");
  writeJson(path.join(dir, "stacks.json"), stacks);
  // Each stack's `stack output --json` answer, masked and with --show-secrets, as the CLI prints it.
  const outputs = path.join(dir, "outputs");
  fs.mkdirSync(outputs, { recursive: true });
  for (const [name, stack] of Object.entries(stacks)) {
    const masked = Object.fromEntries(Object.entries(stack.outputs).map(([k, v]) => [k, (stack.secrets ?? []).includes(k) ? "[secret]" : v]));
    const file = name.replace(/\//g, "%");
    fs.writeFileSync(path.join(outputs, `${file}.json`), JSON.stringify(masked, null, 2) + "\n");
    fs.writeFileSync(path.join(outputs, `${file}.shown.json`), JSON.stringify(stack.outputs, null, 2) + "\n");
  }
  const log = path.join(dir, "calls.log");
  writeShellCli(
    bin,
    "pulumi",
    log,
    String.raw`show=
for a do [ "$a" = "--show-secrets" ] && show=.shown; done
case "$1 $2" in
  "stack select"|"stack output")
    name=$(printf '%s' "$stack" | tr '/' '%')
    if [ -z "$name" ] || [ ! -f @OUTPUTS@/"$name.json" ]; then echo "error: no stack named '$stack' found" >&2; exit 255; fi
    [ "$2" = "select" ] && exit 0
    cat @OUTPUTS@/"$name$show.json"; exit 0 ;;
esac
echo "fake pulumi: unexpected command $*" >&2
exit 99
`,
    { OUTPUTS: outputs },
  );
  return { root: dir, bin, log };
}
