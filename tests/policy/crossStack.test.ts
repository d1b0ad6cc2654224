/**
 * DA-24 / DA-25 in two parts: each stack's share runs in the pack (`policies/rules/requiredHandles.ts`, so a real
 * single-stack preview enforces it); the whole-environment part (owner and uniqueness across stacks) runs where
 * the five previews meet (`crossStackViolations`). Pins come only from what the documents declare.
 */
import * as fs from "fs";
import * as path from "path";
import { requiredHandlePolicies } from "../../policies/rules/requiredHandles";
import { PreviewDocument } from "../../src/plan/previewDocument";
import { crossStackViolations } from "../../src/policy/crossStack";
import { loadRegistry } from "../../src/registry/registry";
import { check } from "../helpers/policyFixtures";
import { sharedPlan } from "../helpers/sharedPlan";
import { ALL_STACK_PINS } from "../helpers/pins";

const STACKS = ["dev-full-core", "dev-full-streaming", "dev-full-runtime", "dev-full-data-ml", "dev-full-ops"];
const ALL = ["core", "streaming", "runtime", "data_ml", "ops"] as const;
let docs: PreviewDocument[];
let unpinnedDocs: PreviewDocument[];
const registry = loadRegistry();

const read = (outDir: string) => STACKS.map((s) => JSON.parse(fs.readFileSync(path.join(outDir, `${s}.preview.json`), "utf8")) as PreviewDocument);

beforeAll(async () => {
  docs = read((await sharedPlan([...ALL], ALL_STACK_PINS)).outDir);
  unpinnedDocs = read((await sharedPlan([...ALL])).outDir);
}, 300_000);

const matching = (d: PreviewDocument, type: string, name: string) => d.steps.find((s) => s.newState?.type === type && s.newState.inputs.name === name);
const withoutStep = (d: PreviewDocument, type: string, name: string): PreviewDocument => ({
  ...d,
  steps: d.steps.filter((s) => s !== matching(d, type, name)),
});
const messages = (vs: { message: string }[]) => vs.map((v) => v.message.split("\n")[1]);

describe("each stack's share (pack policies da-24-owned-ssm-paths-declared, da-25-owned-roles-declared)", () => {
  it("stays quiet on every stack of the pinned plan", async () => {
    expect((await check(requiredHandlePolicies, docs)).violations).toEqual([]);
  });

  it("fires in the owning stack when it does not declare a required parameter or role", async () => {
    const runtime = withoutStep(
      withoutStep(docs[2], "aws:ssm/parameter:Parameter", "/fraud-platform/dev_full/redis/endpoint"),
      "aws:iam/role:Role",
      "fraud-platform-dev-full-stepfunctions-orchestrator",
    );
    expect(messages((await check(requiredHandlePolicies, runtime)).violations)).toEqual([
      "/fraud-platform/dev_full/redis/endpoint (SSM_REDIS_ENDPOINT_PATH) is owned by the runtime layer and not declared in this stack.",
      "role fraud-platform-dev-full-stepfunctions-orchestrator (ROLE_STEP_FUNCTIONS_ORCHESTRATOR) is owned by the runtime layer and not declared in this stack.",
    ]);
  });

  it("defers a service's paths when the stack declares nothing of the service, and only then", async () => {
    const dataMl = docs[3];
    const noToken = withoutStep(dataMl, "aws:ssm/parameter:Parameter", "/fraud-platform/dev_full/databricks/token");
    expect(messages((await check(requiredHandlePolicies, noToken)).violations)).toEqual([
      "/fraud-platform/dev_full/databricks/token (SSM_DATABRICKS_TOKEN_PATH) is owned by the data_ml layer and not declared in this stack.",
    ]);
    const databricksOff = {
      ...noToken,
      steps: noToken.steps.filter((s) => !s.newState?.type.startsWith("databricks:") && s.newState?.type !== "pulumi:providers:databricks"),
    };
    expect((await check(requiredHandlePolicies, databricksOff)).violations).toEqual([]);
  });

  it("defers the IRSA roles with the EKS lane surface when the stack declares none of it (a closed window), and only then", async () => {
    const runtime = docs[2];
    const irsaRole = (d: PreviewDocument, name: string) => matching(d, "aws:iam/role:Role", name);
    const lane = runtime.steps.filter(
      (s) =>
        /::(exception-lane|ns-[a-z-]+|irsa-[a-z-]+)$/.test(s.urn) ||
        /\$fraud-platform:runtime:(EksExceptionCluster|IrsaServiceAccount|LaneNamespace)/.test(s.urn) ||
        s.urn.includes("exception-lane"),
    );
    expect(lane.length).toBeGreaterThan(6);
    const laneDown = { ...runtime, steps: runtime.steps.filter((s) => !lane.includes(s)) };
    expect(irsaRole(laneDown, "fraud-platform-dev-full-irsa-ig")).toBeUndefined();
    expect((await check(requiredHandlePolicies, laneDown)).violations).toEqual([]);
    // One IRSA role left behind means the lane is declared: every other lane role is required again.
    const oneLeft = { ...laneDown, steps: [...laneDown.steps, irsaRole(runtime, "fraud-platform-dev-full-irsa-ig")!] };
    expect(messages((await check(requiredHandlePolicies, oneLeft)).violations)).toEqual([
      "role fraud-platform-dev-full-irsa-rtdl (ROLE_EKS_IRSA_RTDL) is owned by the runtime layer and not declared in this stack.",
      "role fraud-platform-dev-full-irsa-decision-lane (ROLE_EKS_IRSA_DECISION_LANE) is owned by the runtime layer and not declared in this stack.",
      "role fraud-platform-dev-full-irsa-case-labels (ROLE_EKS_IRSA_CASE_LABELS) is owned by the runtime layer and not declared in this stack.",
      "role fraud-platform-dev-full-irsa-obs-gov (ROLE_EKS_IRSA_OBS_GOV) is owned by the runtime layer and not declared in this stack.",
      // its pin came from the tag of the role that went with the lane
      expect.stringMatching(/^ROLE_EKS_IRSA_LEARNING is TO_PIN: pin it before any runtime lane needs it/),
    ]);
  });

  it("fires in the runtime stack while the learning role is not pinned in its stack config", async () => {
    const r = await check(requiredHandlePolicies, unpinnedDocs);
    expect(r.violations.map((v) => [v.stack, v.enforcementLevel])).toEqual([["dev-full-runtime", "mandatory"]]);
    expect(messages(r.violations)[0]).toMatch(
      /^ROLE_EKS_IRSA_LEARNING is TO_PIN: pin it before any runtime lane needs it: pulumi config set --secret --path 'fraud-platform:pins.ROLE_EKS_IRSA_LEARNING'/,
    );
  });
});

