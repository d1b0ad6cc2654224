/**
 * The P17 teardown plan, computed from preview documents without credentials: the stacks in reverse apply
 * order (ops -> data_ml -> runtime -> streaming -> core), and for each what `pulumi destroy --exclude-protected`
 * deletes, what it retains (`protect: true`, the retained surfaces of DA-101) and what it releases (removed from
 * the stack but left in the cloud: `retainOnDelete` without `protect`). It also names what would stop a destroy
 * (cloud-side deletion protection) and checks that the surfaces P17 must keep are protected in the plan.
 */
import * as fs from "fs";
import * as path from "path";
import { LAYER_SPECS, Layer, stackNameFor } from "../layers";
import { PreviewDocument, PropertyValue, ResourceState } from "../plan/previewDocument";
import { Registry } from "../registry/registry";

/** One stack of the teardown sequence. */
export interface TeardownStep {
  /** 1-based position in the teardown sequence. */
  order: number;
  layer: Layer;
  stackName: string;
}

/** The teardown sequence: the apply order of LAYER_SPECS reversed. */
export function teardownOrder(env: string): TeardownStep[] {
  return [...LAYER_SPECS].reverse().map((s, i) => ({ order: i + 1, layer: s.layer, stackName: stackNameFor(env, s.layer) }));
}

/** A cloud resource of a preview document, as the teardown plan lists it. */
export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  protect: boolean;
  retainOnDelete: boolean;
  /** Physical name from the inputs (bucket, repository, registry, role name ...), when known. */
  physicalName?: string;
  /** A bucket created with S3 Object Lock: its object versions cannot be deleted before their retention ends. */
  objectLocked?: boolean;
}

export type ResourceFate = "destroy" | "retain" | "release";

/** Something that stops (`blocker`) or may stop (`caution`) the destroy of a stack. */
export interface DestroyIssue {
  severity: "blocker" | "caution";
  urn: string;
  type: string;
  name: string;
  reason: string;
  fix: string;
}

export interface StackTeardownPlan extends TeardownStep {
  /** False when no preview document of the stack was found: nothing is known about it. */
  planned: boolean;
  destroy: PlannedResource[];
  retain: PlannedResource[];
  release: PlannedResource[];
  issues: DestroyIssue[];
}

export type RequirementStatus = "protected" | "not-protected" | "absent" | "not-planned" | "unpinned";

/** A surface P17 keeps and whether the plan protects it. */
export interface RetentionCheck {
  surface: string;
  handle?: string;
  layer: Layer;
  /** `required`: DA-101, evidence stays readable; `recommended`: the other surfaces the P17 phase keeps. */
  level: "required" | "recommended";
  value?: string;
  status: RequirementStatus;
  urns: string[];
  why: string;
}

export interface TeardownPlan {
  env: string;
  /** Where the documents came from. */
  source: string;
  stacks: StackTeardownPlan[];
  /** Every retained resource, in teardown order. */
  retained: PlannedResource[];
  /** Buckets with Object Lock (any fate): their locked objects stay until retention ends, whatever the destroy does. */
  objectLocked: PlannedResource[];
  retention: RetentionCheck[];
  /** Retained surfaces outside the five stacks (never touched by a stack destroy). */
  outsideStacks: Array<{ surface: string; handle: string; value: string }>;
  /** False when a required surface is unprotected/absent in a planned stack or a blocker stops a destroy. */
  ok: boolean;
}

/** Input key that carries the physical name, by resource type. */
const NAME_INPUT: Readonly<Record<string, string>> = {
  "aws:s3/bucket:Bucket": "bucket",
  "aws:s3/bucketV2:BucketV2": "bucket",
  "aws:kms/alias:Alias": "name",
  "aws:ecr/repository:Repository": "name",
  "aws:glue/registry:Registry": "registryName",
  "aws:glue/schema:Schema": "schemaName",
  "aws:glue/catalogDatabase:CatalogDatabase": "name",
  "aws:sagemaker/modelPackageGroup:ModelPackageGroup": "modelPackageGroupName",
  "aws:budgets/budget:Budget": "name",
  "aws:cloudwatch/dashboard:Dashboard": "dashboardName",
  "aws:iam/role:Role": "name",
  "aws:rds/cluster:Cluster": "clusterIdentifier",
  "aws:eks/nodeGroup:NodeGroup": "nodeGroupName",
  "aws:dynamodb/table:Table": "name",
};

