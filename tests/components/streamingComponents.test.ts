/** Checks the streaming components run before declaring anything, and the streaming settings switch. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { clusterPlacementProblems } from "../../components/mskServerlessCluster";
import { GLUE_COMPATIBILITY_MODES, isGlueCompatibility } from "../../components/schemaRegistry";
import { topicCatalogProblems, topicConfigOf } from "../../components/topicCatalog";
import { loadEnvironment } from "../../src/config/environment";
import { InputError } from "../../src/errors";
import { PROJECT_ROOT, loadRegistry } from "../../src/registry/registry";
import { CONTROL_ENVELOPE_FIELDS, controlEnvelopeDefinition } from "../../src/streaming/controlEnvelope";

describe("MSK cluster placement", () => {
  it("accepts two or more distinct subnets and a security group", () => {
    expect(clusterPlacementProblems(["subnet-0a1", "subnet-0b2"], "sg-0c3")).toEqual([]);
  });
  it.each([
    [[], "sg-0c3", /at least 2 distinct subnets.*\[\]/],
    [["subnet-0a1", "subnet-0a1"], "sg-0c3", /at least 2 distinct subnets/],
    [["subnet-0a1", "10.70.128.0/20"], "sg-0c3", /must be subnet ids.*10\.70\.128\.0\/20/],
    [undefined, "sg-0c3", /must be a list of subnet ids, found undefined/],
    [["subnet-0a1", "subnet-0b2"], "", /securityGroupId must be a security group id.*found ""/],
    [["subnet-0a1", "subnet-0b2"], undefined, /found null/],
  ])("names the problem with subnets %p and security group %p", (subnets, sg, message) => {
    expect(clusterPlacementProblems(subnets, sg).join("; ")).toMatch(message);
  });
  it("rejects any single-subnet placement (property)", () => {
    fc.assert(fc.property(fc.stringMatching(/^subnet-[0-9a-f]{8,17}$/), (s) => expect(clusterPlacementProblems([s], "sg-0c3")).toHaveLength(1)));
  });
});

describe("topic catalog", () => {
  const catalog = loadRegistry().topics();
  it("turns a catalog entry into Kafka topic config", () => {
    expect(topicConfigOf({ retention_ms: 604800000, cleanup_policy: "delete" })).toEqual({ "retention.ms": "604800000", "cleanup.policy": "delete" });
  });
  it("accepts the registry's catalog and rejects duplicates or an empty one", () => {
    expect(topicCatalogProblems(catalog)).toEqual([]);
    expect(topicCatalogProblems([...catalog, catalog[0]])).toEqual(["topic fp.bus.control.v1 is listed twice"]);
    expect(topicCatalogProblems([])).toEqual(["the catalog is empty"]);
  });
});

describe("schema registry", () => {
  it("knows Glue's compatibility modes and the pinned one is among them", () => {
    expect(GLUE_COMPATIBILITY_MODES).toHaveLength(8);
    expect(isGlueCompatibility(loadRegistry().string("GLUE_SCHEMA_COMPATIBILITY_MODE"))).toBe(true);
    expect(isGlueCompatibility("backward")).toBe(false);
  });
  it("renders the anchor schema as the reference registered it (stable text = no new Glue version)", () => {
    const text = controlEnvelopeDefinition();
    expect(text).toBe(controlEnvelopeDefinition());
    expect(text.startsWith('{\n  "$schema": "http://json-schema.org/draft-07/schema#",\n  "title": "ControlEnvelope",\n  "type": "object",\n')).toBe(true);
    expect(text.endsWith('    "written_at_utc"\n  ]\n}\n')).toBe(true);
    expect(JSON.parse(text).required).toEqual([...CONTROL_ENVELOPE_FIELDS]);
    expect(JSON.parse(text)).not.toHaveProperty("additionalProperties");
  });
});

describe("fraud-platform:streaming settings", () => {
  const LAYER = { "aws:region": "eu-west-2" };
  it("switches topics on by default and in the shipped environment", () => {
    expect(loadEnvironment({ stackName: "dev-full-streaming", layerConfig: LAYER }).settings.streaming).toEqual({ topicsEnabled: true });
    const shared = fs
      .readFileSync(path.join(PROJECT_ROOT, "Pulumi.dev-full.yaml"), "utf8")
      .replace(/\n {2}fraud-platform:streaming:\n {4}topicsEnabled: true\n/, "\n");
    expect(shared).not.toContain("fraud-platform:streaming");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "streaming-env-"));
    fs.writeFileSync(path.join(dir, "Pulumi.dev-full.yaml"), shared);
    expect(loadEnvironment({ stackName: "dev-full-streaming", layerConfig: LAYER, projectDir: dir }).settings.streaming.topicsEnabled).toBe(true);
  });
  it("lets the layer stack switch topics off", () => {
    const env = loadEnvironment({
      stackName: "dev-full-streaming",
      layerConfig: { ...LAYER, "fraud-platform:streaming": JSON.stringify({ topicsEnabled: false }) },
    });
    expect(env.settings.streaming.topicsEnabled).toBe(false);
  });
  it("names the file and key of a bad value or an unknown key", () => {
    const problems = (layerConfig: Record<string, string>): string[] => {
      try {
        loadEnvironment({ stackName: "dev-full-streaming", layerConfig: { ...LAYER, ...layerConfig } });
      } catch (e) {
        if (e instanceof InputError) return e.problems.map((p) => `${p.file}: ${p.key}: expected ${p.expected}, found ${p.found}`);
        throw e;
      }
      return [];
    };
    expect(problems({ "fraud-platform:streaming": JSON.stringify({ topicsEnabled: "yes" }) })).toEqual([
      'Pulumi.dev-full-streaming.yaml: fraud-platform:streaming.topicsEnabled: expected true or false, found "yes"',
    ]);
    expect(problems({ "fraud-platform:streaming": JSON.stringify({ topicsEnabld: false }) })).toEqual([
      expect.stringMatching(
        /^Pulumi\.dev-full-streaming\.yaml: fraud-platform:streaming\.topicsEnabld: expected one of the known keys: topicsEnabled \(keys declared in src\/config\/settings\.ts \(streamingSettingsSchema\)\), found an unknown key "topicsEnabld"$/,
      ),
    ]);
  });
});