describe("the whole-environment part (crossStackViolations)", () => {
  it("stays quiet on the five-stack plan, reading the learning role's pin from the documents", () => {
    expect(crossStackViolations(docs, registry)).toEqual([]);
    expect(crossStackViolations(unpinnedDocs, registry)).toEqual([]);
  });

  it("DA-24 fires when a required parameter is declared twice or by a stack that does not own it", () => {
    const param = matching(docs[2], "aws:ssm/parameter:Parameter", "/fraud-platform/dev_full/aurora/endpoint");
    const twice = docs.map((d, i) => (i === 4 && param ? { ...d, steps: [...d.steps, param] } : d));
    expect(messages(crossStackViolations(twice, registry))).toEqual([
      "/fraud-platform/dev_full/aurora/endpoint is declared by 2 resources (dev-full-runtime, dev-full-ops); exactly one stack owns it.",
    ]);
    const moved = twice.map((d, i) => (i === 2 ? withoutStep(d, "aws:ssm/parameter:Parameter", "/fraud-platform/dev_full/aurora/endpoint") : d));
    expect(messages(crossStackViolations(moved, registry))).toEqual([
      "/fraud-platform/dev_full/aurora/endpoint is declared by dev-full-ops; the registry gives it to the runtime layer.",
    ]);
  });

  it("DA-25 fires when a required role is declared twice or by a stack that does not own it", () => {
    const role = matching(docs[2], "aws:iam/role:Role", "fraud-platform-dev-full-irsa-learning");
    expect(role).toBeDefined();
    const twice = docs.map((d, i) => (i === 3 && role ? { ...d, steps: [...d.steps, role] } : d));
    expect(messages(crossStackViolations(twice, registry))).toEqual([
      "role fraud-platform-dev-full-irsa-learning (ROLE_EKS_IRSA_LEARNING) is declared by 2 resources (dev-full-runtime, dev-full-data-ml); exactly one stack owns it.",
    ]);
    const moved = twice.map((d, i) => (i === 2 ? withoutStep(d, "aws:iam/role:Role", "fraud-platform-dev-full-irsa-learning") : d));
    expect(messages(crossStackViolations(moved, registry))).toEqual([
      "role fraud-platform-dev-full-irsa-learning (ROLE_EKS_IRSA_LEARNING) is declared by dev-full-data-ml; the registry gives it to the runtime layer.",
    ]);
  });

  it("judges nothing from a partial set of stacks", () => {
    const param = matching(docs[2], "aws:ssm/parameter:Parameter", "/fraud-platform/dev_full/aurora/endpoint");
    const twice = docs.map((d, i) => (i === 1 && param ? { ...d, steps: [...d.steps, param] } : d));
    expect(crossStackViolations(twice.slice(0, 3), registry)).toEqual([]);
  });
});
