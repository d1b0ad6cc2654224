#!/usr/bin/env node
// The `fraud-platform` command: runs the TypeScript CLI through tsx (no build step).
require("tsx/cjs");
const { main } = require("../src/cli/main.ts");
const { reportInternalError } = require("../src/cli/exitCodes.ts");
// main() resolves to the exit code of the contract (0 / 1 / 2 / 3); a rejection is an internal error too.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(reportInternalError(e, process.argv.slice(2)));
    process.exit(3);
  },
);
