/**
 * Jest transpiles TypeScript with SWC (no type checking; `npm run typecheck` type-checks the whole tree once).
 * Two workers on the 2-core box: the heavy files are the stack tests, which share plans (tests/helpers/sharedPlan.ts).
 */
module.exports = {
  // jest's Node environment; each worker keeps V8's code cache of the modules it compiles across test files.
  testEnvironment: "<rootDir>/tests/helpers/codeCacheEnvironment.js",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  // @pulumi/pulumi requires TypeScript and @npmcli/arborist as it loads, for closure serialization and code paths
  // that no test file calls: each file gets stand-ins that load them on first use (src/lazySdk.ts).
  moduleNameMapper: {
    "^(\\./|\\.\\./\\.\\./)typescript-shim$": "<rootDir>/tests/helpers/lazySdk/typescriptShim.ts",
    "^@npmcli/arborist$": "<rootDir>/tests/helpers/lazySdk/arborist.ts",
  },
  maxWorkers: 2,
  // On a run without timings (a fresh clone) the conformance files, the longest, start first.
  testSequencer: "<rootDir>/tests/helpers/sequencer.js",
  testTimeout: 120000,
  // Plans of the shipped project are shared across test files (tests/helpers/sharedPlan.ts).
  globalSetup: "<rootDir>/tests/helpers/globalSetup.ts",
  // ...and one warm plan worker pool for every test file's plans, stopped at the end.
  globalTeardown: "<rootDir>/tests/helpers/globalTeardown.ts",
};