const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

interface RetentionRule {
  surface: string;
  handle?: string;
  layer: Layer;
  types: readonly string[];
  level: RetentionCheck["level"];
  why: string;
}

/** The surfaces P17 keeps, by the handle that names them (physical name match on the inputs). */
export const RETENTION_RULES: readonly RetentionRule[] = [
  {
    surface: "evidence bucket",
    handle: "S3_EVIDENCE_BUCKET",
    layer: "core",
    types: BUCKET_TYPES,
    level: "required",
    why: "evidence stays readable after teardown (DA-101, G-15)",
  },
  {
    surface: "object store",
    handle: "S3_OBJECT_STORE_BUCKET",
    layer: "core",
    types: BUCKET_TYPES,
    level: "required",
    why: "archive, quarantine and oracle zone are persistent truth (DA 14.1)",
  },
  {
    surface: "platform KMS key",
    layer: "core",
    types: ["aws:kms/key:Key"],
    level: "required",
    why: "evidence is SSE-KMS: the key is never scheduled for deletion at teardown",
  },
  {
    surface: "platform KMS alias",
    handle: "KMS_KEY_ALIAS_PLATFORM",
    layer: "core",
    types: ["aws:kms/alias:Alias"],
    level: "required",
    why: "readers and writers resolve the key through its alias",
  },
  {
    surface: "evidence signing key alias",
    handle: "KMS_KEY_ALIAS_EVIDENCE_SIGNING",
    layer: "core",
    types: ["aws:kms/alias:Alias"],
    level: "required",
    why: "evidence signatures stay verifiable with the key's public key after teardown",
  },
  {
    surface: "ECR repository",
    handle: "ECR_REPO_NAME",
    layer: "core",
    types: ["aws:ecr/repository:Repository"],
    level: "required",
    why: "the image digests evidence names must stay pullable (DA-101)",
  },
  {
    surface: "Glue schema registry",
    handle: "GLUE_SCHEMA_REGISTRY_NAME",
    layer: "streaming",
    types: ["aws:glue/registry:Registry"],
    level: "required",
    why: "bus schemas are a registry (DA-101)",
  },
  {
    surface: "artifacts bucket",
    handle: "S3_ARTIFACTS_BUCKET",
    layer: "core",
    types: BUCKET_TYPES,
    level: "recommended",
    why: "phases.md §8 lists the artifacts bucket among the surfaces kept",
  },
  {
    surface: "monthly budget",
    handle: "AWS_BUDGET_NAME",
    layer: "ops",
    types: ["aws:budgets/budget:Budget"],
    level: "recommended",
    why: "P17 resolves the budget after teardown (cost guardrail closure)",
  },
  {
    surface: "cost dashboard",
    handle: "CW_DASHBOARD_COST_GUARDRAIL",
    layer: "ops",
    types: ["aws:cloudwatch/dashboard:Dashboard"],
    level: "recommended",
    why: "P17 resolves the cost dashboard after teardown",
  },
  {
    surface: "CI / teardown role",
    handle: "ROLE_GITHUB_ACTIONS_CI_NAME",
    layer: "ops",
    types: ["aws:iam/role:Role"],
    level: "recommended",
    why: "teardown from CI runs as this role and ops is destroyed first: an unprotected role strands the rest of the teardown",
  },
];

function stateOf(step: PreviewDocument["steps"][number]): ResourceState | undefined {
  if (step.op === "delete" || step.op === "delete-replaced" || step.op === "discard") return undefined;
  return step.newState ?? step.oldState;
}

function inputString(state: ResourceState, key: string): string | undefined {
  const v: PropertyValue | undefined = state.inputs?.[key];
  return typeof v === "string" ? v : undefined;
}

/**
 * Whether a state is a cloud object: a custom resource (not a provider), or a component of another package whose
 * children the document does not show (a multi-language component such as `eks:index:Cluster` planned under
 * mocks), which stands for the cloud resources it creates. The project's own components and the stack are not.
 */
