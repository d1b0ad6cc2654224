/**
 * The committed policy pack under the real analyzer runtime: started through the `pulumi-analyzer-policy` shim's
 * entry (`@pulumi/pulumi/cmd/run-policy-pack`, cwd `policies/`, args `<engine> . -typescript=true`), driven over
 * gRPC as the CLI drives it, and compared verdict for verdict with the in-process harness the plan uses.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
  AnalyzerDiagnostic,
  PolicyPackHost,
  analyzeDocument,
  configure,
  handshake,
  policyInfosOf,
  shimArguments,
  startPolicyPack,
} from "../../src/conformance/analyzerHost";
import { FakeEngine, startFakeEngine } from "../../src/conformance/engineServer";
import { PreviewDocument } from "../../src/plan/previewDocument";
import { PolicyPackConfig, evaluatePolicies } from "../../src/policy/harness";
import { AnalyzerPolicyConfig, parsePolicyPackConfig, reconcilePolicyPackConfig } from "../../src/policy/packConfig";
import { PROJECT_ROOT } from "../../src/registry/registry";
import { POLICY_PACK_NAME, policyPack } from "../../policies/pack";
import { ALL_STACK_PINS } from "../helpers/pins";
import { TAGS, doc, resource } from "../helpers/policyFixtures";
import { sharedPlan } from "../helpers/sharedPlan";

const PACK_DIR = path.join(PROJECT_ROOT, "policies");
const DEV_FULL_CONFIG = path.join(PACK_DIR, "config", "dev-full.json");

let engine: FakeEngine;
let pack: PolicyPackHost;
let infos: ReturnType<typeof policyInfosOf>;
let listed: string[];
let packVersion: string;
let packName: string;

type Verdict = { policy: string; urn?: string; enforcementLevel: string; message: string };
const key = (v: Verdict) => JSON.stringify([v.policy, v.urn ?? "", v.enforcementLevel, v.message]);
const sorted = (vs: Verdict[]) => vs.map(key).sort();

/** What the real pack says about a document under a config file's content, configured as the CLI configures it. */
async function realVerdicts(d: PreviewDocument, config: PolicyPackConfig = {}): Promise<Verdict[]> {
  const reconciled: Record<string, AnalyzerPolicyConfig> = reconcilePolicyPackConfig(infos, undefined, parsePolicyPackConfig(config, "config"), "config");
  await configure(pack.client, reconciled);
  const diags: AnalyzerDiagnostic[] = await analyzeDocument(pack.client, d);
  return diags;
}

/**
 * {@link realVerdicts} of a plan file: the pins variants share documents (no pins is the shipped defaults, both pinned
 * is the pinned plan), so each file and config is sent to the pack once.
 */
const verdictsOfFile = new Map<string, Promise<Verdict[]>>();
function realVerdictsOfFile(file: string, config: PolicyPackConfig): Promise<Verdict[]> {
  const key = JSON.stringify([file, config]);
  if (!verdictsOfFile.has(key)) verdictsOfFile.set(key, realVerdicts(JSON.parse(fs.readFileSync(file, "utf8")) as PreviewDocument, config));
  return verdictsOfFile.get(key)!;
}

async function harnessVerdicts(d: PreviewDocument, config: PolicyPackConfig = {}): Promise<Verdict[]> {
  const report = await evaluatePolicies([d], policyPack, config);
  return report.violations.map((v) => ({ policy: v.policy, urn: v.urn, enforcementLevel: v.enforcementLevel, message: v.message }));
}

beforeAll(async () => {
  engine = await startFakeEngine();
  // A pack that does not start fails here, with its own stderr in the error.
  pack = await startPolicyPack({ packDir: PACK_DIR, engineAddress: engine.address });
  const { info, pluginVersion } = await handshake(pack.client, PACK_DIR, engine.address, {
    stack: "dev-full-core",
    project: "fraud-platform",
    organization: "organization",
    dryRun: true,
  });
  infos = policyInfosOf(info);
  listed = info.getPoliciesList().map((p) => p.getName());
  packVersion = info.getVersion();
  packName = info.getName();
  expect(pluginVersion).toMatch(/^\d+\.\d+\.\d+/);
}, 180_000);

afterAll(async () => {
  await pack?.close();
  await engine?.close();
});

