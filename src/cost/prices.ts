/**
 * Typed loader of the price table `pricing/prices.yaml`: unit prices (USD) with region, source and as-of date
 * per SKU, and the list of resource types that bill nothing themselves. A SKU that is missing, or whose price
 * is `null`, is unknown: the model reports the resource as unpriced, never as costing 0.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { z } from "zod";
import { InputError, expectedOf, renderFound, valueAt } from "../errors";
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
}

export class PriceTable {
  private readonly bySku: ReadonlyMap<string, Price>;

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
  }

  /** Home region of the table (rows may name another region, e.g. us-east-1 where no London figure exists). */
  get region(): string {
    return this.file.region;
  }

  /** The price of a SKU, or undefined when the table has no such SKU (unknown, like a null price). */
  price(sku: string): Price | undefined {
    return this.bySku.get(sku);
  }

  has(sku: string): boolean {
    return this.bySku.has(sku);
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
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new InputError(`cannot parse ${rel}`, [{ file: rel, key: "(document)", expected: "valid YAML", found: (e as Error).message.split("\n")[0] }]);
  }
  const result = priceFileSchema.safeParse(raw);
  if (!result.success) {
    throw new InputError(
      `invalid price table ${rel}`,
      result.error.issues.map((issue) => ({ file: rel, key: issue.path.map(String).join(".") || "(document)", expected: expectedOf(issue.message), found: renderFound(valueAt(raw, issue.path)) })),
    );
  }
  const seen = new Set<string>();
  const problems = [];
  for (const [i, row] of result.data.prices.entries()) {
    if (seen.has(row.sku)) problems.push({ file: rel, key: `prices.${i}.sku`, expected: "unique SKUs", found: `a second ${row.sku}` });
    seen.add(row.sku);
  }
  for (const [i, row] of result.data.prices.entries()) {
    if (row.derived_from && !seen.has(row.derived_from)) problems.push({ file: rel, key: `prices.${i}.derived_from`, expected: "the SKU of another row", found: row.derived_from });
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
