/**
 * The teardown plan from plan files: reverse apply order, the protection flags of the retained surfaces on a real
 * plan's preview JSON (core and streaming planned once), the dry-run output, and what makes a plan unable to tear
 * down cleanly (cloud-side deletion protection, an unprotected required surface).
 */
import * as fs from "fs";
import * as path from "path";
import { main } from "../../src/cli/main";
import { runTeardown } from "../../src/cli/teardownCommand";
import { LAYER_SPECS } from "../../src/layers";
import { PreviewDocument, ResourceState } from "../../src/plan/previewDocument";
import { loadRegistry } from "../../src/registry/registry";
import { Layer } from "../../src/registry/schema";
import { readPlanDocuments, teardownOrder, teardownPlanOf } from "../../src/teardown/plan";
import { tmpDir } from "./fakes";
import { copyPlanDir, sharedPlan } from "../helpers/sharedPlan";

const registry = loadRegistry();
let planDir: string;

beforeAll(async () => {
  const shared = await sharedPlan(["core", "streaming"]);
  planDir = copyPlanDir(shared.outDir, tmpDir("td-plan"));
  const result = shared.result;
  for (const o of result.outcomes) if (o.status !== "planned") throw new Error(`${o.stackName} did not plan: ${o.failure?.message}`);
}, 300_000);

const states = (stack: string): ResourceState[] =>
  (JSON.parse(fs.readFileSync(path.join(planDir, `${stack}.preview.json`), "utf8")) as PreviewDocument).steps
    .map((s) => s.newState)
    .filter((s): s is ResourceState => s !== undefined);
const byInput = (stack: string, type: string, key: string, value: string): ResourceState => {
  const found = states(stack).filter((s) => s.type === type && s.inputs[key] === value);
  expect(found).toHaveLength(1);
  return found[0];
};

describe("order", () => {
  it("is the apply order reversed: ops, data_ml, runtime, streaming, core", () => {
    expect(teardownOrder("dev-full").map((s) => [s.order, s.layer, s.stackName])).toEqual([
      [1, "ops", "dev-full-ops"],
      [2, "data_ml", "dev-full-data-ml"],
      [3, "runtime", "dev-full-runtime"],
      [4, "streaming", "dev-full-streaming"],
      [5, "core", "dev-full-core"],
    ]);
    expect(teardownOrder("dev-full").map((s) => s.layer)).toEqual(LAYER_SPECS.map((s) => s.layer).reverse());
  });
});

