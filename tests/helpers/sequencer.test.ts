import * as path from "path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Sequencer = require("./sequencer") as new (options: object) => { sort(tests: FakeTest[]): FakeTest[] };

interface FakeTest {
  path: string;
  duration?: number;
  context: { config: { cache: boolean }; hasteFS: { getSize(p: string): number } };
}

const root = path.join(path.sep, "repo", "tests");
const sizes: Record<string, number> = {};
/** A test file as jest hands it to the sequencer; no timings (jest's cache is off), so jest orders by size. */
const test = (rel: string, size: number): FakeTest => {
  const p = path.join(root, rel);
  sizes[p] = size;
  return { path: p, context: { config: { cache: false }, hasteFS: { getSize: (f) => sizes[f] ?? 0 } } };
};
const order = (tests: FakeTest[]) => new Sequencer({}).sort(tests).map((t) => path.relative(root, t.path));

describe("the test order on a run without timings (a fresh clone)", () => {
  it("starts the conformance files first, then jest's own order (largest file first)", () => {
    const tests = [
      test("cost/model.test.ts", 9_000),
      test("conformance/programs.test.ts", 7_000),
      test("cli/inputFuzz.test.ts", 12_000),
      test("conformance/analyzer.test.ts", 11_000),
    ];
    expect(order(tests)).toEqual([
      path.join("conformance", "analyzer.test.ts"),
      path.join("conformance", "programs.test.ts"),
      path.join("cli", "inputFuzz.test.ts"),
      path.join("cost", "model.test.ts"),
    ]);
  });

  it("keeps jest's order for the other files", () => {
    expect(order([test("a.test.ts", 1), test("b.test.ts", 3), test("c.test.ts", 2)])).toEqual(["b.test.ts", "c.test.ts", "a.test.ts"]);
  });
});
