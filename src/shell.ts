/**
 * Commands the CLI prints for the user to run: every argument is quoted for bash where it needs it, so that
 * `P(-1)`, `<value>` or a path with spaces pastes into a shell as one argument.
 */

/** One argument as bash reads it back unchanged: bare when it is only safe characters, else single-quoted. */
export function shellQuote(arg: string): string {
  if (arg !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A whole command line, each argument quoted by {@link shellQuote}. */
export function shellCommand(args: readonly string[]): string {
  return args.map(shellQuote).join(" ");
}
