/**
 * Schema of an environment's settings: the `fraud-platform:*` keys of `Pulumi.<env>.yaml` overlaid with the
 * layer stack's own config. Names never live here (they come from the handles registry); sizes, CIDRs,
 * switches and pins do. Cross-field rules (CIDRs inside the VPC, one subnet per AZ) are checked here too, so
 * nothing is declared from an inconsistent environment.
 */
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { costSettingsSchema } from "./costSettings";
import { dataMlSettingsSchema } from "./dataMlSettings";
import { opsSettingsSchema } from "./opsSettings";
import { runtimeSettingsSchema } from "./runtimeSettings";
import { runtimeLanesSettingsSchema } from "./runtimeLanesSettings";
import { windowSettingSchema } from "../window/setting";

/** Set by the offline plan when it plans a project other than this repository's (tests). */
export const PROJECT_DIR_ENV = "FRAUD_PLATFORM_PROJECT_DIR";

export const PROJECT_NAMESPACE = "fraud-platform";

const cidr = z.string().refine((v) => ipaddr.isValidCIDR(v) && ipaddr.parseCIDR(v)[0].kind() === "ipv4", {
  error: "an IPv4 CIDR block such as 10.70.0.0/16",
});

export const networkSettingsSchema = z
  .object({
    /** Number of availability zones the VPC spans (one public and one private subnet in each). */
    availabilityZoneCount: z.number().int().min(2, { error: "at least 2 availability zones" }).max(6),
    /** CIDR block of the VPC. */
    vpcCidr: cidr,
    /** Public subnet CIDRs, one per AZ, in AZ order. */
    publicSubnetCidrs: z.array(cidr).min(2, { error: "at least 2 public subnet CIDRs" }),
    /** Private subnet CIDRs, one per AZ, in AZ order. */
    privateSubnetCidrs: z.array(cidr).min(2, { error: "at least 2 private subnet CIDRs" }),
  })
  .strict()
  .superRefine((net, ctx) => {
    for (const tier of ["publicSubnetCidrs", "privateSubnetCidrs"] as const) {
      if (net[tier].length !== net.availabilityZoneCount) {
        ctx.addIssue({
          code: "custom",
          path: [tier],
          message: `exactly availabilityZoneCount (${net.availabilityZoneCount}) CIDRs, one per AZ`,
        });
      }
    }
    if (!ipaddr.isValidCIDR(net.vpcCidr)) return;
    const vpc = ipaddr.parseCIDR(net.vpcCidr);
    const all = [
      ...net.publicSubnetCidrs.map((c, i) => ["publicSubnetCidrs", i, c] as const),
      ...net.privateSubnetCidrs.map((c, i) => ["privateSubnetCidrs", i, c] as const),
    ];
    const parsed: Array<[string, number, [ipaddr.IPv4 | ipaddr.IPv6, number]]> = [];
    for (const [tier, i, c] of all) {
      if (!ipaddr.isValidCIDR(c)) continue;
      const sub = ipaddr.parseCIDR(c);
      if (sub[0].kind() !== "ipv4" || sub[1] < vpc[1] || !sub[0].match(vpc)) {
        ctx.addIssue({ code: "custom", path: [tier, i], message: `a subnet inside the VPC CIDR ${net.vpcCidr}` });
      }
      for (const [otherTier, j, other] of parsed) {
        if (sub[0].match(other) || other[0].match(sub)) {
          ctx.addIssue({ code: "custom", path: [tier, i], message: `a subnet that does not overlap ${otherTier}[${j}]` });
        }
      }
      parsed.push([tier, i, sub]);
    }
  });
export type NetworkSettings = z.infer<typeof networkSettingsSchema>;

export const streamingSettingsSchema = z
  .object({
    /**
     * Declare the 14 catalog topics through the Kafka provider. Creating them needs network reach into the VPC
     * (MSK Serverless has no public endpoint), so a `pulumi up` from outside the VPC turns this off (docs/streaming.md).
     */
    topicsEnabled: z.boolean({ error: "true or false" }).default(true),
  })
  .strict();
export type StreamingSettings = z.infer<typeof streamingSettingsSchema>;

/** An RDS DB cluster snapshot identifier: 1-255 letters, digits and hyphens, a letter first, no `--` and no hyphen last. */
const rdsSnapshotId = z
  .string()
  .regex(/^[A-Za-z](?:[A-Za-z0-9]|-(?!-))*$/, { error: "an RDS snapshot identifier (letters, digits, single hyphens; a letter first)" })
  .max(255)
  .refine((v) => !v.endsWith("-"), { error: "an RDS snapshot identifier that does not end with a hyphen" });

