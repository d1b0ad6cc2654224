#!/usr/bin/env node
// The `fraud-platform` command: runs the TypeScript CLI through tsx (no build step).
require("tsx/cjs");
const { main } = require("../src/cli/main.ts");
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
