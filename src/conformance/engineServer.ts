/**
 * A protocol-level stand-in for the Pulumi engine's `Engine` gRPC service (pulumirpc.Engine: Log,
 * GetRootResource, SetRootResource), the address the CLI hands every plugin and program. It records what it is
 * told, so tests can read the diagnostics a pack or program logged.
 */
import * as grpc from "@grpc/grpc-js";
/* eslint-disable @typescript-eslint/no-require-imports */
const engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb") as { EngineService: grpc.ServiceDefinition };
const engineProto = require("@pulumi/pulumi/proto/engine_pb") as {
  GetRootResourceResponse: new () => { setUrn(urn: string): void };
  SetRootResourceResponse: new () => object;
};
const { Empty } = require("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => object };
/* eslint-enable @typescript-eslint/no-require-imports */

export interface EngineLog {
  severity: number;
  message: string;
  urn: string;
}

export interface FakeEngine {
  address: string;
  logs: EngineLog[];
  rootResource: string;
  close(): Promise<void>;
}

interface LogRequest {
  getSeverity(): number;
  getMessage(): string;
  getUrn(): string;
}

type Unary<Req> = (call: { request: Req }, callback: grpc.sendUnaryData<unknown>) => void;

/** Binds the Engine service on an ephemeral loopback port. */
export async function startFakeEngine(): Promise<FakeEngine> {
  const server = new grpc.Server();
  const engine: FakeEngine = {
    address: "",
    logs: [],
    rootResource: "",
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
  const log: Unary<LogRequest> = (call, cb) => {
    engine.logs.push({ severity: call.request.getSeverity(), message: call.request.getMessage(), urn: call.request.getUrn() });
    cb(null, new Empty());
  };
  const getRootResource: Unary<unknown> = (_call, cb) => {
    const resp = new engineProto.GetRootResourceResponse();
    resp.setUrn(engine.rootResource);
    cb(null, resp);
  };
  const setRootResource: Unary<{ getUrn(): string }> = (call, cb) => {
    engine.rootResource = call.request.getUrn();
    cb(null, new engineProto.SetRootResourceResponse());
  };
  const startDebugging: Unary<unknown> = (_call, cb) => cb(null, new Empty());
  server.addService(engineRpc.EngineService, { log, getRootResource, setRootResource, startDebugging } as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  engine.address = `127.0.0.1:${port}`;
  return engine;
}