/** The `fraud-platform:*` settings of an environment after overlaying a layer stack's config. */
export const environmentSettingsSchema = z
  .object({
    /** Organization segment of StackReference names (`organization` on a self-managed backend). */
    organization: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: "an organization name" }),
    /** Extra tags merged under the mandatory ones (they can never override project/env/owner/fp_stack). */
    additionalTags: z.record(z.string(), z.string()).default({}),
    /** VPC layout of the core layer. */
    network: networkSettingsSchema,
    /** Switches of the streaming layer (on by default). */
    streaming: streamingSettingsSchema.prefault({}),
    /**
     * The idle-safe switch (P17, DA-100): every non-essential runtime surface at zero without destroying state (EKS
     * node groups 0/0, ECS services desired 0, the Flink application stopped; see src/teardown/idleSafe.ts).
     */
    idleSafe: z.boolean({ error: "true or false" }).default(false),
    /**
     * Proof window (src/window/surfaces.ts): `all` every surface, `closed` persistent surfaces only, or a phase id
     * (`P5`) for that phase's ephemeral surfaces. `npm run window -- open|close` sets it on every layer stack.
     */
    window: windowSettingSchema.default("all"),
    /**
     * Aurora's snapshots across proof windows (decision 0004), set on the runtime stack by `npm run window -- open`:
     * `finalIdentifier` names the final snapshot this window's close takes; `restoreFrom` is the previous window's
     * final snapshot, which a cluster created in this window is restored from.
     */
    auroraSnapshots: z.object({ finalIdentifier: rdsSnapshotId.optional(), restoreFrom: rdsSnapshotId.optional() }).strict().default({}),
    /** Usage profile and layer envelopes of the cost model (src/config/costSettings.ts); required by `cost` and DA-90. */
    cost: costSettingsSchema.optional(),
    /** Sizes, switches and the ingress artifact of the runtime layer (src/config/runtimeSettings.ts); required by the runtime stack. */
    runtime: runtimeSettingsSchema.optional(),
    /** EKS exception lane and orchestration/runtime lanes of the runtime layer (src/config/runtimeLanesSettings.ts). */
    runtimeLanes: runtimeLanesSettingsSchema.optional(),
    /** Databricks switch, external workspace and OFS jobs of the data_ml layer (src/config/dataMlSettings.ts); required by the data_ml stack. */
    dataMl: dataMlSettingsSchema.optional(),
    /**
     * Databricks personal access token of the data-ml stack: a secret key of Pulumi.dev-full-data-ml.yaml
     * (`pulumi config set --secret fraud-platform:databricksToken ...`), never a plain value or a default.
     */
    databricksToken: z.string().trim().min(1, { error: "a non-empty token" }).optional(),
    /** CI identity, alarm thresholds and MWAA sizing of the ops layer (src/config/opsSettings.ts); required by the ops stack. */
    ops: opsSettingsSchema.optional(),
    /** Values for TO_PIN handles (handle name -> value); secret ones belong in the layer stack's config. */
    pins: z.record(z.string(), z.string()).default({}),
  })
  .strict();
export type EnvironmentSettings = z.infer<typeof environmentSettingsSchema>;

/**
 * The section of the settings each layer's program cannot run without, with the file that declares its fields
 * ({@link layerSettingsSchema} makes it required for that layer's stacks).
 */
export const LAYER_SECTIONS = {
  core: [],
  streaming: [],
  runtime: ["runtime", "runtimeLanes"],
  data_ml: ["dataMl"],
  ops: ["ops"],
} as const satisfies Record<string, ReadonlyArray<keyof typeof environmentSettingsSchema.shape>>;

/** The file that declares the fields of each settings section (for "no such key" messages). */
export const SECTION_DECLARED_IN: Readonly<Record<string, string>> = {
  network: "src/config/settings.ts (networkSettingsSchema)",
  streaming: "src/config/settings.ts (streamingSettingsSchema)",
  auroraSnapshots: "src/config/settings.ts (environmentSettingsSchema)",
  cost: "src/config/costSettings.ts",
  runtime: "src/config/runtimeSettings.ts",
  runtimeLanes: "src/config/runtimeLanesSettings.ts",
  dataMl: "src/config/dataMlSettings.ts",
  ops: "src/config/opsSettings.ts",
};

/** The settings schema of one layer's stacks: {@link environmentSettingsSchema} with the layer's own section required. */
export function layerSettingsSchema(layer: keyof typeof LAYER_SECTIONS) {
  const shape = environmentSettingsSchema.shape;
  switch (layer) {
    case "runtime":
      return environmentSettingsSchema.extend({ runtime: shape.runtime.unwrap(), runtimeLanes: shape.runtimeLanes.unwrap() });
    case "data_ml":
      return environmentSettingsSchema.extend({ dataMl: shape.dataMl.unwrap() });
    case "ops":
      return environmentSettingsSchema.extend({ ops: shape.ops.unwrap() });
    default:
      return environmentSettingsSchema;
  }
}
