/**
 * Real `pulumi preview --json` shapes (tests/fixtures/previews, built by generate.ts there from the pulumi/pulumi
 * definitions) through the reader and `policy-check`: a correct verdict (the plan document's own) or exit 2 with a
 * message that says what to do, never a crash.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { policyPack } from "../../policies/pack";
import { runCost } from "../../src/cli/costCommand";
import { main } from "../../src/cli/main";
import { InputError } from "../../src/errors";
import { PreviewDocument, RESOURCE_REFERENCE_SIG, SECRET_SIG, SIG_KEY } from "../../src/plan/previewDocument";
import { evaluatePolicies } from "../../src/policy/harness";
import { normalizePreviewDocument, readPreviewFile } from "../../src/preview/read";

const DIR = path.resolve(__dirname, "../fixtures/previews");
const fixture = (name: string) => path.join(DIR, name);

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  jest.spyOn(console, "log").mockImplementation((m: unknown) => void out.push(String(m)));
  jest.spyOn(console, "error").mockImplementation((m: unknown) => void err.push(String(m)));
  return { out, err };
}
afterEach(() => jest.restoreAllMocks());

type Verdict = Array<[string, string | undefined, string]>;
const verdictOf = (violations: Array<{ policy: string; urn?: string; enforcementLevel: string }>): Verdict =>
  violations
    .map((v) => [v.policy, v.urn, v.enforcementLevel] as [string, string | undefined, string])
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

async function baseline(planFixture: string): Promise<Verdict> {
  const doc = JSON.parse(fs.readFileSync(fixture(planFixture), "utf8")) as PreviewDocument;
  return verdictOf((await evaluatePolicies([doc], policyPack)).violations);
}

describe("policy-check on every real preview shape", () => {
  it.each([
    ["core.create.preview.json", "plan.dev-full-core.preview.json"],
    // A stack that already exists has its values known: the plan's up-pass document is its counterpart.
    ["core.update-show-sames.preview.json", "plan.dev-full-core.up.json"],
    ["core.replace-delete.preview.json", "plan.dev-full-core.up.json"],
    ["core.read-external.preview.json", "plan.dev-full-core.up.json"],
    ["streaming.secrets.preview.json", "plan.dev-full-streaming.up.json"],
  ])("%s gets the verdict of the same program's plan document", async (file, plan) => {
    const expected = await baseline(plan);
    const io = capture();
    const code = await main(["policy-check", fixture(file), "--json"]);
    expect(io.err).toEqual([]);
    const report = JSON.parse(io.out[0]) as { violations: Array<{ policy: string; urn?: string; enforcementLevel: string }>; summary: { resources: number } };
    expect(verdictOf(report.violations)).toEqual(expected);
    expect(code).toBe(expected.some((v) => v[2] === "mandatory") ? 1 : 0);
    // Every proposed resource is evaluated (reads are referenced, not proposed).
    const planSteps = (JSON.parse(fs.readFileSync(fixture(plan), "utf8")) as PreviewDocument).steps.filter((s) => s.op !== "read");
    expect(report.summary.resources).toBe(planSteps.length);
  });

  it("a failed program exits 2 with the program's own error", async () => {
    const io = capture();
    expect(await main(["policy-check", fixture("core.failed-program.preview.json")])).toBe(2);
    expect(io.err.join("\n")).toContain("the previewed program failed");
    expect(io.err.join("\n")).toContain("TypeError: Cannot read properties of undefined (reading 'bucketName')");
  });

  it("an update previewed without --show-sames exits 2 and says to rerun with --show-sames", async () => {
    const io = capture();
    expect(await main(["policy-check", fixture("core.update-no-sames.preview.json")])).toBe(2);
    // Counted as unchanged but not listed: changeSummary.same less the `same` steps shown (the root stack always is).
    const noSames = JSON.parse(fs.readFileSync(fixture("core.update-no-sames.preview.json"), "utf8")) as {
      changeSummary: { same: number };
      steps: Array<{ op: string }>;
    };
    const same = noSames.changeSummary.same - noSames.steps.filter((st) => st.op === "same").length;
    expect(same).toBeGreaterThan(0);
    expect(io.err.join("\n")).toMatch(
      new RegExp(`${same} unchanged resource\\(s\\) are counted in changeSummary\\.same but not listed[\\s\\S]*pulumi preview --json --show-sames`),
    );
  });

  it("cost reads the real shapes too, with the plan document's totals", () => {
    const totals = (file: string) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-shape-"));
      fs.copyFileSync(fixture(file), path.join(dir, "dev-full-core.preview.json"));
      const { report } = runCost({ env: "dev-full", from: dir });
      return Object.fromEntries(Object.entries(report.postures).map(([p, t]) => [p, t.monthlyCost]));
    };
    const plan = totals("plan.dev-full-core.preview.json");
    expect(totals("core.update-show-sames.preview.json")).toEqual(plan);
    expect(totals("core.read-external.preview.json")).toEqual(plan);
    expect(() => totals("core.update-no-sames.preview.json")).toThrow(InputError);
  });
});

describe("the preview reader", () => {
  const root = "urn:pulumi:dev-full-core::fraud-platform::pulumi:pulumi:Stack::fraud-platform-dev-full-core";
  const urn = (type: string, name: string) => `urn:pulumi:dev-full-core::fraud-platform::${type}::${name}`;
  const BUCKET = urn("aws:s3/bucket:Bucket", "b");
  const VERSIONING = urn("aws:s3/bucketVersioning:BucketVersioning", "v");

  it("fills the fields the CLI omits and keeps read steps out of the proposed resources", () => {
    const { doc } = readPreviewFile(fixture("core.read-external.preview.json"));
    expect(doc.steps.every((s) => s.newState && Array.isArray(s.newState.dependencies) && typeof s.newState.protect === "boolean" && s.newState.inputs)).toBe(
      true,
    );
    expect(doc.steps.map((s) => s.urn)).not.toContain(urn("aws:iam/role:Role", "break-glass-admin"));
    expect(doc.external?.map((e) => [e.urn, e.id, e.external])).toEqual([[urn("aws:iam/role:Role", "break-glass-admin"), "BreakGlassAdmin", true]]);
    // The resource reference became the referenced role's id.
    expect(doc.steps.some((s) => s.newState?.inputs.role === "BreakGlassAdmin")).toBe(true);
  });

  it("turns both secret spellings into the redacted secret marker and keeps no ciphertext", () => {
    const { doc } = readPreviewFile(fixture("streaming.secrets.preview.json"));
    const text = JSON.stringify(doc);
    expect(text).not.toContain("ciphertext");
    // Every "[secret]" left is the value of a secret marker.
    expect(text.split('"[secret]"').length - 1).toBe(text.split(`"${SIG_KEY}":"${SECRET_SIG}","value":"[secret]"`).length - 1);
    expect(text.split(`"${SECRET_SIG}"`).length - 1).toBeGreaterThanOrEqual(2);
    const provider = doc.steps.find((s) => s.newState?.type === "pulumi:providers:kafka");
    expect(provider?.newState?.inputs.bootstrapServers).toEqual({ [SIG_KEY]: SECRET_SIG, value: "[secret]" });
  });

  it("counts a URN proposed by replace and create-replacement once, and proposes nothing for deletes", () => {
    const { doc, ops } = readPreviewFile(fixture("core.replace-delete.preview.json"));
    expect(ops).toMatchObject({ replace: 1, "create-replacement": 1, "delete-replaced": 1, delete: 1 });
    const proposed = doc.steps.filter((s) => s.newState);
    expect(new Set(proposed.map((s) => s.urn)).size).toBe(proposed.length);
    expect(doc.steps.filter((s) => s.op === "delete" || s.op === "delete-replaced").every((s) => s.newState === undefined && s.oldState)).toBe(true);
  });

  it("restores the dependency an id reference implies (an unchanged bucket named by its companion)", () => {
    const d = normalizePreviewDocument(
      {
        steps: [
          { op: "same", urn: root, newState: { urn: root, custom: false, type: "pulumi:pulumi:Stack" } },
          {
            op: "same",
            urn: BUCKET,
            newState: { urn: BUCKET, custom: true, id: "fp-evidence", type: "aws:s3/bucket:Bucket", inputs: { bucket: "fp-evidence" } },
          },
          {
            op: "update",
            urn: VERSIONING,
            newState: { urn: VERSIONING, custom: true, id: "fp-evidence", type: "aws:s3/bucketVersioning:BucketVersioning", inputs: { bucket: "fp-evidence" } },
          },
        ],
        changeSummary: { same: 2, update: 1 },
      },
      "mem.json",
    );
    expect(d.doc.steps[2].newState?.dependencies).toEqual([BUCKET]);
    expect(d.doc.steps[1].newState?.dependencies).toEqual([]);
  });

  it("maps resource references: custom -> id, unknown id -> unknown, component -> URN", () => {
    const ref = (extra: object) => ({ [SIG_KEY]: RESOURCE_REFERENCE_SIG, urn: BUCKET, ...extra });
    const d = normalizePreviewDocument(
      {
        steps: [
          {
            op: "create",
            urn: VERSIONING,
            newState: {
              urn: VERSIONING,
              custom: true,
              type: "t:m:T",
              inputs: { a: ref({ id: "b-1" }), b: ref({ id: "" }), c: ref({}), d: ref({ id: { V: "b-2" } }) },
            },
          },
        ],
      },
      "mem.json",
    );
    expect(d.doc.steps[0].newState?.inputs).toEqual({ a: "b-1", b: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", c: BUCKET, d: "b-2" });
  });

  it.each([
    [{ steps: [{ op: "frobnicate", urn: BUCKET }] }, "steps[0].op"],
    [{ steps: [{ op: "create", urn: BUCKET }] }, "steps[0].newState"],
    [
      { steps: [{ op: "create", urn: BUCKET, newState: { urn: BUCKET, type: "t", custom: true, inputs: { x: { [SIG_KEY]: "deadbeef" } } } }] },
      "steps[0].newState.inputs.x",
    ],
    [{ steps: [{ op: "create", urn: BUCKET, newState: { urn: BUCKET, type: "t", custom: true, dependencies: "nope" } }] }, "steps[0].newState.dependencies"],
    [{ steps: [] }, "steps"],
    [[1, 2], "(document)"],
    [
      {
        steps: [
          { op: "create", urn: BUCKET, newState: { urn: BUCKET, type: "t", custom: true } },
          { op: "create", urn: "urn:pulumi:other::p::t::n", newState: { urn: "urn:pulumi:other::p::t::n", type: "t", custom: true } },
        ],
      },
      "steps[].urn",
    ],
  ])("bad input %# is an InputError naming the key it expected", (doc, key) => {
    try {
      normalizePreviewDocument(doc, "bad.json");
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).problems.map((p) => p.key)).toContain(key);
      expect((e as InputError).problems.every((p) => p.file === "bad.json")).toBe(true);
    }
  });
});
