/** docs/design-rules.md is the pack's own list of design rules and policies: regenerated here, it must not differ. */
import * as fs from "fs";
import * as path from "path";
import { policyPack } from "../../policies/pack";
import { CROSS_STACK_POLICIES } from "../../src/policy/crossStack";
import { DESIGN_RULES, designRuleOf, designRulesMarkdown } from "../../src/policy/designRules";

const DOC = path.join(__dirname, "..", "..", "docs", "design-rules.md");

describe("docs/design-rules.md", () => {
  it("is what the pack's policy list and the rule data generate (npm run generate:design-rules)", () => {
    expect(fs.readFileSync(DOC, "utf8")).toBe(designRulesMarkdown(policyPack.policies));
  });

  it("names every DA policy of the pack and of the cross-stack pass in its rule's row", () => {
    const doc = fs.readFileSync(DOC, "utf8");
    const rows = new Map(
      doc
        .split("\n")
        .filter((l) => l.startsWith("| DA-"))
        .map((l) => [l.split(" | ")[0].slice(2), l]),
    );
    const policies = [...policyPack.policies, ...Object.values(CROSS_STACK_POLICIES)];
    const da = policies.filter((p) => designRuleOf(p.description) !== undefined);
    expect(da.length).toBeGreaterThan(60);
    for (const p of da)
      expect({ policy: p.name, row: rows.get(designRuleOf(p.description) as string)?.includes(`\`${p.name}\``) }).toEqual({ policy: p.name, row: true });
    expect([...rows.keys()]).toEqual(DESIGN_RULES.map((r) => r.id));
  });

  it("refuses a policy whose design rule has no entry, and shows a policy that changes", () => {
    expect(() => designRulesMarkdown([{ name: "da-999-new", description: "[DA-999] A rule nobody wrote down." }])).toThrow(
      /do not hold: DA-999|does not hold: DA-999/,
    );
    const renamed = policyPack.policies.map((p) => (p.name === "da-10-mandatory-tags" ? { ...p, name: "da-10-tags-renamed" } : p));
    expect(designRulesMarkdown(renamed)).not.toBe(fs.readFileSync(DOC, "utf8"));
    expect(designRulesMarkdown(renamed)).toContain("`da-10-tags-renamed`");
  });

  it("says where each kind of policy runs", () => {
    const doc = fs.readFileSync(DOC, "utf8");
    const row = (id: string) => doc.split("\n").find((l) => l.startsWith(`| ${id} |`)) ?? "";
    expect(row("DA-10")).toContain("pack: `pulumi preview`, `npm run plan`, `npm run policy-check`");
    expect(row("DA-24")).toContain("cross-stack pass");
    expect(row("DA-02")).toMatch(/\| - \| no policy/);
  });
});
