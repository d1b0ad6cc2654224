import { icebergTables, ofsDatabaseLocation } from "../../policies/rules/lakehouseCatalog";
import { DATA_ML_STACK, T, dataMlCompliant, res, stackDoc } from "../helpers/dataMlOpsFixtures";
import { check, mutate } from "../helpers/policyFixtures";

describe("DA-73 Iceberg tables in the Glue OFS database", () => {
  it("stays quiet on the OFS database at the warehouse and an Iceberg table", async () => {
    const r = await check(
      [ofsDatabaseLocation, icebergTables],
      stackDoc(
        DATA_ML_STACK,
        res(DATA_ML_STACK, T.glueDatabase, "ofs", dataMlCompliant.glueDatabase()),
        res(DATA_ML_STACK, T.glueTable, "t", dataMlCompliant.glueTable()),
      ),
    );
    expect(r.violations).toEqual([]);
  });

  it.each([[undefined], ["s3://fraud-platform-dev-full-object-store/learning/"], ["s3://another-bucket/learning/ofs/iceberg/warehouse/"]])(
    "fires when the OFS database location is %p",
    async (location) => {
      const r = await check(
        ofsDatabaseLocation,
        stackDoc(DATA_ML_STACK, res(DATA_ML_STACK, T.glueDatabase, "ofs", mutate(dataMlCompliant.glueDatabase(), "locationUri", location as never))),
      );
      expect(r.violations).toEqual([
        expect.objectContaining({
          policy: "da-73-ofs-database-location",
          message: expect.stringContaining("expected s3://fraud-platform-dev-full-object-store/learning/ofs/iceberg/warehouse/"),
        }),
      ]);
    },
  );

  it.each([
    ["parameters.table_type", "HIVE", /table_type is "HIVE", expected "ICEBERG"/],
    ["parameters.table_type", undefined, /table_type is null/],
    ["parameters", { table_type: "DELTA", "spark.sql.sources.provider": "delta" }, /table_type is "DELTA"/],
  ])("fires on a table whose %s is %p", async (path, value, message) => {
    const r = await check(
      icebergTables,
      stackDoc(DATA_ML_STACK, res(DATA_ML_STACK, T.glueTable, "t", mutate(dataMlCompliant.glueTable(), path, value as never))),
    );
    expect(r.violations.length).toBeGreaterThanOrEqual(1);
    expect(r.violations[0].message).toMatch(message);
  });
});
