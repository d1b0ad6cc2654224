/**
 * The destroy path through the Automation API against a fake `pulumi` on PATH that records its calls: the stacks
 * are destroyed in reverse apply order with `--exclude-protected`, a stack that does not exist is skipped, and a
 * failing destroy stops the sequence with exit 1 before any scan. A real run refuses to start without
 * `--confirm <env>`.
 */
import * as path from "path";
import { main } from "../../src/cli/main";
import { TeardownUsageError, runTeardown } from "../../src/cli/teardownCommand";
import { destroyStacks } from "../../src/teardown/destroy";
import { calls, cleanAccount, dirtyAccount, fakePulumiForDestroy, readabilityMocks, tmpDir } from "./fakes";

const ALL = ["dev-full-core", "dev-full-streaming", "dev-full-runtime", "dev-full-data-ml", "dev-full-ops"];
const REVERSE = ["dev-full-ops", "dev-full-data-ml", "dev-full-runtime", "dev-full-streaming", "dev-full-core"];
const NOW = new Date("2026-03-01T11:00:00Z");

let savedPath: string | undefined;
beforeEach(() => {
  savedPath = process.env.PATH;
});
afterEach(() => {
  process.env.PATH = savedPath;
});

function onPath(fake: { bin: string }): void {
  process.env.PATH = `${fake.bin}${path.delimiter}${savedPath ?? ""}`;
}

const destroys = (log: string) => calls(log).filter((c) => c[0] === "destroy");
const stackOf = (args: string[]) => args[args.indexOf("--stack") + 1];

describe("destroyStacks (Automation API)", () => {
  it("destroys ops, data-ml, runtime, streaming, core in that order, each with --exclude-protected", async () => {
    const fake = fakePulumiForDestroy(tmpDir("td-fake"), { stacks: ALL });
    const run = await destroyStacks({ env: "dev-full", pulumiRoot: fake.root, now: () => NOW });
    expect(run.ok).toBe(true);
    expect(run.results.map((r) => [r.order, r.stackName, r.status])).toEqual(REVERSE.map((s, i) => [i + 1, s, "destroyed"]));
    expect(run.results[0].resourceChanges).toEqual({ delete: 3 });
    const d = destroys(fake.log);
    expect(d.map(stackOf)).toEqual(REVERSE);
    for (const args of d) expect(args).toEqual(expect.arrayContaining(["destroy", "--yes", "--skip-preview", "--exclude-protected"]));
    // Only the calls a destroy needs: version, select, destroy, history.
    expect(new Set(calls(fake.log).map((c) => (c[0] === "stack" ? `stack ${c[1]}` : c[0])))).toEqual(
      new Set(["version", "stack select", "destroy", "stack history"]),
    );
  });

  it("skips a stack that does not exist (already destroyed / never applied)", async () => {
    const fake = fakePulumiForDestroy(tmpDir("td-fake"), { stacks: ALL.filter((s) => s !== "dev-full-ops") });
    const run = await destroyStacks({ env: "dev-full", pulumiRoot: fake.root, now: () => NOW });
    expect(run.ok).toBe(true);
    expect(run.results[0]).toMatchObject({ stackName: "dev-full-ops", status: "absent" });
    expect(destroys(fake.log).map(stackOf)).toEqual(REVERSE.slice(1));
  });

  it("stops at the first failing destroy: nothing below it is touched", async () => {
    const fake = fakePulumiForDestroy(tmpDir("td-fake"), { stacks: ALL, failing: ["dev-full-runtime"] });
    const run = await destroyStacks({ env: "dev-full", pulumiRoot: fake.root, now: () => NOW });
    expect(run.ok).toBe(false);
    expect(run.results.map((r) => [r.stackName, r.status])).toEqual([
      ["dev-full-ops", "destroyed"],
      ["dev-full-data-ml", "destroyed"],
      ["dev-full-runtime", "failed"],
      ["dev-full-streaming", "skipped"],
      ["dev-full-core", "skipped"],
    ]);
    expect(run.results[2].message).toMatch(/Cannot delete protected Cluster/);
    expect(destroys(fake.log).map(stackOf)).toEqual(["dev-full-ops", "dev-full-data-ml", "dev-full-runtime"]);
  });
});

