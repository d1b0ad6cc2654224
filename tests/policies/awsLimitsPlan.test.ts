/**
 * The AWS limits family on the shipped plan: it judges the plan's real previews (the pinned plan of all five
 * stacks), finds nothing there, and fires once the same previews carry an over-long name, tag or policy document.
 */
import * as fs from "fs";
import * as path from "path";
import { awsLimitsPolicies } from "../../policies/rules/awsLimits";
import { NAME_LIMITS } from "../../policies/rules/awsLimits/nameLimits";
import { LAYERS } from "../../src/layers";
import { PreviewDocument, ResourceState, UNKNOWN } from "../../src/plan/previewDocument";
import { proposedResources } from "../../src/policy/harness";
import { check } from "../helpers/policyFixtures";
import { ALL_STACK_PINS } from "../helpers/pins";
import { sharedPlan } from "../helpers/sharedPlan";

async function planDocs(): Promise<PreviewDocument[]> {
  const { outDir } = await sharedPlan([...LAYERS], ALL_STACK_PINS);
  const files = fs.readdirSync(outDir).filter((f) => f.endsWith(".preview.json"));
  expect(files).toHaveLength(LAYERS.length);
  return files.map((f) => JSON.parse(fs.readFileSync(path.join(outDir, f), "utf8")) as PreviewDocument);
}

/** Copies of the documents with `edit` applied to the first proposed resource of `type`; returns its URN. */
function mutated(docs: PreviewDocument[], type: string, edit: (inputs: Record<string, unknown>) => void): { docs: PreviewDocument[]; urn: string } {
  const copy = JSON.parse(JSON.stringify(docs)) as PreviewDocument[];
  const target = copy.flatMap(proposedResources).find((r) => r.type === type) as ResourceState;
  expect(target).toBeDefined();
  edit(target.inputs as Record<string, unknown>);
  return { docs: copy, urn: target.urn };
}

const padDocument = (text: string, to: number): string => {
  const d = JSON.parse(text) as { Statement: Array<Record<string, unknown>> };
  d.Statement[0].Sid = `${String(d.Statement[0].Sid ?? "S")}${"x".repeat(to)}`;
  return JSON.stringify(d);
};

describe("AWS limits family on the shipped plan", () => {
  it("judges the plan's names, tags and documents and finds nothing: no violation, no can't-run note", async () => {
    const docs = await planDocs();
    const resources = docs.flatMap(proposedResources);
    const judgedNames = resources.filter((r) =>
      NAME_LIMITS.some((row) => row.type === r.type && typeof r.inputs[row.property] === "string" && r.inputs[row.property] !== UNKNOWN),
    );
    expect(judgedNames.length).toBeGreaterThan(60);
    expect(resources.filter((r) => r.type.startsWith("aws:") && r.inputs.tags !== undefined).length).toBeGreaterThan(60);
    const r = await check(awsLimitsPolicies, docs);
    expect(r.violations).toEqual([]);
  }, 600_000);

  it("fires on an over-long role name in the plan", async () => {
    const { docs, urn } = mutated(await planDocs(), "aws:iam/role:Role", (i) => (i.name = `${String(i.name)}-${"x".repeat(64)}`));
    const r = await check(awsLimitsPolicies, docs);
    expect(r.violations.map((v) => [v.policy, v.urn])).toEqual([["sb-40-iam-role-name-limits", urn]]);
    expect(r.violations[0].message).toMatch(/`name` is \d+ characters, over the IAM role name limit of 64: shorten `name` to 64 characters or fewer/);
  }, 600_000);

  it("fires on an over-long tag value in the plan", async () => {
    const { docs, urn } = mutated(await planDocs(), "aws:s3/bucket:Bucket", (i) => (i.tags = { ...(i.tags as Record<string, string>), note: "n".repeat(300) }));
    const r = await check(awsLimitsPolicies, docs);
    expect(r.violations.map((v) => [v.policy, v.urn])).toEqual([["sb-41-aws-tag-limits", urn]]);
    expect(r.violations[0].message).toContain('tag "note" has a value of 300 characters, over the limit of 256');
  }, 600_000);

  it("fires on an over-long policy document in the plan (a trust policy, and a role's inline total)", async () => {
    const trust = mutated(await planDocs(), "aws:iam/role:Role", (i) => (i.assumeRolePolicy = padDocument(String(i.assumeRolePolicy), 2048)));
    const t = await check(awsLimitsPolicies, trust.docs);
    expect(t.violations.map((v) => [v.policy, v.urn])).toEqual([["sb-42-iam-policy-size-limits", trust.urn]]);
    const inline = mutated(await planDocs(), "aws:iam/rolePolicy:RolePolicy", (i) => (i.policy = padDocument(String(i.policy), 10240)));
    const p = await check(awsLimitsPolicies, inline.docs);
    expect(p.violations.map((v) => v.policy)).toEqual(["sb-42-inline-policy-size-per-role"]);
    expect(p.violations[0].message).toMatch(/its inline policies total \d+ characters without whitespace .* over the quota of 10240 per role/);
  }, 600_000);
});
