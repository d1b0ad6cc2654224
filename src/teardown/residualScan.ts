/**
 * The residual scan with the AWS SDK v3, read-only: what is left in the account of the environment, filtered by
 * the mandatory tags `project` and `env` of the registry. Two sources:
 *
 * - the Resource Groups Tagging API inventory (`GetResources`, paginated): after a teardown, every tagged resource
 *   beyond the retained set is a residual;
 * - direct checks of the services that cost money while they exist or run: EKS clusters and node groups, MSK
 *   clusters, RDS/Aurora clusters, ElastiCache, SageMaker endpoints, NAT gateways, load balancers, ECS services,
 *   EC2 instances, Flink and EMR Serverless applications (they see sizes and states the inventory cannot).
 *
 * Each check is a {@link ServiceCheck} of `scan/checks/` that yields findings; {@link classify} sorts each finding
 * into the report's buckets. Modes: `teardown` (after `npm run teardown`: anything left beyond the retained set is
 * residual) and `idle` (stacks applied with the idle-safe switch: residual = running elastic capacity the switch
 * must have zeroed; persistent cost-bearing cores are reported as `idle_cost_items`). Any failed call makes the
 * scan incomplete, which never passes (fail closed). Clients are injected so tests run against
 * aws-sdk-client-mock.
 */
import { EC2Client, Filter } from "@aws-sdk/client-ec2";
import { ECSClient } from "@aws-sdk/client-ecs";
import { EKSClient } from "@aws-sdk/client-eks";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { EMRServerlessClient } from "@aws-sdk/client-emr-serverless";
import { KafkaClient } from "@aws-sdk/client-kafka";
import { KinesisAnalyticsV2Client } from "@aws-sdk/client-kinesis-analytics-v2";
import { RDSClient } from "@aws-sdk/client-rds";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { S3Client } from "@aws-sdk/client-s3";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { Registry } from "../registry/registry";
import { registryTags } from "../tags";
import { parseArn } from "./scan/arn";
import { classify } from "./scan/classify";
import { SERVICE_CHECKS } from "./scan/checks";
import { readInventory } from "./scan/checks/inventory";
import { RetainedSet } from "./scan/retained";
import {
  InventoryItem,
  RecordedScanError,
  ResidualScanClients,
  ResidualScanResult,
  RetainedItem,
  ScanCheck,
  ScanContext,
  ScanItem,
  ScanMode,
  Tags,
} from "./scan/types";

export { parseArn } from "./scan/arn";
export type { ParsedArn } from "./scan/arn";
export { classify } from "./scan/classify";
export type { Sorted } from "./scan/classify";
export { SERVICE_CHECKS } from "./scan/checks";
export { costNoteOf } from "./scan/costNotes";
export { RetainedSet, retainedSetOf } from "./scan/retained";
export type { RetainedEntry } from "./scan/retained";
export { SCAN_MODES } from "./scan/types";
export { RESIDUAL_SCAN_CALLS, RESIDUAL_SCAN_IAM_ACTIONS } from "./scan/calls";
export type { Finding, ResidualScanClients, ResidualScanResult, ScanCheck, ScanContext, ScanItem, ScanMode, ServiceCheck } from "./scan/types";

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