describe("npm run teardown (real run)", () => {
  it("refuses to start without --confirm naming the environment (exit 2), before any pulumi call", async () => {
    const fake = fakePulumiForDestroy(tmpDir("td-fake"), { stacks: ALL });
    onPath(fake);
    const errors: string[] = [];
    const spy = jest.spyOn(console, "error").mockImplementation((m: string) => void errors.push(m));
    try {
      expect(await main(["teardown"])).toBe(2);
      expect(await main(["teardown", "--confirm", "dev-ful"])).toBe(2);
      expect(await main(["teardown", "--dry-run", "--confirm", "dev-full"])).toBe(2);
      expect(await main(["teardown", "--scan-only", "--mode", "sideways"])).toBe(2);
    } finally {
      spy.mockRestore();
      process.exitCode = undefined;
    }
    expect(errors[0]).toBe("error: refusing to destroy dev-full without confirmation: pass --confirm dev-full (or --dry-run to see the plan first)");
    expect(errors[1]).toMatch(/--confirm dev-ful does not name the environment being destroyed \(dev-full\)/);
    expect(errors[2]).toMatch(/no meaning with --dry-run/);
    expect(errors[3]).toMatch(/--mode sideways: expected one of teardown, idle/);
    expect(calls(fake.log)).toEqual([]);
    await expect(runTeardown({ env: "dev-full" })).rejects.toThrow(TeardownUsageError);
  });

  it("destroys in reverse order, then scans a clean account and checks the retained surfaces: exit 0", async () => {
    const fake = fakePulumiForDestroy(tmpDir("td-fake"), { stacks: ALL });
    onPath(fake);
    const scan = cleanAccount();
    const readable = readabilityMocks("readable");
    const out: string[] = [];
    const code = await runTeardown(
      { env: "dev-full", confirm: "dev-full", evidence: false, fromPlan: tmpDir("td-noplan") },
      { scanClients: scan.clients, readabilityClients: readable.clients, now: NOW, print: (t) => void out.push(t) },
    );
    expect(code).toBe(0);
    expect(destroys(fake.log).map(stackOf)).toEqual(REVERSE);
    const text = out.join("\n");
    expect(text).toMatch(/\[dev-full-ops\] Destroying \(dev-full-ops\)/);
    expect(text).toMatch(/residual_item_count 0; scan complete; retained surfaces readable/);
    // The platform key was resolved through its alias and retained, not reported.
    expect(text).toMatch(/retained \(8\): .*platform KMS key/);
    expect(text).not.toMatch(/residuals \(/);
  });

  it("exits 1 without scanning when a destroy fails", async () => {
    const fake = fakePulumiForDestroy(tmpDir("td-fake"), { stacks: ALL, failing: ["dev-full-streaming"] });
    onPath(fake);
    const scan = cleanAccount();
    const readable = readabilityMocks("readable");
    const out: string[] = [];
    const code = await runTeardown(
      { env: "dev-full", confirm: "dev-full", fromPlan: tmpDir("td-noplan") },
      { scanClients: scan.clients, readabilityClients: readable.clients, now: NOW, print: (t) => void out.push(t) },
    );
    expect(code).toBe(1);
    expect(destroys(fake.log).map(stackOf)).toEqual(["dev-full-ops", "dev-full-data-ml", "dev-full-runtime", "dev-full-streaming"]);
    expect(out.join("\n")).toMatch(/teardown stopped at dev-full-streaming/);
    expect(scan.tagging.calls()).toHaveLength(0);
    expect(readable.s3.calls()).toHaveLength(0);
  });

  it("exits 1 when residuals remain after the destroy", async () => {
    const fake = fakePulumiForDestroy(tmpDir("td-fake"), { stacks: ALL });
    onPath(fake);
    const out: string[] = [];
    const code = await runTeardown(
      { env: "dev-full", confirm: "dev-full", evidence: false, fromPlan: tmpDir("td-noplan") },
      { scanClients: dirtyAccount().clients, readabilityClients: readabilityMocks("readable").clients, now: NOW, print: (t) => void out.push(t) },
    );
    expect(code).toBe(1);
    expect(out.join("\n")).toMatch(/residuals \(13\):/);
  });
});