describe("protection of the retained surfaces in the real plan (DA-101)", () => {
  it("protects and retains the evidence bucket, object store, KMS keys (platform, evidence signing) and aliases, and ECR repository in core", () => {
    const retained = [
      byInput("dev-full-core", "aws:s3/bucket:Bucket", "bucket", registry.string("S3_EVIDENCE_BUCKET")),
      byInput("dev-full-core", "aws:s3/bucket:Bucket", "bucket", registry.string("S3_OBJECT_STORE_BUCKET")),
      byInput("dev-full-core", "aws:kms/alias:Alias", "name", registry.string("KMS_KEY_ALIAS_PLATFORM")),
      byInput("dev-full-core", "aws:kms/alias:Alias", "name", registry.string("KMS_KEY_ALIAS_EVIDENCE_SIGNING")),
      byInput("dev-full-core", "aws:ecr/repository:Repository", "name", registry.string("ECR_REPO_NAME")),
      ...states("dev-full-core").filter((s) => s.type === "aws:kms/key:Key"),
    ];
    expect(retained).toHaveLength(7);
    for (const s of retained) expect([s.urn, s.protect, s.retainOnDelete]).toEqual([s.urn, true, true]);
    // The buckets' posture (encryption, versioning, public access block, policy) survives with them.
    const evidence = byInput("dev-full-core", "aws:s3/bucket:Bucket", "bucket", registry.string("S3_EVIDENCE_BUCKET"));
    const posture = states("dev-full-core").filter((s) => s.type.startsWith("aws:s3/") && s.type !== "aws:s3/bucket:Bucket" && s.parent === evidence.parent);
    expect(posture.length).toBeGreaterThanOrEqual(5);
    for (const s of posture) expect([s.type, s.protect]).toEqual([s.type, true]);
  });

  it("protects the Glue schema registry in streaming and leaves the MSK cluster teardown-scoped", () => {
    const glue = byInput("dev-full-streaming", "aws:glue/registry:Registry", "registryName", registry.string("GLUE_SCHEMA_REGISTRY_NAME"));
    expect([glue.protect, glue.retainOnDelete]).toEqual([true, true]);
    const msk = states("dev-full-streaming").filter((s) => s.type === "aws:msk/serverlessCluster:ServerlessCluster");
    expect(msk.map((s) => s.protect)).toEqual([false]);
  });

  it("checks the required surfaces against the documents: all protected in the planned layers", () => {
    const plan = teardownPlanOf("dev-full", readPlanDocuments(planDir, "dev-full"), registry, "test");
    const status = Object.fromEntries(plan.retention.map((c) => [c.surface, c.status]));
    expect(status).toMatchObject({
      "evidence bucket": "protected",
      "object store": "protected",
      "platform KMS key": "protected",
      "platform KMS alias": "protected",
      "evidence signing key alias": "protected",
      "ECR repository": "protected",
      "Glue schema registry": "protected",
      "monthly budget": "not-planned",
      "CI / teardown role": "not-planned",
    });
    expect(plan.outsideStacks).toEqual([{ surface: "IaC state backend", handle: "TF_STATE_BUCKET", value: registry.string("TF_STATE_BUCKET") }]);
    expect(plan.ok).toBe(true);
  });
});

