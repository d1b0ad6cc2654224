/** Runs `fn`, which must throw an InputError, and renders each problem as `file: key: expected ..., found ...`. */
import { InputError } from "../../src/errors";

export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.problems.map((p) => `${p.file}: ${p.key}: expected ${p.expected}, found ${p.found}`);
    throw e;
  }
  throw new Error("expected an InputError");
}

/** {@link problemsOf} with each problem's fix on a second line (`\n    fix: ...`) where it has one. */
export function problemsWithFixOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError)
      return e.problems.map((p) => `${p.file}: ${p.key}: expected ${p.expected}, found ${p.found}${p.fix ? `\n    fix: ${p.fix}` : ""}`);
    throw e;
  }
  throw new Error("expected an InputError");
}
