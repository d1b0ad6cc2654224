/**
 * The plan worker as one JavaScript file. esbuild bundles `layerWorker.ts` with everything of the project it
 * imports (the entry point `index.ts`, the layer programs, the components, the policy pack); the packages stay in
 * `node_modules`, loaded by Node as `pulumi up` loads them. A worker then starts in plain Node, without a
 * TypeScript loader resolving and transforming each of the project's files on every start.
 *
 * The bundle is built from the sources esbuild read, and built again when any of them changes (its size or
 * mtime), when esbuild's version changes or when the build options do. It is written atomically: concurrent plans
 * (jest workers) either see the old complete bundle or the new one. A linked source map maps every stack frame,
 * and so every resource's `sourcePosition`, back to the project's own `.ts` files.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { BuildOptions, Plugin } from "esbuild";
import { CACHE_DIR } from "../cache";
import { fileStamp, writeFileAtomic } from "../files";
import { PROJECT_ROOT } from "../registry/registry";

const ENTRY = path.join(PROJECT_ROOT, "src", "plan", "layerWorker.ts");

/**
 * Gives each bundled project module its own `__dirname` and `__filename` (a bundle has one of each, its own), on
 * the module's first line so every line number, and so every source position, stays where it was.
 */
const ownDirname: Plugin = {
  name: "own-dirname",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = fs.readFileSync(args.path, "utf8");
      if (!/\b__(dirname|filename)\b/.test(source)) return { contents: source, loader: "ts" };
      const header = `var __dirname = ${JSON.stringify(path.dirname(args.path))}, __filename = ${JSON.stringify(args.path)};`;
      return { contents: header + source, loader: "ts" };
    });
  },
};

function buildOptions(outfile: string): BuildOptions {
  return {
    entryPoints: [ENTRY],
    absWorkingDir: PROJECT_ROOT,
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    packages: "external",
    // Names as the programs see them under `pulumi up` (class and function names appear in messages).
    keepNames: true,
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    logLevel: "silent",
    plugins: [ownDirname],
  };
}

interface Manifest {
  key: string;
  inputs: Record<string, string>;
}

/** What a bundle depends on besides its inputs: esbuild's version and the options it was built with. */
function buildKey(esbuildVersion: string, outfile: string): string {
  const { plugins: _plugins, ...options } = buildOptions(outfile);
  return createHash("sha256")
    .update(JSON.stringify({ esbuildVersion, options, plugin: ownDirname.setup.toString() }))
    .digest("hex");
}

function upToDate(manifestFile: string, key: string, outfile: string): boolean {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as Manifest;
  } catch {
    return false;
  }
  if (manifest.key !== key || !fs.existsSync(outfile)) return false;
  return Object.entries(manifest.inputs).every(([file, stamp]) => fileStamp(file) === stamp);
}

/**
 * The path of the worker bundle, built first if it is missing or stale. A build error (a syntax error in a
 * program, say) is thrown with esbuild's messages, file and line first.
 */
export async function workerBundle(dir: string = CACHE_DIR): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require("esbuild") as typeof import("esbuild");
  // One bundle per project tree: trees that share a node_modules (a symlinked one) keep apart.
  const tree = createHash("sha256").update(PROJECT_ROOT).digest("hex").slice(0, 12);
  const outfile = path.join(dir, "plan-worker", tree, "layerWorker.js");
  const manifestFile = `${outfile}.inputs.json`;
  const key = buildKey(esbuild.version, outfile);
  if (upToDate(manifestFile, key, outfile)) return outfile;

  let result: import("esbuild").BuildResult<{ metafile: true; write: false }>;
  try {
    result = (await esbuild.build({ ...buildOptions(outfile), write: false })) as typeof result;
  } catch (e) {
    const failure = e as { errors?: import("esbuild").Message[] };
    const messages = await esbuild.formatMessages(failure.errors ?? [], { kind: "error", color: false });
    throw new Error(`cannot build the plan worker from ${path.relative(PROJECT_ROOT, ENTRY)}:\n${messages.join("\n") || String(e)}`, { cause: e });
  }
  const inputs: Record<string, string> = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const file = path.resolve(PROJECT_ROOT, input);
    const stamp = fileStamp(file);
    if (stamp !== undefined) inputs[file] = stamp;
  }
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  // The map and the bundle before the manifest: a manifest always names complete files.
  for (const out of result.outputFiles.sort((a, b) => Number(a.path.endsWith(".js")) - Number(b.path.endsWith(".js")))) writeFileAtomic(out.path, out.text);
  writeFileAtomic(manifestFile, { key, inputs } satisfies Manifest);
  return outfile;
}
