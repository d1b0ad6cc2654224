import { execFileSync } from "child_process";
import { ARBORIST, LAZY_SDK_MODULES, TYPESCRIPT_SHIM, lazyModule, lazySdkFile } from "../src/lazySdk";
import { PROJECT_ROOT } from "../src/registry/registry";

describe("lazyModule", () => {
  it("loads nothing until a property is read, then loads once and forwards every read", () => {
    const load = jest.fn(() => ({ version: "1.2.3", create: (n: number) => n + 1 }));
    const m = lazyModule(load);
    expect(load).not.toHaveBeenCalled();
    // TypeScript's __importStar keeps an ES module as it is: the stand-in says it is one without loading.
    expect((m as unknown as { __esModule: boolean }).__esModule).toBe(true);
    expect(load).not.toHaveBeenCalled();
    expect(m.version).toBe("1.2.3");
    expect(m.create(1)).toBe(2);
    expect("create" in m).toBe(true);
    expect(Object.keys(m).sort()).toEqual(["create", "version"]);
    expect({ ...m }.version).toBe("1.2.3");
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("passes a failing load to the reader", () => {
    const m = lazyModule<{ x: number }>(() => {
      throw new Error("cannot load");
    });
    expect(() => m.x).toThrow("cannot load");
  });
});

describe("the SDK's eager requires", () => {
  it("name files that exist in the installed @pulumi/pulumi (an SDK update that moves them fails here)", () => {
    expect(lazySdkFile(TYPESCRIPT_SHIM)).toMatch(/@pulumi\/pulumi\/typescript-shim\.js$/);
    expect(lazySdkFile(ARBORIST)).toMatch(/@npmcli\/arborist\/lib\/index\.js$/);
    expect(LAZY_SDK_MODULES).toHaveLength(2);
  });

  it("under jest, map to stand-ins that are the real modules", async () => {
    // jest.config.js maps the SDK's own requests to tests/helpers/lazySdk.
    const shim = (await import("./helpers/lazySdk/typescriptShim")) as unknown as typeof import("typescript");
    expect(shim.version).toBe((await import("typescript")).version);
    const arborist = (await import("./helpers/lazySdk/arborist")) as unknown as { Arborist: unknown };
    expect(typeof arborist.Arborist).toBe("function");
  });

  it("in a Node process, load only when the SDK first serializes a function, and then work", () => {
    const script = `
      require("./src/installLazySdk");
      const pulumi = require("@pulumi/pulumi");
      const loaded = () => Object.keys(require.cache).filter((k) => /node_modules\\/(typescript|pacote)\\//.test(k)).length;
      const before = loaded();
      pulumi.runtime.serializeFunction(() => 42).then((f) => {
        console.log(JSON.stringify({ before, after: loaded(), text: f.text.includes("42") }));
      });`;
    const out = execFileSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: PROJECT_ROOT, encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ before: 0, after: 1, text: true });
  });
});
