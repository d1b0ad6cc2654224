/**
 * Issue 16's bad inputs as a table: one row per input a new user tried. Each row runs the CLI in-process (`main`)
 * or the loader it reaches, and asserts the exit code, that the message names the file, the key and the fix, and
 * that the output directory is exactly as it was (same files, same bytes).
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { errorLine, exitCodeOf, EXIT } from "../../src/cli/exitCodes";
import { main, planLayers } from "../../src/cli/main";
import { InputError } from "../../src/errors";
import { loadEnvironment } from "../../src/config/environment";
import { PlanResult, runPlan } from "../../src/plan/engine";
import { formatPlanSummary } from "../../src/cli/format";
import { shellCommand, shellQuote } from "../../src/shell";
import { PLAN_MANIFEST_FILE, sealPlanDir } from "../../src/plan/planDir";
import { PROJECT_ROOT, parseRegistry } from "../../src/registry/registry";
import { stackConfigFor } from "../../src/plan/stackConfig";

const FIXTURES = path.resolve(__dirname, "../fixtures/previews");
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `bad-${prefix}-`));

/** Every file under `dir` with its SHA-256 (or "absent"), to prove a directory unchanged. */
function snapshot(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return { "": "absent" };
  if (!fs.statSync(dir).isDirectory()) return { "": createHash("sha256").update(fs.readFileSync(dir)).digest("hex") };
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${prefix}${e.name}/`);
      else
        out[`${prefix}${e.name}`] = createHash("sha256")
          .update(fs.readFileSync(path.join(d, e.name)))
          .digest("hex");
    }
  };
  walk(dir, "");
  return out;
}

/** A complete plan directory of the core and streaming fixtures (sealed as `plan` seals one). */
function completePlan(): string {
  const dir = tmp("plan");
  for (const stack of ["dev-full-core", "dev-full-streaming"])
    fs.copyFileSync(path.join(FIXTURES, `plan.${stack}.preview.json`), path.join(dir, `${stack}.preview.json`));
  fs.writeFileSync(path.join(dir, "dev-full-core.outputs.json"), "{}\n");
  fs.writeFileSync(
    path.join(dir, "policy-report.json"),
    JSON.stringify({ violations: [], summary: { policies: 1, resources: 1, mandatory: 0, advisory: 0, notApplicable: 0, byPolicy: {} } }),
  );
  sealPlanDir(dir, { env: "dev-full", layers: ["core", "streaming"] });
  return dir;
}

/** What a plan stopped half-way left before atomic output: previews and a policy report, no manifest. */
function stalePlan(): string {
  const dir = tmp("stale");
  fs.copyFileSync(path.join(FIXTURES, "plan.dev-full-core.preview.json"), path.join(dir, "dev-full-core.preview.json"));
  fs.writeFileSync(path.join(dir, "dev-full-core.outputs.json"), "{}\n");
  fs.writeFileSync(path.join(dir, "policy-report.json"), JSON.stringify({ violations: [], summary: { resources: 0 } }));
  return dir;
}

/** A complete plan with a preview from another run beside it. */
function mixedPlan(): string {
  const dir = completePlan();
  fs.copyFileSync(path.join(FIXTURES, "core.create.preview.json"), path.join(dir, "dev-full-ops.preview.json"));
  return dir;
}

interface Run {
  code: number;
  text: string;
}

async function cli(args: string[]): Promise<Run> {
  const lines: string[] = [];
  const log = jest.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.map(String).join(" ")));
  const err = jest.spyOn(console, "error").mockImplementation((...a: unknown[]) => void lines.push(a.map(String).join(" ")));
  try {
    const code = await main(args);
    return { code, text: lines.join("\n") };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

/** A copy of the project's stack files in a temporary project directory, with the shared file edited. */
function projectWith(edit: (shared: string) => string): string {
  const dir = tmp("project");
  for (const f of fs.readdirSync(PROJECT_ROOT).filter((n) => /^Pulumi\..*yaml$|^Pulumi\.yaml$/.test(n)))
    fs.copyFileSync(path.join(PROJECT_ROOT, f), path.join(dir, f));
  const shared = path.join(dir, "Pulumi.dev-full.yaml");
  fs.writeFileSync(shared, edit(fs.readFileSync(shared, "utf8")));
  return dir;
}

/** The InputError a loader throws, rendered as the CLI prints it, with its exit code. */
function loaderRun(fn: () => unknown): Run {
  try {
    fn();
  } catch (e) {
    return { code: exitCodeOf(e), text: errorLine(e, []) ?? "" };
  }
  throw new Error("expected the loader to refuse the input");
}

function envOf(projectDir: string, layer = "dev-full-core"): Run {
  return loaderRun(() => {
    const raw = stackConfigFor(projectDir, layer);
    loadEnvironment({ stackName: layer, layerConfig: raw.config, secretKeys: raw.secretKeys, projectDir });
  });
}

interface Row {
  input: string;
  /** Directory that must be unchanged (the plan's --out, the reader's input). */
  dir: () => string;
  run: (dir: string) => Promise<Run> | Run;
  code: number;
  /** The message names these: the file, the key, the fix. */
  says: RegExp[];
  /** And never says these (false or misleading errors). */
  never?: RegExp[];
}

const PINS = ["--pin", "AWS_BUDGET_NOTIFICATION_EMAIL=ops@example.com", "--pin", "ROLE_EKS_IRSA_LEARNING=fraud-platform-dev-full-irsa-learning"];

const rows: Row[] = [
  // 1. Half-written plans: a failed plan leaves the earlier complete plan as it was; readers refuse stale or mixed directories.
  {
    input: "a plan that stops on bad config (exit 2) over an earlier complete plan",
    dir: completePlan,
    run: async (out) => {
      const projectDir = projectWith((t) => t.replace(/vpcCidr: .*/, "vpcCidr: 10.70.0.0/33"));
      try {
        await runPlan({ env: "dev-full", layers: ["core", "streaming"], outDir: out, projectDir, closedWindowPlan: false });
      } catch (e) {
        return { code: exitCodeOf(e), text: errorLine(e, []) ?? "" };
      }
      return { code: 0, text: "planned" };
    },
    code: EXIT.badInput,
    says: [/Pulumi\.dev-full\.yaml: fraud-platform:network\.vpcCidr: expected an IPv4 CIDR block/, /nothing was planned or written/],
  },
  ...(["cost --from", "teardown --dry-run --from-plan", "evidence --phase P0 --from-plan", "policy-check", "pr-summary --base"] as const).flatMap(
    (reader): Row[] => {
      const args = (dir: string) => [
        ...reader.split(" "),
        dir,
        ...(reader.startsWith("pr-summary") ? ["--head", dir] : []),
        ...(reader.startsWith("evidence") ? ["--out", path.join(dir, "never")] : []),
      ];
      return [
        {
          input: `${reader} on a stopped plan's directory (no manifest)`,
          dir: stalePlan,
          run: (dir) => cli(args(dir)),
          code: EXIT.badInput,
          says: reader.startsWith("pr-summary")
            ? [/cost-report\.json/, /npm run plan/]
            : [/plan-manifest\.json: \(file\): expected the manifest a complete plan writes last/, /fix: run npm run plan -- --out/],
        },
        {
          input: `${reader} on a mixed directory (a preview of another run beside a complete plan)`,
          dir: mixedPlan,
          run: (dir) => cli(args(dir)),
          code: EXIT.badInput,
          says: reader.startsWith("pr-summary")
            ? [/cost-report\.json/]
            : [/dev-full-ops\.preview\.json: \(file\): expected only files of one plan/, /a mixed directory/, /fix: remove it, or run npm run plan/],
        },
      ];
    },
  ),
  {
    input: "evidence --from-plan on an empty directory (wrote a FAIL bundle)",
    dir: () => tmp("empty"),
    run: (dir) => cli(["evidence", "--phase", "P0", "--from-plan", dir, "--out", path.join(dir, "evidence")]),
    code: EXIT.badInput,
    says: [/plan-manifest\.json/, /an empty directory/, /fix: run npm run plan/],
  },
  // 2. Stack traces where exit 2 is documented.
  {
    input: "policy-check on steps of an unexpected shape (null step)",
    dir: () => {
      const dir = tmp("nullstep");
      fs.writeFileSync(path.join(dir, "p.json"), JSON.stringify({ steps: [null, { op: "create", urn: null }] }));
      return dir;
    },
    run: (dir) => cli(["policy-check", path.join(dir, "p.json")]),
    code: EXIT.badInput,
    says: [/p\.json: steps\[0\]: expected a step object, found null/, /steps\[1\]\.urn: expected the URN/],
    never: [/TypeError|internal error/],
  },
  {
    input: "cost on a directory of previews whose steps have an unexpected shape",
    dir: () => {
      const dir = tmp("badsteps");
      fs.writeFileSync(
        path.join(dir, "dev-full-core.preview.json"),
        JSON.stringify({ steps: [{ op: "create", urn: "urn:pulumi:dev-full-core::fraud-platform::aws:s3/bucket:Bucket::b", newState: null }] }),
      );
      return dir;
    },
    run: (dir) => cli(["cost", "--from", dir, "--out", path.join(dir, "never")]),
    code: EXIT.badInput,
    says: [/dev-full-core\.preview\.json: steps\[0\]\.newState: expected the resource's new state/],
    never: [/TypeError|internal error/],
  },
  {
    input: "a registry handle without status",
    dir: () => tmp("registry"),
    run: () =>
      loaderRun(() => {
        const text = fs.readFileSync(path.join(PROJECT_ROOT, "registry/handles.yaml"), "utf8");
        parseRegistry(text.replace(/^(\s+)status: pinned\n/m, ""), path.join(PROJECT_ROOT, "registry/handles.yaml"));
      }),
    code: EXIT.badInput,
    says: [/registry\/handles\.yaml: handles\[name=\w+\]\.status: expected/],
  },
  {
    input: "--out pointing at a file (EEXIST ... mkdir)",
    dir: () => {
      const file = path.join(tmp("outfile"), "plan.txt");
      fs.writeFileSync(file, "not a directory\n");
      return file;
    },
    run: (file) => cli(["plan", "--layers", "core", "--out", file, "--no-closed-window"]),
    code: EXIT.badInput,
    says: [/command line: --out: expected a directory/, /which is a file/, /fix: pass a directory/],
    never: [/EEXIST/],
  },
  // 3. Wrong or misleading messages.
  {
    input: "malformed YAML in the shared file (message cut off, then two false aws:region errors)",
    dir: () => projectWith((t) => t.replace("  fraud-platform:organization:", " fraud-platform:organization:")),
    run: (projectDir) => envOf(projectDir),
    code: EXIT.badInput,
    says: [
      /Pulumi\.dev-full\.yaml: \(document\): expected valid YAML/,
      /at line \d+, column \d+:\n/,
      /\^/,
      /fix: correct the YAML of Pulumi\.dev-full\.yaml at the line shown/,
    ],
    never: [/: aws:region: expected/],
  },
  {
    input: "a secure: value in the shared file (blamed on fraud-platform:pins, fix without --path and the stack)",
    dir: () => projectWith((t) => t.replace(/fraud-platform:pins:.*/, "fraud-platform:pins:\n    AWS_BUDGET_NOTIFICATION_EMAIL:\n      secure: v1:AAAA")),
    run: (projectDir) => envOf(projectDir, "dev-full-ops"),
    code: EXIT.badInput,
    says: [
      /Pulumi\.dev-full\.yaml: fraud-platform:pins\.AWS_BUDGET_NOTIFICATION_EMAIL: expected a plain value/,
      /fix: .*pulumi config set --secret --path fraud-platform:pins\.AWS_BUDGET_NOTIFICATION_EMAIL '<value>' --stack dev-full-ops/,
    ],
  },
  {
    input: "a misspelt --pin handle (blamed on the YAML files)",
    dir: () => path.join(tmp("pinout"), "plan"),
    run: (out) => cli(["plan", "--out", out, "--pin", "AWS_BUDGET_NOTIFICATON_EMAIL=ops@example.com"]),
    code: EXIT.badInput,
    says: [/command line: --pin AWS_BUDGET_NOTIFICATON_EMAIL: expected the name of a TO_PIN handle/, /fix: correct the handle name/],
    never: [/Pulumi\.dev-full/],
  },
  {
    input: "an unknown setting key (no did-you-mean)",
    dir: () => projectWith((t) => t.replace("fraud-platform:network:", "fraud-platform:netwrok:")),
    run: (projectDir) => envOf(projectDir),
    code: EXIT.badInput,
    says: [/Pulumi\.dev-full\.yaml: fraud-platform:netwrok: expected one of the known keys/, /fix: did you mean "network"\?/],
  },
  {
    input: "an unknown runtime key (pointed at src/config/settings.ts)",
    dir: () => projectWith((t) => t.replace(/^( {2}fraud-platform:runtime:\n)/m, "$1    sizez: {}\n")),
    run: (projectDir) => envOf(projectDir, "dev-full-runtime"),
    code: EXIT.badInput,
    says: [/fraud-platform:runtime\.sizez: expected one of the known keys: .* \(keys declared in src\/config\/runtimeSettings\.ts\)/],
  },
  // 4. Silent acceptance.
  {
    input: '--policy-config with enforcementLevel "bogus" (switched da-06 off)',
    dir: () => path.join(tmp("bogus"), "plan"),
    run: (out) => {
      const file = path.join(path.dirname(out), "policy.json");
      fs.writeFileSync(file, JSON.stringify({ "da-06-physical-names-from-registry": { enforcementLevel: "bogus" } }));
      return cli(["plan", "--out", out, "--policy-config", file, ...PINS]);
    },
    code: EXIT.badInput,
    says: [
      /policy\.json: da-06-physical-names-from-registry\.enforcementLevel: expected one of "advisory", "mandatory", "remediate", "disabled", found "bogus"/,
      /fix: set da-06-physical-names-from-registry\.enforcementLevel/,
    ],
  },
  {
    input: "an unknown policy in --policy-config (caught after core was written)",
    dir: completePlan,
    run: (out) => {
      const file = path.join(os.tmpdir(), `policy-unknown-${process.pid}.json`);
      fs.writeFileSync(file, JSON.stringify({ "da-06-physical-names": "mandatory" }));
      return cli(["plan", "--out", out, "--policy-config", file, ...PINS]);
    },
    code: EXIT.badInput,
    says: [/da-06-physical-names: expected the name of a policy in the pack/, /fix: did you mean "da-06-/],
  },
  {
    input: '--layers "" (planned every layer)',
    dir: completePlan,
    run: (out) => cli(["plan", "--layers", "", "--out", out]),
    code: EXIT.badInput,
    says: [
      /command line: --layers: expected a comma list of core, streaming, runtime, data_ml, ops, found "" \(no layer\)/,
      /fix: e\.g\. --layers core,streaming/,
    ],
  },
  {
    input: "--layers with an unknown layer",
    dir: completePlan,
    run: (out) => cli(["plan", "--layers", "core,runtme", "--out", out]),
    code: EXIT.badInput,
    says: [/--layers: .*"runtme" names no layer/, /fix:/],
  },
];

describe("bad inputs (issue 16): exit code, file, key and fix, output directory unchanged", () => {
  it.each(rows.map((r) => [r.input, r] as const))(
    "%s",
    async (_input, row) => {
      const dir = row.dir();
      const before = snapshot(dir);
      const { code, text } = await row.run(dir);
      expect({ code, text }).toEqual({ code: row.code, text: expect.any(String) });
      for (const re of row.says) expect(text).toMatch(re);
      for (const re of row.never ?? []) expect(text).not.toMatch(re);
      expect(text).not.toMatch(/\n\s+at .+:\d+:\d+\)?$/m); // no stack trace on the terminal
      expect(snapshot(dir)).toEqual(before);
    },
    60_000,
  );
});

