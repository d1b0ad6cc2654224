/**
 * DA-73 (mandatory, high): learning tables are Iceberg v2 in the Glue database OFS_ICEBERG_DATABASE, stored in S3.
 * - `da-73-ofs-database-location`: the OFS database's location is the warehouse prefix of the object store
 *   (`s3://<S3_OBJECT_STORE_BUCKET>/<OFS_ICEBERG_WAREHOUSE_PREFIX_PATTERN>`).
 * - `da-73-iceberg-tables`: every IaC-declared Glue table carries `parameters.table_type = ICEBERG` (Delta is
 *   disabled); tables the OFS jobs create are checked by the P13 evidence emitter.
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { registry } from "../lib/registry";
import { resourceRule } from "../lib/rule";

export function ofsWarehouseUri(): string {
  const r = registry();
  return `s3://${r.string("S3_OBJECT_STORE_BUCKET")}/${r.string("OFS_ICEBERG_WAREHOUSE_PREFIX_PATTERN")}`;
}

export const ofsDatabaseLocation = resourceRule(
  {
    id: "DA-73",
    slug: "ofs-database-location",
    description:
      "The Glue OFS database (OFS_ICEBERG_DATABASE) is located at the Iceberg warehouse of the object store: s3://<object store>/learning/ofs/iceberg/warehouse/.",
    severity: "high",
  },
  policy.validateResourceOfType(aws.glue.CatalogDatabase, (db, args, reportViolation) => {
    const name = registry().string("OFS_ICEBERG_DATABASE");
    if (db.name !== name) return args.notApplicable("not the OFS database");
    const expected = ofsWarehouseUri();
    if (db.locationUri !== expected) reportViolation(`locationUri ${JSON.stringify(db.locationUri ?? null)}, expected ${expected}.`);
  }),
);

export const icebergTables = resourceRule(
  {
    id: "DA-73",
    slug: "iceberg-tables",
    description: "Glue tables declared in IaC are Apache Iceberg (parameters.table_type = ICEBERG); Delta and plain Hive tables are not the lakehouse format.",
    severity: "high",
  },
  policy.validateResourceOfType(aws.glue.CatalogTable, (table, _args, reportViolation) => {
    const parameters = (table.parameters ?? {}) as Record<string, unknown>;
    const type = parameters.table_type;
    if (typeof type !== "string" || type.toUpperCase() !== "ICEBERG") {
      reportViolation(`table ${JSON.stringify(table.name ?? null)}: parameters.table_type is ${JSON.stringify(type ?? null)}, expected "ICEBERG".`);
    }
    const provider = parameters["spark.sql.sources.provider"];
    if (typeof provider === "string" && provider.toLowerCase() === "delta")
      reportViolation(`table ${JSON.stringify(table.name ?? null)} is a Delta table (Delta is disabled).`);
  }),
);

export const lakehouseCatalogPolicies = [ofsDatabaseLocation, icebergTables];
