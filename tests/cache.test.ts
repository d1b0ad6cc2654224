import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KEPT_PER_KIND, diskMemo, isJsonExact, packageVersion } from "../src/cache";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "disk-memo-"));

describe("diskMemo", () => {
  it("computes once per input and version, then reads the value back in place of computing", () => {
    const dir = tmp();
    let calls = 0;
    const compute = () => (calls++, { a: [1, "two", null, true] });
    expect(diskMemo("k", "v1", "input", compute, dir)).toEqual({ a: [1, "two", null, true] });
    expect(diskMemo("k", "v1", "input", compute, dir)).toEqual({ a: [1, "two", null, true] });
    expect(calls).toBe(1);
    diskMemo("k", "v2", "input", compute, dir);
    diskMemo("k", "v1", "other input", compute, dir);
    expect(calls).toBe(3);
    expect(fs.readdirSync(path.join(dir, "k"))).toHaveLength(3);
  });

  it("computes again over an entry it cannot parse", () => {
    const dir = tmp();
    diskMemo("k", "v", "x", () => 1, dir);
    const [entry] = fs.readdirSync(path.join(dir, "k"));
    fs.writeFileSync(path.join(dir, "k", entry), "{not json");
    expect(diskMemo("k", "v", "x", () => 2, dir)).toBe(2);
    expect(diskMemo("k", "v", "x", () => 3, dir)).toBe(2);
  });

  it("stores nothing when the computation throws: the error is the caller's every time", () => {
    const dir = tmp();
    const fail = () => {
      throw new Error("bad input");
    };
    expect(() => diskMemo("k", "v", "x", fail, dir)).toThrow("bad input");
    expect(() => diskMemo("k", "v", "x", fail, dir)).toThrow("bad input");
    expect(fs.existsSync(path.join(dir, "k"))).toBe(false);
  });

  it("never stores a value JSON cannot carry exactly", () => {
    const dir = tmp();
    for (const [i, value] of [Infinity, NaN, -0, new Date(0), new Map(), { nested: [undefined] }, { f: () => 1 }].entries()) {
      diskMemo("k", "v", String(i), () => value, dir);
    }
    expect(fs.existsSync(path.join(dir, "k"))).toBe(false);
    expect(isJsonExact({ a: [1, { b: "c" }], d: null })).toBe(true);
    expect(isJsonExact(JSON.parse('{"__proto__": 1}'))).toBe(false);
  });

  it("still returns the value where the directory cannot be written", () => {
    const file = path.join(tmp(), "a-file");
    fs.writeFileSync(file, "");
    expect(diskMemo("k", "v", "x", () => 5, file)).toBe(5);
  });

  it("keys a package's results by its installed version", () => {
    expect(packageVersion("yaml")).toBe(`yaml@${(JSON.parse(fs.readFileSync(require.resolve("yaml/package.json"), "utf8")) as { version: string }).version}`);
  });
});

describe("the cache's bound", () => {
  it("keeps the most recently used entries of a kind once it holds twice its bound", () => {
    const dir = tmp();
    const kindDir = path.join(dir, "k");
    const seen = new Set<string>();
    const fileOf: string[] = [];
    // Entries written an hour apart, oldest first; the first is read again at the end of each hour.
    for (let i = 0; i < 2 * KEPT_PER_KIND; i++) {
      diskMemo("k", "v", `input ${i}`, () => i, dir);
      const file = fs.readdirSync(kindDir).find((n) => !seen.has(n))!;
      seen.add(file);
      fileOf.push(file);
      const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i * 3600));
      fs.utimesSync(path.join(kindDir, file), at, at);
    }
    expect(diskMemo("k", "v", "input 0", () => -1, dir)).toBe(0); // used now: the newest of all
    expect(fs.readdirSync(kindDir)).toHaveLength(2 * KEPT_PER_KIND);
    diskMemo("k", "v", "one more", () => "x", dir);
    const left = new Set(fs.readdirSync(kindDir));
    expect(left.size).toBe(KEPT_PER_KIND);
    expect(left.has(fileOf[0])).toBe(true);
    expect(left.has(fileOf[1])).toBe(false);
    expect(left.has(fileOf[2 * KEPT_PER_KIND - 1])).toBe(true);
  });
});
