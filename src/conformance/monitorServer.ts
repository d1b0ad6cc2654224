/**
 * A protocol-level stand-in for the engine's ResourceMonitor (pulumirpc.ResourceMonitor), the service a program
 * started by `pulumi preview` / `pulumi up` talks to. It answers the way the engine does for a first deployment:
 *
 * - RegisterResource: the engine's URN (parent type chain, children of the root stack unprefixed); in a preview
 *   the id is empty and only the inputs come back, so every computed output is unknown to the program; in an
 *   update the mock cloud's state comes back with its id. A remote component (`remote: true`) gets no outputs.
 * - ReadResource: StackReferences and `Resource.get` reads answered from the mock cloud (upstream outputs).
 * - Invoke: the mock cloud's answers (the same ones the offline plan uses); an invoke nobody mocked is an error.
 * - SupportsFeature: what the engine supports (secrets, resource references, output values, ...).
 *
 * Everything registered is recorded in the preview document's terms, to compare with the plan.
 */
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import * as resPb from "@pulumi/pulumi/proto/resource_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import { ResourceMonitorService } from "@pulumi/pulumi/proto/resource_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PropertyMap, PropertyValue, RESOURCE_REFERENCE_SIG, SECRET_SIG, SIG_KEY, UNKNOWN } from "../plan/previewDocument";
import { ROOT_STACK_TYPE, RegisterRequest, engineUrn, readOf, registrationOf } from "../plan/recordingMonitor";

const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** Features the engine reports as supported (pulumi/pulumi `pkg/resource/deploy/source_eval.go`). */
const SUPPORTED_FEATURES = new Set(["secrets", "resourceReferences", "outputValues", "deletedWith", "aliasSpecs", "sourcePosition", "parameterization"]);

/** One registration or read as the engine would record it. */
export interface MonitoredResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent?: string;
  provider?: string;
  protect: boolean;
  retainOnDelete: boolean;
  dependencies: string[];
  inputs: PropertyMap;
  remote: boolean;
  /** A `read` step: a StackReference or `Resource.get`. */
  read: boolean;
  sourcePosition?: string;
}

export interface FakeMonitorOptions {
  project: string;
  stack: string;
  preview: boolean;
  mocks: pulumi.runtime.Mocks;
}

export interface FakeMonitor {
  address: string;
  resources: MonitoredResource[];
  stackOutputs: PropertyMap;
  featuresAsked: string[];
  invokes: string[];
  close(): Promise<void>;
}

/**
 * Wire values as the engine stores them in a preview: output values become their value (unknown when they have
 * none, a secret when marked secret), resource references become the referenced id (or URN before it has one).
 */
export function engineValue(v: unknown): PropertyValue {
  if (Array.isArray(v)) return v.map(engineValue);
  if (v === null || typeof v !== "object") return v as PropertyValue;
  const o = v as Record<string, unknown>;
  if (o[SIG_KEY] === OUTPUT_SIG) {
    if (!("value" in o)) return UNKNOWN;
    const value = engineValue(o.value);
    return o.secret ? { [SIG_KEY]: SECRET_SIG, value } : value;
  }
  if (o[SIG_KEY] === RESOURCE_REFERENCE_SIG) return typeof o.id === "string" && o.id !== "" ? o.id : (o.urn as string);
  if (o[SIG_KEY] === SECRET_SIG) return { [SIG_KEY]: SECRET_SIG, value: engineValue(o.value) };
  return Object.fromEntries(Object.entries(o).map(([k, e]) => [k, engineValue(e)]));
}

function toJs(struct: Struct | undefined): PropertyMap {
  return engineValue(struct?.toJavaScript() ?? {}) as PropertyMap;
}

function fromJs(value: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(value)) as never);
}

type Handler<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, cb: grpc.sendUnaryData<Res>) => void;

