/**
 * The `pulumi preview --json` document shape the plan writes and `policy-check` reads (INTERFACES.md), plus the
 * in-memory record of one planned layer.
 */
import { Layer } from "../registry/schema";

/** Pulumi's marker for a value not known until apply. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Pulumi's signature key and secret signature of serialized property values. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Signatures of serialized resource references, assets and archives (sdk/go/common/resource/sig). */
export const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
/** What a secret value is written as in any file the project produces. */
export const REDACTED = "[secret]";

export type PropertyValue = null | boolean | number | string | PropertyValue[] | { [key: string]: PropertyValue };
export type PropertyMap = { [key: string]: PropertyValue };

export interface ResourceState {
  urn: string;
  type: string;
  custom: boolean;
  parent?: string;
  provider?: string;
  protect?: boolean;
  retainOnDelete?: boolean;
  dependencies?: string[];
  inputs: PropertyMap;
  /** Provider-assigned id (resources that already exist: `same`, `update`, `read` steps). */
  id?: string;
  /** Provider outputs (known for resources that already exist). */
  outputs?: PropertyMap;
  /** Where the program registered the resource: `project:///<path>#<line>,<column>`. */
  sourcePosition?: string;
  /** True for a resource read (`.get`), not managed by the stack. */
  external?: boolean;
}

export interface PreviewStep {
  op: "create" | "update" | "same" | "replace" | "create-replacement" | "delete-replaced" | "delete" | "read" | "refresh" | string;
  urn: string;
  newState?: ResourceState;
  oldState?: ResourceState;
  diffReasons?: string[];
}

/** A warning or error of the preview (`diagnostics[]` of PreviewDigest). */
export interface PreviewDiagnostic {
  urn?: string;
  prefix?: string;
  message?: string;
  severity?: string;
}

export interface PreviewDocument {
  steps: PreviewStep[];
  changeSummary?: Record<string, number>;
  /** Plan-only: the stack the document describes (the real CLI's documents carry it in the URNs). */
  stack?: string;
  diagnostics?: PreviewDiagnostic[];
  /** Reader-only: resources the program reads (`read` steps): referenced, not proposed. */
  external?: ResourceState[];
}

/** One resource registration (or read) as the plan recorded it. */
export interface RecordedResource extends ResourceState {
  name: string;
  id?: string;
  /** A remote component (its provider constructs its children; the engine gives it a default provider). */
  remote?: boolean;
}

/** A TO_PIN handle the program needed and the environment has not pinned. */
export interface PlanBlocker {
  code: string;
  handle: string;
  layer: Layer;
  message: string;
  pinCommand: string;
}

/** Result of running one layer's program under mocks. */
export interface LayerPlan {
  layer: Layer;
  stackName: string;
  resources: RecordedResource[];
  /** Resources the program read (`read` steps): StackReferences, `Resource.get`. */
  reads: RecordedResource[];
  /** Stack outputs with secrets still wrapped (in memory only; files get {@link REDACTED}). */
  outputs: PropertyMap;
  secretOutputNames: string[];
  invokes: Array<{ token: string }>;
  blockers: PlanBlocker[];
}

export function isSecretValue(v: unknown): v is { [SIG_KEY]: string; value: PropertyValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** Replaces every secret (at any depth) by {@link REDACTED}, keeping the secret marker for policy readers. */
export function redactSecrets(value: PropertyValue, keepMarker = false): PropertyValue {
  if (isSecretValue(value)) return keepMarker ? { [SIG_KEY]: SECRET_SIG, value: REDACTED } : REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, keepMarker));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v, keepMarker)]));
  }
  return value;
}

/**
 * `pulumi.unknown` values (objects carrying `__pulumiUnknown`) as the engine's unknown sentinel, the way a real
 * `pulumi preview --json` writes them, so policies see them as unknown (the analyzer's unknown-checking proxy) and
 * the cost model counts them as unpriced instead of reading an object.
 */
export function unknownsAsSentinel(value: PropertyValue): PropertyValue {
  if (Array.isArray(value)) return value.map(unknownsAsSentinel);
  if (value !== null && typeof value === "object") {
    if ((value as Record<string, PropertyValue>).__pulumiUnknown === true) return UNKNOWN;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unknownsAsSentinel(v)]));
  }
  return value;
}

/**
 * The preview document of a planned layer: every registration is a `create` step; every read (StackReferences,
 * `Resource.get`) a `read` step of an external resource with its id and outputs, after the root stack as the engine
 * orders them (reads happen while the program runs, before the registrations that depend on them finish).
 */
export function previewDocumentOf(plan: LayerPlan): PreviewDocument {
  const reads: PreviewStep[] = (plan.reads ?? []).map((r) => ({
    op: "read",
    urn: r.urn,
    newState: {
      urn: r.urn,
      type: r.type,
      custom: true,
      ...(r.id ? { id: r.id } : {}),
      ...(r.parent ? { parent: r.parent } : {}),
      ...(r.provider ? { provider: r.provider } : {}),
      dependencies: r.dependencies ?? [],
      inputs: unknownsAsSentinel(redactSecrets(r.inputs, true)) as PropertyMap,
      outputs: unknownsAsSentinel(redactSecrets(r.outputs ?? {}, true)) as PropertyMap,
      external: true,
      ...(r.sourcePosition ? { sourcePosition: r.sourcePosition } : {}),
    },
  }));
  const creates: PreviewStep[] = plan.resources.map((r) => ({
    op: "create",
    urn: r.urn,
    newState: {
      urn: r.urn,
      type: r.type,
      custom: r.custom,
      ...(r.parent ? { parent: r.parent } : {}),
      ...(r.provider ? { provider: r.provider } : {}),
      protect: r.protect ?? false,
      retainOnDelete: r.retainOnDelete ?? false,
      dependencies: r.dependencies ?? [],
      inputs: unknownsAsSentinel(redactSecrets(r.inputs, true)) as PropertyMap,
      ...(r.sourcePosition ? { sourcePosition: r.sourcePosition } : {}),
    },
  }));
  const [root, ...rest] = creates;
  const steps = root ? [root, ...reads, ...rest] : reads;
  return { stack: plan.stackName, steps, changeSummary: { create: creates.length, ...(reads.length ? { read: reads.length } : {}) } };
}

/** Stack outputs as `pulumi stack output --json` prints them: secrets as "[secret]". */
export function outputsDocumentOf(plan: LayerPlan): PropertyMap {
  return redactSecrets(plan.outputs) as PropertyMap;
}
