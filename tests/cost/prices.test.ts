/** The price table and the usage profile: typed loaders that fail with file, key, expected and found. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { SIZE_NORMALIZATION, loadPriceTable, parsePriceTable, parseSizedSku } from "../../src/cost/prices";
import { budgetPins, loadCostProfile, parseCostSettings } from "../../src/cost/profile";
import { InputError } from "../../src/errors";
import { PROJECT_ROOT } from "../../src/registry/registry";
import { TEST_SETTINGS } from "./fixtures";

describe("pricing/prices.yaml", () => {
  const table = loadPriceTable();

  it("keeps value, region, source and as-of per price", () => {
    expect(table.price("eks.cluster-hour")).toMatchObject({ usd: expect.anything(), region: "eu-west-2", asOf: "2026-09-28" });
    expect(table.price("eks.cluster-hour")?.usd?.toString()).toBe("0.1");
    expect(table.price("msk.serverless.cluster-hour")).toMatchObject({ region: "us-east-1", asOf: "2022-10-03" });
    expect(table.price("lambda.gb-second")?.usd?.toString()).toBe("0.0000166667");
    expect(table.region).toBe("eu-west-2");
  });

  // The spec lives outside the repository; where it is present, every one of its rows must be here unchanged.
  /** The spec's price table the project's is derived from (an exact copy of ../shared/spec/pricing.yaml). */
  const SPEC = path.resolve(PROJECT_ROOT, "pricing", "source", "pricing.spec.yaml");
  it("holds every row of the spec's pricing.yaml unchanged", () => {
    const spec = parse(fs.readFileSync(SPEC, "utf8")) as Array<Record<string, unknown>>;
    const ours = new Map(table.file.prices.map((r) => [r.sku, r]));
    for (const row of spec) expect(ours.get(String(row.sku))).toEqual(row);
  });

  it("keeps unknown prices unknown: null is never 0, a missing SKU is absent", () => {
    expect(table.price("mwaa.mw1.micro.hour")?.usd).toBeNull();
    expect(table.price("msk.kafka.m5.large.broker-hour")?.usd).toBeNull();
    expect(table.price("no.such.sku")).toBeUndefined();
    // a sourced 0 stays a known 0
    expect(table.price("ssm.parameter.standard-month")?.usd?.isZero()).toBe(true);
  });

  it("lists free types with a reason, by exact type or prefix", () => {
    expect(table.freeReason("aws:iam/rolePolicy:RolePolicy")).toBe("IAM has no charge");
    expect(table.freeReason("aws:ec2/subnet:Subnet")).toBe("subnets have no charge");
    expect(table.freeReason("aws:s3/bucket:Bucket")).toBeUndefined();
  });

  it("rejects a duplicate SKU, a known price without a source and a dangling derived_from", () => {
    const row = (sku: string, extra = "") => `  - { service: S, sku: ${sku}, unit: u, usd: 1, region: r, source: s, as_of: null${extra} }\n`;
    const bad = `region: eu-west-2\nprices:\n${row("a.b")}${row("a.b")}${row("c.d", ", derived_from: nope")}`;
    expect(() => parsePriceTable(bad, "/tmp/prices.yaml")).toThrow(/unique SKUs[\s\S]*derived_from/);
    const noSource = "region: eu-west-2\nprices:\n  - { service: S, sku: a.b, unit: u, usd: 1, region: r, source: null, as_of: null }\n";
    expect(() => parsePriceTable(noSource, "/tmp/prices.yaml")).toThrow(/source/);
  });
});

