import fc from "fast-check";
import { instanceZonesFor, parseAcuRange } from "../../src/datastores/aurora";
import { loadRegistry } from "../../src/registry/registry";

describe("Aurora helpers", () => {
  it("parses the registry's ACU range", () => {
    expect(parseAcuRange(loadRegistry().string("AURORA_ACU_RANGE"))).toEqual({ min: 0.5, max: 8 });
    expect(() => parseAcuRange("0.5..8")).toThrow(/"<min>-<max>" in half-ACU steps/);
    expect(() => parseAcuRange("0.25-8")).toThrow(/half-ACU/);
    expect(() => parseAcuRange("8-4")).toThrow(/min <= max/);
  });

  it("round-trips every half-ACU range", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 512 }), fc.integer({ min: 2, max: 512 }), (a, b) => {
        const [min, max] = [Math.min(a, b) / 2, Math.max(a, b) / 2];
        expect(parseAcuRange(`${min}-${max}`)).toEqual({ min, max });
      }),
    );
  });

  it("puts the writer in the first zone and spreads readers so two zones are always used", () => {
    expect(instanceZonesFor(["eu-west-2a", "eu-west-2b"], 1)).toEqual(["eu-west-2a", "eu-west-2b"]);
    expect(instanceZonesFor(["eu-west-2a", "eu-west-2b", "eu-west-2a"], 2)).toEqual(["eu-west-2a", "eu-west-2b", "eu-west-2a"]);
    expect(() => instanceZonesFor(["eu-west-2a", "eu-west-2a"], 1)).toThrow(/at least 2 availability zones/);
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom("a", "b", "c", "d"), { minLength: 2 }), fc.integer({ min: 1, max: 15 }), (zones, readers) => {
        const placed = instanceZonesFor(zones, readers);
        return placed.length === readers + 1 && placed[0] === zones[0] && new Set(placed).size >= 2;
      }),
    );
  });
});