function isCloudObject(s: ResourceState, parents: ReadonlySet<string>): boolean {
  if (s.custom) return !s.type.startsWith("pulumi:providers:");
  return !s.type.startsWith("fraud-platform:") && s.type !== "pulumi:pulumi:Stack" && !parents.has(s.urn);
}

/** The cloud resources of a preview document (the project's components and providers are not cloud objects). */
export function plannedResources(doc: PreviewDocument): PlannedResource[] {
  const out: PlannedResource[] = [];
  const states = doc.steps.map(stateOf).filter((s): s is ResourceState => s !== undefined);
  const parents = new Set(states.map((s) => s.parent).filter((p): p is string => Boolean(p)));
  for (const s of states) {
    if (!isCloudObject(s, parents)) continue;
    const key = NAME_INPUT[s.type] ?? "name";
    const physicalName = inputString(s, key);
    out.push({
      urn: s.urn,
      type: s.type,
      name: s.urn.split("::").pop() ?? s.urn,
      protect: s.protect === true,
      retainOnDelete: s.retainOnDelete === true,
      ...(physicalName ? { physicalName } : {}),
      ...(BUCKET_TYPES.includes(s.type) && s.inputs?.objectLockEnabled === true ? { objectLocked: true } : {}),
    });
  }
  return out;
}

export function fateOf(r: Pick<PlannedResource, "protect" | "retainOnDelete">): ResourceFate {
  if (r.protect) return "retain";
  return r.retainOnDelete ? "release" : "destroy";
}

/** What stops or may stop deleting an unprotected resource. */
export function destroyIssues(doc: PreviewDocument, stackName: string): DestroyIssue[] {
  const issues: DestroyIssue[] = [];
  for (const step of doc.steps) {
    const s = stateOf(step);
    if (!s || !s.custom || s.protect) continue;
    const name = s.urn.split("::").pop() ?? s.urn;
    const flag = (key: string) => s.inputs?.[key] === true;
    const base = { urn: s.urn, type: s.type, name };
    if ((s.type === "aws:rds/cluster:Cluster" || s.type === "aws:rds/instance:Instance") && flag("deletionProtection")) {
      const snapshot = inputString(s, "finalSnapshotIdentifier");
      issues.push({
        ...base,
        severity: "blocker",
        reason: `RDS deletion protection is on and the resource is not protect: the destroy of ${stackName} stops here`,
        fix: `to retire it, set its deletionProtection false in the layer config (e.g. fraud-platform:runtime.aurora.deletionProtection), pulumi up ${stackName}, then tear down${snapshot ? ` (the final snapshot ${snapshot} keeps the data)` : ""}; to keep it, protect it and list it as retained`,
      });
    }
    if (s.type === "aws:dynamodb/table:Table" && flag("deletionProtectionEnabled")) {
      issues.push({
        ...base,
        severity: "blocker",
        reason: "DynamoDB deletion protection is on and the table is not protect",
        fix: `set deletionProtectionEnabled false and pulumi up ${stackName} first, or protect the table`,
      });
    }
    if ((s.type === "aws:lb/loadBalancer:LoadBalancer" || s.type === "aws:alb/loadBalancer:LoadBalancer") && flag("enableDeletionProtection")) {
      issues.push({
        ...base,
        severity: "blocker",
        reason: "load balancer deletion protection is on",
        fix: `set enableDeletionProtection false and pulumi up ${stackName} first`,
      });
    }
    if (s.type === "aws:ec2/instance:Instance" && flag("disableApiTermination")) {
      issues.push({
        ...base,
        severity: "blocker",
        reason: "EC2 termination protection is on",
        fix: `set disableApiTermination false and pulumi up ${stackName} first`,
      });
    }
    if (BUCKET_TYPES.includes(s.type) && flag("objectLockEnabled")) {
      issues.push({
        ...base,
        severity: "blocker",
        reason:
          "bucket with S3 Object Lock is not protect: its locked object versions cannot be deleted before their retention ends, so the destroy fails here",
        fix: "keep it: protect + retainOnDelete (a locked bucket is retained by definition)",
      });
    } else if (BUCKET_TYPES.includes(s.type) && !flag("forceDestroy") && !s.retainOnDelete) {
      issues.push({
        ...base,
        severity: "caution",
        reason: "bucket without forceDestroy: the delete fails while it holds objects (every version counts)",
        fix: "empty it first (or keep it: protect + retained)",
      });
    }
    if (s.type === "aws:ecr/repository:Repository" && !flag("forceDelete") && !s.retainOnDelete) {
      issues.push({
        ...base,
        severity: "caution",
        reason: "repository without forceDelete: the delete fails while it holds images",
        fix: "delete the images first (or keep it: protect + retained)",
      });
    }
  }
  return issues;
}

