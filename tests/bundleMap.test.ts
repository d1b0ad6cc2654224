import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { mapStack, originalPosition } from "../src/bundleMap";
import { bundle } from "../src/bundles";
import { PROJECT_ROOT } from "../src/registry/registry";

describe("positions mapped with each file's own source map", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-map-"));

  it("maps a package file through the map it links, as source-map-support does under pulumi up", () => {
    const stackJs = require.resolve("@pulumi/pulumi/runtime/stack.js");
    const line =
      fs
        .readFileSync(stackJs, "utf8")
        .split("\n")
        .findIndex((l) => l.includes("function runInPulumiStack")) + 1;
    const p = originalPosition({ file: stackJs, line, column: 1 });
    expect(path.basename(p.file)).toBe("stack.ts");
    expect(p.line).not.toBe(line);
  });

  it("maps an inline (data:) map, and leaves a file without one as it is", () => {
    // One generated line, mapped to line 3, column 5 of src.ts (VLQ: AAEI = col 0 -> source 0, line +2, col +4).
    const map = { version: 3, sources: ["src.ts"], names: [], mappings: "AAEI" };
    const gen = path.join(dir, "gen.js");
    fs.writeFileSync(gen, `x();\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString("base64")}\n`);
    expect(originalPosition({ file: gen, line: 1, column: 1 })).toEqual({ file: path.join(dir, "src.ts"), line: 3, column: 5 });
    const plain = path.join(dir, "plain.js");
    fs.writeFileSync(plain, "x();\n");
    expect(originalPosition({ file: plain, line: 1, column: 1 })).toEqual({ file: plain, line: 1, column: 1 });
    expect(originalPosition({ file: "relative.js", line: 1, column: 1 })).toEqual({ file: "relative.js", line: 1, column: 1 });
  });

  it("maps the plan worker bundle's frames in a stack trace to the project's .ts files", async () => {
    const file = await bundle("plan-worker", dir);
    const text = fs.readFileSync(file, "utf8").split("\n");
    const line = text.findIndex((l) => l.includes("function coreStack(")) + 1;
    expect(line).toBeGreaterThan(0);
    const column = text[line - 1].indexOf("function coreStack(") + 1;
    const mapped = mapStack(`Error: boom\n    at coreStack (${file}:${line}:${column})\n    at node:internal/x:1:1`);
    expect(mapped).toMatch(new RegExp(`at coreStack \\(${path.join(PROJECT_ROOT, "stacks", "core.ts").replace(/[/.]/g, "\\$&")}:\\d+:\\d+\\)`));
    expect(mapped).toContain("at node:internal/x:1:1");
  }, 60_000);
});