describe("--layers plans the upstream layers the listed ones read", () => {
  it.each([
    ["runtime", ["core", "streaming", "runtime"], ["core", "streaming"]],
    ["ops", ["core", "streaming", "runtime", "data_ml", "ops"], ["core", "streaming", "runtime", "data_ml"]],
    ["core", ["core"], []],
  ])("--layers %s plans %j (adds %j)", (list, layers, added) => {
    expect(planLayers(list)).toEqual({ layers, added });
  });
});

describe("a complete plan directory is accepted", () => {
  it("policy-check DIR reads the plan's previews after checking the manifest", async () => {
    const dir = completePlan();
    expect(fs.existsSync(path.join(dir, PLAN_MANIFEST_FILE))).toBe(true);
    const { code } = await cli(["policy-check", dir]);
    expect([EXIT.clean, EXIT.violation]).toContain(code);
  }, 60_000);

  it("InputError is a UsageError: exit 2 in one place", () => {
    expect(exitCodeOf(new InputError("x", []))).toBe(EXIT.badInput);
    expect(exitCodeOf(new TypeError("x"))).toBe(EXIT.internal);
  });
});

describe("consistent output (issue 16, item 5)", () => {
  it("the plan table gives cross-stack violations their own row, so rows and summary agree", () => {
    const violation = (stack: string | undefined, enforcementLevel: "mandatory" | "advisory") => ({
      policy: "p",
      rule: "DA-25",
      stack,
      enforcementLevel,
      severity: "high" as const,
      message: "m\nd",
    });
    const policy = {
      violations: [violation(undefined, "mandatory"), violation("dev-full-core", "advisory")],
      summary: { policies: 1, resources: 1, mandatory: 1, advisory: 1, blindMandatory: 0, notApplicable: 0, byPolicy: {} },
    };
    const plan = { resources: [], outputs: {}, blockers: [] };
    const result = {
      outcomes: [{ layer: "core", stackName: "dev-full-core", status: "planned", plan, millis: 1 }],
      policy,
      upPolicy: policy,
      cost: { files: [], millis: 0 },
      blockers: [],
      exitCode: 1,
      files: [],
    };
    const text = formatPlanSummary(result as unknown as PlanResult, os.tmpdir(), 1);
    const rows = text.split("\n").filter((l) => /^dev-full-core|^\(cross-stack\)/.test(l));
    expect(rows.map((r) => r.split(/\s+/).slice(0, 6))).toEqual([
      ["dev-full-core", "ok", "0", "0", "0", "1"],
      ["(cross-stack)", "-", "-", "-", "1", "0"],
    ]);
    expect(text).toMatch(/1 mandatory, 1 advisory/);
  });

  it("the cost chart's axis reaches the budget line; always-on is information; envelopes name the proof-window posture", async () => {
    const dir = completePlan();
    const out = tmp("costout");
    const { code, text } = await cli(["cost", "--from", dir, "--out", out]);
    expect([EXIT.clean, EXIT.violation]).toContain(code);
    expect(text).not.toMatch(/always-on .*OVER BUDGET/);
    expect(text).toMatch(/always-on .*information/);
    const html = fs.readFileSync(path.join(out, "cost-summary.html"), "utf8");
    const ticks = [...html.matchAll(/text-anchor="end" font-size="11">(\d+(?:\.\d+)?)<\/text>/g)].map((m) => Number(m[1]));
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(300);
    expect(html).toMatch(/budget 300\.00 USD\/month \(whole environment\)/);
    expect(html).toMatch(/proof-window (within|over) envelope/);
  }, 60_000);

  it("printed commands paste into bash: P(-1) and placeholders are quoted", () => {
    expect(shellCommand(["npm", "run", "evidence", "--", "--phase", "P(-1)", "--from-plan", ".substrate/plan/dev-full"])).toBe(
      "npm run evidence -- --phase 'P(-1)' --from-plan .substrate/plan/dev-full",
    );
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});
