/**
 * Runs a stack program exactly as `pulumi preview` / `pulumi up` does, against the fake engine and monitor:
 * `pulumi-language-nodejs` spawns `node @pulumi/pulumi/cmd/run --monitor <addr> --engine <addr> --organization
 * <org> --project <p> --root-directory <dir> --stack <s> --pwd <dir> [--dry-run] --parallel <n> .` with the stack
 * config in `PULUMI_CONFIG` / `PULUMI_CONFIG_SECRET_KEYS` (pulumi/pulumi `sdk/nodejs/cmd/pulumi-language-nodejs`
 * `constructArguments`, `constructConfig`). `cmd/run` compiles the TypeScript program with ts-node and the
 * project's `tsconfig.json`.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import * as pulumi from "@pulumi/pulumi";
import { FakeEngine, startFakeEngine } from "./engineServer";
import { FakeMonitor, startFakeMonitor } from "./monitorServer";

export interface ProgramRunOptions {
  projectDir: string;
  project: string;
  stack: string;
  organization: string;
  config: Record<string, string>;
  secretKeys: string[];
  preview: boolean;
  mocks: pulumi.runtime.Mocks;
  /** Extra environment (e.g. PULUMI_NODEJS_TRANSPILE_ONLY). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export interface ProgramRun {
  exitCode: number | null;
  /** Wall time from spawn to exit, in ms. */
  millis: number;
  monitor: FakeMonitor;
  engine: FakeEngine;
  stderr: string;
  stdout: string;
}

export function languageHostArguments(
  o: Pick<ProgramRunOptions, "projectDir" | "project" | "stack" | "organization" | "preview">,
  monitor: string,
  engine: string,
): string[] {
  return [
    require.resolve("@pulumi/pulumi/cmd/run", { paths: [o.projectDir] }),
    "--monitor",
    monitor,
    "--engine",
    engine,
    "--organization",
    o.organization,
    "--project",
    o.project,
    "--root-directory",
    o.projectDir,
    "--stack",
    o.stack,
    "--pwd",
    o.projectDir,
    ...(o.preview ? ["--dry-run"] : []),
    "--parallel",
    "16",
    ".",
  ];
}

/**
 * What the language host adds to the program's environment from `Pulumi.yaml` `runtime.options`:
 * `typescript: true` -> PULUMI_NODEJS_TYPESCRIPT=true (cmd/run then registers ts-node), `tsconfig` ->
 * PULUMI_NODEJS_TSCONFIG_PATH.
 */
export function languageHostEnv(projectDir: string): NodeJS.ProcessEnv {
  const project = parseYaml(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { runtime?: string | { options?: Record<string, unknown> } };
  const options = typeof project.runtime === "object" ? (project.runtime.options ?? {}) : {};
  return {
    ...(options.typescript === true || options.typescript === "true" ? { PULUMI_NODEJS_TYPESCRIPT: "true" } : {}),
    ...(typeof options.tsconfig === "string" ? { PULUMI_NODEJS_TSCONFIG_PATH: options.tsconfig } : {}),
  };
}

export async function runProgram(o: ProgramRunOptions): Promise<ProgramRun> {
  const engine = await startFakeEngine();
  const monitor = await startFakeMonitor({ project: o.project, stack: o.stack, preview: o.preview, mocks: o.mocks });
  const started = Date.now();
  const child = spawn(process.execPath, languageHostArguments(o, monitor.address, engine.address), {
    cwd: o.projectDir,
    env: {
      ...cleanEnv(process.env),
      ...languageHostEnv(o.projectDir),
      ...o.env,
      PULUMI_CONFIG: JSON.stringify(o.config),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(o.secretKeys),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  const exitCode = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), o.timeoutMs ?? 180_000);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  const millis = Date.now() - started;
  await monitor.close();
  await engine.close();
  return { exitCode, millis, monitor, engine, stderr, stdout };
}

/** The caller's environment without loader hooks (tsx, jest) that the CLI's own node process would not have. */
function cleanEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _nodeOptions, TSX_TSCONFIG_PATH: _tsx, ...rest } = env;
  return rest;
}