describe("--dry-run", () => {
  it("prints the ordered destroy and the retained set from the plan files, without credentials", async () => {
    const out: string[] = [];
    const code = await runTeardown({ env: "dev-full", dryRun: true, fromPlan: planDir }, { print: (t) => void out.push(t) });
    expect(code).toBe(0);
    const text = out.join("\n");
    const order = ["1. dev-full-ops", "2. dev-full-data-ml", "3. dev-full-runtime", "4. dev-full-streaming", "5. dev-full-core"].map((h) =>
      text.indexOf(`\n${h}\n`),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toMatch(/1\. dev-full-ops\n {3}not planned: no dev-full-ops\.preview\.json/);
    expect(text).toMatch(/4\. dev-full-streaming\n {3}destroys \d+: .*1 aws:msk\/serverlessCluster:ServerlessCluster/);
    expect(text).toMatch(/retains {2}aws:glue\/registry:Registry schemas \(fraud-platform-dev-full\)/);
    expect(text).toMatch(/releases 14 \(removed from the stack, left in the cloud: retainOnDelete\): 14 kafka:index\/topic:Topic/);
    expect(text).toMatch(/retains {2}aws:s3\/bucket:Bucket evidence \(fraud-platform-dev-full-evidence\)/);
    expect(text).toMatch(/retains {2}aws:kms\/key:Key platform-key/);
    expect(text).toMatch(/outside the stacks: IaC state backend fraud-platform-dev-full-tfstate \(TF_STATE_BUCKET\)/);
    expect(text).toMatch(/idle-safe posture after teardown \(cost model\): \d+\.\d{4} USD\/month/);
    expect(text).toMatch(/result: the plan tears down cleanly \(exit 0\)/);
  });

  it("runs as `teardown --dry-run --from-plan DIR` (exit 0) and as JSON", async () => {
    const logs: string[] = [];
    const spy = jest.spyOn(console, "log").mockImplementation((m: string) => void logs.push(m));
    try {
      expect(await main(["teardown", "--dry-run", "--from-plan", planDir])).toBe(0);
      expect(await main(["teardown", "--dry-run", "--from-plan", planDir, "--json"])).toBe(0);
    } finally {
      spy.mockRestore();
      process.exitCode = undefined;
    }
    expect(logs[0]).toMatch(/^teardown of dev-full: 5 stacks in reverse apply order/);
    const json = JSON.parse(logs[1]) as {
      stacks: Array<{ stackName: string; planned: boolean }>;
      retained: unknown[];
      idle_safe_posture: { monthlyCost: string };
    };
    expect(json.stacks.map((s) => [s.stackName, s.planned])).toEqual([
      ["dev-full-ops", false],
      ["dev-full-data-ml", false],
      ["dev-full-runtime", false],
      ["dev-full-streaming", true],
      ["dev-full-core", true],
    ]);
    expect(json.retained.length).toBeGreaterThan(0);
    expect(json.idle_safe_posture.monthlyCost).toMatch(/^\d+\.\d{4}$/);
  });

  it("exits 2 without plan files", async () => {
    const errors: string[] = [];
    const spy = jest.spyOn(console, "error").mockImplementation((m: string) => void errors.push(m));
    try {
      expect(await main(["teardown", "--dry-run", "--from-plan", path.join(tmpDir("td-empty"), "missing")])).toBe(2);
      expect(await main(["teardown", "--dry-run", "--from-plan", tmpDir("td-empty")])).toBe(2);
    } finally {
      spy.mockRestore();
      process.exitCode = undefined;
    }
    expect(errors[0]).toMatch(/no such directory \(run `npm run plan` first/);
    expect(errors[1]).toMatch(/no <stack>\.preview\.json of dev-full/);
  });
});

describe("plans that cannot tear down cleanly", () => {
  const doc = (stack: string, resources: Array<Partial<ResourceState> & { type: string; name: string }>): PreviewDocument => ({
    stack,
    steps: resources.map((r) => {
      const urn = `urn:pulumi:${stack}::fraud-platform::${r.type}::${r.name}`;
      return {
        op: "create",
        urn,
        newState: {
          urn,
          type: r.type,
          custom: r.custom ?? true,
          protect: r.protect ?? false,
          retainOnDelete: r.retainOnDelete ?? false,
          inputs: r.inputs ?? {},
        },
      };
    }),
  });

  it("names cloud-side deletion protection on an unprotected resource as a blocker, with the fix", () => {
    const docs = new Map<Layer, PreviewDocument>([
      [
        "runtime",
        doc("dev-full-runtime", [
          {
            type: "aws:rds/cluster:Cluster",
            name: "aurora",
            inputs: {
              clusterIdentifier: "fraud-platform-dev-full-aurora",
              deletionProtection: true,
              finalSnapshotIdentifier: "fraud-platform-dev-full-aurora-final",
            },
          },
        ]),
      ],
    ]);
    const plan = teardownPlanOf("dev-full", docs, registry, "test");
    expect(plan.ok).toBe(false);
    const runtime = plan.stacks.find((s) => s.layer === "runtime");
    expect(runtime?.issues).toEqual([
      expect.objectContaining({
        severity: "blocker",
        type: "aws:rds/cluster:Cluster",
        name: "aurora",
        fix: expect.stringMatching(/deletionProtection false.*fraud-platform-dev-full-aurora-final/),
      }),
    ]);
  });

  it("fails the plan when a required surface is not protected, and lists a component of another package as a cloud object", () => {
    const docs = new Map<Layer, PreviewDocument>([
      [
        "core",
        doc("dev-full-core", [
          { type: "aws:s3/bucket:Bucket", name: "evidence", inputs: { bucket: registry.string("S3_EVIDENCE_BUCKET") }, protect: false },
          { type: "aws:kms/key:Key", name: "platform-key", protect: true, retainOnDelete: true },
        ]),
      ],
      ["runtime", doc("dev-full-runtime", [{ type: "eks:index:Cluster", name: "exception-lane", custom: false }])],
    ]);
    const plan = teardownPlanOf("dev-full", docs, registry, "test");
    expect(plan.ok).toBe(false);
    expect(plan.retention.find((c) => c.surface === "evidence bucket")?.status).toBe("not-protected");
    expect(plan.retention.find((c) => c.surface === "object store")?.status).toBe("absent");
    expect(plan.stacks.find((s) => s.layer === "runtime")?.destroy.map((r) => r.type)).toEqual(["eks:index:Cluster"]);
  });
});
