/**
 * Commands of the spine workloads from the ENTRYPOINT_* handles (TO_PIN until the application image's entrypoint
 * matrix is proven, phase P(-1)). A handle that covers several workers (for example ENTRYPOINT_DECISION_LANE_WORKER:
 * DL, DF, AL, DLA) is pinned as its commands separated by `;`; each workload takes the command that runs its module.
 */

/** The command of `module` in a pinned handle value, split into argv; throws naming the handle when absent. */
export function commandFor(handle: string, pinned: string, module: string): string[] {
  const commands = pinned
    .split(";")
    .map((c) => c.trim())
    .filter((c) => c !== "");
  const argvs = commands.map((c) => c.split(/\s+/));
  const match = argvs.filter((argv) => argv.includes(module));
  if (match.length === 1) return match[0];
  if (match.length === 0 && argvs.length === 1 && !argvs[0].some((t) => /^[a-z_]+(\.[a-z_]+)+$/.test(t))) return argvs[0];
  throw new Error(
    `${handle}: expected exactly one command running ${module} in the pinned value ${JSON.stringify(pinned)} ` +
      `(commands separated by ";", e.g. "python -m ${module}"), found ${match.length}`,
  );
}