export async function startFakeMonitor(opts: FakeMonitorOptions): Promise<FakeMonitor> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  const m: FakeMonitor = {
    address: "",
    resources: [],
    stackOutputs: {},
    featuresAsked: [],
    invokes: [],
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
  const urnOf = (parent: string, type: string, name: string): string => engineUrn(opts.stack, opts.project, parent, type, name);
  const fail = (cb: grpc.sendUnaryData<never>, e: unknown) =>
    cb({ code: grpc.status.UNKNOWN, details: e instanceof Error ? e.message : String(e), name: "Error", message: String(e), metadata: new grpc.Metadata() });

  const supportsFeature: Handler<resPb.SupportsFeatureRequest, resPb.SupportsFeatureResponse> = (call, cb) => {
    m.featuresAsked.push(call.request.getId());
    cb(null, new resPb.SupportsFeatureResponse().setHassupport(SUPPORTED_FEATURES.has(call.request.getId())));
  };

  const registerResource: Handler<resPb.RegisterResourceRequest, resPb.RegisterResourceResponse> = async (call, cb) => {
    try {
      const req = call.request;
      const urn = urnOf(req.getParent(), req.getType(), req.getName());
      const inputs = toJs(req.getObject());
      const registered = registrationOf(req as unknown as RegisterRequest, urn, inputs);
      m.resources.push({
        ...registered,
        protect: registered.protect ?? false,
        retainOnDelete: registered.retainOnDelete ?? false,
        dependencies: registered.dependencies ?? [],
        remote: req.getRemote(),
        read: false,
      });
      const resp = new resPb.RegisterResourceResponse().setUrn(urn);
      if (!req.getCustom() || req.getRemote()) {
        resp.setId("").setObject(fromJs({}));
      } else if (opts.preview) {
        // A create previewed: no id yet; the inputs come back and every computed output is unknown.
        resp.setId("").setObject(req.getObject() ?? fromJs({}));
      } else {
        const raw = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
        const result = await opts.mocks.newResource({ type: req.getType(), name: req.getName(), inputs: raw, provider: req.getProvider(), custom: true });
        resp.setId(result.id ?? "").setObject(fromJs({ ...raw, ...(result.state as Record<string, unknown>) }));
      }
      cb(null, resp);
    } catch (e) {
      fail(cb as grpc.sendUnaryData<never>, e);
    }
  };

  const registerResourceOutputs: Handler<resPb.RegisterResourceOutputsRequest, Empty> = (call, cb) => {
    if (call.request.getUrn().split("::")[2] === ROOT_STACK_TYPE) m.stackOutputs = toJs(call.request.getOutputs());
    cb(null, new Empty());
  };

  const readResource: Handler<resPb.ReadResourceRequest, resPb.ReadResourceResponse> = async (call, cb) => {
    try {
      const req = call.request;
      const urn = urnOf(req.getParent(), req.getType(), req.getName());
      const raw = (req.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const result = await opts.mocks.newResource({
        type: req.getType(),
        name: req.getName(),
        inputs: raw,
        id: req.getId(),
        provider: req.getProvider(),
        custom: true,
      });
      m.resources.push({ ...readOf(req, urn, toJs(req.getProperties())), protect: false, retainOnDelete: false, remote: false, read: true });
      cb(null, new resPb.ReadResourceResponse().setUrn(urn).setProperties(fromJs((result.state ?? {}) as Record<string, unknown>)));
    } catch (e) {
      fail(cb as grpc.sendUnaryData<never>, e);
    }
  };

  const invoke: Handler<resPb.ResourceInvokeRequest, providerPb.InvokeResponse> = async (call, cb) => {
    try {
      const token = call.request.getTok();
      m.invokes.push(token);
      const inputs = (call.request.getArgs()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const result = await opts.mocks.call({ token, inputs, provider: call.request.getProvider() });
      cb(null, new providerPb.InvokeResponse().setReturn(fromJs(result as Record<string, unknown>)));
    } catch (e) {
      fail(cb as grpc.sendUnaryData<never>, e);
    }
  };

  const registerPackage: Handler<resPb.RegisterPackageRequest, resPb.RegisterPackageResponse> = (call, cb) => {
    cb(null, new resPb.RegisterPackageResponse().setRef(`${call.request.getName()}@${call.request.getVersion()}`));
  };

  const signalAndWaitForShutdown: Handler<Empty, Empty> = (_call, cb) => cb(null, new Empty());

  server.addService(ResourceMonitorService, {
    supportsFeature,
    registerResource,
    registerResourceOutputs,
    readResource,
    invoke,
    registerPackage,
    signalAndWaitForShutdown,
  } as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  m.address = `127.0.0.1:${port}`;
  return m;
}
