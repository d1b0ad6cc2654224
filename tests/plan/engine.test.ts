/** The plan engine end to end: child processes, files of INTERFACES.md, exit codes, CLI. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../src/cli/main";
import { PlanResult, runPlan } from "../../src/plan/engine";
import { PreviewDocument } from "../../src/plan/previewDocument";

let outDir: string;
let result: PlanResult;

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
  result = await runPlan({ env: "dev-full", layers: ["core"], outDir });
});

describe("offline plan engine", () => {
  it("plans the core layer in a child process and exits clean", () => {
    expect(result.outcomes.map((o) => [o.stackName, o.status])).toEqual([["dev-full-core", "planned"]]);
    expect(result.exitCode).toBe(0);
    expect(result.policy.summary.mandatory).toBe(0);
    expect(result.blockers).toEqual([]);
  });

  it("writes the preview, outputs and policy files of INTERFACES.md", () => {
    for (const f of ["dev-full-core.preview.json", "dev-full-core.outputs.json", "policy-report.json", "policy-report.sarif"]) {
      expect(fs.existsSync(path.join(outDir, f))).toBe(true);
    }
    const preview = JSON.parse(fs.readFileSync(path.join(outDir, "dev-full-core.preview.json"), "utf8")) as PreviewDocument;
    expect(preview.changeSummary).toEqual({ create: preview.steps.length });
    const bucket = preview.steps.find((s) => s.newState?.type === "aws:s3/bucket:Bucket");
    expect(bucket?.urn).toBe("urn:pulumi:dev-full-core::fraud-platform::fraud-platform:core:SecureBucket$aws:s3/bucket:Bucket::object-store");
    expect(bucket?.newState).toMatchObject({
      custom: true,
      protect: true,
      retainOnDelete: true,
      parent: expect.stringContaining("SecureBucket::object-store"),
    });
    expect(bucket?.newState?.provider).toMatch(/^urn:pulumi:dev-full-core::fraud-platform::pulumi:providers:aws::default_7_48_0::/);
    const provider = preview.steps.find((s) => s.newState?.type === "pulumi:providers:aws");
    expect(provider?.newState?.inputs).toMatchObject({ region: "eu-west-2", version: "7.48.0" });
    const outputs = JSON.parse(fs.readFileSync(path.join(outDir, "dev-full-core.outputs.json"), "utf8")) as Record<string, unknown>;
    expect(outputs.S3_EVIDENCE_BUCKET).toBe("fraud-platform-dev-full-evidence");
    const sarif = JSON.parse(fs.readFileSync(path.join(outDir, "policy-report.sarif"), "utf8")) as {
      version: string;
      runs: Array<{ tool: { driver: { rules: unknown[] } } }>;
    };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].tool.driver.rules.length).toBeGreaterThan(5);
  });

  it("is deterministic: the same program gives the same preview", async () => {
    const again = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    await runPlan({ env: "dev-full", layers: ["core"], outDir: again });
    const read = (dir: string) => fs.readFileSync(path.join(dir, "dev-full-core.preview.json"), "utf8");
    expect(read(again)).toBe(read(outDir));
  });

  it("reports an invalid environment as exit 2 without planning anything", async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "proj-"));
    for (const f of ["Pulumi.yaml", "Pulumi.dev-full-core.yaml"]) fs.copyFileSync(path.join(__dirname, "../..", f), path.join(project, f));
    fs.writeFileSync(path.join(project, "Pulumi.dev-full.yaml"), "config:\n  aws:region: eu-west-2\n");
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    // Every layer's environment is loaded before any layer process starts: bad config is an InputError (exit 2),
    // and nothing is written.
    await expect(runPlan({ env: "dev-full", layers: ["core"], outDir, projectDir: project })).rejects.toThrow(
      /invalid environment for stack dev-full-core \(nothing was planned or written\)\n.*fraud-platform:network/,
    );
    expect(fs.readdirSync(outDir)).toEqual([]);
    expect(fs.readdirSync(path.dirname(outDir)).filter((f) => f.startsWith(`${path.basename(outDir)}.tmp-`))).toEqual([]);
  });
});

describe("cli", () => {
  const quiet = () => {
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    const err = jest.spyOn(console, "error").mockImplementation(() => undefined);
    return { log, err, restore: () => (log.mockRestore(), err.mockRestore()) };
  };
  afterEach(() => {
    process.exitCode = undefined;
  });

  it("exits 2 on a bad --layers or --pin", async () => {
    const io = quiet();
    expect(await main(["plan", "--layers", "core,network"])).toBe(2);
    expect(await main(["plan", "--pin", "NOEQUALS"])).toBe(2);
    expect(io.err.mock.calls.flat().join("\n")).toMatch(/--layers[\s\S]*expected NAME=VALUE/);
    io.restore();
  });

  it("policy-check reports a preview full of mistakes with exit 1, and a clean plan with exit 0", async () => {
    const bad = path.join(outDir, "bad.preview.json");
    const badDoc: PreviewDocument = {
      steps: [
        {
          op: "create",
          urn: "urn:pulumi:dev-full-core::fraud-platform::aws:s3/bucket:Bucket::public",
          newState: {
            urn: "urn:pulumi:dev-full-core::fraud-platform::aws:s3/bucket:Bucket::public",
            type: "aws:s3/bucket:Bucket",
            custom: true,
            inputs: { bucket: "my-public-bucket", forceDestroy: true, region: "us-east-1" },
          },
        },
      ],
    };
    fs.writeFileSync(bad, JSON.stringify(badDoc));
    const io = quiet();
    expect(await main(["policy-check", bad, "--json"])).toBe(1);
    const report = JSON.parse(String(io.log.mock.calls[0][0])) as { violations: Array<{ policy: string }> };
    expect([...new Set(report.violations.map((v) => v.policy))].sort()).toEqual([
      "da-06-pinned-physical-names",
      "da-10-mandatory-tags",
      "da-12-naming-convention",
      "da-13-region-pin",
      "da-25-owned-roles-declared",
      "da-26-platform-kms-key-rotated",
      "da-32-core-buckets-exactly-three",
      "da-33-bucket-posture-complete",
      "da-36-bucket-not-force-destroyable",
      "da-38-bucket-ownership-controls-present",
      "sb-28-buckets-tls-only",
    ]);
    process.exitCode = undefined;
    expect(await main(["policy-check", path.join(outDir, "dev-full-core.preview.json")])).toBe(0);
    expect(await main(["policy-check", path.join(outDir, "missing.json")])).toBe(2);
    io.restore();
  });
});
