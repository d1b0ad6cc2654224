/** Pack metadata must be acceptable to the real policy analyzer. */
import * as fs from "fs";
import * as path from "path";
import { POLICY_PACK_NAME, policies } from "../../policies/pack";
import { TAGGABLE_FILE, scanTaggableTypes } from "../../scripts/generate-taggable-types";

describe("policy pack metadata", () => {
  it("has valid, unique policy names carrying a DA or SB id, and valid config schemas", () => {
    expect(POLICY_PACK_NAME).toMatch(/^[a-zA-Z0-9-_.]{1,100}$/);
    const names = policies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of policies) {
      expect(p.name).toMatch(/^(da|sb)-\d{2,3}-[a-z0-9-]+$/);
      expect(p.name).not.toBe("all");
      expect(p.description).toMatch(/^\[(DA|SB)-\d+\] /);
      expect(p.description.slice(1, 3).toLowerCase()).toBe(p.name.slice(0, 2));
      expect(["advisory", "mandatory"]).toContain(p.enforcementLevel);
      if (p.configSchema) expect(Object.keys(p.configSchema.properties)).not.toContain("enforcementLevel");
    }
  });

  it("keeps the policy entry file free of anything but the pack construction", () => {
    const entry = fs.readFileSync(path.join(__dirname, "../../policies/index.ts"), "utf8");
    expect(entry.match(/new PolicyPack\(/g)).toHaveLength(1);
    expect(entry).not.toMatch(/export /);
  });

  it("has a taggable-types list in step with the installed @pulumi/aws (npm run generate:taggable)", () => {
    const committed = JSON.parse(fs.readFileSync(TAGGABLE_FILE, "utf8")) as string[];
    expect(committed).toEqual(scanTaggableTypes());
  });
});
