import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../src/registry/registry";
import { workerBundle } from "../../src/plan/workerBuild";

describe("the plan worker bundle", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "worker-build-"));
  let bundle: string;
  let manifest: { key: string; inputs: Record<string, string> };
  const readManifest = () => JSON.parse(fs.readFileSync(`${bundle}.inputs.json`, "utf8")) as typeof manifest;

  beforeAll(async () => {
    bundle = await workerBundle(dir);
    manifest = readManifest();
  }, 60_000);

  it("holds the entry point, the programs and the pack, and leaves the packages to node_modules", () => {
    const inputs = Object.keys(manifest.inputs).map((f) => path.relative(PROJECT_ROOT, f));
    expect(inputs).toEqual(expect.arrayContaining(["index.ts", "stacks/runtime.ts", "policies/pack.ts", "src/plan/layerWorker.ts"]));
    expect(inputs.some((f) => f.includes("node_modules"))).toBe(false);
    const text = fs.readFileSync(bundle, "utf8");
    expect(text).toMatch(/require\("@pulumi\/pulumi"\)/);
    expect(text).toMatch(/sourceMappingURL=layerWorker\.js\.map/);
  });

  it("gives each project module its own __dirname, on its first line (source positions stay put)", () => {
    const text = fs.readFileSync(bundle, "utf8");
    // esbuild hoists and renames each module's own binding (`__dirname2`, ...).
    const registryDir = JSON.stringify(path.join(PROJECT_ROOT, "src", "registry")).replace(/[/\\.]/g, "\\$&");
    expect(text).toMatch(new RegExp(`__dirname\\d* = ${registryDir};`));
    const map = JSON.parse(fs.readFileSync(`${bundle}.map`, "utf8")) as { sources: string[] };
    expect(map.sources.map((s) => path.resolve(path.dirname(bundle), s))).toContain(path.join(PROJECT_ROOT, "stacks", "core.ts"));
  });

  it("is reused while no input changed, and built again when one did", async () => {
    const before = fs.statSync(bundle).mtimeMs;
    expect(await workerBundle(dir)).toBe(bundle);
    expect(fs.statSync(bundle).mtimeMs).toBe(before);

    // An input whose stamp no longer matches (an edited program) is a stale bundle.
    const edited = path.join(PROJECT_ROOT, "stacks", "core.ts");
    fs.writeFileSync(`${bundle}.inputs.json`, JSON.stringify({ ...manifest, inputs: { ...manifest.inputs, [edited]: "0:0" } }));
    await workerBundle(dir);
    expect(readManifest().inputs[edited]).not.toBe("0:0");
    expect(readManifest().inputs[edited]).toBe(manifest.inputs[edited]);
  }, 60_000);
});
