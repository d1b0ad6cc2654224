import { glueSchemaRegistryPinned } from "../../policies/rules/schemaRegistry";
import { check, doc, mutate, resource } from "../helpers/policyFixtures";
import { GLUE_REGISTRY, GLUE_SCHEMA, streamingCompliant } from "../helpers/streamingFixtures";

describe("DA-41 Glue schema registry and compatibility", () => {
  it("stays quiet on the pinned registry and a BACKWARD schema", async () => {
    const r = await check(
      glueSchemaRegistryPinned,
      doc(resource(GLUE_REGISTRY, "schemas", streamingCompliant.glueRegistry()), resource(GLUE_SCHEMA, "anchor", streamingCompliant.glueSchema())),
    );
    expect(r.violations).toEqual([]);
  });
  it("fires on another registry name", async () => {
    const r = await check(
      glueSchemaRegistryPinned,
      doc(resource(GLUE_REGISTRY, "schemas", mutate(streamingCompliant.glueRegistry(), "registryName", "fraud_platform_dev_full"))),
    );
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-41-glue-schema-registry-backward", enforcementLevel: "mandatory", type: GLUE_REGISTRY });
    expect(r.violations[0].message).toMatch(/registry name "fraud_platform_dev_full", expected fraud-platform-dev-full/);
  });
  it.each(["NONE", "FORWARD", "FULL", "BACKWARD_ALL"])("fires on compatibility %s", async (mode) => {
    const r = await check(glueSchemaRegistryPinned, doc(resource(GLUE_SCHEMA, "anchor", mutate(streamingCompliant.glueSchema(), "compatibility", mode))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toContain(`compatibility "${mode}", expected BACKWARD`);
  });
});
