/**
 * One computation shared by every jest worker of a run: the first caller of a directory computes, the others wait
 * for its result file. A failure is visible to every waiter at once: the computing worker writes its error (with
 * the message and stack) next to where the result would be, and a waiter also fails as soon as the computing
 * process is gone without leaving either file (killed, crashed). The wait limit only covers a computation that
 * hangs.
 */
import * as fs from "fs";
import * as path from "path";

export interface SharedOnceOptions {
  /** How long a waiter waits for a computation that neither finishes nor fails (default 10 minutes). */
  waitMs?: number;
  /** How often a waiter looks (default 200 ms). */
  pollMs?: number;
}

const RESULT = "result.json";
const ERROR = "error.txt";
const OWNER = "owner.pid";

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid of the process computing `dir`, once it has written it. */
function ownerOf(dir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dir, OWNER), "utf8"));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function waitFor<T>(dir: string, what: string, options: SharedOnceOptions): Promise<T> {
  const resultFile = path.join(dir, RESULT);
  const errorFile = path.join(dir, ERROR);
  const deadline = Date.now() + (options.waitMs ?? 10 * 60 * 1000);
  for (;;) {
    if (fs.existsSync(resultFile)) return JSON.parse(fs.readFileSync(resultFile, "utf8")) as T;
    if (fs.existsSync(errorFile)) throw new Error(`${what} failed in another test worker:\n${fs.readFileSync(errorFile, "utf8")}`);
    const owner = ownerOf(dir);
    if (owner !== undefined && !alive(owner) && !fs.existsSync(resultFile) && !fs.existsSync(errorFile)) {
      throw new Error(`${what} was being computed by process ${owner}, which exited without a result or an error (${dir})`);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${dir})`);
    await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
  }
}

/**
 * The result of `compute`, computed once per `dir` across processes (`dir` must not exist before the first call).
 * The result must survive JSON; the computing caller gets the value itself, the others its JSON copy.
 */
export async function sharedOnce<T>(dir: string, what: string, compute: () => Promise<T>, options: SharedOnceOptions = {}): Promise<T> {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  try {
    fs.mkdirSync(dir); // atomic: the first caller computes, the others wait for its result
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return waitFor<T>(dir, what, options);
  }
  try {
    writeAtomic(path.join(dir, OWNER), String(process.pid));
    const result = await compute();
    writeAtomic(path.join(dir, RESULT), JSON.stringify(result));
    return result;
  } catch (e) {
    writeAtomic(path.join(dir, ERROR), e instanceof Error ? (e.stack ?? e.message) : String(e));
    throw e;
  }
}
