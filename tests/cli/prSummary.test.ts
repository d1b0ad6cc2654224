/** The PR comment for a base/head pair of plan directories. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../src/cli/main";
import { PreviewDocument } from "../../src/plan/previewDocument";
import { sealPlanDir } from "../../src/plan/planDir";

const FIXTURES = path.resolve(__dirname, "../fixtures/previews");
const STACKS = ["dev-full-core", "dev-full-streaming"];

/** A plan directory: the plan fixtures (edited by `edit`), with its policy and cost reports. */
async function planDir(edit: (core: PreviewDocument) => void = () => undefined): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prsum-"));
  for (const stack of STACKS) {
    const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, `plan.${stack}.preview.json`), "utf8")) as PreviewDocument;
    if (stack === "dev-full-core") edit(doc);
    fs.writeFileSync(path.join(dir, `${stack}.preview.json`), JSON.stringify(doc));
  }
  const files = STACKS.map((s) => path.join(dir, `${s}.preview.json`));
  expect([0, 1]).toContain(await main(["policy-check", ...files, "--json", "--out", dir]));
  sealPlanDir(dir, { env: "dev-full", layers: ["core", "streaming", "runtime", "data_ml", "ops"] });
  expect([0, 1]).toContain(await main(["cost", "--from", dir, "--json"]));
  return dir;
}

describe("pr-summary", () => {
  beforeEach(() => {
    jest.spyOn(console, "log").mockImplementation(() => undefined);
    jest.spyOn(console, "error").mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it("renders resources added/changed/removed, new and fixed violations and the cost change against the budget", async () => {
    const base = await planDir((core) => {
      const b = core.steps.find((s) => s.newState?.type === "aws:s3/bucket:Bucket" && s.urn.endsWith("::artifacts"));
      if (b?.newState) b.newState.inputs.forceDestroy = true; // fixed in head
    });
    const head = await planDir((core) => {
      const v = core.steps.find((s) => s.urn.endsWith("::evidence-versioning"));
      if (v?.newState) v.newState.inputs.versioningConfiguration = { status: "Suspended" }; // new in head
      const repo = core.steps.findIndex((s) => s.newState?.type === "aws:ecr/repository:Repository");
      core.steps.splice(repo, 1); // removed
      const igw = core.steps.find((s) => s.newState?.type === "aws:kms/key:Key");
      if (igw?.newState) core.steps.push({ ...igw, urn: `${igw.urn}-2`, newState: { ...igw.newState, urn: `${igw.urn}-2` } }); // added
    });
    const out = path.join(head, "comment.md");
    expect(await main(["pr-summary", "--base", base, "--head", head, "--out", out])).toBe(0);
    const md = fs.readFileSync(out, "utf8");
    // versioning changed and the artifacts bucket changed back: 2 changed, 1 added, 1 removed in core; streaming untouched.
    expect(md).toContain("| dev-full-core | 1 | 2 | 1 |");
    expect(md).toMatch(/\| dev-full-streaming \| 0 \| 0 \| 0 \| 24 \|/);
    expect(md).toMatch(/\*\*New\*\*\n\n- \*\*mandatory\*\* `da-33-bucket-versioning-enabled` \(dev-full-core\)/);
    expect(md).toMatch(/\*\*Fixed\*\*\n\n- \*\*mandatory\*\* `da-36-bucket-not-force-destroyable`/);
    expect(md).toMatch(/^- dev-full-core: .*aws:ecr\/repository:Repository::platform-images$/m);
    // A second KMS key adds its monthly price to the core layer's always-on figure.
    const coreRow = md.split("\n").find((l) => l.startsWith("| core |")) ?? "";
    const costOf = (dir: string) =>
      (
        JSON.parse(fs.readFileSync(path.join(dir, "cost-report.json"), "utf8")) as { layers: Array<{ layer: string; monthlyCost: { alwaysOn: string } }> }
      ).layers.find((l) => l.layer === "core")?.monthlyCost.alwaysOn ?? "";
    const [before, after] = [Number(costOf(base)), Number(costOf(head))];
    expect(after).toBeGreaterThan(before);
    expect(coreRow).toContain(`| core | 20.00 | ${before.toFixed(2)} -> ${after.toFixed(2)} (+${(after - before).toFixed(2)}) |`);
    expect(md).toMatch(/Budget 300\.00 USD\/month: proof-window \d+\.\d\d, headroom \d+\.\d\d/);
  });

  it("exits 2 naming the missing report", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "prsum-empty-"));
    fs.copyFileSync(path.join(FIXTURES, "plan.dev-full-core.preview.json"), path.join(empty, "dev-full-core.preview.json"));
    const err = jest.spyOn(console, "error");
    expect(await main(["pr-summary", "--base", empty, "--head", empty])).toBe(2);
    expect(String(err.mock.calls[0]?.[0])).toContain("policy-report.json");
  });
});
