/**
 * Aurora facts as pure functions, shared by the AuroraServerlessCluster component and the DA-58 policies: the
 * registry's ACU range, how instances spread over zones, and the characters RDS accepts in a master password.
 */

/** Serverless v2 capacity range. */
export interface AcuRange {
  min: number;
  max: number;
}

/** `"0.5-8"` -> `{ min: 0.5, max: 8 }`, in the half-ACU steps Serverless v2 accepts. */
export function parseAcuRange(text: string): AcuRange {
  const m = /^(\d+(?:\.5)?)-(\d+(?:\.5)?)$/.exec(text.trim());
  if (!m) throw new Error(`AURORA_ACU_RANGE must be "<min>-<max>" in half-ACU steps, e.g. "0.5-8"; found ${JSON.stringify(text)}`);
  const [min, max] = [Number(m[1]), Number(m[2])];
  if (min < 0 || max > 256 || min > max || max < 1) throw new Error(`AURORA_ACU_RANGE ${JSON.stringify(text)}: need 0 <= min <= max, 1 <= max <= 256`);
  return { min, max };
}

/** Zones for a writer and `readers` readers spread round-robin over distinct subnet zones (writer in the first). */
export function instanceZonesFor(subnetZones: readonly string[], readers: number): string[] {
  const zones = [...new Set(subnetZones)];
  if (zones.length < 2)
    throw new Error(`Aurora needs private subnets in at least 2 availability zones for a writer and a reader; found ${JSON.stringify(subnetZones)}`);
  return Array.from({ length: readers + 1 }, (_, i) => zones[i % zones.length]);
}

/** Characters RDS accepts in a master password (it forbids `/`, `@`, `"`, `'` and space). */
export const RDS_PASSWORD_SPECIALS = "!#$%&*()-_=+[]{}:?";
