/**
 * The one way a YAML input file is read and validated: {@link parseYamlFile} reads the file, parses it (a YAML
 * error keeps the parser's whole message, with line, column and the snippet it points at) and checks it against a
 * zod schema; every zod issue becomes an {@link InputProblem} naming the file, the key, what was expected and
 * what was found. An unknown key gets a "did you mean" from the keys the schema declares at that place, and the
 * source file that declares them.
 */
import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { diskMemo, packageVersion } from "./cache";
import { InputError, InputProblem, expectedOf, renderFound, valueAt } from "./errors";

export interface ZodProblemOptions {
  /** Prefix of every key (e.g. `fraud-platform:` for stack config). */
  keyPrefix?: string;
  /** Renders a key path for the user (default: dotted). */
  describePath?: (root: unknown, keyPath: readonly PropertyKey[]) => string;
  /** The source file that declares the keys at a path (for "no such key" messages). */
  declaredIn?: (keyPath: readonly PropertyKey[]) => string | undefined;
  /** The file a problem at this key path came from (default: the file being validated). */
  fileOf?: (keyPath: readonly PropertyKey[]) => string;
}

/** A path relative to `root` when it lies under it, else the path as given. */
export function relativeTo(root: string, file: string): string {
  const rel = path.relative(root, path.resolve(file));
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

/**
 * Parses YAML text; a syntax error is an {@link InputError} carrying every parser message whole. A text parsed
 * before (by any process of this project) is read back from the cache (`src/cache.ts`).
 */
export function parseYamlText(text: string, rel: string, what: string): unknown {
  return diskMemo("yaml", packageVersion("yaml"), text, () => parseYamlUncached(text, rel, what));
}

function parseYamlUncached(text: string, rel: string, what: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    // The first error whole (line, column, snippet); later ones usually follow from it.
    const more = doc.errors.length - 1;
    throw new InputError(`cannot parse ${what} ${rel}`, [
      {
        file: rel,
        key: "(document)",
        expected: "valid YAML",
        found: doc.errors[0].message.trimEnd().replace(/\n/g, "\n      "),
        fix: `correct the YAML of ${rel} at the line shown${more ? ` (the parser reports ${more} more error(s) after it, most often caused by this one)` : ""}`,
      },
    ]);
  }
  try {
    // Some problems surface only when the document is resolved (an alias without its anchor, an alias bomb).
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (e) {
    throw new InputError(`cannot parse ${what} ${rel}`, [
      {
        file: rel,
        key: "(document)",
        expected: "valid YAML",
        found: (e as Error).message,
        fix: `correct the YAML of ${rel} (anchors and aliases: every *alias needs an &anchor before it)`,
      },
    ]);
  }
}

/** Reads and parses a YAML file; a missing or unreadable file is an {@link InputError} too. */
export function readYamlFile(file: string, rel: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${what} ${rel}`, [
      {
        file: rel,
        key: "(file)",
        expected: `the ${what}`,
        found: code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory" : (code ?? (e as Error).message),
      },
    ]);
  }
  return parseYamlText(text, rel, what);
}

type Def = {
  type?: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
};
const defOf = (s: z.ZodType | undefined): Def => ((s as unknown as { _zod?: { def?: Def } })?._zod?.def ?? {}) as Def;

/** Unwraps optional/default/pipe wrappers down to the schema that decides the shape. */
function unwrap(s: z.ZodType | undefined): z.ZodType | undefined {
  for (let i = 0; i < 10 && s; i++) {
    const d = defOf(s);
    if (d.innerType) s = d.innerType;
    else if (d.type === "pipe" && d.in) s = d.in;
    else return s;
  }
  return s;
}

/** The keys an object schema declares at a key path (empty when the schema there is no object). */
export function keysAt(schema: z.ZodType, keyPath: readonly PropertyKey[]): string[] {
  let s = unwrap(schema);
  for (const k of keyPath) {
    const d = defOf(s);
    if (d.type === "object" && d.shape) s = unwrap(d.shape[String(k)]);
    else if (d.type === "array") s = unwrap(d.element);
    else if (d.type === "record") s = unwrap(d.valueType);
    else return [];
  }
  const d = defOf(s);
  return d.type === "object" && d.shape ? Object.keys(d.shape) : [];
}

/** Edit distance (insert, delete, substitute, adjacent swap), for "did you mean". */
function distance(a: string, b: string): number {
  const al = a.toLowerCase();
  const bl = b.toLowerCase();
  const d: number[][] = Array.from({ length: al.length + 1 }, (_, i) => [i, ...Array<number>(bl.length).fill(0)]);
  for (let j = 1; j <= bl.length; j++) d[0][j] = j;
  for (let i = 1; i <= al.length; i++) {
    for (let j = 1; j <= bl.length; j++) {
      const cost = al[i - 1] === bl[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && al[i - 1] === bl[j - 2] && al[i - 2] === bl[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[al.length][bl.length];
}

/** The known name closest to `name`, when it is close enough to be a misspelling. */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const dist = distance(name, k);
    if (dist < bestD) [best, bestD] = [k, dist];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** Every zod issue as an {@link InputProblem} (an unknown key gets "did you mean" and the declaring file). */
export function zodProblems(
  issues: readonly z.core.$ZodIssue[],
  raw: unknown,
  rel: string,
  schema: z.ZodType,
  options: ZodProblemOptions = {},
): InputProblem[] {
  const prefix = options.keyPrefix ?? "";
  const describe = options.describePath ?? ((_root: unknown, p: readonly PropertyKey[]) => p.map(String).join("."));
  return issues.flatMap((issue): InputProblem[] => {
    const fileOf = (p: readonly PropertyKey[]) => options.fileOf?.(p) ?? rel;
    if (issue.code === "unrecognized_keys") {
      const known = keysAt(schema, issue.path);
      const declared = options.declaredIn?.(issue.path);
      return issue.keys.map((k) => {
        const keyPath = [...issue.path, k];
        const guess = didYouMean(k, known);
        const where = declared ? ` (keys declared in ${declared})` : "";
        return {
          file: fileOf(keyPath),
          key: `${prefix}${describe(raw, keyPath)}`,
          expected: `one of the known keys${known.length ? `: ${known.join(", ")}` : ""}${where}`,
          found: `an unknown key ${JSON.stringify(k)}`,
          fix: guess ? `did you mean ${JSON.stringify(guess)}? rename the key` : `remove the key or correct its spelling${where}`,
        };
      });
    }
    const shown = describe(raw, issue.path);
    return [
      {
        file: fileOf(issue.path),
        key: `${prefix}${shown || "(document)"}`,
        expected: expectedOf(issue.message),
        found: renderFound(valueAt(raw, issue.path)),
      },
    ];
  });
}

/** Validates parsed input; throws an {@link InputError} listing every problem. */
export function validateInput<S extends z.ZodType>(schema: S, raw: unknown, rel: string, what: string, options: ZodProblemOptions = {}): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new InputError(`invalid ${[what, rel].filter(Boolean).join(" ")}`, zodProblems(result.error.issues, raw, rel, schema, options));
}

/**
 * Reads `file`, parses it as YAML and validates it against `schema`; `what` names the input in messages
 * ("handles registry"). Every problem names the file (relative to `root`), the key, what was expected and found.
 */
export function parseYamlFile<S extends z.ZodType>(schema: S, file: string, what: string, options: ZodProblemOptions & { root?: string } = {}): z.output<S> {
  const rel = options.root ? relativeTo(options.root, file) : file;
  return validateInput(schema, readYamlFile(file, rel, what), rel, what, options);
}
