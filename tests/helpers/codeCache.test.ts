import * as vm from "vm";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { installCodeCache } = require("./codeCache") as {
  installCodeCache(v: Pick<typeof vm, "compileFunction">): { hits: number; misses: number; rejected: number };
};

/** A vm module of its own, so the test sees only its own compiles. */
const freshVm = () => ({ compileFunction: vm.compileFunction });

describe("jest's code cache across test files", () => {
  it("compiles a module's source once with V8 and hands its code cache to the next compile of the same source", () => {
    const v = freshVm();
    const counts = installCodeCache(v);
    const source = "return a * 2 + (function helper() { return 1; })();";
    const first = v.compileFunction(source, ["a"], { parsingContext: vm.createContext({}) });
    const second = v.compileFunction(source, ["a"], { parsingContext: vm.createContext({}) });
    expect([first(20), second(20)]).toEqual([41, 41]);
    expect(counts).toEqual({ hits: 1, misses: 1, rejected: 0 });
    expect((second as unknown as { cachedDataRejected?: boolean }).cachedDataRejected).toBe(false);
  });

  it("compiles changed source, or the same source with other wrapper parameters, afresh", () => {
    const v = freshVm();
    const counts = installCodeCache(v);
    expect(v.compileFunction("return a + 1;", ["a"])(1)).toBe(2);
    expect(v.compileFunction("return a + 2;", ["a"])(1)).toBe(3);
    expect(v.compileFunction("return a + 1;", ["a", "b"])(1, 0)).toBe(2);
    expect(counts).toEqual({ hits: 0, misses: 3, rejected: 0 });
  });

  it("leaves a compile that brings or asks for cached data of its own to V8", () => {
    const v = freshVm();
    const counts = installCodeCache(v);
    const fn = v.compileFunction("return 7;", [], { produceCachedData: true });
    expect(fn()).toBe(7);
    expect(counts).toEqual({ hits: 0, misses: 0, rejected: 0 });
  });

  it("is installed in this jest worker: the environment compiled this file's modules through it", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const workerVm = require("vm") as Record<symbol, { hits: number; misses: number } | undefined>;
    const counts = workerVm[Symbol.for("fraud-platform.jestCodeCache")];
    expect(counts).toBeDefined();
    expect(counts!.hits + counts!.misses).toBeGreaterThan(0);
  });
});
