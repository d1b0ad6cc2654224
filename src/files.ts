/**
 * File writes that never leave a half-written file: content goes to a temporary file in the same directory and
 * is renamed into place. `exclusive` refuses to replace an existing file (evidence is append-only).
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Stable JSON text: 2-space indent, trailing newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function writeFileAtomic(file: string, content: string | Buffer | object, options: { exclusive?: boolean } = {}): string {
  const data = typeof content === "string" || Buffer.isBuffer(content) ? content : jsonText(content);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  fs.writeFileSync(tmp, data, { flag: "wx" });
  try {
    if (options.exclusive) {
      // link() fails if the target exists: the check and the write are one atomic step.
      fs.linkSync(tmp, file);
      fs.unlinkSync(tmp);
    } else {
      fs.renameSync(tmp, file);
    }
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    if (options.exclusive && (e as NodeJS.ErrnoException).code === "EEXIST") {
      throw new Error(`${file} already exists and is never overwritten`, { cause: e });
    }
    throw e;
  }
  return file;
}

/**
 * A file's version as far as a cache needs it (modification time and size), so a process that outlives an edit reads
 * the file again; undefined for a file that cannot be read (its reader reports why).
 */
export function fileStamp(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return undefined;
  }
}
