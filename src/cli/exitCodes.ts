/**
 * The exit-code contract every command of the CLI keeps:
 *   0 clean; 1 a mandatory violation or a blocker (the verdict is "no"); 2 bad input or usage (no verdict: fix the
 *   input named in the message); 3 internal error (a bug: one line on stderr, the stack trace in the file it names).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CommanderError } from "commander";
import { UsageError } from "../errors";

export const EXIT = { clean: 0, violation: 1, badInput: 2, internal: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export { UsageError };

/**
 * The exit code of an error a command threw: every {@link UsageError} (the input-error classes of the config,
 * registry, plan-directory, evidence and teardown readers extend it) is bad input, 2; commander's own usage
 * errors are 2 (0 for --help and --version); anything else is an internal error, 3.
 */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.clean : EXIT.badInput;
  if (error instanceof UsageError) return EXIT.badInput;
  return EXIT.internal;
}

/** The line(s) printed for an error (no stack trace): `error: <message>` for bad input, the report line otherwise. */
export function errorLine(error: unknown, argv: readonly string[]): string | undefined {
  const code = exitCodeOf(error);
  if (error instanceof CommanderError) return undefined; // commander printed its own message
  if (code === EXIT.badInput) return `error: ${(error as Error).message}`;
  return reportInternalError(error, argv);
}

/** Where internal-error reports go: `$FRAUD_PLATFORM_ERROR_DIR`, else `<tmp>/fraud-platform-errors`. */
export function errorReportDir(): string {
  return process.env.FRAUD_PLATFORM_ERROR_DIR ?? path.join(os.tmpdir(), "fraud-platform-errors");
}

/**
 * Writes an internal error's stack trace (with the command line) to a new file and returns the one line to print:
 * `internal error: <message> (stack trace: <file>)`. If even the file cannot be written, the line says so and
 * carries the first stack frame instead.
 */
export function reportInternalError(error: unknown, argv: readonly string[]): string {
  const e = error instanceof Error ? error : new Error(String(error));
  const firstLine = (e.message || e.name).split("\n")[0];
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = path.join(errorReportDir(), `${stamp}-${process.pid}.txt`);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `fraud-platform ${argv.join(" ")}\n\n${e.stack ?? `${e.name}: ${e.message}`}\n`);
    return `internal error: ${firstLine} (stack trace: ${file})`;
  } catch (writeError) {
    const frame =
      (e.stack ?? "")
        .split("\n")
        .find((l) => l.trim().startsWith("at "))
        ?.trim() ?? "no stack";
    return `internal error: ${firstLine} (${frame}; the stack trace could not be written to ${file}: ${(writeError as Error).message})`;
  }
}
