/** SARIF GitHub can use: schema-valid (official 2.1.0 schema, vendored), a source line per result, stable fingerprints. */
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { policyPack } from "../../policies/pack";
import { PreviewDocument } from "../../src/plan/previewDocument";
import { CROSS_STACK_POLICIES } from "../../src/policy/crossStack";
import { PolicyReport, evaluatePolicies } from "../../src/policy/harness";
import { FINGERPRINT_KEY, parseSourcePosition, sarifOf } from "../../src/policy/sarif";
import { readPreviewFile } from "../../src/preview/read";

const ROOT = path.resolve(__dirname, "../..");
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "tests/fixtures/schemas/sarif-schema-2.1.0.json"), "utf8")) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** The core stack in the real CLI's shape with a bucket made force-destroyable and its versioning suspended. */
function brokenCore(): PreviewDocument {
  const { doc } = readPreviewFile(path.join(ROOT, "tests/fixtures/previews/core.create.preview.json"));
  for (const s of doc.steps) {
    if (s.newState?.type === "aws:s3/bucket:Bucket" && s.urn.endsWith("::artifacts")) s.newState.inputs.forceDestroy = true;
    if (s.newState?.type === "aws:s3/bucketVersioning:BucketVersioning" && s.urn.endsWith("::evidence-versioning"))
      s.newState.inputs.versioningConfiguration = { status: "Suspended" };
  }
  return doc;
}

let docs: PreviewDocument[];
let report: PolicyReport;
beforeAll(async () => {
  docs = [brokenCore()];
  const evaluated = await evaluatePolicies(docs, policyPack);
  const cross = {
    policy: CROSS_STACK_POLICIES.roles.name,
    rule: "DA-25",
    enforcementLevel: "mandatory" as const,
    severity: "high" as const,
    message: `${CROSS_STACK_POLICIES.roles.description}\nROLE_EKS_IRSA_LEARNING is TO_PIN: pin it before any runtime lane needs it.`,
  };
  report = { ...evaluated, violations: [...evaluated.violations, cross] };
});

describe("SARIF writer", () => {
  it("is valid against the official SARIF 2.1.0 schema", () => {
    const log = sarifOf(report, policyPack, docs);
    expect(validate(log) ? [] : validate.errors).toEqual([]);
  });

  it("points each result at the line that declares its resource", () => {
    const results = sarifOf(report, policyPack, docs).runs[0].results ?? [];
    expect(results.map((r) => r.ruleId)).toEqual(
      expect.arrayContaining(["da-36-bucket-not-force-destroyable", "da-33-bucket-versioning-enabled", "da-25-required-roles"]),
    );
    for (const r of results) {
      const loc = r.locations?.[0]?.physicalLocation;
      const uri = loc?.artifactLocation?.uri ?? "";
      const line = loc?.region?.startLine ?? 0;
      expect(fs.existsSync(path.join(ROOT, uri))).toBe(true);
      expect(line).toBeLessThanOrEqual(fs.readFileSync(path.join(ROOT, uri), "utf8").split("\n").length);
      expect(line).toBeGreaterThan(0);
    }
    const at = (rule: string) => results.find((r) => r.ruleId === rule)?.locations?.[0]?.physicalLocation;
    const force = at("da-36-bucket-not-force-destroyable");
    expect(force?.artifactLocation?.uri).toBe("components/secureBucket.ts");
    expect(fs.readFileSync(path.join(ROOT, "components/secureBucket.ts"), "utf8").split("\n")[(force?.region?.startLine ?? 0) - 1]).toContain(
      "new aws.s3.Bucket(",
    );
    const versioning = at("da-33-bucket-versioning-enabled");
    expect(fs.readFileSync(path.join(ROOT, "components/secureBucket.ts"), "utf8").split("\n")[(versioning?.region?.startLine ?? 0) - 1]).toContain(
      "new aws.s3.BucketVersioning(",
    );
    const roles = at("da-25-required-roles");
    expect(roles?.artifactLocation?.uri).toBe("registry/handles.yaml");
    expect(fs.readFileSync(path.join(ROOT, "registry/handles.yaml"), "utf8").split("\n")[(roles?.region?.startLine ?? 0) - 1]).toContain(
      "ROLE_EKS_IRSA_LEARNING",
    );
  });

  it("gives each result a fingerprint that is stable across runs and distinct per policy and resource", () => {
    const fps = (log: ReturnType<typeof sarifOf>) => (log.runs[0].results ?? []).map((r) => r.partialFingerprints?.[FINGERPRINT_KEY]);
    const first = fps(sarifOf(report, policyPack, docs));
    expect(fps(sarifOf({ ...report, violations: [...report.violations].reverse() }, policyPack, docs))).toEqual([...first].reverse());
    expect(first.every((f) => typeof f === "string" && f.length === 32)).toBe(true);
    const keys = report.violations.map((v) => `${v.policy} ${v.urn ?? v.message}`);
    expect(new Set(first).size).toBe(new Set(keys).size);
  });

  it("describes every rule, cross-stack ones included, with help, tags and security-severity on security rules", () => {
    const driver = sarifOf(report, policyPack, docs).runs[0].tool.driver;
    expect(driver.version).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
    const ids = (driver.rules ?? []).map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([...policyPack.policies.map((p) => p.name), "da-24-required-ssm-paths", "da-25-required-roles"]));
    for (const r of driver.rules ?? []) {
      expect(r.shortDescription?.text).toBeTruthy();
      expect(r.fullDescription?.text).toBeTruthy();
      expect(r.help?.text).toContain("What to fix");
      expect(r.help?.markdown).toContain("**What to fix:**");
      expect(r.helpUri).toMatch(/^https:\/\//);
      const props = r.properties as { tags: string[]; "security-severity"?: string };
      expect(props.tags.length).toBeGreaterThan(0);
      if (props.tags.includes("security")) expect(Number(props["security-severity"])).toBeGreaterThan(0);
    }
    const pab = (driver.rules ?? []).find((r) => r.id === "da-33-bucket-public-access-blocked");
    expect((pab?.properties as { "security-severity": string })["security-severity"]).toBe("9.5");
  });

  it("parses engine source positions and ignores positions outside the project", () => {
    expect(parseSourcePosition("project:///components/secureBucket.ts#40,5")).toEqual({ uri: "components/secureBucket.ts", line: 40, column: 5 });
    expect(parseSourcePosition("project:///node_modules/@pulumi/runtime/stack.ts#37,19")).toBeUndefined();
    expect(parseSourcePosition("file:///elsewhere.ts#1,1")).toBeUndefined();
  });
});
