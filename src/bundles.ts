/**
 * The project's two entry points as single JavaScript files, so that they start in plain Node without a
 * TypeScript loader resolving and transforming each of the project's files on every start:
 * - `cli`: the `fraud-platform` command (`bin/fraud-platform.js` runs it; every `npm run` script goes through it);
 * - `plan-worker`: the plan's warm worker (`src/plan/layerWorker.ts`), with the program `index.ts` runs, the layer
 *   programs, the components and the policy pack.
 * esbuild bundles the project's own modules; the packages stay in `node_modules`, loaded by Node as `pulumi up`
 * loads them. A linked source map maps every stack frame, and so every resource's `sourcePosition`, back to the
 * project's `.ts` files.
 *
 * A bundle is built again when any source esbuild read for it changes (size or mtime), this file among them, or
 * when esbuild's version does. It is written atomically (concurrent plans of jest workers see the old complete
 * bundle or the new one), and kept per project tree. `bin/fraud-platform.js` checks the cli bundle the same way.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { BuildOptions, Plugin } from "esbuild";
import { CACHE_DIR } from "./cache";
import { fileStamp, writeFileAtomic } from "./files";
import { PROJECT_ROOT } from "./registry/registry";

/** Each bundle's entry module. */
export const BUNDLE_ENTRIES = {
  cli: "src/cli/entry.ts",
  "plan-worker": "src/plan/layerWorker.ts",
} as const;

export type BundleName = keyof typeof BUNDLE_ENTRIES;

/** What a bundle records of its sources: esbuild's version and each input's stamp (`mtimeMs:size`). */
export interface BundleManifest {
  esbuild: string;
  inputs: Record<string, string>;
}

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

/** Where a bundle of this project tree is written (trees sharing a symlinked node_modules keep apart). */
export function bundleFile(name: BundleName, dir: string = CACHE_DIR): string {
  const tree = createHash("sha256").update(PROJECT_ROOT).digest("hex").slice(0, 12);
  return path.join(dir, name, tree, `${name}.js`);
}

function buildOptions(name: BundleName, outfile: string): BuildOptions {
  return {
    entryPoints: [path.join(PROJECT_ROOT, BUNDLE_ENTRIES[name])],
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
    write: false,
    logLevel: "silent",
    plugins: [ownDirname],
  };
}

/** Whether the bundle at `outfile` was built by this esbuild from sources that have not changed since. */
export function bundleUpToDate(outfile: string, esbuildVersion: string): boolean {
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(`${outfile}.inputs.json`, "utf8")) as BundleManifest;
  } catch {
    return false;
  }
  if (manifest.esbuild !== esbuildVersion || !fs.existsSync(outfile)) return false;
  return Object.entries(manifest.inputs).every(([file, stamp]) => fileStamp(file) === stamp);
}

/**
 * The path of a bundle, built first if it is missing or stale. A build error (a syntax error in a program, say)
 * is thrown with esbuild's messages, file and line first.
 */
export async function bundle(name: BundleName, dir: string = CACHE_DIR): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require("esbuild") as typeof import("esbuild");
  const outfile = bundleFile(name, dir);
  if (bundleUpToDate(outfile, esbuild.version)) return outfile;

  let result: import("esbuild").BuildResult<{ metafile: true; write: false }>;
  try {
    result = (await esbuild.build(buildOptions(name, outfile))) as typeof result;
  } catch (e) {
    const failure = e as { errors?: import("esbuild").Message[] };
    const messages = await esbuild.formatMessages(failure.errors ?? [], { kind: "error", color: false });
    throw new Error(`cannot build the ${name} bundle from ${BUNDLE_ENTRIES[name]}:\n${messages.join("\n") || String(e)}`, { cause: e });
  }
  const inputs: Record<string, string> = {};
  // This file decides how a bundle is built: a change to it is a change to every bundle.
  for (const file of [...Object.keys(result.metafile.inputs).map((i) => path.resolve(PROJECT_ROOT, i)), __filename]) {
    const stamp = fileStamp(file);
    if (stamp !== undefined) inputs[file] = stamp;
  }
  // The map and the bundle before the manifest: a manifest always names complete files.
  for (const out of result.outputFiles.sort((a, b) => Number(a.path.endsWith(".js")) - Number(b.path.endsWith(".js")))) writeFileAtomic(out.path, out.text);
  writeFileAtomic(`${outfile}.inputs.json`, { esbuild: esbuild.version, inputs } satisfies BundleManifest);
  return outfile;
}
