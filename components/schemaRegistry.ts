import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../src/tags";

/** Compatibility modes AWS Glue accepts for a schema. */
export const GLUE_COMPATIBILITY_MODES = ["NONE", "DISABLED", "BACKWARD", "BACKWARD_ALL", "FORWARD", "FORWARD_ALL", "FULL", "FULL_ALL"] as const;
export type GlueCompatibility = (typeof GLUE_COMPATIBILITY_MODES)[number];

export function isGlueCompatibility(value: string): value is GlueCompatibility {
  return (GLUE_COMPATIBILITY_MODES as readonly string[]).includes(value);
}

export interface SchemaRegistryArgs {
  /** Registry name (GLUE_SCHEMA_REGISTRY_NAME). */
  registryName: string;
  /** Compatibility mode of the registered schemas (GLUE_SCHEMA_COMPATIBILITY_MODE), one of Glue's modes. */
  compatibility: string;
  /** Name of the anchor schema (GLUE_ANCHOR_SCHEMA_NAME). */
  anchorSchemaName: string;
  /** JSON Schema text of the anchor schema; each distinct text is a new Glue schema version. */
  anchorSchemaDefinition: string;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/**
 * The Glue schema registry of the bus and its anchor schema (the control envelope, JSON, compatibility pinned).
 * Registries are retained surfaces (DA-101): registry and schema are protected and retained on delete, so a
 * teardown never drops registered schema versions (in the reference, destroying the registry silently dropped
 * every schema registered out of band).
 */
export class SchemaRegistry extends pulumi.ComponentResource {
  readonly registryName: pulumi.Output<string>;
  readonly registryArn: pulumi.Output<string>;
  readonly anchorSchemaName: pulumi.Output<string>;
  readonly anchorSchemaArn: pulumi.Output<string>;
  /** Compatibility read back from the anchor schema. */
  readonly compatibility: pulumi.Output<string>;

  constructor(name: string, args: SchemaRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:streaming:SchemaRegistry", name, {}, opts);
    if (!isGlueCompatibility(args.compatibility)) {
      throw new Error(`${name}: compatibility must be one of ${GLUE_COMPATIBILITY_MODES.join(", ")}, got ${JSON.stringify(args.compatibility)}`);
    }
    try {
      JSON.parse(args.anchorSchemaDefinition);
    } catch (e) {
      throw new Error(`${name}: anchor schema ${args.anchorSchemaName} is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
    const retained: pulumi.CustomResourceOptions = { parent: this, protect: true, retainOnDelete: true };

    const registry = new aws.glue.Registry(
      name,
      {
        registryName: args.registryName,
        description: "fraud-platform dev_full event schemas (bus envelopes), compatibility pinned",
        tags: { ...args.tags, fp_resource: "glue_schema_registry" },
      },
      retained,
    );
    const anchor = new aws.glue.Schema(
      `${name}-anchor`,
      {
        registryArn: registry.arn,
        schemaName: args.anchorSchemaName,
        dataFormat: "JSON",
        compatibility: args.compatibility,
        schemaDefinition: args.anchorSchemaDefinition,
        description: "Control envelope every fp.bus.control.v1 message carries (anchor schema)",
        tags: { ...args.tags, fp_resource: "glue_anchor_schema" },
      },
      retained,
    );

    this.registryName = registry.registryName;
    this.registryArn = registry.arn;
    this.anchorSchemaName = anchor.schemaName;
    this.anchorSchemaArn = anchor.arn;
    this.compatibility = anchor.compatibility;
    this.registerOutputs({
      registryName: this.registryName,
      registryArn: this.registryArn,
      anchorSchemaName: this.anchorSchemaName,
      anchorSchemaArn: this.anchorSchemaArn,
      compatibility: this.compatibility,
    });
  }
}
