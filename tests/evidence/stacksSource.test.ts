/**
 * The Automation API source against a fake `pulumi` on PATH: stacks are selected and their outputs read with
 * `stack output --json [--show-secrets]` only; secret outputs are redacted before anything else sees them, and no
 * byte of a bundle carries a secret value.
 */
import * as fs from "fs";
import * as path from "path";
import { LAYERS, stackNameFor } from "../../src/layers";
import { emitEvidence } from "../../src/evidence/emit";
import { PlanDirSource, PulumiStackSource, SourceError } from "../../src/evidence/sources";
import { FakeStack, CLEAN_POLICY_REPORT, baseOptions, closeLadderUpTo, fakePulumi, readBundle, syntheticOutputs, tmpDir, writePlanDir } from "./fixtures";
import { calls } from "../helpers/shellCli";

/** Secret values the fake stacks hold; none may ever reach a bundle. */
const SECRETS = {
  aurora_master_password: "Aur0ra-Master-Pa55word!",
  redis_auth_token: "redis-auth-token-5f1c2e9a7b",
  AWS_BUDGET_NOTIFICATION_EMAIL: "finops-oncall@example.com",
  databricks_token: { token: "dapi0123456789abcdef", host: "https://dbc-secret-host.cloud.databricks.com" },
};

function fakeStacks(except: string[] = []): Record<string, FakeStack> {
  const stacks: Record<string, FakeStack> = {};
  for (const layer of LAYERS) {
    const name = stackNameFor("dev-full", layer);
    if (except.includes(name)) continue;
    stacks[name] = { outputs: syntheticOutputs(layer) };
  }
  const runtime = stacks["dev-full-runtime"];
  runtime.outputs = { ...runtime.outputs, aurora_master_password: SECRETS.aurora_master_password, redis_auth_token: SECRETS.redis_auth_token };
  runtime.secrets = ["aurora_master_password", "redis_auth_token"];
  const dataMl = stacks["dev-full-data-ml"];
  dataMl.outputs = { ...dataMl.outputs, databricks_token: SECRETS.databricks_token };
  dataMl.secrets = ["databricks_token"];
  const ops = stacks["dev-full-ops"];
  if (ops) {
    ops.outputs = { ...ops.outputs, AWS_BUDGET_NOTIFICATION_EMAIL: SECRETS.AWS_BUDGET_NOTIFICATION_EMAIL };
    ops.secrets = ["AWS_BUDGET_NOTIFICATION_EMAIL"];
  }
  return stacks;
}

const secretStrings = [
  "Aur0ra-Master-Pa55word!",
  "redis-auth-token-5f1c2e9a7b",
  "finops-oncall@example.com",
  "dapi0123456789abcdef",
  "dbc-secret-host.cloud.databricks.com",
];

let fake: ReturnType<typeof fakePulumi>;
let savedPath: string | undefined;

beforeAll(() => {
  fake = fakePulumi(tmpDir("fake-pulumi"), fakeStacks());
  savedPath = process.env.PATH;
  process.env.PATH = `${fake.bin}${path.delimiter}${process.env.PATH ?? ""}`;
});

afterAll(() => {
  process.env.PATH = savedPath;
});

describe("PulumiStackSource (Automation API)", () => {
  it("selects each stack and reads its outputs with secrets redacted", async () => {
    const snapshot = await new PulumiStackSource().read("dev-full", ["core", "runtime", "data_ml"]);
    expect(snapshot.kind).toBe("stacks");
    expect(snapshot.stacks.map((s) => [s.stackName, s.outputs !== undefined])).toEqual([
      ["dev-full-core", true],
      ["dev-full-runtime", true],
      ["dev-full-data-ml", true],
    ]);
    const runtime = snapshot.stacks[1].outputs ?? {};
    expect(runtime.aurora_master_password).toBe("[secret]");
    expect(runtime.redis_auth_token).toBe("[secret]");
    expect(runtime.EKS_CLUSTER_NAME).toBe(syntheticOutputs("runtime").EKS_CLUSTER_NAME);
    expect(snapshot.stacks[2].outputs?.databricks_token).toBe("[secret]");
    expect(snapshot.secretValues.sort()).toEqual([
      "Aur0ra-Master-Pa55word!",
      "dapi0123456789abcdef",
      "https://dbc-secret-host.cloud.databricks.com",
      "redis-auth-token-5f1c2e9a7b",
    ]);
  });

  it("makes only the read-only CLI calls the Automation API needs", async () => {
    const own = fakePulumi(tmpDir("fake-pulumi-root"), fakeStacks());
    await new PulumiStackSource({ pulumiRoot: own.root }).read("dev-full", ["core"]);
    expect(calls(own.log)).toEqual([
      ["version"],
      ["stack", "select", "--stack", "dev-full-core"],
      ["stack", "output", "--json", "--stack", "dev-full-core"],
      ["stack", "output", "--json", "--show-secrets", "--stack", "dev-full-core"],
    ]);
  });

  it("reports a stack that does not exist as absent, not as an error", async () => {
    const own = fakePulumi(tmpDir("fake-pulumi-partial"), fakeStacks(["dev-full-ops"]));
    const snapshot = await new PulumiStackSource({ pulumiRoot: own.root }).read("dev-full", ["core", "ops"]);
    expect(snapshot.stacks[1]).toEqual({
      layer: "ops",
      stackName: "dev-full-ops",
      problem: { kind: "absent", message: "stack dev-full-ops does not exist (not applied)" },
    });
  });

  it("is a usage error when there is no pulumi CLI", async () => {
    await expect(new PulumiStackSource({ pulumiRoot: tmpDir("no-pulumi") }).read("dev-full", ["core"])).rejects.toThrow(SourceError);
  });
});

