/**
 * Errors that name the file, the key, what was expected and what was found, so a user can fix bad input
 * without reading code. Every error of the config, registry and policy-config loaders is one of these.
 */
export interface InputProblem {
  /** File the bad value came from (relative to the project root where possible). */
  file: string;
  /** Dotted key inside that file. */
  key: string;
  /** What the loader expected. */
  expected: string;
  /** What it found (already rendered). */
  found: string;
  /** Optional one-line fix. */
  fix?: string;
}

export function renderProblem(p: InputProblem): string {
  const fix = p.fix ? `\n    fix: ${p.fix}` : "";
  return `${p.file}: ${p.key}: expected ${p.expected}, found ${p.found}${fix}`;
}

/**
 * Bad input or usage (a flag, a file, a directory the user named): the CLI maps every subclass to exit 2 in one
 * place (`src/cli/exitCodes.ts`) and prints its message, never a stack trace.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad configuration or registry input. `problems` lists every problem found, not only the first. */
export class InputError extends UsageError {
  constructor(
    readonly summary: string,
    readonly problems: readonly InputProblem[],
  ) {
    super(`${summary}\n${problems.map((p) => `  - ${renderProblem(p)}`).join("\n")}`);
  }
}

/** Asking for a handle whose registry status is TO_PIN: the program must stop (fail closed). */
export class UnpinnedHandleError extends Error {
  constructor(
    readonly handle: string,
    readonly pinCommand: string,
  ) {
    super(`handle ${handle} is TO_PIN in registry/handles.yaml, so nothing that needs it may be created. ` + `Pin it for this environment with: ${pinCommand}`);
    this.name = "UnpinnedHandleError";
  }
}

/** Renders any found value compactly for an error message. */
export function renderFound(value: unknown): string {
  if (value === undefined) return "nothing (key missing)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Zod's "Invalid input: expected number, received string" -> "number"; custom messages pass through. */
export function expectedOf(message: string): string {
  const m = /^Invalid input: expected ([^,]+)/.exec(message);
  return m ? m[1] : message;
}

/** The value at a key path of parsed input (undefined when the path does not exist), for "found ..." messages. */
export function valueAt(root: unknown, keyPath: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const k of keyPath) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}
