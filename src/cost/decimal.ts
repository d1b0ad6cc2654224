/**
 * Exact decimal arithmetic for money and quantities: a value is a BigInt mantissa and a power-of-ten scale, so
 * sums and products never drift the way binary floats do (0.1 + 0.2 is 0.3 here). Division is the only
 * inexact operation and always names its scale and rounding. Numbers from JSON inputs are parsed from their
 * shortest decimal text (`String(0.0000166667)`), never from their binary value.
 */

export type Rounding = "halfUp" | "ceil" | "floor";

const TEN = 10n;

function pow10(n: number): bigint {
  return TEN ** BigInt(n);
}

export class Decimal {
  static readonly ZERO = new Decimal(0n, 0);
  static readonly ONE = new Decimal(1n, 0);

  /** value = units / 10^scale */
  private constructor(
    private readonly units: bigint,
    private readonly scale: number,
  ) {}

  /** Parses a decimal string (`"12.50"`, `"-0.0015"`, `"1e-7"`), a finite number or a bigint. */
  static of(value: string | number | bigint | Decimal): Decimal {
    if (value instanceof Decimal) return value;
    if (typeof value === "bigint") return new Decimal(value, 0);
    if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
      return Decimal.parse(String(value));
    }
    return Decimal.parse(value);
  }

  /** Like {@link of} but returns undefined for text that is not a decimal number. */
  static tryOf(value: unknown): Decimal | undefined {
    if (typeof value === "number" && Number.isFinite(value)) return Decimal.of(value);
    if (typeof value === "string" && matchDecimal(value)) return Decimal.parse(value);
    return undefined;
  }

  private static parse(text: string): Decimal {
    const m = matchDecimal(text);
    if (!m) throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`);
    const [, sign, int, frac = "", exp = "0"] = m;
    let scale = frac.length - Number(exp);
    let units = BigInt(`${int || "0"}${frac}`);
    if (scale < 0) {
      units *= pow10(-scale);
      scale = 0;
    }
    return new Decimal(sign === "-" ? -units : units, scale).normalized();
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

  private atScale(scale: number): bigint {
    return this.units * pow10(scale - this.scale);
  }

  private normalized(): Decimal {
    let { units, scale } = this;
    while (scale > 0 && units % TEN === 0n) {
      units /= TEN;
      scale--;
    }
    return scale === this.scale ? this : new Decimal(units, scale);
  }

  plus(other: Decimal | number | string): Decimal {
    const o = Decimal.of(other);
    const scale = Math.max(this.scale, o.scale);
    return new Decimal(this.atScale(scale) + o.atScale(scale), scale).normalized();
  }

  minus(other: Decimal | number | string): Decimal {
    return this.plus(Decimal.of(other).neg());
  }

  times(other: Decimal | number | string): Decimal {
    const o = Decimal.of(other);
    return new Decimal(this.units * o.units, this.scale + o.scale).normalized();
  }

  neg(): Decimal {
    return new Decimal(-this.units, this.scale);
  }

  /** this / divisor, rounded to `scale` decimals. */
  div(divisor: Decimal | number | string, scale: number, rounding: Rounding = "halfUp"): Decimal {
    const d = Decimal.of(divisor);
    if (d.units === 0n) throw new RangeError("division by zero");
    // (u1 / 10^s1) / (u2 / 10^s2) * 10^scale = u1 * 10^(scale + s2 - s1) / u2
    const shift = scale + d.scale - this.scale;
    let num = this.units * (shift >= 0 ? pow10(shift) : 1n);
    let den = d.units * (shift < 0 ? pow10(-shift) : 1n);
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    return new Decimal(divRound(num, den, rounding), scale).normalized();
  }

  /** Rounded to `scale` decimals. */
  round(scale: number, rounding: Rounding = "halfUp"): Decimal {
    if (this.scale <= scale) return this;
    return new Decimal(divRound(this.units, pow10(this.scale - scale), rounding), scale).normalized();
  }

  /** Exact when the division terminates within `maxScale` decimals, else undefined. */
  divExact(divisor: Decimal | number | string, maxScale = 12): Decimal | undefined {
    const q = this.div(divisor, maxScale, "floor");
    return q.times(divisor).eq(this) ? q : undefined;
  }

  cmp(other: Decimal | number | string): -1 | 0 | 1 {
    const o = Decimal.of(other);
    const scale = Math.max(this.scale, o.scale);
    const a = this.atScale(scale);
    const b = o.atScale(scale);
    return a < b ? -1 : a > b ? 1 : 0;
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
    return this.units === 0n;
  }
  isNegative(): boolean {
    return this.units < 0n;
  }

  /** Smallest integer >= this. */
  ceilInt(): Decimal {
    return this.round(0, "ceil");
  }

  /** Fixed-point text with exactly `digits` decimals (half-up rounding). */
  toFixed(digits: number, rounding: Rounding = "halfUp"): string {
    const r = this.round(digits, rounding);
    const units = r.atScale(digits);
    const neg = units < 0n;
    const abs = (neg ? -units : units).toString().padStart(digits + 1, "0");
    const text = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
    return neg ? `-${text}` : text;
  }

  /** Shortest exact text, e.g. "0.5", "730", "-0.0015". */
  toString(): string {
    return this.toFixed(this.scale);
  }

  /** For display geometry only (SVG bar heights); never for money arithmetic. */
  toNumber(): number {
    return Number(this.toString());
  }

  toJSON(): string {
    return this.toString();
  }
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Matches decimal text with at least one digit before or after the point. */
function matchDecimal(text: string): RegExpExecArray | null {
  const m = DECIMAL_TEXT.exec(text.trim());
  return m && (m[2] || m[3]) ? m : null;
}

/** Integer division of num by den (den > 0) with the given rounding. */
function divRound(num: bigint, den: bigint, rounding: Rounding): bigint {
  const q = num / den; // truncates toward zero
  const r = num % den;
  if (r === 0n) return q;
  const positive = num > 0n;
  switch (rounding) {
    case "floor":
      return positive ? q : q - 1n;
    case "ceil":
      return positive ? q + 1n : q;
    case "halfUp": {
      const twice = (r < 0n ? -r : r) * 2n;
      if (twice >= den) return positive ? q + 1n : q - 1n;
      return q;
    }
  }
}

/** Convenience: `dec("0.10")`. */
export function dec(value: string | number | bigint | Decimal): Decimal {
  return Decimal.of(value);
}
