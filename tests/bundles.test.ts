import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BundleManifest, bundle, bundleFile } from "../src/bundles";
import { PROJECT_ROOT } from "../src/registry/registry";

const readManifest = (file: string) => JSON.parse(fs.readFileSync(`${file}.inputs.json`, "utf8")) as BundleManifest;

describe("the plan worker bundle", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bundles-"));
  let file: string;
  let manifest: BundleManifest;

  beforeAll(async () => {
    file = await bundle("plan-worker", dir);
    manifest = readManifest(file);
  }, 60_000);

  it("holds the program, the layers, the pack and its own build code, and leaves the packages to node_modules", () => {
    expect(file).toBe(bundleFile("plan-worker", dir));
    const inputs = Object.keys(manifest.inputs).map((f) => path.relative(PROJECT_ROOT, f));
    expect(inputs).toEqual(expect.arrayContaining(["stacks/program.ts", "stacks/runtime.ts", "policies/pack.ts", "src/plan/layerWorker.ts", "src/bundles.ts"]));
    expect(inputs.some((f) => f.includes("node_modules"))).toBe(false);
    const text = fs.readFileSync(file, "utf8");
    expect(text).toMatch(/require\("@pulumi\/pulumi"\)/);
    expect(text).toMatch(/sourceMappingURL=plan-worker\.js\.map/);
  });

  it("gives each project module its own __dirname, on its first line (source positions stay put)", () => {
    const text = fs.readFileSync(file, "utf8");
    // esbuild hoists and renames each module's own binding (`__dirname2`, ...).
    const registryDir = JSON.stringify(path.join(PROJECT_ROOT, "src", "registry")).replace(/[/\\.]/g, "\\$&");
    expect(text).toMatch(new RegExp(`__dirname\\d* = ${registryDir};`));
    const map = JSON.parse(fs.readFileSync(`${file}.map`, "utf8")) as { sources: string[] };
    expect(map.sources.map((s) => path.resolve(path.dirname(file), s))).toContain(path.join(PROJECT_ROOT, "stacks", "core.ts"));
  });

  it("is reused while no input changed, and built again when one did", async () => {
    const before = fs.statSync(file).mtimeMs;
    expect(await bundle("plan-worker", dir)).toBe(file);
    expect(fs.statSync(file).mtimeMs).toBe(before);

    // An input whose stamp no longer matches (an edited program) is a stale bundle.
    const edited = path.join(PROJECT_ROOT, "stacks", "core.ts");
    fs.writeFileSync(`${file}.inputs.json`, JSON.stringify({ ...manifest, inputs: { ...manifest.inputs, [edited]: "0:0" } }));
    await bundle("plan-worker", dir);
    expect(readManifest(file).inputs[edited]).toBe(manifest.inputs[edited]);

    // So is a bundle of another esbuild.
    fs.writeFileSync(`${file}.inputs.json`, JSON.stringify({ ...manifest, esbuild: "0.0.0" }));
    await bundle("plan-worker", dir);
    expect(readManifest(file).esbuild).toBe(manifest.esbuild);
  }, 60_000);
});

describe("bin/fraud-platform.js", () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(PROJECT_ROOT, "bin", "fraud-platform.js"), ...args], { cwd: PROJECT_ROOT, encoding: "utf8" });

  it("runs the CLI from its bundle, building it first when it is stale, as src/bundles.ts judges staleness", async () => {
    const file = await bundle("cli");
    const manifest = readManifest(file);
    const stale = { ...manifest, inputs: { ...manifest.inputs, [path.join(PROJECT_ROOT, "src", "cli", "main.ts")]: "0:0" } };
    fs.writeFileSync(`${file}.inputs.json`, JSON.stringify(stale));

    const run = cli("plan", "--help");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/--pin/);
    // The launcher built it again: the manifest is the one src/bundles.ts writes for the sources as they are.
    expect(readManifest(file)).toEqual(manifest);

    // Up to date now: the next run takes it as it is.
    const built = fs.statSync(file).mtimeMs;
    const again = cli("plan", "--help");
    expect(again.status).toBe(0);
    expect(fs.statSync(file).mtimeMs).toBe(built);
  }, 60_000);

  it("keeps the exit-code contract: bad input is 2", () => {
    const run = cli("plan", "--layers", "nope");
    expect(run.status).toBe(2);
  });
});
