/**
 * Stack positions mapped back to their sources with the source map each file names, looked up on demand: what
 * `pulumi up` does through ts-node's source-map-support. The plan worker runs its bundle (`src/bundles.ts`)
 * without Node's `--enable-source-maps`, which would read and index the source map of every module the process
 * loads (the provider SDKs ship one per file; about a second of a worker's start) and would also name anonymous
 * frames that the real runtime leaves without a position. Here only the files of the positions asked for are
 * mapped: a resource's source position (the recording monitor maps it; the stack resource's is in the SDK's own
 * `runtime/stack.js`) and the frames of a failure's stack trace (the worker maps them before reporting).
 */
import * as fs from "fs";
import * as path from "path";
import { fileURLToPath } from "url";
import { TraceMap, originalPositionFor } from "@jridgewell/trace-mapping";

export interface Position {
  file: string;
  /** 1-based, as in a stack trace. */
  line: number;
  /** 1-based, as in a stack trace. */
  column: number;
}

/** Each file's source map (undefined: the file names none, or it cannot be read). */
const maps = new Map<string, TraceMap | undefined>();

const MAP_COMMENT = /\/\/[#@] sourceMappingURL=([^\s'"]+)\s*$/;

function mapOf(file: string): TraceMap | undefined {
  if (maps.has(file)) return maps.get(file);
  let map: TraceMap | undefined;
  try {
    const text = fs.readFileSync(file, "utf8");
    const url = MAP_COMMENT.exec(text.slice(-4096))?.[1];
    if (url?.startsWith("data:")) {
      const comma = url.indexOf(",");
      const body = url.slice(comma + 1);
      map = new TraceMap(url.slice(0, comma).endsWith(";base64") ? Buffer.from(body, "base64").toString("utf8") : decodeURIComponent(body), file);
    } else if (url) {
      const mapFile = url.startsWith("file:") ? fileURLToPath(url) : path.resolve(path.dirname(file), url);
      map = new TraceMap(fs.readFileSync(mapFile, "utf8"), mapFile);
    }
  } catch {
    map = undefined;
  }
  maps.set(file, map);
  return map;
}

/** Where a position of a generated file comes from; a position without a source map, as it is. */
export function originalPosition(p: Position): Position {
  const map = path.isAbsolute(p.file) ? mapOf(p.file) : undefined;
  if (!map) return p;
  const found = originalPositionFor(map, { line: p.line, column: p.column - 1 });
  if (found.source === null || found.line === null || found.column === null) return p;
  const source = found.source.startsWith("file:") ? fileURLToPath(found.source) : path.resolve(found.source);
  return { file: source, line: found.line, column: found.column + 1 };
}

/** A stack trace with every frame of a generated file (the plan worker's bundle, a package's output) mapped. */
export function mapStack(stack: string): string {
  return stack.replace(/(\/[^\s():]+):(\d+):(\d+)/g, (whole, file: string, line: string, column: string) => {
    const o = originalPosition({ file, line: Number(line), column: Number(column) });
    return o.file === file && o.line === Number(line) ? whole : `${o.file}:${o.line}:${o.column}`;
  });
}
