/**
 * The retained set: the surfaces a teardown leaves on purpose (the registry's persistent surfaces, the platform
 * key, log groups, SSM parameters, and what the plan protects or locks). Everything else tagged is residual after
 * a teardown.
 */
import { Registry } from "../../registry/registry";
import { TeardownPlan } from "../plan";
import { parseArn } from "./arn";

/** One kind of resource a teardown keeps. */
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
  const add = (surface: string, service: string, resourceType: string, matches: RetainedEntry["matches"], why: string) =>
    entries.push({ surface, service, resourceType, matches, why });
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
  if (keys.size)
    add(
      "platform KMS key",
      "kms",
      "key",
      (id, arn) => keys.has(arn) || [...keys].some((k) => k.endsWith(`/${id}`)),
      "KMS_KEY_ALIAS_PLATFORM: evidence is SSE-KMS, never scheduled for deletion",
    );
  const retention = pinned(registry, "LOG_RETENTION_DAYS") ?? "the pinned";
  add("log groups", "logs", "log-group", () => true, `storage only, expiring after ${retention} days (LOG_RETENTION_DAYS)`);
  const ssmRoot = pinned(registry, "SSM_PARAMETER_ROOT");
  if (ssmRoot) {
    const root = ssmRoot.replace(/^\//, "");
    add(
      "SSM parameters",
      "ssm",
      "parameter",
      (id) => id.replace(/^\//, "").startsWith(root),
      `SSM_PARAMETER_ROOT ${ssmRoot}: kept at P17, free at rest (standard tier)`,
    );
  }
  for (const r of options.plan?.retained ?? []) {
    const form = PLAN_ARN_FORMS[r.type];
    if (!form || !r.physicalName) continue;
    add(`${r.type} ${r.name}`, form.service, form.resourceType, form.matcher(r.physicalName), `protect: true in the plan (${r.urn})`);
  }
  for (const r of options.plan?.objectLocked ?? []) {
    if (!r.physicalName) continue;
    add(
      `locked objects in ${r.physicalName}`,
      "s3",
      "bucket",
      exact(r.physicalName),
      `S3 Object Lock in the plan (${r.urn}): locked objects stay until their retention ends`,
    );
  }
  return new RetainedSet(entries);
}
