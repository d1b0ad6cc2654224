/**
 * Schema of `registry/handles.yaml`, the handles registry. The registry is data: every physical name, path,
 * topic and threshold the stacks, the policy pack and the evidence emitter use is read from it.
 */
import { z } from "zod";

export const LAYERS = ["core", "streaming", "runtime", "data_ml", "ops"] as const;
export type Layer = (typeof LAYERS)[number];

export const HANDLE_OWNERS = [...LAYERS, "config", "runtime-app"] as const;
export type HandleOwner = (typeof HANDLE_OWNERS)[number];

export const HANDLE_KINDS = ["constant", "name", "pattern", "policy", "threshold", "flag", "field", "topic", "secret_path", "materialized_output"] as const;
export type HandleKind = (typeof HANDLE_KINDS)[number];

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);
export type HandleValue = JsonValue;

export const handleSchema = z
  .object({
    name: z.string().regex(/^[A-Z][A-Z0-9_]*$/, "handle names are UPPER_SNAKE_CASE"),
    value: jsonValue.optional(),
    section: z.string().min(1),
    owner: z.enum(HANDLE_OWNERS),
    status: z.enum(["pinned", "TO_PIN"]),
    kind: z.enum(HANDLE_KINDS),
    description: z.string().min(1),
    repinned_from: jsonValue.optional(),
    repin_decision: z.string().optional(),
    origin: z.string().optional(),
  })
  .loose()
  .superRefine((handle, ctx) => {
    const hasValue = handle.value !== undefined && handle.value !== null && handle.value !== "TO_PIN";
    if (handle.status === "pinned" && !hasValue) {
      ctx.addIssue({ code: "custom", path: ["value"], message: `pinned handle ${handle.name} has no value` });
    }
    if (handle.status === "TO_PIN" && hasValue) {
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: `TO_PIN handle ${handle.name} carries a value; pin it (status: pinned) or remove the value`,
      });
    }
  });
export type Handle = z.infer<typeof handleSchema>;

export const topicSchema = z
  .object({
    handle: z.string(),
    name: z.string(),
    group: z.string(),
    class: z.string(),
    partitions: z.number().int().positive(),
    partitions_handle: z.string(),
    retention_ms: z.number().int().positive(),
    retention_handle: z.string(),
    cleanup_policy: z.enum(["delete", "compact"]),
    partition_key: z.string(),
    producers: z.array(z.string()),
    consumers: z.array(z.string()),
    owner: z.enum(HANDLE_OWNERS),
    schema_compatibility: z.string(),
  })
  .loose();
export type TopicSpec = z.infer<typeof topicSchema>;

const roleEntrySchema = z
  .object({
    handle: z.string(),
    role_name: z.string().nullable(),
    owner: z.enum(HANDLE_OWNERS),
    status: z.enum(["pinned", "TO_PIN"]),
  })
  .loose();
export type RoleEntry = z.infer<typeof roleEntrySchema>;

const lifecycleRuleSchema = z
  .object({
    prefix: z.string(),
    to_STANDARD_IA_days: z.number().int().positive().optional(),
    to_GLACIER_IR_days: z.number().int().positive().optional(),
    expire_days: z.number().int().positive(),
    glacier_transition: z.boolean().optional(),
    exclude_active_engine_run_prefix: z.string().optional(),
  })
  .loose();
export type LifecycleRuleSpec = z.infer<typeof lifecycleRuleSchema>;

export const registryFileSchema = z
  .object({
    meta: z.object({ title: z.string(), registry_as_of: z.string() }).loose(),
    handles: z.array(handleSchema).min(1),
    topic_catalog: z.array(topicSchema),
    s3_layout: z.record(
      z.string(),
      z
        .object({
          bucket_handle: z.string().optional(),
          lifecycle: z.union([lifecycleRuleSchema, z.array(lifecycleRuleSchema)]).optional(),
        })
        .loose(),
    ),
    required_secret_paths: z.array(z.object({ path: z.string(), handle: z.string(), owner: z.enum(HANDLE_OWNERS), type: z.string() }).loose()),
    iam_roles: z
      .object({
        design_authority_required: z.array(roleEntrySchema),
        registry_required_additional: z.array(roleEntrySchema),
        eks_irsa_roles: z.array(roleEntrySchema),
      })
      .loose(),
  })
  .loose();
export type RegistryFile = z.infer<typeof registryFileSchema>;
