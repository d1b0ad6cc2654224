/**
 * Schema of the `fraud-platform:runtimeLanes` section of `Pulumi.<env>.yaml`: the EKS exception lane and the
 * orchestration/runtime lanes of the runtime layer (stacks/runtimeParts/, tables in src/runtime/lanes.ts). Names are not set here (they come
 * from the handles registry); sizes, versions, switches, the EKS admission record and artifact references are.
 * Everything that decides cost or exposure is explicit in the environment file: there are no silent defaults
 * for the admission record, the Kubernetes version or the endpoint exposure (DA-09).
 */
import { z } from "zod";
import { IMMUTABLE_TAG } from "../runtime/images";

/** Characters AWS accepts in tag values (letters, digits, spaces and `_ . : / = + - @`), at most 256. */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;
const tagText = z.string().regex(TAG_VALUE, { error: "1-256 characters AWS accepts in a tag value (letters, digits, spaces, _ . : / = + - @; no commas)" });
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "a date YYYY-MM-DD" })
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), { error: "a real calendar date YYYY-MM-DD" });
const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, { error: "an IPv4 CIDR block" });
const positiveInt = z.number({ error: "a whole number" }).int({ error: "a whole number" }).positive({ error: "a whole number > 0" });
const nonNegativeInt = z.number({ error: "a whole number" }).int({ error: "a whole number" }).nonnegative({ error: "a whole number >= 0" });

/** Days between two YYYY-MM-DD dates (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * The EKS admission record (DA-54): why the exception lane exists, re-justified at least every 30 days. Carried
 * as tags on the cluster and every node group (src/runtime/admission.ts), checked by the DA-54 policy.
 */
export const eksAdmissionSchema = z
  .object({
    /** Why EKS is admitted at all (the workload ECS Fargate cannot host). */
    reason: tagText,
    /** The capability gap ECS Fargate / managed services leave. */
    capabilityGap: tagText,
    /** The SLO gain the lane buys. */
    sloGain: tagText,
    /** Why the lane fits the budget (scale-to-zero nodes, window hours). */
    costFit: tagText,
    /** How the lane is rolled back to the default runtime path. */
    rollbackPath: tagText,
    /** Date of the last review (YYYY-MM-DD). */
    reviewedOn: isoDate,
    /** Date by which the admission must be reviewed again (YYYY-MM-DD, at most 30 days after reviewedOn). */
    reviewBy: isoDate,
  })
  .strict()
  .superRefine((a, ctx) => {
    const days = daysBetween(a.reviewedOn, a.reviewBy);
    if (days < 0 || days > 30)
      ctx.addIssue({ code: "custom", path: ["reviewBy"], message: `a date 0..30 days after reviewedOn ${a.reviewedOn} (EKS_ADMISSION_REVIEW_CADENCE_DAYS)` });
  });
export type EksAdmission = z.infer<typeof eksAdmissionSchema>;

/** EKS access policies an access entry may be granted (AWS managed cluster access policies). */
export const EKS_ACCESS_POLICIES = [
  "AmazonEKSClusterAdminPolicy",
  "AmazonEKSAdminPolicy",
  "AmazonEKSEditPolicy",
  "AmazonEKSViewPolicy",
  "AmazonEKSAdminViewPolicy",
] as const;

export const eksAccessEntrySchema = z
  .object({
    /** Key of the access entry (lower-case words). */
    name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, { error: "a short lower-case key such as ci or apply" }),
    /** IAM principal in the deploying account: `role/<name>` or `user/<name>` (the account id is read at deploy time). */
    principal: z.string().regex(/^(role|user)\/[\w+=,.@/-]{1,128}$/, { error: "role/<role-name> or user/<user-name>" }),
    /** AWS managed access policy associated at cluster scope. */
    accessPolicy: z.enum(EKS_ACCESS_POLICIES, { error: `one of ${EKS_ACCESS_POLICIES.join(", ")}` }),
  })
  .strict();
export type EksAccessEntry = z.infer<typeof eksAccessEntrySchema>;

export const eksSettingsSchema = z
  .object({
    /** Pinned Kubernetes minor version (in standard support; extended support costs 6x). */
    kubernetesVersion: z.string().regex(/^1\.\d{2}$/, { error: "a Kubernetes minor version such as 1.35" }),
    /** CIDRs allowed to reach the public API endpoint; empty = public endpoint off (private only). Never 0.0.0.0/0. */
    publicAccessCidrs: z
      .array(cidr)
      .refine((l) => !l.some((c) => c.endsWith("/0")), { error: "CIDRs narrower than /0 (never 0.0.0.0/0; leave empty for private only)" }),
    /** Control-plane log types shipped to CloudWatch. */
    enabledLogTypes: z.array(z.enum(["api", "audit", "authenticator", "controllerManager", "scheduler"])),
    /** Principals granted cluster access through access entries (authentication mode API; no aws-auth ConfigMap). */
    accessEntries: z.array(eksAccessEntrySchema),
    /** The managed node group (scales to zero outside proof windows). */
    nodeGroup: z
      .object({
        /** EC2 instance types (cost-aware default t3.medium). */
        instanceTypes: z.array(z.string().regex(/^[a-z0-9]+\.[a-z0-9]+$/, { error: "an EC2 instance type such as t3.medium" })).min(1),
        /** Desired node count when applied (0 outside proof windows). */
        desiredSize: nonNegativeInt,
        /** Upper bound of the node group. */
        maxSize: positiveInt,
        /** Root volume size, GiB. */
        diskSizeGib: positiveInt,
        /** ON_DEMAND or SPOT. */
        capacityType: z.enum(["ON_DEMAND", "SPOT"]),
        /** EKS AMI type. */
        amiType: z.enum(["AL2023_x86_64_STANDARD", "BOTTLEROCKET_x86_64", "AL2023_ARM_64_STANDARD", "BOTTLEROCKET_ARM_64"]),
      })
      .strict()
      .refine((n) => n.desiredSize <= n.maxSize, { error: "desiredSize <= maxSize", path: ["desiredSize"] }),
    /** The admission record (DA-54). */
    admission: eksAdmissionSchema,
    /**
     * EMR-on-EKS virtual cluster for Flink, the approved fallback when Managed Service for Apache Flink cannot be used
     * (DA-50). Off by default; turning it on needs the approval reference of the fallback record.
     */
    flinkFallback: z
      .object({
        enabled: z.boolean({ error: "true or false" }),
        /** Reference of the fallback record's approval (required when enabled). */
        approvalRef: z.string(),
      })
      .strict()
      .refine((f) => !f.enabled || TAG_VALUE.test(f.approvalRef), {
        error: "an approval reference (tag-safe text) when enabled is true",
        path: ["approvalRef"],
      }),
  })
  .strict();
