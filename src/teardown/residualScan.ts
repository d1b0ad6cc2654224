/**
 * The P17 residual scan (M13.G, DA-102, G-25) with the AWS SDK v3, read-only. Two sources, both filtered by the
 * mandatory tags `project` and `env` of the registry:
 *
 * - the Resource Groups Tagging API inventory (`GetResources`, paginated): after a teardown, every tagged resource
 *   beyond the retained set is a residual;
 * - direct checks of the services that cost money while they exist or run: EKS clusters and node groups, MSK
 *   clusters, RDS/Aurora clusters, ElastiCache, SageMaker endpoints, NAT gateways, load balancers, ECS services
 *   and EC2 instances (they see sizes and states the inventory cannot).
 *
 * Modes: `teardown` (after `npm run teardown`: anything left beyond the retained set is residual) and `idle`
 * (stacks applied with the idle-safe switch: residual = running elastic capacity the switch must have zeroed;
 * persistent cost-bearing cores are reported as `idle_cost_items`). Any failed call makes the scan incomplete,
 * which never passes (fail closed). Clients are injected so tests run against aws-sdk-client-mock.
 */
import { EC2Client, Filter, paginateDescribeInstances, paginateDescribeNatGateways } from "@aws-sdk/client-ec2";
import { DescribeClustersCommand, DescribeServicesCommand, ECSClient, Tag as EcsTag, paginateListClusters as paginateEcsClusters, paginateListServices } from "@aws-sdk/client-ecs";
import { DescribeClusterCommand, DescribeNodegroupCommand, EKSClient, paginateListClusters as paginateEksClusters, paginateListNodegroups } from "@aws-sdk/client-eks";
import { DescribeTagsCommand, ElasticLoadBalancingV2Client, paginateDescribeLoadBalancers } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ElastiCacheClient, ListTagsForResourceCommand, paginateDescribeReplicationGroups, paginateDescribeServerlessCaches } from "@aws-sdk/client-elasticache";
import { KafkaClient, paginateListClustersV2 } from "@aws-sdk/client-kafka";
import { RDSClient, paginateDescribeDBClusters } from "@aws-sdk/client-rds";
import { ResourceGroupsTaggingAPIClient, paginateGetResources } from "@aws-sdk/client-resource-groups-tagging-api";
import { ListTagsCommand, SageMakerClient, paginateListEndpoints } from "@aws-sdk/client-sagemaker";
import { GetObjectLockConfigurationCommand, S3Client } from "@aws-sdk/client-s3";
import { KinesisAnalyticsV2Client, ListTagsForResourceCommand as MsfListTagsCommand, paginateListApplications as paginateMsfApplications } from "@aws-sdk/client-kinesis-analytics-v2";
import { EMRServerlessClient, ListJobRunsCommand, ListTagsForResourceCommand as EmrsListTagsCommand, paginateListApplications as paginateEmrsApplications } from "@aws-sdk/client-emr-serverless";
import { SdkCall, actionsOf } from "../ops/ciAccess";
import { Registry } from "../registry/registry";
import { registryTags } from "../tags";
import { TeardownPlan } from "./plan";

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

/** Real clients of a region (default credential chain: environment, profile, OIDC web identity, ...). */
export function scanClients(region: string): ResidualScanClients {
  return {
    tagging: new ResourceGroupsTaggingAPIClient({ region }),
    eks: new EKSClient({ region }),
    kafka: new KafkaClient({ region }),
    rds: new RDSClient({ region }),
    elasticache: new ElastiCacheClient({ region }),
    sagemaker: new SageMakerClient({ region }),
    ec2: new EC2Client({ region }),
    elbv2: new ElasticLoadBalancingV2Client({ region }),
    ecs: new ECSClient({ region }),
    s3: new S3Client({ region }),
    msf: new KinesisAnalyticsV2Client({ region }),
    emrServerless: new EMRServerlessClient({ region }),
  };
}

/**
 * Every AWS SDK command the scan sends and the read-only IAM action behind it. The identity that runs it (the
 * idle-guard role, or an operator) needs them besides TEARDOWN_IAM_MIN_ACTIONS; without one, its check errors and
 * the scan fails closed. tests/ops/ciIdentities.test.ts checks this table against the commands this file sends.
 */
