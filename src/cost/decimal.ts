/**
 * Exact decimal arithmetic for money and quantities, on decimal.js: sums and products never drift the way binary
 * floats do (0.1 + 0.2 is 0.3 here). Division is the only inexact operation and always names its scale and
 * rounding. Numbers from JSON inputs are parsed from their shortest decimal text (`String(0.0000166667)`), never
 * from their binary value.
 */
import DecimalJs from "decimal.js";

export type Rounding = "halfUp" | "ceil" | "floor";

/**
 * Significant digits decimal.js keeps: far beyond any amount, quantity or scale the cost model uses, so sums and
 * products stay exact and a quotient carries every digit its stated scale needs.
 */
const PRECISION = 1000;
const settings = { precision: PRECISION, toExpNeg: -9e15, toExpPos: 9e15 } as const;

/** The rounding decimal.js applies when a result is cut to its stated scale. */
const ROUNDING: Record<Rounding, DecimalJs.Rounding> = { halfUp: DecimalJs.ROUND_HALF_UP, ceil: DecimalJs.ROUND_CEIL, floor: DecimalJs.ROUND_FLOOR };

/**
 * The quotient at full precision, cut so that rounding it to the stated scale gives the exact quotient's rounding:
 * ceil of a ceil and floor of a floor are exact, and half-up of a value truncated toward zero is too (a tie at the
 * stated scale is a digit pattern the truncated value keeps).
 */
const EXACT = DecimalJs.clone({ ...settings, rounding: DecimalJs.ROUND_DOWN });
const QUOTIENT: Record<Rounding, DecimalJs.Constructor> = {
  halfUp: EXACT,
  ceil: DecimalJs.clone({ ...settings, rounding: DecimalJs.ROUND_CEIL }),
  floor: DecimalJs.clone({ ...settings, rounding: DecimalJs.ROUND_FLOOR }),
};

/** Decimal text: digits with an optional point and exponent (decimal.js also reads hex, NaN and Infinity). */
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export class Decimal {
  static readonly ZERO = new Decimal(new EXACT(0));
  static readonly ONE = new Decimal(new EXACT(1));

  private constructor(private readonly value: DecimalJs) {}

  /** Parses a decimal string (`"12.50"`, `"-0.0015"`, `"1e-7"`), a finite number or a bigint. */
  static of(value: string | number | bigint | Decimal): Decimal {
    if (value instanceof Decimal) return value;
    if (typeof value === "bigint") return new Decimal(new EXACT(value.toString()));
    if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
      return Decimal.parse(String(value));
    }
    return Decimal.parse(value);
  }

  /** Like {@link of} but returns undefined for text that is not a decimal number. */
  static tryOf(value: unknown): Decimal | undefined {
    if (typeof value === "number" && Number.isFinite(value)) return Decimal.of(value);
    if (typeof value === "string" && DECIMAL_TEXT.test(value.trim())) return Decimal.parse(value);
    return undefined;
  }

  private static parse(text: string): Decimal {
    const t = text.trim();
    if (!DECIMAL_TEXT.test(t)) throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`);
    return new Decimal(new EXACT(t));
  }

  static sum(values: Iterable<Decimal>): Decimal {
    let total = Decimal.ZERO;
    for (const v of values) total = total.plus(v);
    return total;
  }

  static max(a: Decimal, b: Decimal): Decimal {
    return a.cmp(b) >= 0 ? a : b;
  }

  static min(a: Decimal, b: Decimal): Decimal {
    return a.cmp(b) <= 0 ? a : b;
  }

  plus(other: Decimal | number | string): Decimal {
    return new Decimal(this.value.plus(Decimal.of(other).value));
  }

  minus(other: Decimal | number | string): Decimal {
    return new Decimal(this.value.minus(Decimal.of(other).value));
  }

  times(other: Decimal | number | string): Decimal {
    return new Decimal(this.value.times(Decimal.of(other).value));
  }

  neg(): Decimal {
    return new Decimal(this.value.neg());
  }

  /** this / divisor, rounded to `scale` decimals. */
  div(divisor: Decimal | number | string, scale: number, rounding: Rounding = "halfUp"): Decimal {
    const d = Decimal.of(divisor);
    if (d.isZero()) throw new RangeError("division by zero");
    const quotient = new QUOTIENT[rounding](this.value).div(d.value);
    return new Decimal(new EXACT(quotient).toDecimalPlaces(scale, ROUNDING[rounding]));
  }

  /** Rounded to `scale` decimals. */
  round(scale: number, rounding: Rounding = "halfUp"): Decimal {
    return new Decimal(this.value.toDecimalPlaces(scale, ROUNDING[rounding]));
  }

  /** Exact when the division terminates within `maxScale` decimals, else undefined. */
  divExact(divisor: Decimal | number | string, maxScale = 12): Decimal | undefined {
    const q = this.div(divisor, maxScale, "floor");
    return q.times(divisor).eq(this) ? q : undefined;
  }

  cmp(other: Decimal | number | string): -1 | 0 | 1 {
    return this.value.cmp(Decimal.of(other).value) as -1 | 0 | 1;
  }

  eq(other: Decimal | number | string): boolean {
    return this.cmp(other) === 0;
  }
  lt(other: Decimal | number | string): boolean {
    return this.cmp(other) < 0;
  }
  lte(other: Decimal | number | string): boolean {
    return this.cmp(other) <= 0;
  }
  gt(other: Decimal | number | string): boolean {
    return this.cmp(other) > 0;
  }
  gte(other: Decimal | number | string): boolean {
    return this.cmp(other) >= 0;
  }
  isZero(): boolean {
    return this.value.isZero();
  }
  isNegative(): boolean {
    return this.value.isNegative() && !this.value.isZero();
  }

  /** Smallest integer >= this. */
  ceilInt(): Decimal {
    return this.round(0, "ceil");
  }

  /** Fixed-point text with exactly `digits` decimals (half-up rounding); a value that rounds to zero has no sign. */
  toFixed(digits: number, rounding: Rounding = "halfUp"): string {
    const r = this.value.toDecimalPlaces(digits, ROUNDING[rounding]);
    return (r.isZero() ? r.abs() : r).toFixed(digits);
  }

  /** Shortest exact text, e.g. "0.5", "730", "-0.0015". */
  toString(): string {
    return (this.value.isZero() ? this.value.abs() : this.value).toFixed();
  }

  /** For display geometry only (SVG bar heights); never for money arithmetic. */
  toNumber(): number {
    return this.value.toNumber();
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Convenience: `dec("0.10")`. */
export function dec(value: string | number | bigint | Decimal): Decimal {
  return Decimal.of(value);
}
