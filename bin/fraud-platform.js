#!/usr/bin/env node
// The `fraud-platform` command (every `npm run` script of the CLI). It runs the CLI from its bundle
// (src/bundles.ts) when the bundle is up to date with every source it was built from, as src/bundles.ts checks
// it; otherwise it loads tsx, builds the bundle, and runs that.
const { createHash } = require("crypto");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");

/** The cli bundle of this tree, or undefined when it is missing or stale (src/bundles.ts: bundleFile, bundleUpToDate). */
function freshBundle() {
  const tree = createHash("sha256").update(ROOT).digest("hex").slice(0, 12);
  const file = path.join(ROOT, "node_modules", ".cache", "fraud-platform", "cli", tree, "cli.js");
  try {
    const manifest = JSON.parse(fs.readFileSync(`${file}.inputs.json`, "utf8"));
    if (manifest.esbuild !== require("esbuild/package.json").version || !fs.existsSync(file)) return undefined;
    for (const [input, stamp] of Object.entries(manifest.inputs)) {
      const stat = fs.statSync(input, { throwIfNoEntry: false });
      if (!stat || `${stat.mtimeMs}:${stat.size}` !== stamp) return undefined;
    }
    return file;
  } catch {
    return undefined;
  }
}

async function cli() {
  let file = freshBundle();
  if (!file) {
    require("tsx/cjs");
    file = await require("../src/bundles.ts").bundle("cli");
  }
  // Stack traces name the .ts files, as under tsx.
  process.setSourceMapsEnabled(true);
  return require(file);
}

const argv = process.argv.slice(2);
cli().then(
  // main() resolves to the exit code of the contract (0 / 1 / 2 / 3); a rejection is an internal error too.
  ({ main, reportInternalError }) =>
    main(argv).then(
      (code) => process.exit(code),
      (e) => {
        console.error(reportInternalError(e, argv));
        process.exit(3);
      },
    ),
  (e) => {
    console.error(`fraud-platform: cannot start the CLI: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(3);
  },
);