describe("the pack under run-policy-pack", () => {
  it("starts with the CLI's arguments and lists every policy of the pack, with its package.json version", () => {
    expect(packName).toBe(POLICY_PACK_NAME);
    expect(listed).toHaveLength(policyPack.policies.length);
    expect(listed.slice().sort()).toEqual(policyPack.policies.map((p) => p.name).sort());
    const pkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { version: string };
    expect(packVersion).toBe(pkg.version);
    expect(policyPack.version).toBe(pkg.version);
  });

  it("is started with the shim's arguments from PulumiPolicy.yaml", () => {
    expect(shimArguments(PACK_DIR, "127.0.0.1:1234")).toEqual(["127.0.0.1:1234", ".", "-typescript=true"]);
  });

  it("accepts the shipped policy config for a real preview", async () => {
    const config = JSON.parse(fs.readFileSync(DEV_FULL_CONFIG, "utf8")) as PolicyPackConfig;
    await expect(
      configure(pack.client, reconcilePolicyPackConfig(infos, undefined, parsePolicyPackConfig(config, DEV_FULL_CONFIG), DEV_FULL_CONFIG)),
    ).resolves.toBeUndefined();
  });
});

describe("same verdicts as the harness", () => {
  const today = new Date().toISOString().slice(0, 10);
  const queue = {
    urn: "urn:pulumi:dev-full-runtime::fraud-platform::aws:sqs/queue:Queue::ig-dlq",
    type: "aws:sqs/queue:Queue",
  };

  it.each([
    ["shipped defaults", {}],
    ["pinned", ALL_STACK_PINS],
  ])(
    "on the five plan documents (%s)",
    async (_label, pins) => {
      const { outDir } = await sharedPlan(["core", "streaming", "runtime", "data_ml", "ops"], pins);
      const config = JSON.parse(fs.readFileSync(DEV_FULL_CONFIG, "utf8")) as PolicyPackConfig;
      const files = fs.readdirSync(outDir).filter((f) => f.endsWith(".preview.json"));
      expect(files).toHaveLength(5);
      for (const f of files) {
        const d = JSON.parse(fs.readFileSync(path.join(outDir, f), "utf8")) as PreviewDocument;
        const real = await realVerdictsOfFile(path.join(outDir, f), config);
        expect(sorted(real)).toEqual(sorted(await harnessVerdicts(d, config)));
      }
    },
    300_000,
  );

  it("on the classic-mistakes fixture", async () => {
    const d = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "tests", "fixtures", "classic-mistakes.preview.json"), "utf8")) as PreviewDocument;
    const real = await realVerdicts(d);
    expect(real.filter((v) => v.enforcementLevel === "mandatory").length).toBeGreaterThan(0);
    expect(sorted(real)).toEqual(sorted(await harnessVerdicts(d)));
  });

  it("on an invalid exemption tag read by a list-of-checks policy (da-15) on a resource of another type", async () => {
    const d = doc({
      ...resource(queue.type, "ig-dlq", { name: "fraud-platform-dev-full-ig-dlq", tags: { ...TAGS, "fp_exempt_da-15-no-open-ingress": "approver=nobody" } }),
      urn: queue.urn,
    });
    const real = await realVerdicts(d);
    expect(real.filter((v) => v.policy.startsWith("da-15"))).toEqual([]);
    expect(sorted(real)).toEqual(sorted(await harnessVerdicts(d)));

    // On a security group (the type da-15 checks) the same invalid exemption is a mandatory violation on both paths.
    const sg = resource("aws:ec2/securityGroup:SecurityGroup", "app-sg", {
      name: "fraud-platform-dev-full-app",
      description: "app",
      vpcId: "vpc-1",
      ingress: [],
      egress: [],
      tags: { ...TAGS, "fp_exempt_da-15-no-open-ingress": "approver=nobody" },
    });
    const onSg = await realVerdicts(doc(sg));
    expect(onSg).toContainEqual(
      expect.objectContaining({
        policy: "da-15-no-open-ingress",
        urn: sg.urn,
        enforcementLevel: "mandatory",
        message: expect.stringMatching(/exemption has no reason/),
      }),
    );
    expect(sorted(onSg)).toEqual(sorted(await harnessVerdicts(doc(sg))));
  });

  it("on a resource whose tags are unknown at preview", async () => {
    // A compliant queue (named, encrypted with a customer key: SB-10) whose tags alone are unknown.
    const d = doc({
      ...resource(queue.type, "ig-dlq", {
        name: "fraud-platform-dev-full-ig-dlq",
        kmsMasterKeyId: "arn:aws:kms:eu-west-2:123456789012:key/0567e6a2-3213-46fa-a50d-0eb2441b9fb9",
        tags: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
      }),
      urn: queue.urn,
    });
    const real = await realVerdicts(d);
    expect(sorted(real)).toEqual(sorted(await harnessVerdicts(d)));
    // Only policies that apply to a queue read its tags: no list-of-checks policy of other types reports on it.
    const cantRun = real.filter((v) => v.message.includes("can't run"));
    // Of the resource rules, only the tag rule reads a compliant queue's tags; every other rule either does not
    // apply to a queue or passes without looking for an exemption.
    const resourceRules = new Set(policyPack.policies.filter((p) => "validateResource" in p).map((p) => p.name));
    expect(cantRun.filter((v) => resourceRules.has(v.policy)).map((v) => v.policy)).toEqual(["da-10-mandatory-tags"]);
  });

  it("under an `all` config: the level applies to every policy, a policy's own entry wins, properties stay per policy", async () => {
    const d = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "tests", "fixtures", "classic-mistakes.preview.json"), "utf8")) as PreviewDocument;
    const config: PolicyPackConfig = { all: "advisory", "da-06-pinned-physical-names": "mandatory", "da-10-mandatory-tags": { today } };
    const real = await realVerdicts(d, config);
    expect(real.some((v) => v.policy === "da-06-pinned-physical-names" && v.enforcementLevel === "mandatory")).toBe(true);
    expect(real.filter((v) => v.policy !== "da-06-pinned-physical-names").every((v) => v.enforcementLevel === "advisory")).toBe(true);
    expect(sorted(real)).toEqual(sorted(await harnessVerdicts(d, config)));
  });
});

