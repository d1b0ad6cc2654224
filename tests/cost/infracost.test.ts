/** infracost.json: valid against Infracost's own schema (vendored), with cost-report.json's totals. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { runCost } from "../../src/cli/costCommand";
import { Decimal } from "../../src/cost/decimal";
import { INFRACOST_FILE, InfracostOutput, infracostOf } from "../../src/cost/infracost";

const ROOT = path.resolve(__dirname, "../..");
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(ROOT, "tests/fixtures/schemas/infracost.schema.json"), "utf8")) as object);

function planDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "infracost-"));
  for (const stack of ["dev-full-core", "dev-full-streaming"])
    fs.copyFileSync(path.join(ROOT, `tests/fixtures/previews/plan.${stack}.preview.json`), path.join(dir, `${stack}.preview.json`));
  return dir;
}

describe("infracost.json", () => {
  const dir = planDir();
  const { report, files } = runCost({ env: "dev-full", from: dir });
  const written = JSON.parse(fs.readFileSync(path.join(dir, INFRACOST_FILE), "utf8")) as InfracostOutput;

  it("is written beside cost-report.json and is valid against Infracost's schema", () => {
    expect(files).toContain(path.join(dir, INFRACOST_FILE));
    expect(validate(written) ? [] : validate.errors).toEqual([]);
  });

  it("carries the proof-window totals of cost-report.json, per project (stack) and overall", () => {
    expect(written.totalMonthlyCost).toBe(report.postures.proofWindow.monthlyCost);
    expect(written.projects.map((p) => [p.name, p.breakdown.totalMonthlyCost])).toEqual(
      report.layers.filter((l) => l.planned).map((l) => [l.stackName, l.monthlyCost.proofWindow]),
    );
    expect(written.projects.map((p) => p.name)).toEqual(["dev-full-core", "dev-full-streaming"]);
    expect(written.metadata.infracostCommand).toContain("proofWindow");
    const sum = Decimal.sum(written.projects.map((p) => Decimal.of(p.breakdown.totalMonthlyCost ?? "0")));
    expect(sum.toFixed(4)).toBe(report.postures.proofWindow.monthlyCost);
  });

  it("lists each resource with its cost components; unpriced components are priceNotFound with null costs", () => {
    const resources = written.projects.flatMap((p) => p.breakdown.resources);
    expect(resources).toHaveLength(report.resources.length);
    const unpriced = resources.flatMap((r) => r.costComponents).filter((c) => c.priceNotFound);
    expect(unpriced.length).toBe(report.resources.flatMap((r) => r.costComponents).filter((c) => c.price === null).length);
    expect(unpriced.length).toBeGreaterThan(0);
    expect(unpriced.every((c) => c.price === null && c.monthlyCost === null && c.hourlyCost === null)).toBe(true);
    expect(written.summary.totalNoPriceResources).toBe(report.resources.filter((r) => r.unpriced).length);
  });

  it("puts hourly figures at monthly / 730 and the generation time it is given", () => {
    const doc = infracostOf(report, { generatedAt: new Date("2026-02-22T21:02:07Z"), vcs: { branch: "b", commitSha: "abc" } });
    expect(doc.timeGenerated).toBe("2026-02-22T21:02:07.000Z");
    expect(doc.metadata.vcsCommitSha).toBe("abc");
    expect(doc.totalHourlyCost).toBe(Decimal.of(report.postures.proofWindow.monthlyCost).div(730, 4).toFixed(4));
  });
});
