/**
 * A resource monitor for running real stack programs in-process. It records what the engine would show: every
 * registration with its parent, provider, dependencies, `protect` / `retainOnDelete`, inputs and source position,
 * every read (StackReferences, `Resource.get`), and the stack's outputs. URNs are built the way the engine builds
 * them (the full parent type chain, children of the root stack unprefixed), for reads too.
 *
 * It answers as the engine does on a first deployment:
 * - preview: a create gets an empty id and only its inputs back, so every computed output is unknown to the
 *   program (exactly what `pulumi preview` hands it); components and remote components get nothing back;
 * - update (`pulumi up`): the mock cloud's ids and computed outputs, through Pulumi's own `MockMonitor`.
 * Reads and invokes are answered by the mock cloud in both, as the engine performs them in a preview too.
 */
import * as path from "path";
import { fileURLToPath, pathToFileURL } from "url";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { deserializeProperties, specialResourceSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import * as resPb from "@pulumi/pulumi/proto/resource_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { originalPosition } from "../bundleMap";
import { PropertyMap, RecordedResource } from "./previewDocument";

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

type Callback = (err: unknown, response: unknown) => void;
type StructLike = Parameters<typeof deserializeProperties>[0];

/** The subset of the RegisterResourceRequest protobuf the recorder reads. */
export interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getRemote(): boolean;
  getProvider(): string;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDependenciesList(): string[];
  getObject(): StructLike;
  /** Where the program constructed the resource (the SDK's first user frame); absent from older SDKs. */
  getSourceposition?(): { getUri(): string; getLine(): number; getColumn(): number } | undefined;
}

/** The Pulumi project directory (Pulumi.yaml): source positions are relative to it. */
const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/**
 * A registration's source position as the engine stores it in `sourcePosition`: `project:///<path>#<line>,<column>`
 * for a file inside the project, else the SDK's `file://` URI with the same fragment.
 */
export function sourcePositionOf(req: Pick<RegisterRequest, "getSourceposition">, projectDir: string = PROJECT_DIR): string | undefined {
  const pos = req.getSourceposition?.();
  const uri = pos?.getUri();
  if (!pos || !uri) return undefined;
  if (!uri.startsWith("file://")) return `${uri}#${pos.getLine()},${pos.getColumn()}`;
  // A position in the plan worker's bundle is one in the project's sources (src/bundleMap.ts).
  const inUri = fileURLToPath(uri);
  const { file, line, column } = originalPosition({ file: inUri, line: pos.getLine(), column: pos.getColumn() });
  const fragment = `#${line},${column}`;
  const rel = path.relative(projectDir, file);
  if (!rel.startsWith("..") && !path.isAbsolute(rel)) return `project:///${rel.split(path.sep).join("/")}${fragment}`;
  return `${file === inUri ? uri : pathToFileURL(file).href}${fragment}`;
}

interface RegisterResponse {
  setUrn(urn: string): void;
  getId(): string;
}

/** The subset of the ReadResourceRequest protobuf the recorder reads. */
export interface ReadRequest {
  getId(): string;
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getDependenciesList(): string[];
  getProperties(): StructLike | undefined;
  getSourceposition?(): { getUri(): string; getLine(): number; getColumn(): number } | undefined;
}

/**
 * What the engine records of a ReadResource request (a `read` step), with the engine's URN and the inputs as the
 * recorder decoded them: the shared part of the plan's recorder and the conformance tests' fake monitor.
 */
export function readOf(req: ReadRequest, urn: string, inputs: PropertyMap): RecordedResource & { custom: true; dependencies: string[] } {
  const sourcePosition = sourcePositionOf(req);
  return {
    urn,
    name: req.getName(),
    type: req.getType(),
    custom: true,
    ...(req.getParent() ? { parent: req.getParent() } : {}),
    ...(req.getProvider() ? { provider: req.getProvider() } : {}),
    dependencies: req.getDependenciesList(),
    inputs,
    ...(sourcePosition ? { sourcePosition } : {}),
  };
}

interface ReadResponse {
  setUrn(urn: string): void;
  getProperties(): StructLike | undefined;
}

interface RegisterOutputsRequest {
  getUrn(): string;
  getOutputs(): StructLike | undefined;
}

/**
 * Resource references in inputs (a component handed another resource) become the referenced resource's id, or its
 * URN, as a preview document shows them; deserializing them would construct live resources inside the recorder.
 */
