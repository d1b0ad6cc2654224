/**
 * Fake command-line tools (a fake `pulumi`) as POSIX shell scripts: the Automation API runs `pulumi` several times
 * per stack, and a shell starts in a millisecond where Node takes a tenth of a second. Each script logs its call
 * as a JSON array of its arguments (without `--non-interactive`) and may print JSON values, both through the
 * `json.awk` written beside it (one character at a time: no escapes of awk's own to get wrong).
 */
import * as fs from "fs";
import * as path from "path";

const JSON_AWK = String.raw`function esc(s,   out, i, c) {
  out = ""
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c == "\\") out = out "\\\\"; else if (c == "\"") out = out "\\\""; else if (c == "\n") out = out "\\n"; else out = out c
  }
  return "\"" out "\""
}
BEGIN {
  if (ARGV[1] == "--value") { printf "{\"value\":%s,\"secret\":false}\n", esc(ARGV[2]); exit }
  printf "["
  for (i = 1; i < ARGC; i++) printf "%s%s", (i > 1 ? "," : ""), esc(ARGV[i])
  printf "]\n"
}
`;

/** A string as one shell word. */
export const shellQuote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;

/**
 * Writes `<bin>/<name>`: a shell script that drops `--non-interactive`, logs its arguments to `log`, sets `$stack`
 * to the value of `--stack`, answers `version` (v3.150.0), then runs `body`, in which `@BIN@` is the quoted bin
 * directory (`awk -f @BIN@/json.awk -- --value V` prints `{"value":V,"secret":false}`) and each `@KEY@` of `words`
 * is that value as one quoted shell word.
 */
export function writeShellCli(bin: string, name: string, log: string, body: string, words: Record<string, string> = {}): string {
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, "json.awk"), JSON_AWK);
  let script = `#!/bin/sh
for a do shift; [ "$a" = "--non-interactive" ] || set -- "$@" "$a"; done
awk -f @BIN@/json.awk -- "$@" >> @LOG@
stack=; prev=
for a do [ "$prev" = "--stack" ] && stack=$a; prev=$a; done
[ "$1" = "version" ] && { echo "v3.150.0"; exit 0; }
${body}`;
  for (const [k, v] of Object.entries({ BIN: bin, LOG: log, ...words })) script = script.split(`@${k}@`).join(shellQuote(v));
  const file = path.join(bin, name);
  fs.writeFileSync(file, script, { mode: 0o755 });
  return file;
}

/** The calls a fake logged, in order: each call's arguments. */
export function calls(log: string): string[][] {
  return fs.existsSync(log)
    ? fs
        .readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string[])
    : [];
}
