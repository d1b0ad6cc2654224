/**
 * Schema of the runtime layer's settings: the `fraud-platform:runtime` section of `Pulumi.<env>.yaml` (sizes,
 * switches and the ingress Lambda's artifact reference). Names, paths and pinned thresholds (ACU range, ingress
 * envelope) never live here: they come from the handles registry. Every value is explicit in the environment
 * file, nothing has a default (DA-09: an undecided value stops the program instead of falling back silently).
 * docs/runtime.md explains each switch and its cost.
 */
import { z } from "zod";

const whole = (min: number, max: number) =>
  z
    .number({ error: `a whole number ${min}..${max}` })
    .int({ error: `a whole number ${min}..${max}` })
    .min(min, { error: `a whole number ${min}..${max}` })
    .max(max, { error: `a whole number ${min}..${max}` });
const flag = z.boolean({ error: "true or false" });
const text = (what: string) => z.string({ error: what }).trim().min(1, { error: what });

/** `hh:mm-hh:mm` (UTC) backup window. */
const dailyWindow = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, { error: "a UTC window hh:mm-hh:mm, e.g. 03:00-04:00" });
/** `ddd:hh:mm-ddd:hh:mm` (UTC) maintenance window. */
const weeklyWindow = z.string().regex(/^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/, {
  error: "a UTC window ddd:hh:mm-ddd:hh:mm, e.g. sun:04:00-sun:05:00",
});

/** What an S3 key of a Lambda package looks like; the prefix is checked against the registry by the stack. */
export const LAMBDA_ARTIFACT_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*\.zip$/;

export const vpcEndpointSettingsSchema = z
  .object({
    /**
     * AWS services that get an interface endpoint (com.amazonaws.<region>.<service>) in every private subnet.
     * Each one bills per AZ-hour; the private tier has no NAT, so a workload can only reach the services listed.
     */
    interfaceServices: z
      .array(z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/, { error: "an AWS service endpoint name such as ecr.api" }))
      .refine((services) => new Set(services).size === services.length, { error: "a list without duplicates" }),
  })
  .strict();

export const auroraSettingsSchema = z
  .object({
    /** Aurora PostgreSQL engine version (major.minor). Auto minor upgrades are off: bump this to upgrade. */
    engineVersion: z.string().regex(/^\d+\.\d+$/, { error: "an Aurora PostgreSQL version major.minor, e.g. 16.6" }),
    /** Master user name (the password is generated, never configured). */
    masterUsername: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "a PostgreSQL role name (lower case, starts with a letter)" }),
    /** Reader instances next to the writer (DA-58: at least one, so the cluster has >= 2 instances in 2 AZs). */
    readerCount: whole(1, 15),
    /** Days of automated backups. */
    backupRetentionDays: whole(1, 35),
    preferredBackupWindow: dailyWindow,
    preferredMaintenanceWindow: weeklyWindow,
    /**
     * RDS deletion protection. Aurora is a state store P17 keeps (phases.md §8), so dev_full sets true; set false
     * in the runtime stack's config only for a deliberate destroy-and-recreate.
     */
    deletionProtection: flag,
    /** Take a final snapshot (`<cluster>-final`) when the cluster is destroyed; false deletes the data outright. */
    finalSnapshotOnDestroy: flag,
  })
  .strict();

export const redisSettingsSchema = z
  .object({
    /** ElastiCache node type; the smallest Graviton burstable type is the cost-aware choice for dev_full. */
    nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, { error: "an ElastiCache node type such as cache.t4g.micro" }),
    /** Nodes (primary + replicas). 1 = no replica and no automatic failover; >= 2 turns on Multi-AZ failover. */
    nodeCount: whole(1, 6),
    /** Redis OSS engine version (7.x supports TLS + AUTH and is outside extended support). */
    engineVersion: z.string().regex(/^7\.\d+$/, { error: "a Redis OSS 7.x version, e.g. 7.1" }),
    /** Days of daily snapshots (0 = none: the cache is rebuilt from Aurora and the bus). */
    snapshotRetentionDays: whole(0, 35),
    preferredMaintenanceWindow: weeklyWindow,
  })
  .strict();

export const ingressSettingsSchema = z
  .object({
    /** The handler package: an S3 key in the artifacts bucket under artifacts/lambda/ig_handler/ (uploaded by CI). */
    handlerArtifact: z
      .object({
        /** S3 key of the package (a .zip under ARTIFACTS_LAMBDA_IG_HANDLER_PREFIX); blank is an error, never a fallback. */
        s3Key: z
          .string({ error: "the S3 key of the ingress Lambda package, artifacts/lambda/ig_handler/<name>.zip" })
          .trim()
          .regex(LAMBDA_ARTIFACT_KEY, { error: "the S3 key of the ingress Lambda package, artifacts/lambda/ig_handler/<name>.zip" }),
      })
      .strict(),
    /** Python handler of the package. */
    handler: text("a Python handler such as package.module.function"),
    /** Lambda runtime of the package. */
    runtime: z.enum(["python3.11", "python3.12", "python3.13"], { error: "python3.11, python3.12 or python3.13" }),
    /** Instruction set the package is built for. */
    architecture: z.enum(["x86_64", "arm64"], { error: "x86_64 or arm64" }),
    /** The platform run the edge admits (REQUIRED_PLATFORM_RUN_ID, DA-63); run pinning sets it in the runtime stack config. */
    requiredPlatformRunId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, { error: "a platform run id (letters, digits, . _ : -)" }),
    /** Kafka client request timeout of the handler, ms (must stay under the 30 s request timeout). */
    kafkaRequestTimeoutMs: whole(100, 29000),
    /** Kafka publish retries of the handler. */
    kafkaPublishRetries: whole(0, 20),
    /** Application modes passed through to the handler. */
    receiptStorageMode: text("a receipt storage mode such as ddb_hot"),
    healthBusProbeMode: text("a health bus probe mode such as none"),
    policyActivationAuditMode: text("a policy activation audit mode such as store_only"),
    /** Bump to rotate the API key: a new value is generated and written to SSM on the next `pulumi up`. */
    apiKeyGeneration: whole(1, 1_000_000),
    /** Point-in-time recovery of the idempotency table (a few cents a month for a TTL'd table). */
    idempotencyPointInTimeRecovery: flag,
    /** Per-route CloudWatch metrics on the stage (billed as custom metrics). */
    detailedMetrics: flag,
  })
  .strict();

export const runtimeSettingsSchema = z
  .object({
    vpcEndpoints: vpcEndpointSettingsSchema,
    aurora: auroraSettingsSchema,
    redis: redisSettingsSchema,
    ingress: ingressSettingsSchema,
  })
  .strict();
export type RuntimeSettings = z.infer<typeof runtimeSettingsSchema>;
export type AuroraSettings = z.infer<typeof auroraSettingsSchema>;
export type RedisSettings = z.infer<typeof redisSettingsSchema>;
export type IngressSettings = z.infer<typeof ingressSettingsSchema>;
