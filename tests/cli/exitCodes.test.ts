import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Command } from "commander";
import { EXIT, reportInternalError } from "../../src/cli/exitCodes";
import * as mainModule from "../../src/cli/main";
import { pinFormOf } from "../../src/registry/pinValues";
import { loadRegistry } from "../../src/registry/registry";

const quiet = () => ({
  err: jest.spyOn(console, "error").mockImplementation(() => undefined),
  log: jest.spyOn(console, "log").mockImplementation(() => undefined),
});

describe("exit-code contract", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exit-"));
  beforeEach(() => {
    process.env.FRAUD_PLATFORM_ERROR_DIR = dir;
  });
  afterEach(() => {
    delete process.env.FRAUD_PLATFORM_ERROR_DIR;
    jest.restoreAllMocks();
  });

  it("an internal error exits 3 with one line on stderr naming the file that holds the stack trace", async () => {
    const io = quiet();
    const broken = (): Command => {
      const program = mainModule.buildProgram();
      program.command("explode").action(() => {
        throw new TypeError("Cannot read properties of undefined (reading 'name')");
      });
      return program;
    };
    const code = await mainModule.main(["explode"], broken);
    expect(code).toBe(EXIT.internal);
    expect(io.err).toHaveBeenCalledTimes(1);
    const line = String(io.err.mock.calls[0][0]);
    expect(line.split("\n")).toHaveLength(1);
    const file = /stack trace: (.+)\)$/.exec(line)?.[1] ?? "";
    expect(line).toMatch(/^internal error: Cannot read properties of undefined \(reading 'name'\)/);
    const trace = fs.readFileSync(file, "utf8");
    expect(trace).toContain("fraud-platform explode");
    expect(trace).toMatch(/TypeError: Cannot read properties of undefined[\s\S]*\n\s+at /);
  });

  it("usage errors exit 2 and unknown commands or options exit 2", async () => {
    quiet();
    expect(await mainModule.main(["no-such-command"])).toBe(EXIT.badInput);
    expect(await mainModule.main(["policy-check"])).toBe(EXIT.badInput);
    expect(await mainModule.main(["plan", "--no-such-flag"])).toBe(EXIT.badInput);
  });

  it("a pin value without its handle's form exits 2 naming the key and the expected form", async () => {
    const io = quiet();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "bad-pin-"));
    expect(await mainModule.main(["plan", "--layers", "core", "--out", out, "--pin", "AWS_BUDGET_NOTIFICATION_EMAIL=not-an-email"])).toBe(EXIT.badInput);
    const printed = [...io.log.mock.calls, ...io.err.mock.calls].map((c) => String(c[0])).join("\n");
    // A flag's problem is the flag's (not the YAML files'), found before anything runs or is written.
    expect(printed).toMatch(
      /command line: --pin AWS_BUDGET_NOTIFICATION_EMAIL: expected an email address \(name@example\.com\), found "not-an-email"\n\s+fix: pin it to a value of that form, for example ops@example\.com/,
    );
    expect(fs.readdirSync(out)).toEqual([]);
  }, 120_000);

  it.each([
    [
      "a role ARN",
      "arn:aws:iam::123456789012:role/fraud-platform-dev-full-irsa-learning",
      /pin the role's name, not its ARN: fraud-platform-dev-full-irsa-learning/,
    ],
    ["a name with a space", "irsa learning", /for example fraud-platform-dev-full-irsa-learning/],
    ["a 65-character name", "r".repeat(65), /for example fraud-platform-dev-full-irsa-learning/],
  ])(
    "a role pin given %s exits 2 naming the key, the expected form and the fix",
    async (_what, value, fix) => {
      const io = quiet();
      const out = fs.mkdtempSync(path.join(os.tmpdir(), "bad-pin-"));
      expect(await mainModule.main(["plan", "--layers", "core", "--out", out, "--pin", `ROLE_EKS_IRSA_LEARNING=${value}`])).toBe(EXIT.badInput);
      const printed = [...io.log.mock.calls, ...io.err.mock.calls].map((c) => String(c[0])).join("\n");
      // The flag's problem (the value came from --pin, not from the YAML files).
      expect(printed).toContain(
        `command line: --pin ROLE_EKS_IRSA_LEARNING: expected an IAM role name (1-64 characters of A-Z a-z 0-9 + = , . @ _ -), found ${JSON.stringify(value)}`,
      );
      expect(printed).toMatch(fix);
    },
    120_000,
  );

  it("an entrypoint pin with a control character exits 2 naming the expected form", async () => {
    const io = quiet();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "bad-pin-"));
    expect(await mainModule.main(["plan", "--layers", "core", "--out", out, "--pin", "ENTRYPOINT_WSP=python -m x\ty"])).toBe(EXIT.badInput);
    const printed = [...io.log.mock.calls, ...io.err.mock.calls].map((c) => String(c[0])).join("\n");
    expect(printed).toMatch(/command line: --pin ENTRYPOINT_WSP: expected a command line \(one line, no control characters\)/);
  }, 120_000);

  it("every TO_PIN handle of the registry has a form its pin is checked against", () => {
    const unformed = loadRegistry()
      .handles.filter((h) => h.status === "TO_PIN" && !pinFormOf(h.name))
      .map((h) => h.name);
    expect(unformed).toEqual([]);
  });

  it("an error report that cannot be written still gives one line with the first stack frame", () => {
    const notADir = path.join(dir, "a-file");
    fs.writeFileSync(notADir, "");
    process.env.FRAUD_PLATFORM_ERROR_DIR = path.join(notADir, "errors");
    const line = reportInternalError(new Error("boom"), ["plan"]);
    expect(line).toMatch(/^internal error: boom \(at .+; the stack trace could not be written to .*a-file\/errors\//);
    expect(line.split("\n")).toHaveLength(1);
  });
});
