import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { loadEnvironment } from "../../src/config/environment";
import { PROJECT_ROOT } from "../../src/registry/registry";
import { problemsOf, problemsWithFixOf } from "../helpers/inputProblems";

const SHARED = fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.dev-full.yaml"), "utf8");
const LAYER_CONFIG = { "aws:region": "eu-west-2" };

/** A project dir whose shared environment file is `text`. */
function projectWith(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "env-"));
  fs.writeFileSync(path.join(dir, "Pulumi.dev-full.yaml"), text);
  return dir;
}

const load = (text: string, layerConfig: Record<string, string> = LAYER_CONFIG, stackName = "dev-full-core") =>
  loadEnvironment({ stackName, layerConfig, projectDir: projectWith(text) });

describe("environment loader", () => {
  it("loads the shipped dev-full environment for every layer", () => {
    for (const [stack, layer] of [
      ["dev-full-core", "core"],
      ["dev-full-streaming", "streaming"],
      ["dev-full-runtime", "runtime"],
      ["dev-full-data-ml", "data_ml"],
      ["dev-full-ops", "ops"],
    ]) {
      const env = loadEnvironment({ stackName: stack, layerConfig: LAYER_CONFIG });
      expect(env.layer).toBe(layer);
      expect(env.region).toBe("eu-west-2");
      expect(env.settings.network.privateSubnetCidrs).toEqual(["10.70.128.0/20", "10.70.144.0/20"]);
      expect(env.stackReference("core")).toBe("organization/fraud-platform/dev-full-core");
    }
  });

  it("overlays the layer stack's config over the shared file", () => {
    const env = loadEnvironment({
      stackName: "dev-full-core",
      layerConfig: { ...LAYER_CONFIG, "fraud-platform:organization": "acme", "fraud-platform:additionalTags": JSON.stringify({ cost_centre: "fraud" }) },
    });
    expect(env.settings.organization).toBe("acme");
    expect(env.settings.additionalTags).toEqual({ cost_centre: "fraud" });
    expect(env.settings.network.vpcCidr).toBe("10.70.0.0/16");
  });

  it("rejects an unknown or layer-less stack name, listing the valid names", () => {
    expect(problemsOf(() => load(SHARED, LAYER_CONFIG, "dev-full"))).toEqual([
      expect.stringMatching(
        /Pulumi.yaml: stack name: expected <env>-<layer>.*dev-full-core, dev-full-streaming, dev-full-runtime, dev-full-data-ml, dev-full-ops.*found "dev-full"/,
      ),
    ]);
    expect(() => load(SHARED, LAYER_CONFIG, "dev-full-network")).toThrow(/names no layer/);
  });

  it("reports a missing key with file and key", () => {
    const text = SHARED.replace(/ {2}fraud-platform:organization: organization\n/, "");
    expect(problemsOf(() => load(text))).toEqual(["Pulumi.dev-full.yaml: fraud-platform:organization: expected string, found nothing (key missing)"]);
  });

  it("reports a wrong type with what was expected and found", () => {
    const text = SHARED.replace("availabilityZoneCount: 2", "availabilityZoneCount: two");
    expect(problemsOf(() => load(text))).toEqual(
      expect.arrayContaining(['Pulumi.dev-full.yaml: fraud-platform:network.availabilityZoneCount: expected number, found "two"']),
    );
  });

  it("takes the window's Aurora snapshot names from the runtime stack and refuses an invalid one", () => {
    const snapshots = {
      finalIdentifier: "fraud-platform-dev-full-aurora-final-window-p0-20260302t100000z",
      restoreFrom: "fraud-platform-dev-full-aurora-final-window-p2-1",
    };
    const env = load(SHARED, { ...LAYER_CONFIG, "fraud-platform:auroraSnapshots": JSON.stringify(snapshots) }, "dev-full-runtime");
    expect(env.settings.auroraSnapshots).toEqual(snapshots);
    expect(load(SHARED, LAYER_CONFIG, "dev-full-runtime").settings.auroraSnapshots).toEqual({});
    const problems = problemsOf(() =>
      load(SHARED, { ...LAYER_CONFIG, "fraud-platform:auroraSnapshots": JSON.stringify({ restoreFrom: "aurora--final" }) }, "dev-full-runtime"),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^Pulumi.dev-full-runtime.yaml: fraud-platform:auroraSnapshots.restoreFrom: expected an RDS snapshot identifier/),
    ]);
  });

  it("names the layer stack file when the bad value came from there", () => {
    const problems = problemsOf(() => load(SHARED, { ...LAYER_CONFIG, "fraud-platform:network": JSON.stringify({ vpcCidr: "10.70.0.0/33" }) }));
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Pulumi.dev-full-core.yaml: fraud-platform:network.vpcCidr: expected an IPv4 CIDR block/)]),
    );
  });

  it("rejects unknown keys (typos) rather than ignoring them", () => {
    const text = SHARED.replace("  fraud-platform:pins: {}", "  fraud-platform:pins: {}\n  fraud-platform:netwrok: {}");
    expect(problemsWithFixOf(() => load(text))).toEqual([
      expect.stringMatching(
        /^Pulumi\.dev-full\.yaml: fraud-platform:netwrok: expected one of the known keys: organization, .*network.* \(keys declared in src\/config\/settings\.ts \(environmentSettingsSchema\)\), found an unknown key "netwrok"\n\s+fix: did you mean "network"\? rename the key$/,
      ),
    ]);
  });

  it("refuses secrets in the shared file", () => {
    const text = SHARED.replace("  fraud-platform:pins: {}", "  fraud-platform:pins:\n    AWS_BUDGET_NOTIFICATION_EMAIL:\n      secure: v1:AAAA");
    expect(problemsWithFixOf(() => load(text))).toEqual([
      expect.stringMatching(
        /^Pulumi\.dev-full\.yaml: fraud-platform:pins\.AWS_BUDGET_NOTIFICATION_EMAIL: expected a plain value \(the shared environment file holds no secrets\), found a `secure:` value\n\s+fix: remove it from Pulumi\.dev-full\.yaml and set it on the layer stack that reads it: pulumi config set --secret --path fraud-platform:pins\.AWS_BUDGET_NOTIFICATION_EMAIL '<value>' --stack dev-full-\w+$/,
      ),
    ]);
  });

  it("rejects pins for unknown or already pinned handles", () => {
    const problems = problemsOf(() => load(SHARED, { ...LAYER_CONFIG, "fraud-platform:pins": JSON.stringify({ AWS_REGION: "us-east-1", NOPE: "x" }) }));
    expect(problems).toEqual([
      expect.stringMatching(/fraud-platform:pins.AWS_REGION: expected a TO_PIN handle/),
      expect.stringMatching(/fraud-platform:pins.NOPE: expected the name of a TO_PIN handle, found an unknown handle/),
    ]);
  });

  it("fails closed on a TO_PIN handle and resolves it once pinned", () => {
    const env = load(SHARED);
    expect(() => env.pinned("AWS_BUDGET_NOTIFICATION_EMAIL")).toThrow(/TO_PIN/);
    const pinned = load(SHARED, { ...LAYER_CONFIG, "fraud-platform:pins": JSON.stringify({ AWS_BUDGET_NOTIFICATION_EMAIL: "ops@example.com" }) });
    expect(pinned.registry.string("AWS_BUDGET_NOTIFICATION_EMAIL")).toBe("ops@example.com");
  });

  it("rejects subnet CIDRs outside the VPC or overlapping each other", () => {
    const outside = SHARED.replace("- 10.70.144.0/20", "- 10.80.144.0/20");
    expect(problemsOf(() => load(outside))).toEqual([
      'Pulumi.dev-full.yaml: fraud-platform:network.privateSubnetCidrs.1: expected a subnet inside the VPC CIDR 10.70.0.0/16, found "10.80.144.0/20"',
    ]);
    const overlap = SHARED.replace("- 10.70.144.0/20", "- 10.70.128.0/21");
    expect(problemsOf(() => load(overlap))).toEqual([
      expect.stringMatching(/privateSubnetCidrs.1: expected a subnet that does not overlap privateSubnetCidrs\[0\]/),
    ]);
  });

  it("rejects an AZ count that does not match the subnet count", () => {
    const text = SHARED.replace("availabilityZoneCount: 2", "availabilityZoneCount: 3");
    expect(problemsOf(() => load(text))).toEqual([
      expect.stringMatching(/network.publicSubnetCidrs: expected exactly availabilityZoneCount \(3\) CIDRs, one per AZ/),
      expect.stringMatching(/network.privateSubnetCidrs: expected exactly availabilityZoneCount \(3\) CIDRs, one per AZ/),
    ]);
  });

  it("requires the pinned region in the shared file and in the layer stack file", () => {
    expect(problemsOf(() => load(SHARED.replace("aws:region: eu-west-2", "aws:region: us-east-1")))).toEqual([
      'Pulumi.dev-full.yaml: aws:region: expected eu-west-2 (AWS_REGION in the registry), found "us-east-1"',
    ]);
    expect(problemsOf(() => load(SHARED, {}))).toEqual([
      expect.stringMatching(/^Pulumi.dev-full-core.yaml: aws:region: expected eu-west-2 .*found nothing \(key missing\)/),
    ]);
  });

  it("reports a missing shared file and every problem at once", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "env-"));
    expect(problemsOf(() => loadEnvironment({ stackName: "dev-full-core", layerConfig: LAYER_CONFIG, projectDir: dir }))[0]).toMatch(
      /Pulumi.dev-full.yaml: \(file\): expected the environment's shared settings file, found no such file/,
    );
  });

  it("accepts any free /20 inside the VPC and rejects any subnet outside it (property)", () => {
    // Subnets 0 and 1 of the shipped layout sit at 10.70.0.0 and 10.70.16.0; 10.70.32.0 .. 10.70.112.0 are free.
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 7 }), (slot) => {
        const text = SHARED.replace("- 10.70.16.0/20", `- 10.70.${slot * 16}.0/20`);
        expect(load(text).settings.network.publicSubnetCidrs[1]).toBe(`10.70.${slot * 16}.0/20`);
      }),
      { numRuns: 6 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }).filter((b) => b !== 70),
        (a, b) => {
          const text = SHARED.replace("- 10.70.16.0/20", `- ${a === 10 ? 11 : a}.${b}.16.0/20`);
          expect(problemsOf(() => load(text))).toEqual([expect.stringMatching(/publicSubnetCidrs.1: expected a subnet inside the VPC CIDR 10.70.0.0\/16/)]);
        },
      ),
      { numRuns: 25 },
    );
  });
});
