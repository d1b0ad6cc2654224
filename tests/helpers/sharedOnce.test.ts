import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { sharedOnce } from "./sharedOnce";

// Long enough that only the failure path (never the wait limit) can end a wait within these tests.
const LONG_WAIT = { waitMs: 5 * 60 * 1000, pollMs: 20 };

const freshDir = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "shared-once-")), "entry");

describe("sharedOnce", () => {
  it("computes once and hands every caller the result", async () => {
    const dir = freshDir();
    let calls = 0;
    const compute = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 50));
      return { value: 42 };
    };
    const [a, b] = await Promise.all([sharedOnce(dir, "the value", compute, LONG_WAIT), sharedOnce(dir, "the value", compute, LONG_WAIT)]);
    expect(calls).toBe(1);
    expect(a).toEqual({ value: 42 });
    expect(b).toEqual({ value: 42 });
  });

  it("shows the computing caller's failure, with its message, to a waiter at once", async () => {
    const dir = freshDir();
    const first = sharedOnce(dir, "the shared plan of core", async () => {
      await new Promise((r) => setTimeout(r, 50));
      throw new Error("stack core: registry handle MSK_CLUSTER_NAME is TO_PIN");
    });
    const started = Date.now();
    const waiter = sharedOnce(dir, "the shared plan of core", async () => ({}), LONG_WAIT);
    await expect(first).rejects.toThrow("MSK_CLUSTER_NAME is TO_PIN");
    await expect(waiter).rejects.toThrow(/the shared plan of core failed in another test worker:\n.*MSK_CLUSTER_NAME is TO_PIN/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("fails a waiter at once when the computing process failed (another process)", async () => {
    const dir = freshDir();
    const child = spawn(
      process.execPath,
      [
        "-e",
        `const fs=require("fs");const p=require("path");fs.mkdirSync(${JSON.stringify(dir)});fs.writeFileSync(p.join(${JSON.stringify(dir)},"owner.pid"),String(process.pid));setTimeout(()=>{fs.writeFileSync(p.join(${JSON.stringify(dir)},"error.txt"),"Error: plan of streaming threw");},300);`,
      ],
      { stdio: "ignore" },
    );
    // Listen for the exit now: the child may be gone before the waiter settles.
    const exited = new Promise((r) => child.once("exit", r));
    while (!fs.existsSync(dir)) await new Promise((r) => setTimeout(r, 10));
    await expect(sharedOnce(dir, "the shared plan of streaming", async () => ({}), LONG_WAIT)).rejects.toThrow("plan of streaming threw");
    await exited;
  });

  it("fails a waiter at once when the computing process is gone without a result or an error", async () => {
    const dir = freshDir();
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const pid = Number(gone.stdout);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "owner.pid"), String(pid));
    const started = Date.now();
    await expect(sharedOnce(dir, "the shared plan of ops", async () => ({}), LONG_WAIT)).rejects.toThrow(
      `computed by process ${pid}, which exited without a result or an error`,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("still times out a computation that hangs", async () => {
    const dir = freshDir();
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "owner.pid"), String(process.pid));
    await expect(sharedOnce(dir, "the hanging plan", async () => ({}), { waitMs: 100, pollMs: 20 })).rejects.toThrow("timed out waiting for the hanging plan");
  });
});
