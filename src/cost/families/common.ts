/** Small helpers shared by the service families. */
import { Decimal } from "../decimal";
import { ComponentSpec } from "./types";

export const ZERO = Decimal.ZERO;
export const ONE = Decimal.ONE;

export function n(value: number | string): Decimal {
  return Decimal.of(value);
}

/** A capacity billed per hour, with the same or lower capacity while idle. */
export function hourly(name: string, unit: string, sku: string, active: Decimal, idle: Decimal = active): ComponentSpec {
  return { name, unit, sku, active, idle, billing: "capacity" };
}

/** A stored volume or a monthly item, billed per month while the resource exists. */
export function monthly(name: string, unit: string, sku: string, quantity: Decimal, extra: Partial<ComponentSpec> = {}): ComponentSpec {
  return { name, unit, sku, active: quantity, idle: quantity, per: "month", billing: "storage", ...extra };
}

/** Traffic that only happens while a proof window is open. */
export function usage(name: string, unit: string, sku: string, perWindowHour: Decimal, extra: Partial<ComponentSpec> = {}): ComponentSpec {
  return { name, unit, sku, active: perWindowHour, idle: ZERO, billing: "usage", ...extra };
}

/** MiB -> GiB (exact: 1024 is a power of two). */
export function gib(mib: Decimal): Decimal {
  return mib.div(1024, 12);
}

/** Millions, thousands, ... of a per-hour count (exact: powers of ten). */
export function per(count: Decimal, unitSize: number): Decimal {
  return count.div(unitSize, 12);
}