export interface ResidualScanOptions {
  clients: ResidualScanClients;
  registry: Registry;
  mode: ScanMode;
  region: string;
  retained: RetainedSet;
  now?: Date;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name === "Error" ? "" : `${e.name}: `}${e.message}`;
  return String(e);
}

const byArn = <T extends { arn: string }>(items: Iterable<T>): T[] => [...items].sort((a, b) => a.arn.localeCompare(b.arn));

/** The scan. Never throws on AWS errors: they make the scan incomplete (and failing). */
export async function residualScan(options: ResidualScanOptions): Promise<ResidualScanResult> {
  const { clients, registry, mode, retained } = options;
  const scope = registryTags(registry);
  const projectKey = registry.string("TAG_PROJECT_KEY");
  const envKey = registry.string("TAG_ENV_KEY");
  const filter: Tags = { [projectKey]: scope[projectKey], [envKey]: scope[envKey] };
  const ec2TagFilters: Filter[] = Object.entries(filter).map(([k, v]) => ({ Name: `tag:${k}`, Values: [v] }));

  const buckets = {
    residual: new Map<string, ScanItem>(),
    idle_cost: new Map<string, ScanItem>(),
    retained: new Map<string, RetainedItem>(),
    deleting: new Map<string, string>(),
  };
  const checks: ScanCheck[] = [];
  const errors: string[] = [];

  // The tagged inventory first: it also tells the account id, for ARNs the EC2 API does not return.
  let inventory: InventoryItem[] | undefined;
  let inventoryError: string | undefined;
  try {
    inventory = await readInventory(clients.tagging, filter);
  } catch (e) {
    inventoryError = errorText(e);
    errors.push(`tagging: ${inventoryError}`);
  }
  let account = inventory?.map((c) => parseArn(c.arn)?.account).find((a): a is string => Boolean(a)) ?? "";

  const ctx: ScanContext = {
    mode,
    region: options.region,
    retained,
    filter,
    ec2TagFilters,
    runIdKey: registry.string("TAG_RUN_ID_KEY"),
    get account() {
      return account;
    },
    inventory,
    inventoryError,
    inScope: (tags) => Object.entries(filter).every(([k, v]) => tags[k] === v),
    sorted: (arn) => buckets.residual.has(arn) || buckets.idle_cost.has(arn) || buckets.retained.has(arn) || buckets.deleting.has(arn),
    incomplete: (message) => void errors.push(message),
  };

  for (const check of SERVICE_CHECKS) {
    if (check.requires && !clients[check.requires]) continue;
    const description = check.describe?.(filter) ?? check.description;
    let scanned = 0;
    let residual = 0;
    try {
      for await (const finding of check.scan(clients, ctx)) {
        scanned++;
        if (finding.kind === "resource") account ||= parseArn(finding.arn)?.account ?? "";
        const sorted = classify({ ...finding, check: check.id }, mode, retained);
        switch (sorted.bucket) {
          case "residual":
            residual++;
            buckets.residual.set(sorted.item.arn, sorted.item);
            break;
          case "idle_cost":
            buckets.idle_cost.set(sorted.item.arn, sorted.item);
            break;
          case "retained":
            buckets.retained.set(sorted.item.arn, sorted.item);
            break;
          case "deleting":
            buckets.deleting.set(sorted.item.arn, sorted.item.state);
            break;
        }
      }
      checks.push({ id: check.id, description, scanned, residual, result: residual ? "FAIL" : "PASS" });
    } catch (e) {
      const error = errorText(e);
      if (!(e instanceof RecordedScanError)) errors.push(`${check.id}: ${error}`);
      checks.push({ id: check.id, description, scanned: 0, residual: 0, result: "ERROR", error });
    }
  }

  if (mode === "idle" && (!clients.msf || !clients.emrServerless)) {
    checks.push({
      id: "msf+emr-serverless",
      description: "MSF application running / EMR Serverless application started",
      scanned: 0,
      residual: 0,
      result: "NOT_CHECKED",
      error:
        "no kinesisanalyticsv2 / emr-serverless client given to this scan: the idle-safe switch keeps MSF stopped (startApplication false) and EMR Serverless auto-stops; a teardown-mode scan lists both if they remain",
    });
  }

  const residualItems = byArn(buckets.residual.values());
  const scanComplete = errors.length === 0;
  return {
    scan_version: "1",
    mode,
    region: options.region,
    scanned_at_utc: (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
    tag_filter: filter,
    residual_item_count: residualItems.length,
    residual_items: residualItems,
    idle_cost_items: byArn(buckets.idle_cost.values()),
    retained_items: byArn(buckets.retained.values()),
    deleting_items: byArn([...buckets.deleting].map(([arn, state]) => ({ arn, state }))),
    checks,
    scan_complete: scanComplete,
    errors,
    overall_pass: scanComplete && residualItems.length === 0,
  };
}
