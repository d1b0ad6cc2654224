/**
 * Starts a Node policy pack exactly as `pulumi preview --policy-pack DIR` does, and talks to it over the real
 * Analyzer gRPC protocol (pulumi/pulumi `sdk/go/common/resource/plugin/analyzer_plugin.go` NewPolicyAnalyzer):
 *
 * - the `pulumi-analyzer-policy` shim resolves `@pulumi/pulumi/cmd/run-policy-pack` from the pack directory and
 *   runs it with node, cwd = the pack directory, args `<engine-address> .` plus `-<option>=<value>` for each
 *   runtime option of `PulumiPolicy.yaml` (`-typescript=true`);
 * - the first line the pack prints on stdout is its port; a pack that exits first failed to start, and its
 *   stderr is the reason;
 * - the CLI then calls Handshake (Unimplemented is fine), ConfigureStack, GetAnalyzerInfo, GetPluginInfo,
 *   Configure with the reconciled config (`src/policy/packConfig.ts`), Analyze per resource and AnalyzeStack.
 *
 * {@link analyzeDocument} turns a `pulumi preview --json` document into those requests and the diagnostics back
 * into the harness's violation shape, so the two can be compared verdict for verdict.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { parse as parseYaml } from "yaml";
import { PreviewDocument, ResourceState } from "../plan/previewDocument";
import { proposedResources } from "../policy/harness";
import { AnalyzerPolicyConfig, AnalyzerPolicyInfo, EnforcementLevel } from "../policy/packConfig";

const LEVELS: Record<number, EnforcementLevel> = {
  [analyzerPb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerPb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerPb.EnforcementLevel.REMEDIATE]: "remediate",
  [analyzerPb.EnforcementLevel.DISABLED]: "disabled",
};
const LEVEL_CODES = Object.fromEntries(Object.entries(LEVELS).map(([code, level]) => [level, Number(code)])) as Record<
  EnforcementLevel,
  analyzerPb.EnforcementLevel
>;

/** One diagnostic as the CLI prints it: policy, the resource it is about, level and message. */
export interface AnalyzerDiagnostic {
  policy: string;
  urn?: string;
  enforcementLevel: EnforcementLevel;
  message: string;
}

export interface PolicyPackProcessOptions {
  /** The pack directory (holds `PulumiPolicy.yaml`). */
  packDir: string;
  engineAddress: string;
  env?: NodeJS.ProcessEnv;
  /** Give up on a pack that prints no port within this many ms. */
  startTimeoutMs?: number;
}

export interface PolicyPackHost {
  client: AnalyzerClient;
  /** ms from spawn to the port line. */
  startupMs: number;
  stderr(): string;
  close(): Promise<void>;
}

/** The shim's arguments for a pack directory, from its `PulumiPolicy.yaml`. */
export function shimArguments(packDir: string, engineAddress: string): string[] {
  const file = path.join(packDir, "PulumiPolicy.yaml");
  const project = parseYaml(fs.readFileSync(file, "utf8")) as { runtime?: string | { name?: string; options?: Record<string, unknown> } };
  const runtime = typeof project.runtime === "string" ? { name: project.runtime } : (project.runtime ?? {});
  if (runtime.name !== "nodejs")
    throw new Error(`${file}: runtime.name: expected "nodejs" (the pack runs through pulumi-analyzer-policy), found ${JSON.stringify(runtime.name)}`);
  const options = Object.entries(runtime.options ?? {})
    .map(([k, v]) => [k, String(v)] as const)
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `-${k}=${v}`);
  return [engineAddress, ".", ...options];
}

