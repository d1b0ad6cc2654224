/**
 * Runs the case files (`*.cases.ts`) of a directory in one jest test file, each under a `describe` named after it.
 * Jest gives every test file its own module registry, so each file loads the Pulumi and policy SDKs again (about
 * 2.5 s of CPU); case files that only need those SDKs share one load. A case file holds ordinary `describe`/`it`
 * blocks; run one with `npx jest <dir> -t "<its describe name>"`.
 */
import * as fs from "fs";
import * as path from "path";

export function runCaseFiles(dir: string): void {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".cases.ts"))
    .sort();
  if (files.length === 0) throw new Error(`${dir}: no *.cases.ts files`);
  for (const file of files) {
    describe(file.replace(/\.cases\.ts$/, ""), () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(dir, file));
    });
  }
}
