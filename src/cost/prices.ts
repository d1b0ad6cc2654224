/**
 * Typed loader of the price table `pricing/prices.yaml`: unit prices (USD) with region, source and as-of date
 * per SKU, and the list of resource types that bill nothing themselves. A SKU that is missing, or whose price
 * is `null`, is unknown: the model reports the resource as unpriced, never as costing 0.
 */
import * as fs from "fs";
import * as path from "path";
import { parseYamlText, validateInput } from "../yamlFile";
import { z } from "zod";
import { InputError } from "../errors";
import { PROJECT_ROOT } from "../registry/registry";
import { Decimal } from "./decimal";

export const DEFAULT_PRICE_FILE = path.join(PROJECT_ROOT, "pricing", "prices.yaml");

const usd = z.union([z.number().nonnegative(), z.null()]);

export const priceRowSchema = z
  .object({
    service: z.string().min(1),
    sku: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { error: "a lower-case SKU such as eks.cluster-hour" }),
    unit: z.string().min(1),
    /** USD per unit; null = unknown (unpriced), never 0. */
    usd,
    region: z.string().min(1),
    source: z.string().nullable(),
    as_of: z.string().nullable(),
    note: z.string().optional(),
    /** The row whose note quoted this figure. */
    derived_from: z.string().optional(),
  })
  .strict()
  .superRefine((row, ctx) => {
    if (row.usd !== null && !row.source) ctx.addIssue({ code: "custom", path: ["source"], message: "a source for every known price" });
  });
export type PriceRow = z.infer<typeof priceRowSchema>;

export const freeTypeSchema = z
  .object({
    /** Pulumi type token; a trailing `*` matches a prefix. */
    type: z.string().min(1),
    reason: z.string().min(1),
  })
  .strict();

export const priceFileSchema = z
  .object({
    region: z.string().min(1),
    spec_source: z.string().optional(),
    prices: z.array(priceRowSchema).min(1),
    free: z.array(freeTypeSchema).default([]),
  })
  .strict();
export type PriceFile = z.infer<typeof priceFileSchema>;

/** A price as the model uses it: `usd` is exact, or null when unknown. */
export interface Price {
  sku: string;
  unit: string;
  usd: Decimal | null;
  region: string;
  source: string | null;
  asOf: string | null;
  /** Set when the price is scaled from another size of the same instance family (see {@link SIZE_NORMALIZATION}). */
  derivedFrom?: string;
}

/**
 * AWS normalization factors of instance sizes (the "instance size flexibility" scale of EC2 Reserved Instances,
 * also used by RDS and ElastiCache). On-demand prices of one instance family scale with these factors: m6i.4xlarge
 * costs 32 / 4 = 8 times m6i.large. `metal` sizes have no fixed factor and are never derived.
 */
export const SIZE_NORMALIZATION: Readonly<Record<string, number>> = {
  nano: 0.25,
  micro: 0.5,
  small: 1,
  medium: 2,
  large: 4,
  xlarge: 8,
  "2xlarge": 16,
  "3xlarge": 24,
  "4xlarge": 32,
  "6xlarge": 48,
  "8xlarge": 64,
  "9xlarge": 72,
  "10xlarge": 80,
  "12xlarge": 96,
  "16xlarge": 128,
  "18xlarge": 144,
  "24xlarge": 192,
  "32xlarge": 256,
  "48xlarge": 384,
};

/** SKU prefixes whose next two segments are an instance family and size (`ec2.m6i.large`, `aurora.db.r6g.large.instance-hour`). */
export const SIZED_SKU_PREFIXES: readonly string[] = ["ec2", "rds.db", "aurora.db", "elasticache.cache", "sagemaker.ml", "msk.kafka"];

/** A SKU split into prefix, instance family, size and suffix, when it names a sized instance. */
export interface SizedSku {
  prefix: string;
  family: string;
  size: string;
  /** What follows the size (`instance-hour`, `redis`, `single-az`, ...), "" when nothing does. */
  suffix: string;
}

export function parseSizedSku(sku: string): SizedSku | undefined {
  for (const prefix of SIZED_SKU_PREFIXES) {
    if (!sku.startsWith(`${prefix}.`)) continue;
    const rest = sku.slice(prefix.length + 1).split(".");
    if (rest.length < 2 || !(rest[1] in SIZE_NORMALIZATION)) return undefined;
    return { prefix, family: rest[0], size: rest[1], suffix: rest.slice(2).join(".") };
  }
  return undefined;
}

/** Key of a SKU's family: every size of one instance family with the same suffix shares it. */
function familyKey(s: SizedSku): string {
  return `${s.prefix}.${s.family}.*${s.suffix ? `.${s.suffix}` : ""}`;
}

export class PriceTable {
  private readonly bySku: ReadonlyMap<string, Price>;
  /** Known (non-null) prices of sized SKUs per family key, smallest size first. */
  private readonly families: ReadonlyMap<string, Array<{ price: Price; sized: SizedSku }>>;

