/**
 * Shapes of the residual scan: the SDK clients it reads with, what a check yields (findings), the context a
 * check reads, a check as data ({@link ServiceCheck}) and the scan's result.
 */
import type { EC2Client, Filter } from "@aws-sdk/client-ec2";
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { EKSClient } from "@aws-sdk/client-eks";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import type { EMRServerlessClient } from "@aws-sdk/client-emr-serverless";
import type { KafkaClient } from "@aws-sdk/client-kafka";
import type { KinesisAnalyticsV2Client } from "@aws-sdk/client-kinesis-analytics-v2";
import type { RDSClient } from "@aws-sdk/client-rds";
import type { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { SdkCall, actionsOf } from "../../ops/ciAccess";
import type { RetainedSet } from "./retained";

/** The SDK clients the scan reads with (one region). */
export interface ResidualScanClients {
  tagging: ResourceGroupsTaggingAPIClient;
  eks: EKSClient;
  kafka: KafkaClient;
  rds: RDSClient;
  elasticache: ElastiCacheClient;
  sagemaker: SageMakerClient;
  ec2: EC2Client;
  elbv2: ElasticLoadBalancingV2Client;
  ecs: ECSClient;
  /**
   * Reads the Object Lock of leftover buckets: a bucket with Object Lock enabled is retained (its locked objects
   * cannot be deleted). Without it every leftover bucket outside the retained set stays residual.
   */
  s3?: S3Client;
  /** Managed Service for Apache Flink; without it the MSF check is NOT_CHECKED (the scan says so). */
  msf?: KinesisAnalyticsV2Client;
  /** EMR Serverless; without it the EMR Serverless check is NOT_CHECKED. */
  emrServerless?: EMRServerlessClient;
}

export type ScanMode = "teardown" | "idle";
export const SCAN_MODES: readonly ScanMode[] = ["teardown", "idle"];

export type Tags = Record<string, string>;

/** What a check saw of one in-scope resource; {@link classify} sorts it into the report's buckets. */
export type Finding =
  | {
      kind: "resource";
      arn: string;
      name: string;
      /** What was seen (sizes, state). */
      detail?: string;
      /** Elastic capacity running or wanted (a node group, service or endpoint above zero, a running application). */
      running: boolean;
      /** The fix for running capacity in idle mode (default: apply the idle-safe switch). */
      runningRemedy?: string;
      /** Whether it bills when not running (default true); false for capacity that is at zero. */
      billsAtRest?: boolean;
    }
  /** Being deleted: no longer billing. */
  | { kind: "deleting"; arn: string; state: string }
  /** Retained for a reason the check itself read (a bucket under S3 Object Lock). */
  | { kind: "retained"; arn: string; surface: string; why: string }
  /** Scanned, with nothing to report: terminated, or already sorted by an earlier check. */
  | { kind: "counted"; arn: string };

/** A finding and the check that made it. */
export type CheckedFinding = Finding & { check: string };

/** One tagged resource of the Resource Groups Tagging API inventory. */
export interface InventoryItem {
  arn: string;
  tags: Tags;
}

/** What a check reads besides its clients. */
export interface ScanContext {
  readonly mode: ScanMode;
  readonly region: string;
  readonly retained: RetainedSet;
  /** The mandatory tags (`project`, `env`) every resource of the environment carries. */
  readonly filter: Tags;
  /** The same tags as EC2 `tag:` filters. */
  readonly ec2TagFilters: Filter[];
  /** Tag key of run-scoped resources (TAG_RUN_ID_KEY). */
  readonly runIdKey: string;
  /** The account id: from the inventory, else from the first ARN a check found ("" until then). */
  readonly account: string;
  /** The tagged inventory, read before any check; undefined when its read failed. */
  readonly inventory?: readonly InventoryItem[];
  readonly inventoryError?: string;
  inScope(tags: Tags): boolean;
  /** Whether an earlier check already sorted this ARN into a bucket. */
  sorted(arn: string): boolean;
  /** Records a failed read that makes the scan incomplete without failing the check. */
  incomplete(message: string): void;
}

/** The clients a check may need that a caller can leave out (then the check does not run). */
export type OptionalClient = "msf" | "emrServerless";

/** One check of the scan, as data: what it reads, the IAM actions that takes, and how it finds. */
export interface ServiceCheck {
  /** The check's id in the report (`eks`, `ec2.nat`, ...). */
  id: string;
  description: string;
  /** The description when it names the scan's tag filter. */
  describe?(filter: Tags): string;
  /** Every SDK command the check sends. */
  commands: readonly SdkCall[];
  /** The read-only IAM actions of {@link commands}. */
  iamActions: readonly string[];
  /** A client the check needs that the caller may not have given: without it, the check does not run. */
  requires?: OptionalClient;
  scan(clients: ResidualScanClients, ctx: ScanContext): AsyncIterable<Finding>;
}

/** A check with its IAM actions derived from its commands. */
export function serviceCheck(check: Omit<ServiceCheck, "iamActions">): ServiceCheck {
  return { ...check, iamActions: actionsOf(check.commands) };
}

export interface ScanItem {
  arn: string;
  service: string;
  resource_type: string;
  name: string;
  /** The check that found it. */
  check: string;
  /** Why it costs. */
  reason: string;
  /** What was seen (sizes, state). */
  detail?: string;
  costly: boolean;
  /** What to do about it. */
  remedy: string;
}

export interface RetainedItem {
  arn: string;
  surface: string;
  why: string;
}

export interface ScanCheck {
  id: string;
  description: string;
  scanned: number;
  residual: number;
  /** PASS: the call succeeded and nothing residual; FAIL: residuals; ERROR: the call failed (scan incomplete). */
  result: "PASS" | "FAIL" | "ERROR" | "NOT_CHECKED";
  error?: string;
}

export interface ResidualScanResult {
  scan_version: "1";
  mode: ScanMode;
  region: string;
  scanned_at_utc: string;
  tag_filter: Record<string, string>;
  residual_item_count: number;
  residual_items: ScanItem[];
  /** Idle mode: persistent surfaces present that bill at idle (the remedy is a teardown, not the switch). */
  idle_cost_items: ScanItem[];
  /** Tagged resources in the retained set. */
  retained_items: RetainedItem[];
  /** Resources being deleted (no longer billing). */
  deleting_items: Array<{ arn: string; state: string }>;
  checks: ScanCheck[];
  scan_complete: boolean;
  errors: string[];
  overall_pass: boolean;
}

/** A failure a check reports that the scan's errors already hold (the inventory read, made before the checks). */
export class RecordedScanError extends Error {}

/** Tags from `{ Key, Value }` pairs. */
export const fromPairs = (list: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): Tags =>
  Object.fromEntries((list ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key as string, t.Value ?? ""]));

/** Tags from ECS's `{ key, value }` pairs. */
export const fromLowerPairs = (list: ReadonlyArray<{ key?: string; value?: string }> | undefined): Tags =>
  Object.fromEntries((list ?? []).filter((t) => t.key !== undefined).map((t) => [t.key as string, t.value ?? ""]));

export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
