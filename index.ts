/**
 * Pulumi entry point of the fraud-platform project: runs the program (`stacks/program.ts`) when it loads, and its
 * outputs become the stack's. (A program that fails while the module loads ends at once under `cmd/run`; the
 * same error thrown from an exported function kept the process 45 s instead of 2 s.)
 */
import { program } from "./stacks/program";

export = program();