export const RESIDUAL_SCAN_CALLS: readonly SdkCall[] = [
  { client: "@aws-sdk/client-resource-groups-tagging-api", operation: "GetResources", action: "tag:GetResources" },
  { client: "@aws-sdk/client-eks", operation: "ListClusters", action: "eks:ListClusters" },
  { client: "@aws-sdk/client-eks", operation: "DescribeCluster", action: "eks:DescribeCluster" },
  { client: "@aws-sdk/client-eks", operation: "ListNodegroups", action: "eks:ListNodegroups" },
  { client: "@aws-sdk/client-eks", operation: "DescribeNodegroup", action: "eks:DescribeNodegroup" },
  { client: "@aws-sdk/client-ecs", operation: "ListClusters", action: "ecs:ListClusters" },
  { client: "@aws-sdk/client-ecs", operation: "DescribeClusters", action: "ecs:DescribeClusters" },
  { client: "@aws-sdk/client-ecs", operation: "ListServices", action: "ecs:ListServices" },
  { client: "@aws-sdk/client-ecs", operation: "DescribeServices", action: "ecs:DescribeServices" },
  { client: "@aws-sdk/client-kafka", operation: "ListClustersV2", action: "kafka:ListClustersV2" },
  { client: "@aws-sdk/client-rds", operation: "DescribeDBClusters", action: "rds:DescribeDBClusters" },
  { client: "@aws-sdk/client-elasticache", operation: "DescribeReplicationGroups", action: "elasticache:DescribeReplicationGroups" },
  { client: "@aws-sdk/client-elasticache", operation: "DescribeServerlessCaches", action: "elasticache:DescribeServerlessCaches" },
  { client: "@aws-sdk/client-elasticache", operation: "ListTagsForResource", action: "elasticache:ListTagsForResource" },
  { client: "@aws-sdk/client-sagemaker", operation: "ListEndpoints", action: "sagemaker:ListEndpoints" },
  { client: "@aws-sdk/client-sagemaker", operation: "ListTags", action: "sagemaker:ListTags" },
  { client: "@aws-sdk/client-ec2", operation: "DescribeNatGateways", action: "ec2:DescribeNatGateways" },
  { client: "@aws-sdk/client-ec2", operation: "DescribeInstances", action: "ec2:DescribeInstances" },
  { client: "@aws-sdk/client-elastic-load-balancing-v2", operation: "DescribeLoadBalancers", action: "elasticloadbalancing:DescribeLoadBalancers" },
  { client: "@aws-sdk/client-elastic-load-balancing-v2", operation: "DescribeTags", action: "elasticloadbalancing:DescribeTags" },
  { client: "@aws-sdk/client-s3", operation: "GetObjectLockConfiguration", action: "s3:GetBucketObjectLockConfiguration" },
  { client: "@aws-sdk/client-kinesis-analytics-v2", operation: "ListApplications", action: "kinesisanalytics:ListApplications" },
  { client: "@aws-sdk/client-kinesis-analytics-v2", operation: "ListTagsForResource", action: "kinesisanalytics:ListTagsForResource" },
  { client: "@aws-sdk/client-emr-serverless", operation: "ListApplications", action: "emr-serverless:ListApplications" },
  { client: "@aws-sdk/client-emr-serverless", operation: "ListTagsForResource", action: "emr-serverless:ListTagsForResource" },
  { client: "@aws-sdk/client-emr-serverless", operation: "ListJobRuns", action: "emr-serverless:ListJobRuns" },
];

/** The read-only IAM actions of {@link RESIDUAL_SCAN_CALLS}. */
export const RESIDUAL_SCAN_IAM_ACTIONS: readonly string[] = actionsOf(RESIDUAL_SCAN_CALLS);

export type ScanMode = "teardown" | "idle";
export const SCAN_MODES: readonly ScanMode[] = ["teardown", "idle"];

// ---------------------------------------------------------------------------------------------------------------
// ARNs and the retained set

export interface ParsedArn {
  arn: string;
  partition: string;
  service: string;
  region: string;
  account: string;
  /** `bucket` for S3, else the part before the first `/` or `:` of the resource (`cluster`, `log-group`, ...). */
  resourceType: string;
  /** The rest of the resource part (`/aws/x` for a log group, without a trailing `:*`). */
  resourceId: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(":");
  const base = { arn, partition, service, region, account };
  if (service === "s3" && !resource.includes("/")) return { ...base, resourceType: "bucket", resourceId: resource };
  const m = /^([^/:]+)[/:](.*)$/.exec(resource);
  if (!m) return { ...base, resourceType: "", resourceId: resource };
  return { ...base, resourceType: m[1], resourceId: m[2].replace(/:\*$/, "") };
}

/** One kind of resource P17 keeps. */
export interface RetainedEntry {
  surface: string;
  service: string;
  resourceType: string;
  /** Whether a resource id of that service/type is this surface. */
  matches(resourceId: string, arn: string): boolean;
  why: string;
}

/** The surfaces a teardown leaves on purpose; everything else tagged is residual after a teardown. */
export class RetainedSet {
  constructor(readonly entries: readonly RetainedEntry[]) {}

  find(arn: string): RetainedEntry | undefined {
    const p = parseArn(arn);
    if (!p) return undefined;
    return this.entries.find((e) => e.service === p.service && e.resourceType === p.resourceType && e.matches(p.resourceId, arn));
  }
}

const exact = (value: string) => (id: string) => id === value;
const caseless = (value: string) => (id: string) => id.toLowerCase() === value.toLowerCase();

/** Where a protected resource of the plan shows up in an ARN (service, resource type, id matcher). */
const PLAN_ARN_FORMS: Readonly<Record<string, { service: string; resourceType: string; matcher: (name: string) => (id: string) => boolean }>> = {
  "aws:s3/bucket:Bucket": { service: "s3", resourceType: "bucket", matcher: exact },
  "aws:s3/bucketV2:BucketV2": { service: "s3", resourceType: "bucket", matcher: exact },
  "aws:ecr/repository:Repository": { service: "ecr", resourceType: "repository", matcher: exact },
  "aws:glue/registry:Registry": { service: "glue", resourceType: "registry", matcher: exact },
  "aws:glue/schema:Schema": { service: "glue", resourceType: "schema", matcher: (name) => (id) => id.endsWith(`/${name}`) },
  "aws:glue/catalogDatabase:CatalogDatabase": { service: "glue", resourceType: "database", matcher: exact },
  "aws:sagemaker/modelPackageGroup:ModelPackageGroup": { service: "sagemaker", resourceType: "model-package-group", matcher: caseless },
  "aws:cloudwatch/logGroup:LogGroup": { service: "logs", resourceType: "log-group", matcher: exact },
  "aws:cloudwatch/dashboard:Dashboard": { service: "cloudwatch", resourceType: "dashboard", matcher: exact },
  "aws:iam/role:Role": { service: "iam", resourceType: "role", matcher: (name) => (id) => id === name || id.endsWith(`/${name}`) },
};