  constructor(
    readonly file: PriceFile,
    /** Path of the file, relative to the project root. */
    readonly source: string,
  ) {
    this.bySku = new Map(
      file.prices.map((row) => [
        row.sku,
        { sku: row.sku, unit: row.unit, usd: row.usd === null ? null : Decimal.of(row.usd), region: row.region, source: row.source, asOf: row.as_of },
      ]),
    );
    const families = new Map<string, Array<{ price: Price; sized: SizedSku }>>();
    for (const price of this.bySku.values()) {
      const sized = parseSizedSku(price.sku);
      if (!sized || price.usd === null) continue;
      const list = families.get(familyKey(sized)) ?? [];
      list.push({ price, sized });
      families.set(familyKey(sized), list);
    }
    for (const list of families.values())
      list.sort((a, b) => SIZE_NORMALIZATION[a.sized.size] - SIZE_NORMALIZATION[b.sized.size] || a.price.sku.localeCompare(b.price.sku));
    this.families = families;
  }

  /** Known prices of a sized SKU's family (same prefix, family and suffix), smallest size first. */
  familyPrices(sku: string): Price[] {
    const sized = parseSizedSku(sku);
    return sized ? (this.families.get(familyKey(sized)) ?? []).map((f) => f.price) : [];
  }

  /** Home region of the table (rows may name another region, e.g. us-east-1 where no London figure exists). */
  get region(): string {
    return this.file.region;
  }

  /**
   * The price of a SKU: its row when it has a known price; else, for a sized instance SKU (`ec2.m6i.4xlarge`), the
   * smallest known size of the same family scaled by the sizes' normalization factors; else its row with a null
   * price, or undefined when the table has no such SKU (unknown, like a null price).
   */
  price(sku: string): Price | undefined {
    const row = this.bySku.get(sku);
    if (row && row.usd !== null) return row;
    return this.derived(sku) ?? row;
  }

  /** True when {@link price} finds a row or derives one (its price may still be null). */
  has(sku: string): boolean {
    return this.bySku.has(sku) || this.derived(sku) !== undefined;
  }

  private derived(sku: string): Price | undefined {
    const sized = parseSizedSku(sku);
    if (!sized) return undefined;
    const base = (this.families.get(familyKey(sized)) ?? [])[0];
    if (!base || base.price.usd === null) return undefined;
    const factor = SIZE_NORMALIZATION[sized.size];
    const baseFactor = SIZE_NORMALIZATION[base.sized.size];
    return {
      sku,
      unit: base.price.unit,
      usd: base.price.usd.times(Decimal.of(factor)).div(Decimal.of(baseFactor), 10),
      region: base.price.region,
      source: `${base.price.sku} (${base.price.source ?? "no source"}) x normalization factor ${factor} / ${baseFactor}`,
      asOf: base.price.asOf,
      derivedFrom: base.price.sku,
    };
  }

  /** Why a resource type bills nothing itself, or undefined when it is not listed as free. */
  freeReason(type: string): string | undefined {
    for (const entry of this.file.free) {
      const matches = entry.type.endsWith("*") ? type.startsWith(entry.type.slice(0, -1)) : type === entry.type;
      if (matches) return entry.reason;
    }
    return undefined;
  }
}

/** Parses and validates a price table; every problem is reported with its key. */
export function parsePriceTable(text: string, file: string): PriceTable {
  const rel = path.relative(PROJECT_ROOT, file) || file;
  return priceTableOf(parseYamlText(text, rel, "price table"), file);
}

/** Validates an already parsed price table (`file` names it in errors). */
export function priceTableOf(raw: unknown, file: string): PriceTable {
  const rel = path.relative(PROJECT_ROOT, file) || file;
  const result = { data: validateInput(priceFileSchema, raw, rel, "price table", { declaredIn: () => "src/cost/prices.ts" }) };
  const seen = new Set<string>();
  const problems = [];
  for (const [i, row] of result.data.prices.entries()) {
    if (seen.has(row.sku)) problems.push({ file: rel, key: `prices.${i}.sku`, expected: "unique SKUs", found: `a second ${row.sku}` });
    seen.add(row.sku);
  }
  for (const [i, row] of result.data.prices.entries()) {
    if (row.derived_from && !seen.has(row.derived_from))
      problems.push({ file: rel, key: `prices.${i}.derived_from`, expected: "the SKU of another row", found: row.derived_from });
  }
  if (problems.length) throw new InputError(`invalid price table ${rel}`, problems);
  return new PriceTable(result.data, rel);
}

const cache = new Map<string, PriceTable>();

/** Loads (once per process) and validates the price table. */
export function loadPriceTable(file: string = DEFAULT_PRICE_FILE): PriceTable {
  const abs = path.resolve(file);
  let table = cache.get(abs);
  if (!table) {
    table = parsePriceTable(fs.readFileSync(abs, "utf8"), abs);
    cache.set(abs, table);
  }
  return table;
}
