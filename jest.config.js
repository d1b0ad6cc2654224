/** Jest runs TypeScript transpile-only; `npm run typecheck` type-checks once for the whole tree. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  testTimeout: 120000,
  // Plans of the shipped project are shared across test files (tests/helpers/sharedPlan.ts).
  globalSetup: "<rootDir>/tests/helpers/globalSetup.ts",
};