describe("P0 from real stacks", () => {
  let out: string;
  let evidenceDir: string;
  let policyReport: string;

  beforeAll(async () => {
    out = tmpDir("stacks-out");
    evidenceDir = tmpDir("stacks-supplied");
    await closeLadderUpTo("P0", writePlanDir(tmpDir("stacks-plan")), out, evidenceDir);
    policyReport = path.join(evidenceDir, "policy-report.json");
    fs.writeFileSync(policyReport, JSON.stringify(CLEAN_POLICY_REPORT));
  });

  it("PASSes with every handle materialised, a policy report and recorded spend, and no secret byte in the bundle", async () => {
    const r = await emitEvidence({
      ...baseOptions("unused", out, "P0"),
      source: new PulumiStackSource(),
      policyReportFile: policyReport,
      spend: { amount: "0.25", sources: ["aws-cost-explorer"] },
    });
    expect(r.record.blockers).toEqual([]);
    expect(r.record.verdict).toBe("PASS");
    expect(r.record.source.kind).toBe("stacks");
    const bundle = readBundle(r.dir);
    for (const [file, bytes] of bundle) {
      for (const secret of secretStrings) expect({ file, leaks: bytes.includes(secret) }).toEqual({ file, leaks: false });
    }
    const ops = JSON.parse((bundle.get("stack_outputs/dev-full-ops.json") as Buffer).toString("utf8")) as { outputs: Record<string, unknown> };
    expect(ops.outputs.AWS_BUDGET_NOTIFICATION_EMAIL).toBe("[secret]");
    const snapshot = JSON.parse((bundle.get("handle_materialization.json") as Buffer).toString("utf8")) as {
      handles: Array<{ handle: string; state: string }>;
    };
    expect(snapshot.handles.find((h) => h.handle === "AWS_BUDGET_NOTIFICATION_EMAIL")?.state).toBe("secret");
  });

  it("FAILs without a policy report or recorded spend: nothing closes on stack outputs alone", async () => {
    const r = await emitEvidence({ ...baseOptions("unused", out, "P0"), source: new PulumiStackSource(), executionId: "m2_p0_bare" });
    expect(r.record.verdict).toBe("FAIL");
    expect(r.record.blockers.map((b) => [b.code, b.kind])).toEqual([
      ["DFULL-SFN-B3", "policy_report_missing"],
      ["DFULL-SFN-B5", "cost_receipt_missing"],
    ]);
    expect(r.record.cost.receipt).toBeNull();
  });

  it("FAILs when a stack was never applied", async () => {
    const own = fakePulumi(tmpDir("fake-pulumi-noops"), fakeStacks(["dev-full-ops"]));
    const r = await emitEvidence({
      ...baseOptions("unused", out, "P0"),
      source: new PulumiStackSource({ pulumiRoot: own.root }),
      policyReportFile: policyReport,
      spend: { amount: "0" },
      executionId: "m2_p0_noops",
    });
    expect(r.record.blockers[0]).toMatchObject({
      code: "DFULL-RUN-B0",
      kind: "stack_missing",
      stack: "dev-full-ops",
      message: expect.stringMatching(/^dev-full-ops: stack dev-full-ops does not exist \(not applied\)/),
    });
  });

  it("reads the same outputs as the plan source for the same values", async () => {
    const planDir = writePlanDir(tmpDir("stacks-same"));
    const fromPlan = await new PlanDirSource(planDir).read("dev-full", ["core"]);
    const fromStacks = await new PulumiStackSource().read("dev-full", ["core"]);
    expect(fromStacks.stacks[0].outputs).toEqual(fromPlan.stacks[0].outputs);
  });
});
