/** Exact decimal arithmetic: no float drift, explicit rounding. */
import fc from "fast-check";
import { Decimal, dec } from "../../src/cost/decimal";

describe("Decimal", () => {
  it("adds and multiplies exactly where floats drift", () => {
    expect(dec("0.1").plus("0.2").toString()).toBe("0.3");
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(dec("0.0000166667").times(50000).toString()).toBe("0.833335");
    expect(dec(0.0472).times(730).times(2).toString()).toBe("68.912");
    expect(Decimal.sum([dec("0.0015"), dec("0.0015"), dec("0.0015")]).toString()).toBe("0.0045");
  });

  it("parses decimal text, numbers and exponents", () => {
    expect(dec("1e-7").toString()).toBe("0.0000001");
    expect(dec(1e21).toString()).toBe("1000000000000000000000");
    expect(dec("-12.50").toString()).toBe("-12.5");
    expect(dec(".5").toString()).toBe("0.5");
    expect(Decimal.tryOf("256")?.toString()).toBe("256");
    for (const bad of ["", ".", "-", "abc", "1.2.3"]) expect(Decimal.tryOf(bad)).toBeUndefined();
    expect(() => dec(Number.NaN)).toThrow(/finite/);
  });

  it("divides with a stated scale and rounding", () => {
    expect(dec(50).div(730, 6).toString()).toBe("0.068493");
    expect(dec(1).div(3, 4, "ceil").toString()).toBe("0.3334");
    expect(dec(1).div(3, 4, "floor").toString()).toBe("0.3333");
    expect(dec("-1").div(3, 2, "halfUp").toString()).toBe("-0.33");
    expect(dec("0.125").round(2).toString()).toBe("0.13");
    expect(dec("-0.125").round(2).toString()).toBe("-0.13");
    expect(() => dec(1).div(0, 2)).toThrow(/zero/);
    expect(dec(2048).divExact(1024)?.toString()).toBe("2");
    expect(dec(1).divExact(730)).toBeUndefined();
  });

  it("formats fixed decimals and normalises zero", () => {
    expect(dec("5.568").toFixed(4)).toBe("5.5680");
    expect(dec("0.30509589").toFixed(4)).toBe("0.3051");
    expect(dec("-0.00004").toFixed(4)).toBe("0.0000");
    expect(dec(0).div(730, 6).toString()).toBe("0");
    expect(dec("12").toFixed(0)).toBe("12");
  });

  const decimalText = fc.tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 8 })).map(([u, s]) => {
    const neg = u < 0n;
    const abs = (neg ? -u : u).toString().padStart(s + 1, "0");
    return `${neg ? "-" : ""}${s ? `${abs.slice(0, -s)}.${abs.slice(-s)}` : abs}`;
  });

  it("is associative and commutative for sums, distributive for products", () => {
    fc.assert(
      fc.property(decimalText, decimalText, decimalText, (a, b, c) => {
        expect(
          dec(a)
            .plus(b)
            .plus(c)
            .eq(dec(a).plus(dec(b).plus(c))),
        ).toBe(true);
        expect(dec(a).plus(b).eq(dec(b).plus(a))).toBe(true);
        expect(
          dec(a)
            .times(dec(b).plus(c))
            .eq(dec(a).times(b).plus(dec(a).times(c))),
        ).toBe(true);
      }),
    );
  });

  it("rounds division within half a unit of the last place, ceil never below, floor never above", () => {
    fc.assert(
      fc.property(
        decimalText,
        decimalText.filter((t) => !dec(t).isZero()),
        fc.integer({ min: 0, max: 6 }),
        (a, b, scale) => {
          const lo = dec(a).div(b, scale + 12, "floor");
          const hi = dec(a).div(b, scale + 12, "ceil");
          const unit = dec(1).div(10 ** scale, scale); // one unit of the last kept place
          expect(dec(a).div(b, scale, "ceil").gte(lo)).toBe(true);
          expect(dec(a).div(b, scale, "floor").lte(hi)).toBe(true);
          const rounded = dec(a).div(b, scale, "halfUp");
          // |rounded - exact| <= unit / 2 (exact lies in [lo, hi], which are 1e-(scale+12) apart)
          expect(
            rounded
              .minus(lo)
              .times(2)
              .lte(unit.plus(hi.minus(lo).times(2))),
          ).toBe(true);
          expect(
            hi
              .minus(rounded)
              .times(2)
              .lte(unit.plus(hi.minus(lo).times(2))),
          ).toBe(true);
        },
      ),
    );
  });

  it("round-trips its own text", () => {
    fc.assert(fc.property(decimalText, (t) => expect(dec(dec(t).toString()).eq(t)).toBe(true)));
  });
});
