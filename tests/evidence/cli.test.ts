/**
 * `npm run evidence`: exit 0 PASS, 1 FAIL, 2 usage, a readable summary; and the done-when flow: `plan`, then
 * `evidence --phase P0 --from-plan DIR` writes a bundle that `sha256sum -c SHA256SUMS` accepts, FAIL with named
 * blockers on the shipped defaults.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { main } from "../../src/cli/main";
import { runPlan } from "../../src/plan/engine";
import { PROJECT_ROOT } from "../../src/registry/registry";
import { GIT_SHA, RUN_ID, entrypointPins, packagingEvidence, tmpDir, writePlanDir } from "./fixtures";

let planDir: string;
let supplied: Record<string, string>;
let output: string[];

beforeAll(() => {
  planDir = writePlanDir(tmpDir("cli-plan"));
  supplied = packagingEvidence(tmpDir("cli-supplied"));
});

beforeEach(() => {
  output = [];
  jest.spyOn(console, "log").mockImplementation((...args: unknown[]) => void output.push(args.join(" ")));
  jest.spyOn(console, "error").mockImplementation((...args: unknown[]) => void output.push(args.join(" ")));
});

afterEach(() => {
  jest.restoreAllMocks();
  process.exitCode = undefined;
});

const fixed = ["--run-id", RUN_ID, "--at", "2026-03-01T10:00:00Z", "--operator", "cli-test", "--git-sha", GIT_SHA];
const pmOne = (out: string, ...more: string[]): string[] => ["evidence", "--phase", "P(-1)", "--from-plan", planDir, "--out", out, ...fixed, ...more];
const passFlags = (): string[] => [
  ...Object.entries(entrypointPins()).flatMap(([k, v]) => ["--pin", `${k}=${v}`]),
  ...Object.entries(supplied).flatMap(([k, f]) => ["--artifact", `${k}=${f}`]),
];

describe("npm run evidence", () => {
  it("exits 0 on PASS with a summary naming the verdict, the bundle and how to verify it", async () => {
    const out = tmpDir("cli-out");
    expect(await main(pmOne(out, ...passFlags()))).toBe(0);
    const text = output.join("\n");
    expect(text).toMatch(/^P\(-1\) PACKAGING_READY \(M1\): PASS/);
    expect(text).toContain("entry gate: PASS   DoD: PASS");
    expect(text).toContain("cost: envelope 0.4110 USD (estimate); receipt 0.0000 USD, within envelope: true");
    // The bundle path holds P(-1): the printed commands quote it so they paste into bash.
    expect(text).toMatch(
      /verify: npm run evidence -- verify '\S*P\(-1\)\/m1_pm1_20260301T100000Z' {3}\(digests only: cd '\S*P\(-1\)\/m1_pm1_20260301T100000Z' && sha256sum -c SHA256SUMS\)/,
    );
    expect(fs.existsSync(path.join(out, RUN_ID, "P(-1)", "m1_pm1_20260301T100000Z", "SHA256SUMS"))).toBe(true);
  });

  it("exits 1 on FAIL and lists the blockers with what resolves them", async () => {
    expect(await main(pmOne(tmpDir("cli-out")))).toBe(1);
    const text = output.join("\n");
    expect(text).toMatch(/: FAIL/);
    expect(text).toMatch(/M1-B1 +handle_to_pin +ENTRYPOINT_SR: TO_PIN/);
    expect(text).toMatch(/DFULL-RUN-BP2 +evidence_missing +required evidence missing: image_digest_manifest.json/);
    expect(text).toContain("supply it with --artifact image_digest_manifest.json=FILE");
  });

  it("prints the phase record with --json", async () => {
    expect(await main(pmOne(tmpDir("cli-out"), "--json"))).toBe(1);
    const record = JSON.parse(output.join("\n")) as { phase_id: string; verdict: string };
    expect(record).toMatchObject({ phase_id: "P(-1)", verdict: "FAIL" });
  });

  it.each([
    ["no source", ["evidence", "--phase", "P0"], /exactly one of --from-plan DIR and --from-stacks/],
    ["two sources", ["evidence", "--phase", "P0", "--from-plan", "x", "--from-stacks"], /exactly one of/],
    ["an unknown phase", ["evidence", "--phase", "P18", "--from-plan", "x"], /--phase P18: expected one of P\(-1\), P0/],
    ["a missing plan dir", ["evidence", "--phase", "P0", "--from-plan", "/nonexistent/plan"], /no such directory \(run `npm run plan` first\)/],
    ["a bad run id", ["evidence", "--phase", "P0", "--from-plan", "x", "--run-id", "run-1"], /--run-id run-1: expected platform_/],
    ["a bad pin", ["evidence", "--phase", "P0", "--from-plan", "x", "--pin", "ECR_REPO_NAME=x"], /ECR_REPO_NAME: expected a TO_PIN handle/],
    ["a bad clock", ["evidence", "--phase", "P0", "--from-plan", "x", "--at", "yesterday"], /--at yesterday: expected a UTC timestamp/],
  ])("exits 2 on %s", async (_, argv, message) => {
    expect(await main(argv.map((a) => (a === "x" ? planDir : a)))).toBe(2);
    expect(output.join("\n")).toMatch(message);
  });

  it("exits 2 without --phase", async () => {
    jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    expect(await main(["evidence", "--from-plan", planDir])).toBe(2);
  });

  it("exits 2 rather than overwrite an existing bundle", async () => {
    const out = tmpDir("cli-out");
    expect(await main(pmOne(out, "--execution-id", "m1_pm1_once"))).toBe(1);
    expect(await main(pmOne(out, "--execution-id", "m1_pm1_once"))).toBe(2);
    expect(output.join("\n")).toMatch(/already exists; evidence is never overwritten/);
  });
});

describe("done when: plan, then evidence for P0 from the plan directory", () => {
  it("writes a FAIL bundle with named blockers that sha256sum -c accepts", async () => {
    const dir = tmpDir("cli-realplan");
    await runPlan({ env: "dev-full", layers: ["core"], outDir: dir });
    const out = tmpDir("cli-out");
    const run = spawnSync(
      process.execPath,
      [path.join(PROJECT_ROOT, "bin", "fraud-platform.js"), "evidence", "--phase", "P0", "--from-plan", dir, "--out", out],
      {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
      },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^P0 SUBSTRATE_READY \(M2\): FAIL/);
    expect(run.stdout).toMatch(/DFULL-RUN-B0 +stack_missing +dev-full-runtime: layer not planned/);
    expect(run.stdout).toMatch(/DFULL-RUN-B0 +handle_to_pin +AWS_BUDGET_NOTIFICATION_EMAIL/);
    const [runId] = fs.readdirSync(out);
    const [execution] = fs.readdirSync(path.join(out, runId, "P0"));
    const bundle = path.join(out, runId, "P0", execution);
    expect(execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: bundle }).toString()).toMatch(/phase_record.json: OK/);
  });
});
