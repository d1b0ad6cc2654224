import * as fs from "fs";
import * as path from "path";
import { PreviewDocument } from "../../src/plan/previewDocument";
import { crossStackViolations } from "../../src/policy/crossStack";
import { loadRegistry } from "../../src/registry/registry";
import { sharedPlan } from "../helpers/sharedPlan";
import { ALL_STACK_PINS } from "../helpers/pins";

const PINS = ALL_STACK_PINS;
const STACKS = ["dev-full-core", "dev-full-streaming", "dev-full-runtime", "dev-full-data-ml", "dev-full-ops"];
let docs: PreviewDocument[];
const registry = loadRegistry().withPins(PINS);

beforeAll(async () => {
  const { outDir } = await sharedPlan(["core", "streaming", "runtime", "data_ml", "ops"], PINS);
  docs = STACKS.map((s) => JSON.parse(fs.readFileSync(path.join(outDir, `${s}.preview.json`), "utf8")) as PreviewDocument);
}, 300_000);

/** A copy of the documents with the resources matching `drop` removed. */
const without = (drop: (type: string, name: unknown) => boolean): PreviewDocument[] =>
  docs.map((d) => ({ ...d, steps: d.steps.filter((s) => !(s.newState && drop(s.newState.type, s.newState.inputs.name))) }));

describe("cross-stack rules (DA-24, DA-25)", () => {
  it("stay quiet on the five-stack plan with its handles pinned", () => {
    expect(crossStackViolations(docs, registry)).toEqual([]);
  });

  it("DA-24 fires when a required parameter is missing or owned by two stacks", () => {
    const missing = crossStackViolations(without((t, n) => t === "aws:ssm/parameter:Parameter" && n === "/fraud-platform/dev_full/redis/endpoint"), registry);
    expect(missing.map((v) => [v.policy, v.message.split("\n")[1]])).toEqual([["da-24-required-ssm-paths", expect.stringMatching(/redis\/endpoint \(SSM_REDIS_ENDPOINT_PATH\) is declared by no stack; the runtime layer owns it/)]]);
    const param = docs[2].steps.find((s) => s.newState?.inputs.name === "/fraud-platform/dev_full/aurora/endpoint");
    const twice = docs.map((d, i) => (i === 4 && param ? { ...d, steps: [...d.steps, param] } : d));
    expect(crossStackViolations(twice, registry).map((v) => v.message.split("\n")[1])).toEqual([
      "/fraud-platform/dev_full/aurora/endpoint is declared by 2 resources (dev-full-runtime, dev-full-ops); exactly one stack owns it.",
    ]);
  });

  it("DA-25 fires when a required role is missing, and while the learning role is unpinned", () => {
    const noSfn = crossStackViolations(without((t, n) => t === "aws:iam/role:Role" && n === "fraud-platform-dev-full-stepfunctions-orchestrator"), registry);
    expect(noSfn.map((v) => v.message.split("\n")[1])).toEqual(["role fraud-platform-dev-full-stepfunctions-orchestrator (ROLE_STEP_FUNCTIONS_ORCHESTRATOR) is declared by no stack; the runtime layer owns it."]);
    const unpinned = crossStackViolations(docs, loadRegistry());
    expect(unpinned.map((v) => v.message.split("\n")[1])).toEqual(["ROLE_EKS_IRSA_LEARNING is TO_PIN: pin it before any runtime lane needs it."]);
  });

  it("judge nothing from a partial set of stacks", () => {
    expect(crossStackViolations(docs.slice(0, 3), loadRegistry())).toEqual([]);
  });
});
