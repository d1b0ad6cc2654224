/** The harness must behave like the real analyzer: unknowns, notApplicable, config defaults and levels. */
import * as policy from "@pulumi/policy";
import { UNKNOWN } from "../../src/plan/previewDocument";
import { resolvePolicyConfig } from "../../src/policy/harness";
import { check, doc, resource } from "../helpers/policyFixtures";

const nameIsShort: policy.ResourceValidationPolicy = {
  name: "da-99-short-names",
  description: "names are short",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxLength: { type: "integer", default: 5 } } },
  validateResource: (args, report) => {
    if (args.type !== "test:index:Thing") return args.notApplicable("only things");
    const max = args.getConfig<{ maxLength: number }>().maxLength;
    if (String(args.props.name).length > max) report(`name longer than ${max}`);
  },
};

describe("policy harness", () => {
  it("applies config-schema defaults, then explicit config", async () => {
    const d = doc(resource("test:index:Thing", "t", { name: "abcdefg" }));
    expect((await check(nameIsShort, d)).violations.map((v) => v.message)).toEqual(["names are short\nname longer than 5"]);
    expect((await check(nameIsShort, d, { "da-99-short-names": { maxLength: 10 } })).violations).toEqual([]);
  });

  it("downgrades a policy that reads an unknown value to an advisory note, as in a real preview", async () => {
    const r = await check(nameIsShort, doc(resource("test:index:Thing", "t", { name: UNKNOWN })));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].enforcementLevel).toBe("advisory");
    expect(r.violations[0].message).toMatch(/can't run policy 'da-99-short-names' from policy pack '.+@v[\d.]+' during preview/);
  });

  it("counts notApplicable as a skip, not a violation", async () => {
    const r = await check(nameIsShort, doc(resource("other:index:Thing", "t", { name: "abcdefg" })));
    expect(r.violations).toEqual([]);
    expect(r.summary.notApplicable).toBe(1);
  });

  it("takes the enforcement level from config (string or object) and skips disabled policies", async () => {
    const d = doc(resource("test:index:Thing", "t", { name: "abcdefg" }));
    expect((await check(nameIsShort, d, { "da-99-short-names": "advisory" })).violations[0].enforcementLevel).toBe("advisory");
    expect((await check(nameIsShort, d, { "da-99-short-names": { enforcementLevel: "disabled" } })).violations).toEqual([]);
  });

  it("rejects config that breaks the schema or names no policy", () => {
    const pack = { name: "p", enforcementLevel: "mandatory" as const, policies: [nameIsShort] };
    expect(() => resolvePolicyConfig(pack, { "da-99-short-names": { maxLength: "ten" } }, "policy-config.json")).toThrow(
      /policy-config.json: da-99-short-names.maxLength: expected must be integer/,
    );
    expect(() => resolvePolicyConfig(pack, { "da-00-nope": "advisory" }, "policy-config.json")).toThrow(
      /da-00-nope: expected the name of a policy in the pack/,
    );
  });

  it("skips deleted resources, like the analyzer which only sees proposed states", async () => {
    const d = doc(resource("test:index:Thing", "t", { name: "abcdefg" }));
    d.steps[0].op = "delete";
    expect((await check(nameIsShort, d)).violations).toEqual([]);
  });
});