describe("usage profile (fraud-platform:cost)", () => {
  const budget = budgetPins();

  it("loads the dev-full profile, envelopes adding up to the registry's budget limit", () => {
    const profile = loadCostProfile("dev-full");
    const sum = Object.values(profile.settings.envelopesUsd).reduce((a, b) => a + b, 0);
    expect(String(sum)).toBe(profile.budget.limitUsd.toString());
    expect(profile.availabilityZoneCount).toBe(2);
    expect(profile.budget.alertsUsd.map(String)).toEqual(["120", "210", "270"]);
  });

  it("fails closed without a profile", () => {
    expect(() => parseCostSettings(undefined, "Pulumi.x.yaml", budget)).toThrow(/fraud-platform:cost: expected the environment's usage profile/);
  });

  it("names every bad key", () => {
    const bad = { ...TEST_SETTINGS, proofWindowHours: { ...TEST_SETTINGS.proofWindowHours, runtime: 800 }, extra: 1 };
    try {
      parseCostSettings(bad, "Pulumi.x.yaml", budget);
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const keys = (e as InputError).problems.map((p) => p.key);
      expect(keys).toEqual(expect.arrayContaining(["fraud-platform:cost.proofWindowHours.runtime", "fraud-platform:cost.extra"]));
    }
  });

  it("rejects envelopes that do not add up to the budget limit", () => {
    const bad = { ...TEST_SETTINGS, envelopesUsd: { ...TEST_SETTINGS.envelopesUsd, runtime: 400 } };
    expect(() => parseCostSettings(bad, "Pulumi.x.yaml", budget)).toThrow(/adding up to the monthly budget limit 300 USD.*found a total of 550/);
  });

  it("reads the environment file of another project directory", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-profile-"));
    const text = fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.dev-full.yaml"), "utf8").replace(/runtime: 60,/, "runtime: 61,");
    fs.writeFileSync(path.join(dir, "Pulumi.dev-other.yaml"), text);
    expect(loadCostProfile("dev-other", dir).settings.proofWindowHours.runtime).toBe(61);
    expect(() => loadCostProfile("dev-none", dir)).toThrow(/no settings file/);
  });
});

describe("instance sizes priced by normalization factor", () => {
  const table = loadPriceTable();

  it("prices a size missing from the table from another size of its family (m6i.large prices m6i.4xlarge)", () => {
    const p = table.price("ec2.m6i.4xlarge");
    expect(p?.usd?.toString()).toBe("0.888");
    expect(p?.derivedFrom).toBe("ec2.m6i.large");
    expect(p?.source).toMatch(/ec2\.m6i\.large .* x normalization factor 32 \/ 4/);
    expect(table.price("elasticache.cache.t4g.small.redis")?.usd?.toString()).toBe("0.036");
    expect(table.has("ec2.m6i.4xlarge")).toBe(true);
  });

  it("derives nothing for a family without any priced size, a metal size or a non-instance SKU", () => {
    expect(table.price("aurora.db.r6g.8xlarge.instance-hour")).toBeUndefined();
    expect(table.price("ec2.m6i.metal")).toBeUndefined();
    expect(table.price("mwaa.mw1.micro.hour")?.usd).toBeNull();
    expect(table.price("msk.kafka.m5.large.broker-hour")?.usd).toBeNull();
  });

  it("holds the rule in the table itself: priced sizes of one family scale with their normalization factors", () => {
    const offenders: string[] = [];
    const seen = new Set<string>();
    for (const row of table.file.prices) {
      const sized = parseSizedSku(row.sku);
      if (!sized || row.usd === null) continue;
      const family = table.familyPrices(row.sku);
      const base = family[0];
      if (seen.has(base.sku) || family.length < 2) continue;
      seen.add(base.sku);
      const baseSize = parseSizedSku(base.sku)?.size ?? "";
      for (const other of family.slice(1)) {
        const size = parseSizedSku(other.sku)?.size ?? "";
        const expected = Number(base.usd) * (SIZE_NORMALIZATION[size] / SIZE_NORMALIZATION[baseSize]);
        // list prices are published to 4 decimals: within half a cent-hundredth per normalization unit
        if (Math.abs(Number(other.usd) - expected) > 0.0001 * SIZE_NORMALIZATION[size])
          offenders.push(`${other.sku} ${other.usd} vs ${expected.toFixed(4)} from ${base.sku}`);
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(3); // t3, m6i, m5, t4g redis: the rule is actually exercised
    expect(offenders).toEqual([]);
  });
});