export type EksSettings = z.infer<typeof eksSettingsSchema>;

export const orchestrationSettingsSchema = z
  .object({
    /** Step Functions execution log level (ALL, ERROR, FATAL). */
    logLevel: z.enum(["ALL", "ERROR", "FATAL"]),
    /** Whether execution input/output goes into the logs (off: run payloads stay out of logs). */
    includeExecutionData: z.boolean({ error: "true or false" }),
  })
  .strict();

export const flinkSettingsSchema = z
  .object({
    /** MSF runtime environment. */
    runtimeEnvironment: z.string().regex(/^FLINK-1_\d{2}$/, { error: "an MSF Flink runtime such as FLINK-1_20" }),
    /** Key of the application JAR/ZIP in the artifacts bucket, uploaded by CI (under artifacts/flink/). */
    codeArtifactKey: z.string().regex(/^artifacts\/flink\/[A-Za-z0-9._/-]+\.(jar|zip)$/, { error: "a key under artifacts/flink/ ending in .jar or .zip" }),
    /** Start the application on apply (off: it is started for a proof window and stopped after). */
    startApplication: z.boolean({ error: "true or false" }),
  })
  .strict();

export const emrServerlessSettingsSchema = z
  .object({
    /** Minutes idle before the application stops itself (auto-stop is always on). */
    idleTimeoutMinutes: z.number().int().min(1).max(10080),
    /** Upper bound of the application's capacity. */
    maximumCapacity: z
      .object({
        cpu: z.string().regex(/^\d+ vCPU$/, { error: 'vCPUs such as "16 vCPU"' }),
        memory: z.string().regex(/^\d+ GB$/, { error: 'memory such as "64 GB"' }),
        disk: z.string().regex(/^\d+ GB$/, { error: 'disk such as "200 GB"' }),
      })
      .strict(),
  })
  .strict();

export const ecsSettingsSchema = z
  .object({
    /**
     * Declare the spine services (DF, AL, DLA, CaseTrigger, CM, LS, archive consumer) and the WSP task definition.
     * Off for substrate readiness (P0). On needs every ENTRYPOINT_* handle they use pinned and an immutable image.
     */
    spineServicesEnabled: z.boolean({ error: "true or false" }),
    /**
     * Image of the spine workloads in the platform repository: a `git-<sha>-run-<id>` tag or an `sha256:<digest>`
     * (never :latest / :dev-full-latest). Empty while spineServicesEnabled is false.
     */
    image: z.string(),
    /** Container Insights on the cluster (costs CloudWatch metrics; off outside proof windows). */
    containerInsights: z.boolean({ error: "true or false" }),
    /** Fargate task size of each spine workload. */
    taskCpu: z
      .number()
      .int()
      .refine((v) => [256, 512, 1024, 2048, 4096].includes(v), { error: "a Fargate CPU size: 256, 512, 1024, 2048 or 4096" }),
    taskMemory: positiveInt,
    /** Desired count of each spine service when applied (0 outside proof windows, DA-93). */
    desiredCount: nonNegativeInt,
    /**
     * The platform run the spine workloads are pinned to (REQUIRED_PLATFORM_RUN_ID, DA-63), set for a proof window.
     * Empty while spineServicesEnabled is false.
     */
    platformRunId: z.string(),
  })
  .strict()
  .superRefine((ecs, ctx) => {
    if (!ecs.spineServicesEnabled) return;
    if (!IMMUTABLE_TAG.test(ecs.image) && !/^sha256:[0-9a-f]{64}$/.test(ecs.image)) {
      ctx.addIssue({
        code: "custom",
        path: ["image"],
        message:
          "an immutable image pin when spineServicesEnabled is true: a git-<sha>-run-<ci_run_id> tag or sha256:<64 hex> digest, never :latest or :dev-full-latest (DA-61)",
      });
    }
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{2,127}$/.test(ecs.platformRunId)) {
      ctx.addIssue({
        code: "custom",
        path: ["platformRunId"],
        message: "the platform run id the services are pinned to when spineServicesEnabled is true (DA-63)",
      });
    }
  });

export const runtimeLanesSettingsSchema = z
  .object({
    /** The EKS exception lane (admitted by record, DA-54). */
    eks: eksSettingsSchema,
    /** Step Functions state machines. */
    orchestration: orchestrationSettingsSchema,
    /** The MSF application of IEG/OFP. */
    flink: flinkSettingsSchema,
    /** The EMR Serverless application of the oracle stream sort. */
    emrServerless: emrServerlessSettingsSchema,
    /** The ECS cluster, WSP task and spine services. */
    ecs: ecsSettingsSchema,
  })
  .strict();
export type RuntimeLanesSettings = z.infer<typeof runtimeLanesSettingsSchema>;
