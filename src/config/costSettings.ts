/**
 * Schema of an environment's usage profile: the `fraud-platform:cost` section of `Pulumi.<env>.yaml`, which the
 * cost model (src/cost) and the DA-90 budget policies read. Every value is explicit in the environment file;
 * nothing here has a default, so an environment without a profile fails closed instead of being priced on
 * invented numbers (DA-09). Budget figures themselves (limit, alerts) come from the handles registry, never
 * from here; the cost model checks that the layer envelopes add up to the registry's budget limit.
 *
 * Postures: a resource runs at window capacity while its surface class's proof window is open and idle-safe
 * for the rest of the month; always-on surfaces (storage, keys, registries, control-plane definitions,
 * observability) run all 730 hours of a month and need no entry.
 */
import { z } from "zod";

/** Surface classes with proof windows (the always-on class runs 730 h and has no window). */
export const WINDOWED_SURFACE_CLASSES = ["network", "streaming", "runtime", "batch", "ml", "orchestration"] as const;
export type WindowedSurfaceClass = (typeof WINDOWED_SURFACE_CLASSES)[number];

const count = z.number({ error: "a number" }).nonnegative({ error: "a number >= 0" });
const hours = z
  .number({ error: "a number of hours" })
  .min(0, { error: "hours between 0 and 730" })
  .max(730, { error: "hours between 0 and 730 (a month is 730 hours)" });
const whole = z.number({ error: "a whole number" }).int({ error: "a whole number" }).nonnegative({ error: "a whole number >= 0" });
const usd = z.number({ error: "an amount in USD" }).nonnegative({ error: "an amount in USD >= 0" });

export const costSettingsSchema = z
  .object({
    /**
     * Monthly envelope of each layer, USD. They must add up to the registry's DEV_FULL_MONTHLY_BUDGET_LIMIT_USD;
     * the DA-90 stack policy denies a layer whose proof-window estimate breaks its envelope.
     */
    envelopesUsd: z.object({ core: usd, streaming: usd, runtime: usd, data_ml: usd, ops: usd }).strict(),
    /** Hours per month each surface class runs at proof capacity (0..730); the rest of the month it is idle-safe. */
    proofWindowHours: z
      .object({
        /** NAT gateways and interface VPC endpoints. */
        network: hours,
        /** MSK Serverless (cluster, partitions, data), Managed Flink applications. */
        streaming: hours,
        /** EKS, ECS services, Aurora above its floor, ElastiCache, load balancers, ingress edge traffic. */
        runtime: hours,
        /** EMR Serverless, Databricks jobs, SageMaker training and transform. */
        batch: hours,
        /** SageMaker endpoints and notebooks, MLflow tracking servers. */
        ml: hours,
        /** MWAA environments. */
        orchestration: hours,
      })
      .strict(),
    /** Traffic while a proof window is open, per window hour and per resource of the kind named. */
    usagePerProofHour: z
      .object({
        /** Requests per HTTP or REST API. */
        apiRequests: count,
        /** Invocations per Lambda function. */
        lambdaInvocations: count,
        /** Average billed duration of one invocation, milliseconds. */
        lambdaAvgDurationMs: count,
        /** State transitions per Standard state machine. */
        stateTransitions: count,
        /** Requests per SQS queue. */
        sqsRequests: count,
        /** Write and read request units per on-demand DynamoDB table. */
        dynamodbWriteRequests: count,
        dynamodbReadRequests: count,
        /** GB written to and read from each MSK Serverless cluster. */
        kafkaGbIn: count,
        kafkaGbOut: count,
        /** GB processed per NAT gateway. */
        natGbProcessed: count,
        /** GB processed per interface VPC endpoint. */
        endpointGbProcessed: count,
        /** GB ingested per CloudWatch log group. */
        logsGbIngested: count,
        /** PUT/COPY/POST/LIST and GET requests per S3 bucket. */
        s3PutRequests: count,
        s3GetRequests: count,
        /** Requests per customer-managed KMS key. */
        kmsRequests: count,
        /** Load-balancer capacity units per ALB. */
        albLcus: count,
        /** vCPU-hours and GB-hours per EMR Serverless application, per batch-window hour. */
        emrVcpuHours: count,
        emrGbHours: count,
        /** DBUs per Databricks job or cluster, per batch-window hour. */
        databricksDbus: count,
        /** Millions of ECPUs per ElastiCache Serverless cache. */
        elasticacheEcpuMillions: count,
      })
      .strict(),
    /** Data at rest per resource of the kind named, GB (billed whenever the resource exists). */
    storageGb: z
      .object({
        s3PerBucket: count,
        ecrPerRepository: count,
        kafkaPerCluster: count,
        auroraPerCluster: count,
        rdsPerInstance: count,
        dynamodbPerTable: count,
        logsPerGroup: count,
        /** Data stored per ElastiCache Serverless cache (AWS meters at least 1 GB for Redis, 0.1 GB for Valkey). */
        elasticacheServerlessPerCache: count,
      })
      .strict(),
    /** Capacity assumed where the plan's inputs give a range, or rest at zero between windows. */
    capacity: z
      .object({
        /** Share (0..1) of an Aurora Serverless v2 ACU range used above its minimum during windows. */
        auroraAcuUtilisation: z
          .number({ error: "a share between 0 and 1" })
          .min(0, { error: "a share between 0 and 1" })
          .max(1, { error: "a share between 0 and 1" }),
        /** Tasks a Fargate service declared at desired 0 runs during its window. */
        ecsTasksPerServiceInWindow: whole,
        /** Nodes a node group declared at desired 0 runs during its window (capped at its maxSize). */
        nodesPerNodeGroupInWindow: whole,
      })
      .strict(),
    /** Phase spend envelopes (phases.md §4). */
    phaseEnvelope: z
      .object({
        /** Safety margin added on top of burn x window hours, percent. */
        safetyMarginPercent: z
          .number({ error: "a percentage" })
          .min(0, { error: "a percentage between 0 and 100" })
          .max(100, { error: "a percentage between 0 and 100" }),
      })
      .strict(),
    /**
     * Proof-window hours a month per phase (all attempts of its window): the default `--hours` of
     * `npm run window -- open` and the weights of the usage profile's month under proof windows (src/cost/windows.ts).
     */
    phaseWindowHours: z.record(z.string().regex(/^P(\(-1\)|[0-9]|1[0-7])$/, { error: "a phase id P(-1), P0 .. P17" }), hours),
  })
  .strict();
export type CostSettings = z.infer<typeof costSettingsSchema>;