function registryValue(registry: Registry, handle: string): string | undefined {
  try {
    return registry.isPinned(handle) ? registry.string(handle) : undefined;
  } catch {
    return undefined;
  }
}

/** Checks the retention rules against the documents of the planned stacks. */
export function retentionChecks(docs: ReadonlyMap<Layer, PreviewDocument>, registry: Registry): RetentionCheck[] {
  return RETENTION_RULES.map((rule) => {
    const base = { surface: rule.surface, ...(rule.handle ? { handle: rule.handle } : {}), layer: rule.layer, level: rule.level, why: rule.why };
    const value = rule.handle ? registryValue(registry, rule.handle) : undefined;
    if (rule.handle && value === undefined) return { ...base, status: "unpinned" as const, urns: [] };
    const doc = docs.get(rule.layer);
    if (!doc) return { ...base, ...(value ? { value } : {}), status: "not-planned" as const, urns: [] };
    const matches = plannedResources(doc).filter((r) => rule.types.includes(r.type) && (value === undefined || r.physicalName === value));
    const status: RequirementStatus = matches.length === 0 ? "absent" : matches.every((m) => m.protect) ? "protected" : "not-protected";
    return { ...base, ...(value ? { value } : {}), status, urns: matches.map((m) => m.urn) };
  });
}

/** The teardown plan of an environment from its stacks' preview documents (absent stacks are "not planned"). */
export function teardownPlanOf(env: string, docs: ReadonlyMap<Layer, PreviewDocument>, registry: Registry, source: string): TeardownPlan {
  const stacks: StackTeardownPlan[] = teardownOrder(env).map((step) => {
    const doc = docs.get(step.layer);
    if (!doc) return { ...step, planned: false, destroy: [], retain: [], release: [], issues: [] };
    const resources = plannedResources(doc);
    return {
      ...step,
      planned: true,
      destroy: resources.filter((r) => fateOf(r) === "destroy"),
      retain: resources.filter((r) => fateOf(r) === "retain"),
      release: resources.filter((r) => fateOf(r) === "release"),
      issues: destroyIssues(doc, step.stackName),
    };
  });
  const retention = retentionChecks(docs, registry);
  const stateBucket = registryValue(registry, "TF_STATE_BUCKET");
  const ok =
    !retention.some((c) => c.level === "required" && (c.status === "absent" || c.status === "not-protected" || c.status === "unpinned")) &&
    !stacks.some((s) => s.issues.some((i) => i.severity === "blocker"));
  return {
    env,
    source,
    stacks,
    retained: stacks.flatMap((s) => s.retain),
    objectLocked: stacks.flatMap((s) => [...s.destroy, ...s.retain, ...s.release]).filter((r) => r.objectLocked),
    retention,
    outsideStacks: stateBucket ? [{ surface: "IaC state backend", handle: "TF_STATE_BUCKET", value: stateBucket }] : [],
    ok,
  };
}

/** Reads `<stack>.preview.json` of each layer from a plan directory; layers without one are left out. */
export function readPlanDocuments(dir: string, env: string): Map<Layer, PreviewDocument> {
  const docs = new Map<Layer, PreviewDocument>();
  for (const step of teardownOrder(env)) {
    const file = path.join(dir, `${step.stackName}.preview.json`);
    if (!fs.existsSync(file)) continue;
    const doc = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
    if (!doc || typeof doc !== "object" || !Array.isArray((doc as PreviewDocument).steps)) {
      throw new Error(`${file}: not a preview document (expected the output of \`pulumi preview --json\`, an object with "steps")`);
    }
    docs.set(step.layer, doc as PreviewDocument);
  }
  return docs;
}

/** Counts of resources by type, most frequent first (for compact listings). */
export function countByType(resources: readonly PlannedResource[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