export function startPolicyPack(opts: PolicyPackProcessOptions): Promise<PolicyPackHost> {
  const entry = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [opts.packDir] });
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, [entry, ...shimArguments(opts.packDir, opts.engineAddress)], {
    cwd: opts.packDir,
    env: opts.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise<PolicyPackHost>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`policy pack in ${opts.packDir} printed no port within ${opts.startTimeoutMs ?? 120000} ms; stderr:\n${stderr}`));
    }, opts.startTimeoutMs ?? 120000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`policy pack in ${opts.packDir} exited with code ${code} before printing its port; stderr:\n${stderr}${stdout}`));
    };
    child.once("exit", onExit);
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split("\n")[0];
      if (!stdout.includes("\n") && !/^\d+$/.test(line.trim())) return;
      const port = Number(line.trim());
      if (!Number.isInteger(port) || port <= 0) return;
      clearTimeout(timer);
      child.off("exit", onExit);
      const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { "grpc.max_receive_message_length": 400 * 1024 * 1024 });
      resolve({
        client,
        startupMs: Date.now() - started,
        stderr: () => stderr,
        close: () =>
          new Promise<void>((done) => {
            client.close();
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

function unary<Req, Res>(fn: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => fn(req, (err, res) => (err ? reject(err) : resolve(res))));
}

/** The CLI's start-up sequence: Handshake (optional), ConfigureStack, GetAnalyzerInfo, GetPluginInfo. */
export async function handshake(
  client: AnalyzerClient,
  packDir: string,
  engineAddress: string,
  stack: { stack: string; project: string; organization: string; dryRun: boolean },
): Promise<{ info: analyzerPb.AnalyzerInfo; pluginVersion: string }> {
  const hs = new analyzerPb.AnalyzerHandshakeRequest().setEngineAddress(engineAddress).setRootDirectory(packDir).setProgramDirectory(packDir);
  try {
    await unary(client.handshake.bind(client), hs);
  } catch (e) {
    if ((e as grpc.ServiceError).code !== grpc.status.UNIMPLEMENTED) throw e;
  }
  const sc = new analyzerPb.AnalyzerStackConfigureRequest()
    .setStack(stack.stack)
    .setProject(stack.project)
    .setOrganization(stack.organization)
    .setDryRun(stack.dryRun);
  await unary(client.configureStack.bind(client), sc);
  const info = await unary<Empty, analyzerPb.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
  const plugin = await unary<Empty, { getVersion(): string }>(client.getPluginInfo.bind(client) as never, new Empty());
  return { info, pluginVersion: plugin.getVersion() };
}

/** GetAnalyzerInfo's policies in the CLI's terms (for {@link reconcilePolicyPackConfig}). */
export function policyInfosOf(info: analyzerPb.AnalyzerInfo): AnalyzerPolicyInfo[] {
  return info.getPoliciesList().map((p) => {
    const schema = p.getConfigschema();
    return {
      name: p.getName(),
      enforcementLevel: LEVELS[p.getEnforcementlevel()],
      ...(schema
        ? {
            configSchema: {
              properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, Record<string, unknown>>,
              required: schema.getRequiredList(),
            },
          }
        : {}),
    };
  });
}

/** Configure with a reconciled config (every entry has a level, as the CLI insists). */
export async function configure(client: AnalyzerClient, config: Record<string, AnalyzerPolicyConfig>): Promise<void> {
  const req = new analyzerPb.ConfigureAnalyzerRequest();
  for (const [name, c] of Object.entries(config)) {
    if (!c.enforcementLevel) throw new Error(`invalid enforcement level "" for ${name}`);
    const pc = new analyzerPb.PolicyConfig()
      .setEnforcementlevel(LEVEL_CODES[c.enforcementLevel])
      .setProperties(Struct.fromJavaScript((c.properties ?? {}) as never));
    req.getPolicyconfigMap().set(name, pc);
  }
  await unary(client.configure.bind(client), req);
}

function optionsOf(state: ResourceState): analyzerPb.AnalyzerResourceOptions {
  const timeouts = new analyzerPb.AnalyzerResourceOptions.CustomTimeouts().setCreate(0).setUpdate(0).setDelete(0);
  return new analyzerPb.AnalyzerResourceOptions()
    .setProtect(state.protect ?? false)
    .setIgnorechangesList([])
    .setAliasesList([])
    .setAdditionalsecretoutputsList([])
    .setCustomtimeouts(timeouts)
    .setParent(state.parent ?? "");
}

function nameOf(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

function providerOf(state: ResourceState, providers: ReadonlyMap<string, ResourceState>): analyzerPb.AnalyzerProviderResource | undefined {
  const ref = state.provider;
  const urn = ref ? ref.slice(0, ref.lastIndexOf("::")) : undefined;
  const p = urn ? providers.get(urn) : undefined;
  if (!p) return undefined;
  return new analyzerPb.AnalyzerProviderResource()
    .setUrn(p.urn)
    .setType(p.type)
    .setName(nameOf(p.urn))
    .setProperties(Struct.fromJavaScript((p.inputs ?? {}) as never));
}

function diagnosticsOf(resp: analyzerPb.AnalyzeResponse, urn?: string): AnalyzerDiagnostic[] {
  return resp.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    // The engine attributes a resource diagnostic without a URN to the resource it analyzed.
    urn: d.getUrn() || urn,
    enforcementLevel: LEVELS[d.getEnforcementlevel()],
    message: d.getMessage(),
  }));
}

/** Analyze every proposed resource of the document, then AnalyzeStack, as a preview does. */
export async function analyzeDocument(client: AnalyzerClient, doc: PreviewDocument): Promise<AnalyzerDiagnostic[]> {
  const resources = proposedResources(doc);
  const providers = new Map(resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => [r.urn, r]));
  const out: AnalyzerDiagnostic[] = [];
  for (const r of resources) {
    const req = new analyzerPb.AnalyzeRequest()
      .setUrn(r.urn)
      .setType(r.type)
      .setName(nameOf(r.urn))
      .setProperties(Struct.fromJavaScript((r.inputs ?? {}) as never))
      .setOptions(optionsOf(r));
    const provider = providerOf(r, providers);
    if (provider) req.setProvider(provider);
    out.push(...diagnosticsOf(await unary(client.analyze.bind(client), req), r.urn));
  }
  const stackReq = new analyzerPb.AnalyzeStackRequest().setResourcesList(
    resources.map((r) => {
      const ar = new analyzerPb.AnalyzerResource()
        .setUrn(r.urn)
        .setType(r.type)
        .setName(nameOf(r.urn))
        .setProperties(Struct.fromJavaScript((r.inputs ?? {}) as never))
        .setOptions(optionsOf(r))
        .setParent(r.parent ?? "")
        .setDependenciesList(r.dependencies ?? []);
      const provider = providerOf(r, providers);
      if (provider) ar.setProvider(provider);
      return ar;
    }),
  );
  out.push(...diagnosticsOf(await unary(client.analyzeStack.bind(client), stackReq)));
  return out;
}
