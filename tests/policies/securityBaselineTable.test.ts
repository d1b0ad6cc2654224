/**
 * docs/security-baseline.md stays honest: every policy a status names exists in the pack, every row has one of the
 * three statuses, and every resource type the pinned plan of all five layers declares appears in the table.
 */
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../policies/pack";
import { securityBaselinePolicies } from "../../policies/rules/securityBaseline";
import { LAYERS } from "../../src/layers";
import { proposedResources } from "../../src/policy/harness";
import { ALL_STACK_PINS } from "../helpers/pins";
import { sharedPlan } from "../helpers/sharedPlan";

const TABLE_FILE = path.join(__dirname, "../../docs/security-baseline.md");

interface Row {
  control: string;
  title: string;
  types: string[];
  status: string;
  policies: string[];
}

/** The rows of the "Controls" table: `| control | title | resource types | status |`. */
function parseBaselineTable(markdown: string): Row[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith("Controls"));
  if (!section) throw new Error("docs/security-baseline.md has no '## Controls' section");
  const lines = section.split("\n").filter((l) => l.startsWith("|"));
  const [header, rule, ...body] = lines;
  expect(header).toMatch(/^\| control \| title \| resource types \| status \|$/);
  expect(rule).toMatch(/^\|( --- \|){4}$/);
  return body.map((line) => {
    const cells = line
      .slice(1, -1)
      .split(" | ")
      .map((c) => c.trim());
    if (cells.length !== 4) throw new Error(`table row has ${cells.length} cells, expected 4: ${line}`);
    const [control, title, types, status] = cells;
    const ticked = (s: string) => [...s.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    return { control, title, types: ticked(types), status, policies: ticked(status).filter((t) => /^(da|sb)-\d+-/.test(t)) };
  });
}

describe("docs/security-baseline.md", () => {
  const rows = parseBaselineTable(fs.readFileSync(TABLE_FILE, "utf8"));
  const names = new Set(policies.map((p) => p.name));

  it("names only policies of the pack, and every row has a status (policy, DA rule or n/a with a reason)", () => {
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows) {
      expect({ control: row.control, status: row.status }).toEqual({
        control: row.control,
        status: expect.stringMatching(/^(policy: `sb-|DA: `da-|n\/a: \S)/),
      });
      expect({ control: row.control, missing: row.policies.filter((p) => !names.has(p)) }).toEqual({ control: row.control, missing: [] });
      if (row.status.startsWith("policy:")) expect(row.policies.some((p) => p.startsWith("sb-"))).toBe(true);
      expect(row.types.length).toBeGreaterThan(0);
    }
  });

  it("maps every security-baseline policy of the pack to at least one control", () => {
    const named = new Set(rows.flatMap((r) => r.policies));
    expect(securityBaselinePolicies.map((p) => p.name).filter((n) => !named.has(n))).toEqual([]);
  });

  it("lists every resource type the pinned plan of the five stacks declares", async () => {
    const { outDir } = await sharedPlan([...LAYERS], ALL_STACK_PINS);
    const previews = fs.readdirSync(outDir).filter((f) => f.endsWith(".preview.json"));
    expect(previews).toHaveLength(LAYERS.length);
    const declared = new Set(previews.flatMap((f) => proposedResources(JSON.parse(fs.readFileSync(path.join(outDir, f), "utf8"))).map((r) => r.type)));
    const listed = new Set(rows.flatMap((r) => r.types));
    expect([...declared].filter((t) => !listed.has(t)).sort()).toEqual([]);
  }, 600_000);
});