describe("one source of pins: the same stack config gives the same verdict on every path", () => {
  // Every path gets the environment's policy config, as the workflows pass it (`--policy-pack-config`); the plan
  // reads it by default.
  const configFile = path.join(PROJECT_ROOT, "policies", "config", "dev-full.json");
  const envConfig = JSON.parse(fs.readFileSync(configFile, "utf8")) as PolicyPackConfig;
  const mandatory = (vs: Verdict[]) => sorted(vs.filter((v) => v.enforcementLevel === "mandatory"));
  const policyCheck = (files: string[]): { exit: number; report: { violations: Verdict[] } } => {
    try {
      const out = execFileSync(
        process.execPath,
        [path.join(PROJECT_ROOT, "bin", "fraud-platform.js"), "policy-check", "--json", "--policy-config", configFile, ...files],
        { cwd: PROJECT_ROOT, encoding: "utf8" },
      );
      return { exit: 0, report: JSON.parse(out) as { violations: Verdict[] } };
    } catch (e) {
      const err = e as { status: number; stdout: string };
      return { exit: err.status, report: JSON.parse(err.stdout) as { violations: Verdict[] } };
    }
  };

  it.each([
    ["no pins", {}, 1],
    ["ROLE_EKS_IRSA_LEARNING pinned", { ROLE_EKS_IRSA_LEARNING: ALL_STACK_PINS.ROLE_EKS_IRSA_LEARNING }, 0],
    ["AWS_BUDGET_NOTIFICATION_EMAIL pinned", { AWS_BUDGET_NOTIFICATION_EMAIL: ALL_STACK_PINS.AWS_BUDGET_NOTIFICATION_EMAIL }, 1],
    ["both pinned", ALL_STACK_PINS, 0],
  ] as const)(
    "%s",
    async (_label, pins, policyExit) => {
      const { result, outDir } = await sharedPlan(["core", "streaming", "runtime", "data_ml", "ops"], pins);
      const files = fs
        .readdirSync(outDir)
        .filter((f) => f.endsWith(".preview.json"))
        .map((f) => path.join(outDir, f));
      const fromPlan = result.policy.violations;
      const checked = policyCheck(files);
      const real: Verdict[] = [];
      for (const f of files) real.push(...(await realVerdictsOfFile(f, envConfig)));

      expect(mandatory(checked.report.violations)).toEqual(mandatory(fromPlan));
      expect(mandatory(real)).toEqual(mandatory(fromPlan));
      expect(checked.exit).toBe(policyExit);
      // The learning role's pin decides the policy verdict; the email is a program blocker (the program stops).
      expect(mandatory(real).length > 0).toBe(!("ROLE_EKS_IRSA_LEARNING" in pins));
      expect(result.blockers.map((b) => b.handle).sort()).toEqual(["AWS_BUDGET_NOTIFICATION_EMAIL", "ROLE_EKS_IRSA_LEARNING"].filter((h) => !(h in pins)));
      expect(result.exitCode).toBe(Object.keys(pins).length === 2 ? 0 : 1);
    },
    400_000,
  );
});
