import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { calls, writeShellCli } from "./shellCli";

describe("shell fakes of command-line tools", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shell-cli-"));
  const log = path.join(dir, "calls.log");
  const cli = writeShellCli(path.join(dir, "bin"), "tool", log, 'awk -f @BIN@/json.awk -- --value "$1"; echo @WORD@\n', { WORD: "it's $HOME" });

  it("logs each call's arguments as a JSON array, exactly, without --non-interactive", () => {
    const args = ['a "quoted" \\ back', "two\nlines", "--non-interactive", "", "x=y", "--"];
    execFileSync(cli, args);
    const [logged] = calls(log);
    expect(logged).toEqual(args.filter((a) => a !== "--non-interactive"));
  });

  it("answers version itself, and gives the body the value of --stack", () => {
    expect(execFileSync(cli, ["version"]).toString()).toBe("v3.150.0\n");
    const stackCli = writeShellCli(path.join(dir, "bin"), "stack-tool", log, 'echo "[$stack]"\n');
    expect(execFileSync(stackCli, ["up", "--stack", "dev-full-core", "--yes"]).toString()).toBe("[dev-full-core]\n");
  });

  it("prints a JSON value and substitutes quoted words", () => {
    const [value, word] = execFileSync(cli, ['v"\\1']).toString().trim().split("\n");
    expect(JSON.parse(value)).toEqual({ value: 'v"\\1', secret: false });
    expect(word).toBe("it's $HOME");
  });
});