function pinned(registry: Registry, handle: string): string | undefined {
  try {
    return registry.isPinned(handle) ? registry.string(handle) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The retained set: the registry's persistent surfaces (evidence and object-store buckets, IaC state bucket, ECR
 * repository, Glue schema registry and its schemas), the platform KMS key (its ARN as the alias resolves it),
 * log groups (storage only, bounded by LOG_RETENTION_DAYS) and SSM parameters under SSM_PARAMETER_ROOT (free at
 * rest), plus every resource the plan protects and every bucket the plan creates with S3 Object Lock (its locked
 * objects cannot be deleted before their retention ends, so the bucket stays by definition).
 */
export function retainedSetOf(registry: Registry, options: { plan?: TeardownPlan; kmsKeyArns?: readonly string[] } = {}): RetainedSet {
  const entries: RetainedEntry[] = [];
  const add = (surface: string, service: string, resourceType: string, matches: RetainedEntry["matches"], why: string) => entries.push({ surface, service, resourceType, matches, why });
  for (const [handle, surface] of [
    ["S3_EVIDENCE_BUCKET", "evidence bucket"],
    ["S3_OBJECT_STORE_BUCKET", "object store"],
    ["TF_STATE_BUCKET", "IaC state backend"],
  ] as const) {
    const bucket = pinned(registry, handle);
    if (bucket) add(surface, "s3", "bucket", exact(bucket), `${handle}: persistent surface kept at P17 (DA-101)`);
  }
  const repo = pinned(registry, "ECR_REPO_NAME");
  if (repo) add("ECR repository", "ecr", "repository", exact(repo), "ECR_REPO_NAME: images the evidence names (DA-101)");
  const glue = pinned(registry, "GLUE_SCHEMA_REGISTRY_NAME");
  if (glue) {
    add("Glue schema registry", "glue", "registry", exact(glue), "GLUE_SCHEMA_REGISTRY_NAME: bus schemas (DA-101)");
    add("Glue schemas", "glue", "schema", (id) => id.startsWith(`${glue}/`), "schemas of the retained registry");
  }
  const keys = new Set(options.kmsKeyArns ?? []);
  if (keys.size) add("platform KMS key", "kms", "key", (id, arn) => keys.has(arn) || [...keys].some((k) => k.endsWith(`/${id}`)), "KMS_KEY_ALIAS_PLATFORM: evidence is SSE-KMS, never scheduled for deletion");
  const retention = pinned(registry, "LOG_RETENTION_DAYS") ?? "the pinned";
  add("log groups", "logs", "log-group", () => true, `storage only, expiring after ${retention} days (LOG_RETENTION_DAYS)`);
  const ssmRoot = pinned(registry, "SSM_PARAMETER_ROOT");
  if (ssmRoot) {
    const root = ssmRoot.replace(/^\//, "");
    add("SSM parameters", "ssm", "parameter", (id) => id.replace(/^\//, "").startsWith(root), `SSM_PARAMETER_ROOT ${ssmRoot}: kept at P17, free at rest (standard tier)`);
  }
  for (const r of options.plan?.retained ?? []) {
    const form = PLAN_ARN_FORMS[r.type];
    if (!form || !r.physicalName) continue;
    add(`${r.type} ${r.name}`, form.service, form.resourceType, form.matcher(r.physicalName), `protect: true in the plan (${r.urn})`);
  }
  for (const r of options.plan?.objectLocked ?? []) {
    if (!r.physicalName) continue;
    add(`locked objects in ${r.physicalName}`, "s3", "bucket", exact(r.physicalName), `S3 Object Lock in the plan (${r.urn}): locked objects stay until their retention ends`);
  }
  return new RetainedSet(entries);
}

// ---------------------------------------------------------------------------------------------------------------
// Why a leftover costs

interface CostNote {
  reason: string;
  /** Bills while it exists (or runs). */
  costly: boolean;
}

const COST_NOTES: ReadonlyArray<{ service: string; resourceType?: string; note: CostNote }> = [
  { service: "eks", resourceType: "cluster", note: { reason: "EKS control plane bills per cluster-hour (about 0.10 USD/h)", costly: true } },
  { service: "eks", resourceType: "nodegroup", note: { reason: "managed node group: EC2 instance-hours and EBS for every node", costly: true } },
  { service: "kafka", note: { reason: "MSK bills cluster-hours and partition-hours while the cluster exists (Serverless about 0.75 USD/h)", costly: true } },
  { service: "rds", note: { reason: "Aurora Serverless v2 bills ACU-hours at least at its minimum capacity, plus storage", costly: true } },
  { service: "elasticache", note: { reason: "ElastiCache bills node-hours (or GB-hours serverless) while it exists", costly: true } },
  { service: "kinesisanalytics", resourceType: "application", note: { reason: "MSF Flink application bills KPU-hours while running", costly: true } },
  { service: "emr-serverless", resourceType: "applications", note: { reason: "EMR Serverless bills vCPU- and GB-hours while started or running jobs", costly: true } },
  { service: "sagemaker", resourceType: "endpoint", note: { reason: "SageMaker real-time endpoint bills hosting instance-hours while active", costly: true } },
  { service: "sagemaker", resourceType: "notebook-instance", note: { reason: "SageMaker notebook bills instance-hours while in service", costly: true } },
  { service: "ec2", resourceType: "natgateway", note: { reason: "NAT gateway bills per hour plus per GB processed", costly: true } },
  { service: "ec2", resourceType: "instance", note: { reason: "EC2 instance-hours while running, EBS GB-months while stopped", costly: true } },
  { service: "ec2", resourceType: "volume", note: { reason: "EBS volume bills GB-months until deleted", costly: true } },
  { service: "ec2", resourceType: "elastic-ip", note: { reason: "public IPv4 address bills per hour", costly: true } },
  { service: "ec2", resourceType: "vpc-endpoint", note: { reason: "interface VPC endpoint bills per AZ-hour (gateway endpoints are free)", costly: true } },
  { service: "elasticloadbalancing", note: { reason: "load balancer bills per hour plus LCUs", costly: true } },
  { service: "ecs", resourceType: "service", note: { reason: "ECS Fargate service bills vCPU-hours and GB-hours for every running task", costly: true } },
  { service: "kinesisanalytics", note: { reason: "Managed Service for Apache Flink bills KPU-hours while the application runs", costly: true } },
  { service: "emr-serverless", note: { reason: "EMR Serverless bills vCPU/GB-hours while started (pre-initialised capacity included)", costly: true } },
  { service: "emr-containers", note: { reason: "EMR on EKS job runs bill their pods' node capacity", costly: true } },
  { service: "airflow", note: { reason: "MWAA environment bills per hour and never scales to zero", costly: true } },
  { service: "dynamodb", note: { reason: "DynamoDB table bills storage (and provisioned capacity) while it exists", costly: true } },
  { service: "s3", note: { reason: "S3 bucket bills storage GB-months until emptied and deleted", costly: true } },
  { service: "kms", note: { reason: "customer managed KMS key bills 1 USD/month until deleted", costly: true } },
  { service: "secretsmanager", note: { reason: "secret bills 0.40 USD/month until deleted", costly: true } },
  { service: "cloudwatch", resourceType: "alarm", note: { reason: "CloudWatch alarm bills per alarm-month", costly: true } },
];

export function costNoteOf(service: string, resourceType: string): CostNote {
  const hit = COST_NOTES.find((n) => n.service === service && (n.resourceType === undefined || n.resourceType === resourceType));
  return hit?.note ?? { reason: "left behind by the teardown: not in the retained set (no running charge, but drift the next bring-up collides with)", costly: false };
}

// ---------------------------------------------------------------------------------------------------------------
// Result

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
  retained_items: Array<{ arn: string; surface: string; why: string }>;
  /** Resources being deleted (no longer billing). */
  deleting_items: Array<{ arn: string; state: string }>;
  checks: ScanCheck[];
  scan_complete: boolean;
  errors: string[];
  overall_pass: boolean;
}

export interface ResidualScanOptions {
  clients: ResidualScanClients;
  registry: Registry;
  mode: ScanMode;
  region: string;
  retained: RetainedSet;
  now?: Date;
}

type Tags = Record<string, string>;

const fromPairs = (list: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): Tags => Object.fromEntries((list ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key as string, t.Value ?? ""]));
const fromEcsPairs = (list: readonly EcsTag[] | undefined): Tags => Object.fromEntries((list ?? []).filter((t) => t.key !== undefined).map((t) => [t.key as string, t.value ?? ""]));

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name === "Error" ? "" : `${e.name}: `}${e.message}`;
  return String(e);
}

const IDLE_SAFE_REMEDY = "apply the idle-safe switch: pulumi config set fraud-platform:idleSafe true --stack <env>-runtime && pulumi up --refresh --stack <env>-runtime (the idle guard's enforce mode does this)";
const TEARDOWN_REMEDY = "rerun npm run teardown (its stack's destroy), or delete it; if it must stay, protect it in its stack and add it to the retained set";
const TEARDOWN_ONLY_REMEDY = "bills while it exists: only a teardown of its stack retires it (npm run teardown)";

/** Whether a bucket has Object Lock enabled (`ObjectLockConfigurationNotFoundError`: no lock). */
async function bucketObjectLock(client: S3Client, bucket: string): Promise<{ enabled: boolean; error?: string }> {
  try {
    const r = await client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    return { enabled: r.ObjectLockConfiguration?.ObjectLockEnabled === "Enabled" };
  } catch (e) {
    if ((e as { name?: string }).name === "ObjectLockConfigurationNotFoundError") return { enabled: false };
    return { enabled: false, error: (e as Error).message };
  }
}

/** The scan. Never throws on AWS errors: they make the scan incomplete (and failing). */
export async function residualScan(options: ResidualScanOptions): Promise<ResidualScanResult> {
  const { clients, registry, mode, retained } = options;
  const scope = registryTags(registry);
  const projectKey = registry.string("TAG_PROJECT_KEY");
  const envKey = registry.string("TAG_ENV_KEY");
  const filter: Tags = { [projectKey]: scope[projectKey], [envKey]: scope[envKey] };
  const runIdKey = registry.string("TAG_RUN_ID_KEY");
  const inScope = (tags: Tags) => Object.entries(filter).every(([k, v]) => tags[k] === v);
  const tagFilters = Object.entries(filter).map(([Key, v]) => ({ Key, Values: [v] }));
  const ec2TagFilters: Filter[] = Object.entries(filter).map(([k, v]) => ({ Name: `tag:${k}`, Values: [v] }));

  const residuals = new Map<string, ScanItem>();
  const idleCost = new Map<string, ScanItem>();
  const retainedItems = new Map<string, { arn: string; surface: string; why: string }>();
  const deleting = new Map<string, string>();
  const checks: ScanCheck[] = [];
  const errors: string[] = [];
  let account = "";

  /** Records a finding: retained, residual (running capacity, or anything in teardown mode) or an idle cost. */
  const found = (check: string, arn: string, opts: { name: string; detail?: string; running: boolean; runningRemedy?: string; billsAtRest?: boolean }): boolean => {
    const p = parseArn(arn);
    if (p?.account) account ||= p.account;
    const keep = retained.find(arn);
    if (keep) {
      retainedItems.set(arn, { arn, surface: keep.surface, why: keep.why });
      return false;
    }
    const note = costNoteOf(p?.service ?? "", p?.resourceType ?? "");
    const item: ScanItem = {
      arn,
      service: p?.service ?? "",
      resource_type: p?.resourceType ?? "",
      name: opts.name,
      check,
      reason: note.reason,
      ...(opts.detail ? { detail: opts.detail } : {}),
      costly: note.costly,
      remedy: mode === "teardown" ? TEARDOWN_REMEDY : opts.running ? (opts.runningRemedy ?? IDLE_SAFE_REMEDY) : TEARDOWN_ONLY_REMEDY,
    };
    if (mode === "teardown" || opts.running) {
      residuals.set(arn, item);
      return true;
    }
    // Idle mode: capacity at zero (a node group or service at 0, a failed endpoint) bills nothing.
    if (opts.billsAtRest !== false) idleCost.set(arn, item);
    return false;
  };

  const run = async (id: string, description: string, body: () => Promise<{ scanned: number; residual: number }>): Promise<void> => {
    try {
      const { scanned, residual } = await body();
      checks.push({ id, description, scanned, residual, result: residual ? "FAIL" : "PASS" });
    } catch (e) {
      const error = errorText(e);
      errors.push(`${id}: ${error}`);
      checks.push({ id, description, scanned: 0, residual: 0, result: "ERROR", error });
    }
  };

  // The tagged inventory first (it also tells the account id, for ARNs the EC2 API does not return).
  const inventoryDescription = `Resource Groups Tagging API inventory (tags ${Object.entries(filter).map(([k, v]) => `${k}=${v}`).join(", ")})`;
  let inventory: Array<{ arn: string; tags: Tags }> | undefined;
  let inventoryError: string | undefined;
  try {
    const collected: Array<{ arn: string; tags: Tags }> = [];
    for await (const page of paginateGetResources({ client: clients.tagging }, { TagFilters: tagFilters, ResourcesPerPage: 100 })) {
      for (const mapping of page.ResourceTagMappingList ?? []) if (mapping.ResourceARN) collected.push({ arn: mapping.ResourceARN, tags: fromPairs(mapping.Tags) });
    }
    inventory = collected;
    account = collected.map((c) => parseArn(c.arn)?.account).find((a): a is string => Boolean(a)) ?? "";
  } catch (e) {
    inventoryError = errorText(e);
    errors.push(`tagging: ${inventoryError}`);
  }

  await run("eks", "EKS clusters (control plane) and managed node groups (min/desired > 0)", async () => {
    let scanned = 0;
    let residual = 0;
    for await (const page of paginateEksClusters({ client: clients.eks }, {})) {
      for (const name of page.clusters ?? []) {
        const cluster = (await clients.eks.send(new DescribeClusterCommand({ name }))).cluster;
        if (!cluster?.arn || !inScope(cluster.tags ?? {})) continue;
        scanned++;
        if (cluster.status === "DELETING") {
          deleting.set(cluster.arn, cluster.status);
          continue;
        }
        if (found("eks", cluster.arn, { name, detail: `status ${cluster.status ?? "?"}`, running: false })) residual++;
        for await (const ngPage of paginateListNodegroups({ client: clients.eks }, { clusterName: name })) {
          for (const ngName of ngPage.nodegroups ?? []) {
            const ng = (await clients.eks.send(new DescribeNodegroupCommand({ clusterName: name, nodegroupName: ngName }))).nodegroup;
            if (!ng?.nodegroupArn) continue;
            scanned++;
            if (ng.status === "DELETING") {
              deleting.set(ng.nodegroupArn, ng.status);
              continue;
            }
            const s = ng.scalingConfig ?? {};
            const min = s.minSize ?? 0;
            const desired = s.desiredSize ?? 0;
            const detail = `scaling min ${min} / desired ${desired} / max ${s.maxSize ?? "?"}`;
            if (found("eks", ng.nodegroupArn, { name: `${name}/${ngName}`, detail, running: min > 0 || desired > 0, billsAtRest: false })) residual++;
          }
        }
      }
    }
    return { scanned, residual };
  });

  await run("ecs", "ECS services with desired or running tasks", async () => {
    let scanned = 0;
    let residual = 0;
    const clusterArns: string[] = [];
    for await (const page of paginateEcsClusters({ client: clients.ecs }, {})) clusterArns.push(...(page.clusterArns ?? []));
    for (const batch of chunks(clusterArns, 100)) {
      const described = await clients.ecs.send(new DescribeClustersCommand({ clusters: batch, include: ["TAGS"] }));
      for (const cluster of described.clusters ?? []) {
        if (!cluster.clusterArn) continue;
        const clusterInScope = inScope(fromEcsPairs(cluster.tags));
        const serviceArns: string[] = [];
        for await (const page of paginateListServices({ client: clients.ecs }, { cluster: cluster.clusterArn })) serviceArns.push(...(page.serviceArns ?? []));
        for (const group of chunks(serviceArns, 10)) {
          const services = await clients.ecs.send(new DescribeServicesCommand({ cluster: cluster.clusterArn, services: group, include: ["TAGS"] }));
          for (const svc of services.services ?? []) {
            if (!svc.serviceArn || svc.status === "INACTIVE") continue;
            const tags = fromEcsPairs(svc.tags);
            if (!clusterInScope && !inScope(tags)) continue;
            scanned++;
            const desired = svc.desiredCount ?? 0;
            const running = (svc.runningCount ?? 0) + (svc.pendingCount ?? 0);
            const runId = tags[runIdKey];
            const detail = `desired ${desired}, running ${svc.runningCount ?? 0}, pending ${svc.pendingCount ?? 0}${runId ? `, run-scoped ${runIdKey}=${runId}` : ""}`;
            if (found("ecs", svc.serviceArn, { name: `${cluster.clusterName ?? ""}/${svc.serviceName ?? ""}`, detail, running: desired > 0 || running > 0, billsAtRest: false })) residual++;
          }
        }
      }
    }
    return { scanned, residual };
  });

  await run("msk", "MSK clusters (cluster-hours bill while they exist)", async () => {
    let scanned = 0;
    let residual = 0;
    for await (const page of paginateListClustersV2({ client: clients.kafka }, {})) {
      for (const c of page.ClusterInfoList ?? []) {
        if (!c.ClusterArn || !inScope(c.Tags ?? {})) continue;
        scanned++;
        if (c.State === "DELETING") {
          deleting.set(c.ClusterArn, c.State);
          continue;
        }
        if (found("msk", c.ClusterArn, { name: c.ClusterName ?? "", detail: `${c.ClusterType ?? "?"} cluster, state ${c.State ?? "?"}`, running: false })) residual++;
      }
    }
    return { scanned, residual };
  });

  await run("rds", "RDS/Aurora clusters (ACU-hours at least at the minimum capacity)", async () => {
    let scanned = 0;
    let residual = 0;
    for await (const page of paginateDescribeDBClusters({ client: clients.rds }, {})) {
      for (const c of page.DBClusters ?? []) {
        if (!c.DBClusterArn || !inScope(fromPairs(c.TagList))) continue;
        scanned++;
        if (c.Status === "deleting") {
          deleting.set(c.DBClusterArn, c.Status);
          continue;
        }
        const sv2 = c.ServerlessV2ScalingConfiguration;
        const detail = `status ${c.Status ?? "?"}${sv2 ? `, Serverless v2 ${sv2.MinCapacity ?? "?"}-${sv2.MaxCapacity ?? "?"} ACU` : ""}${c.DeletionProtection ? ", deletion protection on" : ""}`;
        if (found("rds", c.DBClusterArn, { name: c.DBClusterIdentifier ?? "", detail, running: false })) residual++;
      }
    }
    return { scanned, residual };
  });

  await run("elasticache", "ElastiCache replication groups and serverless caches", async () => {
    let scanned = 0;
    let residual = 0;
    const tagsOf = async (arn: string): Promise<Tags> => fromPairs((await clients.elasticache.send(new ListTagsForResourceCommand({ ResourceName: arn }))).TagList);
    for await (const page of paginateDescribeReplicationGroups({ client: clients.elasticache }, {})) {
      for (const g of page.ReplicationGroups ?? []) {
        if (!g.ARN || !inScope(await tagsOf(g.ARN))) continue;
        scanned++;
        if (g.Status === "deleting") {
          deleting.set(g.ARN, g.Status);
          continue;
        }
        const detail = `status ${g.Status ?? "?"}, ${g.MemberClusters?.length ?? 0} x ${g.CacheNodeType ?? "?"}`;
        if (found("elasticache", g.ARN, { name: g.ReplicationGroupId ?? "", detail, running: false })) residual++;
      }
    }
    for await (const page of paginateDescribeServerlessCaches({ client: clients.elasticache }, {})) {
      for (const c of page.ServerlessCaches ?? []) {
        if (!c.ARN || !inScope(await tagsOf(c.ARN))) continue;
        scanned++;
        if (c.Status === "deleting") {
          deleting.set(c.ARN, c.Status);
          continue;
        }
        if (found("elasticache", c.ARN, { name: c.ServerlessCacheName ?? "", detail: `serverless, status ${c.Status ?? "?"}`, running: false })) residual++;
      }
    }
    return { scanned, residual };
  });

  await run("sagemaker", "SageMaker real-time endpoints in an active state", async () => {
    let scanned = 0;
    let residual = 0;
    for await (const page of paginateListEndpoints({ client: clients.sagemaker }, {})) {
      for (const ep of page.Endpoints ?? []) {
        if (!ep.EndpointArn) continue;
        const tags = fromPairs((await clients.sagemaker.send(new ListTagsCommand({ ResourceArn: ep.EndpointArn }))).Tags);
        if (!inScope(tags)) continue;
        scanned++;
        const status = ep.EndpointStatus ?? "?";
        if (status === "Deleting") {
          deleting.set(ep.EndpointArn, status);
          continue;
        }
        const active = ["InService", "Creating", "Updating", "SystemUpdating", "RollingBack", "UpdateRollbackFailed"].includes(status);
        const remedy = "delete the endpoint (SageMaker endpoints are deleted, not scaled, at P17)";
        if (found("sagemaker", ep.EndpointArn, { name: ep.EndpointName ?? "", detail: `status ${status}`, running: active, runningRemedy: remedy, billsAtRest: false })) residual++;
      }
    }
    return { scanned, residual };
  });

  await run("ec2.nat", "NAT gateways (hourly + per GB)", async () => {
    let scanned = 0;
    let residual = 0;
    for await (const page of paginateDescribeNatGateways({ client: clients.ec2 }, { Filter: [...ec2TagFilters, { Name: "state", Values: ["pending", "available", "deleting"] }] })) {
      for (const nat of page.NatGateways ?? []) {
        if (!nat.NatGatewayId || !inScope(fromPairs(nat.Tags))) continue;
        scanned++;
        const arn = `arn:aws:ec2:${options.region}:${account || "unknown"}:natgateway/${nat.NatGatewayId}`;
        if (nat.State === "deleting") {
          deleting.set(arn, nat.State);
          continue;
        }
        if (found("ec2.nat", arn, { name: nat.NatGatewayId, detail: `state ${nat.State ?? "?"} in ${nat.VpcId ?? "?"}`, running: false })) residual++;
      }
    }
    return { scanned, residual };
  });

  await run("elbv2", "load balancers (hourly + LCUs)", async () => {
    let scanned = 0;
    let residual = 0;
    const lbs: Array<{ arn: string; name: string; detail: string }> = [];
    for await (const page of paginateDescribeLoadBalancers({ client: clients.elbv2 }, {})) {
      for (const lb of page.LoadBalancers ?? []) if (lb.LoadBalancerArn) lbs.push({ arn: lb.LoadBalancerArn, name: lb.LoadBalancerName ?? "", detail: `${lb.Type ?? "?"}, state ${lb.State?.Code ?? "?"}` });
    }
    for (const batch of chunks(lbs, 20)) {
      const described = await clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: batch.map((b) => b.arn) }));
      const tagged = new Map((described.TagDescriptions ?? []).map((d) => [d.ResourceArn ?? "", fromPairs(d.Tags)]));
      for (const lb of batch) {
        if (!inScope(tagged.get(lb.arn) ?? {})) continue;
        scanned++;
        if (found("elbv2", lb.arn, { name: lb.name, detail: lb.detail, running: false })) residual++;
      }
    }
    return { scanned, residual };
  });

  await run("ec2.instances", "EC2 instances (running: instance-hours; stopped: EBS)", async () => {
    let scanned = 0;
    let residual = 0;
    const states = ["pending", "running", "stopping", "stopped"];
    for await (const page of paginateDescribeInstances({ client: clients.ec2 }, { Filters: [...ec2TagFilters, { Name: "instance-state-name", Values: states }] })) {
      for (const reservation of page.Reservations ?? []) {
        for (const i of reservation.Instances ?? []) {
          if (!i.InstanceId || !inScope(fromPairs(i.Tags))) continue;
          scanned++;
          const owner = reservation.OwnerId ?? (account || "unknown");
          const arn = `arn:aws:ec2:${options.region}:${owner}:instance/${i.InstanceId}`;
          const state = i.State?.Name ?? "?";
          const running = state === "pending" || state === "running";
          const remedy = "stop or terminate it: the stacks declare no standalone instances, so it is drift (or a node of a group that must be at 0)";
          if (found("ec2.instances", arn, { name: i.InstanceId, detail: `${i.InstanceType ?? "?"}, state ${state}`, running, runningRemedy: remedy })) residual++;
        }
      }
    }
    return { scanned, residual };
  });

  // The inventory is evaluated last: after a teardown, everything tagged beyond the retained set (and not reported above).
  let inventoryScanned = 0;
  let inventoryResidual = 0;
  for (const { arn, tags } of inventory ?? []) {
    inventoryScanned++;
    if (residuals.has(arn) || idleCost.has(arn) || retainedItems.has(arn) || deleting.has(arn)) continue;
    const p = parseArn(arn);
    const runId = tags[runIdKey];
    const name = tags.Name ?? p?.resourceId ?? arn;
    if (mode === "teardown" && p?.service === "s3" && p.resourceType === "bucket" && !retained.find(arn) && clients.s3) {
      const lock = await bucketObjectLock(clients.s3, p.resourceId);
      if (lock.error) errors.push(`s3 object lock ${p.resourceId}: ${lock.error}`);
      if (lock.enabled) {
        retainedItems.set(arn, { arn, surface: `locked objects in ${p.resourceId}`, why: "S3 Object Lock is enabled: locked object versions cannot be deleted before their retention ends" });
        continue;
      }
    }
    if (mode === "teardown") {
      if (found("tagging", arn, { name, detail: runId ? `run-scoped: ${runIdKey}=${runId}` : undefined, running: false })) inventoryResidual++;
    } else {
      const keep = retained.find(arn);
      if (keep) retainedItems.set(arn, { arn, surface: keep.surface, why: keep.why });
    }
  }
  checks.push(
    inventoryError === undefined
      ? { id: "tagging", description: inventoryDescription, scanned: inventoryScanned, residual: inventoryResidual, result: inventoryResidual ? "FAIL" : "PASS" }
      : { id: "tagging", description: inventoryDescription, scanned: 0, residual: 0, result: "ERROR", error: inventoryError },
  );

  // MSF applications RUNNING and EMR Serverless applications STARTED (or with active job runs) bill while they run.
  if (clients.msf) {
    const msf = clients.msf;
    await run("msf", "MSF Flink applications running (KPU-hours)", async () => {
      let scanned = 0;
      let residual = 0;
      for await (const page of paginateMsfApplications({ client: msf }, {})) {
        for (const app of page.ApplicationSummaries ?? []) {
          if (!app.ApplicationARN) continue;
          if (!inScope(fromPairs((await msf.send(new MsfListTagsCommand({ ResourceARN: app.ApplicationARN }))).Tags))) continue;
          scanned++;
          const status = app.ApplicationStatus ?? "?";
          if (status === "DELETING") {
            deleting.set(app.ApplicationARN, status);
            continue;
          }
          const running = ["STARTING", "RUNNING", "UPDATING", "AUTOSCALING", "FORCE_STOPPING", "ROLLING_BACK", "MAINTENANCE"].includes(status);
          const remedy = "stop the application (aws kinesisanalyticsv2 stop-application --force), or close the proof window (npm run window -- close)";
          if (found("msf", app.ApplicationARN, { name: app.ApplicationName ?? "", detail: `status ${status}`, running, runningRemedy: remedy, billsAtRest: false })) residual++;
        }
      }
      return { scanned, residual };
    });
  }
  if (clients.emrServerless) {
    const emrs = clients.emrServerless;
    await run("emr-serverless", "EMR Serverless applications started or with active job runs", async () => {
      let scanned = 0;
      let residual = 0;
      for await (const page of paginateEmrsApplications({ client: emrs }, {})) {
        for (const app of page.applications ?? []) {
          if (!app.arn || !app.id) continue;
          if (!inScope((await emrs.send(new EmrsListTagsCommand({ resourceArn: app.arn }))).tags ?? {})) continue;
          scanned++;
          const state = app.state ?? "?";
          if (state === "TERMINATED") continue;
          const jobs = (await emrs.send(new ListJobRunsCommand({ applicationId: app.id, states: ["SUBMITTED", "PENDING", "SCHEDULED", "RUNNING", "QUEUED", "CANCELLING"] }))).jobRuns ?? [];
          const running = ["STARTING", "STARTED"].includes(state) || jobs.length > 0;
          const remedy = "cancel its job runs and stop the application (aws emr-serverless stop-application), or close the proof window";
          if (found("emr-serverless", app.arn, { name: app.name ?? app.id, detail: `state ${state}, ${jobs.length} active job run(s)`, running, runningRemedy: remedy, billsAtRest: false })) residual++;
        }
      }
      return { scanned, residual };
    });
  }

  if (mode === "idle" && (!clients.msf || !clients.emrServerless)) {
    checks.push({
      id: "msf+emr-serverless",
      description: "MSF application running / EMR Serverless application started",
      scanned: 0,
      residual: 0,
      result: "NOT_CHECKED",
      error: "no kinesisanalyticsv2 / emr-serverless client given to this scan: the idle-safe switch keeps MSF stopped (startApplication false) and EMR Serverless auto-stops; a teardown-mode scan lists both if they remain",
    });
  }

  const residualItems = [...residuals.values()].sort((a, b) => a.arn.localeCompare(b.arn));
  const scanComplete = errors.length === 0;
  return {
    scan_version: "1",
    mode,
    region: options.region,
    scanned_at_utc: (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
    tag_filter: filter,
    residual_item_count: residualItems.length,
    residual_items: residualItems,
    idle_cost_items: [...idleCost.values()].sort((a, b) => a.arn.localeCompare(b.arn)),
    retained_items: [...retainedItems.values()].sort((a, b) => a.arn.localeCompare(b.arn)),
    deleting_items: [...deleting].map(([arn, state]) => ({ arn, state })).sort((a, b) => a.arn.localeCompare(b.arn)),
    checks,
    scan_complete: scanComplete,
    errors,
    overall_pass: scanComplete && residualItems.length === 0,
  };
}
