/** Option helpers shared by the commands of the CLI. */
import * as path from "path";
import { PROJECT_ROOT } from "../registry/registry";

/** Commander accumulator for repeatable options. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Where `plan` writes (and the other commands read) an environment's plan files. */
export function defaultPlanDir(env: string, projectDir: string = PROJECT_ROOT): string {
  return path.join(projectDir, ".substrate", "plan", env);
}

/** `NAME=VALUE` options as a map; a value without a name or without a value is a usage error (`fail`). */
export function keyValuePairs(values: readonly string[], flag: string, example: string, fail: (message: string) => Error): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf("=");
    if (eq <= 0 || eq === v.length - 1) throw fail(`${flag} ${v}: expected ${example}`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}