function withResourceRefsAsIds(struct: StructLike): StructLike {
  const replace = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(replace);
    if (v === null || typeof v !== "object") return v;
    const o = v as Record<string, unknown>;
    if (o[specialSigKey] === specialResourceSig) return typeof o.id === "string" && o.id !== "" ? o.id : o.urn;
    return Object.fromEntries(Object.entries(o).map(([k, e]) => [k, replace(e)]));
  };
  const raw = (struct as unknown as { toJavaScript(): Record<string, unknown> }).toJavaScript();
  return Struct.fromJavaScript(replace(raw) as Parameters<typeof Struct.fromJavaScript>[0]) as unknown as StructLike;
}

/** A resource's URN as the engine forms it: the parent's (qualified) type chain, children of the root stack unprefixed. */
export function engineUrn(stack: string, project: string, parent: string, type: string, name: string): string {
  const parentType = parent ? parent.split("::")[2] : undefined;
  const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * What the engine records of a RegisterResource request, with the engine's URN and the inputs as the recorder
 * decoded them: the shared shape of the plan's recorder and the conformance tests' fake monitor.
 */
export function registrationOf(req: RegisterRequest, urn: string, inputs: PropertyMap): RecordedResource {
  const sourcePosition = sourcePositionOf(req);
  return {
    urn,
    name: req.getName(),
    type: req.getType(),
    custom: req.getCustom(),
    ...(req.getParent() ? { parent: req.getParent() } : {}),
    ...(req.getProvider() ? { provider: req.getProvider() } : {}),
    protect: req.getProtect() ?? false,
    retainOnDelete: req.getRetainondelete() ?? false,
    dependencies: req.getDependenciesList(),
    inputs,
    ...(sourcePosition ? { sourcePosition } : {}),
  };
}

export class RecordingMonitor {
  private readonly inner: MockMonitor;
  readonly resources: RecordedResource[] = [];
  /** Resources read, not managed (`read` steps): StackReferences and `Resource.get`. */
  readonly reads: RecordedResource[] = [];
  /** Outputs registered by the root stack resource. */
  stackOutputs: PropertyMap = {};

  constructor(
    mocks: pulumi.runtime.Mocks,
    private readonly project: string,
    private readonly stack: string,
    private readonly preview: boolean,
  ) {
    this.inner = new MockMonitor(mocks);
  }

  urnOf(parent: string, type: string, name: string): string {
    return engineUrn(this.stack, this.project, parent, type, name);
  }

  invoke(req: unknown, callback: Callback): Promise<void> {
    return this.inner.invoke(req, callback);
  }

  readResource(req: ReadRequest, callback: Callback): Promise<void> {
    const urn = this.urnOf(req.getParent(), req.getType(), req.getName());
    const inputs = req.getProperties() ? (deserializeProperties(withResourceRefsAsIds(req.getProperties()!), true) as PropertyMap) : {};
    return this.inner.readResource(req, (err, response) => {
      if (!err && response) {
        const res = response as ReadResponse;
        res.setUrn(urn);
        const props = res.getProperties();
        this.reads.push({
          ...readOf(req, urn, inputs),
          id: req.getId(),
          outputs: props ? (deserializeProperties(props, true) as PropertyMap) : {},
          external: true,
        });
      }
      callback(err, response);
    });
  }

  registerResource(req: RegisterRequest, callback: Callback): Promise<void> {
    const urn = this.urnOf(req.getParent(), req.getType(), req.getName());
    const inputs = deserializeProperties(withResourceRefsAsIds(req.getObject()), true) as PropertyMap;
    const record = (id: string): void => {
      this.resources.push({
        ...registrationOf(req, urn, inputs),
        ...(req.getRemote() ? { remote: true } : {}),
        ...(id ? { id } : {}),
      });
    };
    if (this.preview) {
      // A create previewed: no id; a custom resource gets its inputs back (every computed output unknown).
      const object = req.getCustom() && !req.getRemote() ? (req.getObject() as unknown as Struct) : new Struct();
      record("");
      callback(null, new resPb.RegisterResourceResponse().setUrn(urn).setId("").setObject(object));
      return Promise.resolve();
    }
    return this.inner.registerResource(req, (err, response) => {
      if (!err && response) {
        const res = response as RegisterResponse;
        res.setUrn(urn);
        record(res.getId());
      }
      callback(err, response);
    });
  }

  registerResourceOutputs(req: RegisterOutputsRequest, callback: Callback): void {
    if (req.getUrn().split("::")[2] === ROOT_STACK_TYPE) {
      const outputs = req.getOutputs();
      this.stackOutputs = outputs ? (deserializeProperties(outputs, true) as PropertyMap) : {};
    }
    callback(null, {});
  }

  supportsFeature(req: unknown, callback: Callback): void {
    this.inner.supportsFeature(req, callback);
  }

  registerPackage(req: unknown, callback: Callback): void {
    this.inner.registerPackage(req, callback);
  }
}
