/**
 * DA-41 (mandatory, high): the Glue schema registry is `fraud-platform-dev-full` (GLUE_SCHEMA_REGISTRY_NAME) and
 * every schema registered through IaC uses the pinned compatibility `BACKWARD` (GLUE_SCHEMA_COMPATIBILITY_MODE).
 * Only inputs known at preview are read (the schema's registry ARN is not known until the registry exists).
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { registry } from "../lib/registry";
import { resourceRule } from "../lib/rule";

export const glueSchemaRegistryPinned = resourceRule(
  {
    id: "DA-41",
    slug: "glue-schema-registry-backward",
    description:
      "The Glue schema registry must be fraud-platform-dev-full and every schema's compatibility BACKWARD (registry handles GLUE_SCHEMA_REGISTRY_NAME, GLUE_SCHEMA_COMPATIBILITY_MODE).",
    severity: "high",
  },
  [
    policy.validateResourceOfType(aws.glue.Registry, (reg, _args, reportViolation) => {
      const expected = registry().string("GLUE_SCHEMA_REGISTRY_NAME");
      if (reg.registryName !== expected) reportViolation(`registry name ${JSON.stringify(reg.registryName ?? null)}, expected ${expected}.`);
    }),
    policy.validateResourceOfType(aws.glue.Schema, (schema, _args, reportViolation) => {
      const expected = registry().string("GLUE_SCHEMA_COMPATIBILITY_MODE");
      if (schema.compatibility !== expected) {
        reportViolation(
          `schema ${JSON.stringify(schema.schemaName ?? null)} has compatibility ${JSON.stringify(schema.compatibility ?? null)}, expected ${expected}.`,
        );
      }
    }),
  ],
);
