/**
 * Where the evidence emitter reads stack outputs from, behind one interface:
 * - {@link PlanDirSource}: the files of the offline plan (`npm run plan`): `<stack>.outputs.json` (secrets already
 *   `"[secret]"`), `policy-report.json` and, when the cost model ran, `cost-report.json`;
 * - {@link PulumiStackSource}: real stacks through the Pulumi Automation API (`LocalWorkspace.selectStack` +
 *   `stack.outputs()`), read-only: it never runs up, refresh or destroy.
 * Secret outputs are redacted here, before anything else sees them; their plaintext is kept in memory only, so the
 * bundle writer can prove that no byte of a bundle carries one.
 */
import * as fs from "fs";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, StackNotFoundError } from "@pulumi/pulumi/automation";
import { z } from "zod";
import type { CostReport } from "../cost/report";
import { Layer, stackNameFor } from "../layers";
import { PROJECT_ROOT } from "../registry/registry";
import { PropertyMap, PropertyValue, REDACTED } from "../plan/previewDocument";
import { sha256Hex } from "./digest";
import { UsageError } from "../errors";
import { assertCompletePlanDir } from "../plan/planDir";

/** Outputs of one stack as the source saw them. */
export interface StackSnapshot {
  layer: Layer;
  stackName: string;
  /** Outputs with every secret replaced by `"[secret]"`; absent when the stack could not be read. */
  outputs?: PropertyMap;
  /** Why there are no outputs: the stack does not exist / was not planned, or it could not be read. */
  problem?: { kind: "absent" | "unreadable"; message: string };
}

/** A document read alongside the outputs (policy report, cost report), with where it came from. */
export interface SourceDocument<T> {
  document: T;
  /** File name or description of where it was read. */
  origin: string;
  sha256: string;
}

/** A policy report as `plan` and `policy-check --json` write it (only the fields the emitter relies on). */
export const policyReportSchema = z
  .object({
    violations: z.array(
      z
        .object({
          policy: z.string(),
          stack: z.string().optional(),
          urn: z.string().optional(),
          enforcementLevel: z.string(),
          message: z.string(),
        })
        .loose(),
    ),
    summary: z.object({ mandatory: z.number(), advisory: z.number() }).loose(),
  })
  .loose();
export type PolicyReportDocument = z.infer<typeof policyReportSchema>;

/** The parts of the cost report contract (src/cost/report.ts) the emitter reads; the rest is carried as is. */
const money = z.string().regex(/^-?\d+(\.\d+)?$/, "a decimal string");
export const costReportSchema = z
  .object({
    version: z.string(),
    currency: z.literal("USD"),
    env: z.string(),
    budget: z.object({ name: z.string(), limitUsd: money, alertThresholdsUsd: z.array(money) }).loose(),
    postures: z.object({
      alwaysOn: z.object({ monthlyCost: money, hourlyBurn: money, overBudget: z.boolean() }).loose(),
      proofWindow: z.object({ monthlyCost: money, hourlyBurn: money, overBudget: z.boolean() }).loose(),
      idleSafe: z.object({ monthlyCost: money, hourlyBurn: money, overBudget: z.boolean() }).loose(),
    }),
    confidence: z.string(),
  })
  .loose();

export interface SourceSnapshot {
  kind: "plan" | "stacks";
  /** Human description, e.g. `plan files in .substrate/plan/dev-full`. */
  description: string;
  env: string;
  stacks: StackSnapshot[];
  policyReport?: SourceDocument<PolicyReportDocument>;
  costReport?: SourceDocument<CostReport>;
  /** Digest of every input file read (plan source), for the record. */
  inputs: Array<{ name: string; sha256: string }>;
  /** Plaintext of secret outputs. In memory only: used to prove no bundle byte carries one. */
  secretValues: string[];
  /** Where recorded spend comes from when none is given (offline plan: zero spend, `offline-plan`). */
  defaultSpend?: { amount: string; sources: string[] };
}

/** A source of stack outputs for the evidence emitter. */
export interface OutputsSource {
  readonly kind: "plan" | "stacks";
  describe(): string;
  read(env: string, layers: readonly Layer[]): Promise<SourceSnapshot>;
}

/** A source that cannot be used at all (unreadable directory, no pulumi CLI): a usage problem, exit 2. */
export class SourceError extends UsageError {
  constructor(message: string) {
    super(message);
  }
}

function readJsonFile(file: string): { value: unknown; sha256: string } {
  const bytes = fs.readFileSync(file);
  return { value: JSON.parse(bytes.toString("utf8")) as unknown, sha256: sha256Hex(bytes) };
}

function isPropertyMap(value: unknown): value is PropertyMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function relToProject(p: string): string {
  const rel = path.relative(PROJECT_ROOT, p);
  if (rel === "") return ".";
  return rel.startsWith("..") || path.isAbsolute(rel) ? p : rel;
}

/** Reads an optional report file; a present but invalid file is an error, never silently skipped. */
export function readReport<T>(file: string, schema: z.ZodType<unknown>, what: string): SourceDocument<T> {
  let parsed: { value: unknown; sha256: string };
  try {
    parsed = readJsonFile(file);
  } catch (e) {
    throw new SourceError(`${relToProject(file)}: not a readable JSON ${what} (${(e as Error).message})`);
  }
  const result = schema.safeParse(parsed.value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SourceError(`${relToProject(file)}: not a ${what}: ${issue.path.map(String).join(".") || "(document)"}: ${issue.message}`);
  }
  return { document: parsed.value as T, origin: path.basename(file), sha256: parsed.sha256 };
}

/** The offline plan's output directory (`.substrate/plan/<env>/` by default). */
export class PlanDirSource implements OutputsSource {
  readonly kind = "plan" as const;

  constructor(readonly dir: string) {}

  describe(): string {
    return `plan files in ${relToProject(path.resolve(this.dir))}`;
  }

  async read(env: string, layers: readonly Layer[]): Promise<SourceSnapshot> {
    const dir = path.resolve(this.dir);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new SourceError(`--from-plan ${this.dir}: no such directory (run \`npm run plan\` first)`);
    }
    // Only one complete plan is evidence: a stopped, older or mixed directory is refused (exit 2).
    assertCompletePlanDir(dir, { flag: "--from-plan" });
    const inputs: SourceSnapshot["inputs"] = [];
    const stacks: StackSnapshot[] = layers.map((layer) => {
      const stackName = stackNameFor(env, layer);
      const file = path.join(dir, `${stackName}.outputs.json`);
      if (!fs.existsSync(file)) {
        return { layer, stackName, problem: { kind: "absent", message: `layer not planned: no ${path.basename(file)} in ${relToProject(dir)}` } };
      }
      try {
        const { value, sha256 } = readJsonFile(file);
        if (!isPropertyMap(value)) throw new Error("expected a JSON object of outputs");
        inputs.push({ name: path.basename(file), sha256 });
        return { layer, stackName, outputs: value };
      } catch (e) {
        return { layer, stackName, problem: { kind: "unreadable", message: `${path.basename(file)}: ${(e as Error).message}` } };
      }
    });
    const policyFile = path.join(dir, "policy-report.json");
    const costFile = path.join(dir, "cost-report.json");
    const policyReport = fs.existsSync(policyFile) ? readReport<PolicyReportDocument>(policyFile, policyReportSchema, "policy report") : undefined;
    const costReport = fs.existsSync(costFile) ? readReport<CostReport>(costFile, costReportSchema, "cost report") : undefined;
    for (const doc of [policyReport, costReport]) if (doc) inputs.push({ name: doc.origin, sha256: doc.sha256 });
    return {
      kind: "plan",
      description: this.describe(),
      env,
      stacks,
      policyReport,
      costReport,
      inputs: inputs.sort((a, b) => a.name.localeCompare(b.name)),
      secretValues: [],
      defaultSpend: { amount: "0.0000", sources: ["offline-plan"] },
    };
  }
}

export interface PulumiStackSourceOptions {
  /** Directory holding Pulumi.yaml (default: the repository root). */
  workDir?: string;
  /** Root of a Pulumi CLI installation (`<root>/bin/pulumi`); default: `pulumi` on PATH. */
  pulumiRoot?: string;
  /** Extra environment for the CLI (e.g. PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE). */
  envVars?: Record<string, string>;
}

/**
 * Secret strings short enough to occur by chance in unrelated bytes ("true", a port) are not searched for; they
 * are still redacted like every secret.
 */
export const MIN_SCANNED_SECRET_LENGTH = 8;

/** String leaves of a secret output, so a leak of any part of it can be detected. */
function secretLeaves(value: PropertyValue, out: string[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) value.forEach((v) => secretLeaves(v, out));
  else if (typeof value === "object") Object.values(value).forEach((v) => secretLeaves(v, out));
  else if (typeof value === "string" && value.length >= MIN_SCANNED_SECRET_LENGTH) out.push(value);
}

/**
 * Real stacks through the Automation API. Each `<env>-<layer>` stack is selected in `workDir` and its outputs are
 * read with `stack.outputs()` (`pulumi stack output --json [--show-secrets]`). Pulumi marks an output secret as a
 * whole when any part of it is secret, so redacting flagged outputs redacts every secret.
 */
export class PulumiStackSource implements OutputsSource {
  readonly kind = "stacks" as const;

  constructor(readonly options: PulumiStackSourceOptions = {}) {}

  describe(): string {
    return `stack outputs via the Pulumi Automation API in ${relToProject(path.resolve(this.options.workDir ?? PROJECT_ROOT))}`;
  }

  async read(env: string, layers: readonly Layer[]): Promise<SourceSnapshot> {
    const workDir = path.resolve(this.options.workDir ?? PROJECT_ROOT);
    let pulumiCommand: PulumiCommand;
    try {
      pulumiCommand = await PulumiCommand.get({ root: this.options.pulumiRoot });
    } catch (e) {
      throw new SourceError(`--from-stacks: cannot run the pulumi CLI (${firstLine(e)}); install it or put it on PATH`);
    }
    const secretValues: string[] = [];
    const stacks: StackSnapshot[] = [];
    for (const layer of layers) {
      const stackName = stackNameFor(env, layer);
      try {
        const stack = await LocalWorkspace.selectStack({ stackName, workDir }, { pulumiCommand, envVars: this.options.envVars });
        const raw = await stack.outputs();
        const outputs: PropertyMap = {};
        for (const [key, out] of Object.entries(raw)) {
          const value = out.value as PropertyValue;
          if (out.secret) {
            secretLeaves(value, secretValues);
            outputs[key] = REDACTED;
          } else {
            outputs[key] = value;
          }
        }
        stacks.push({ layer, stackName, outputs });
      } catch (e) {
        stacks.push(
          e instanceof StackNotFoundError
            ? { layer, stackName, problem: { kind: "absent", message: `stack ${stackName} does not exist (not applied)` } }
            : { layer, stackName, problem: { kind: "unreadable", message: `stack ${stackName}: ${firstLine(e)}` } },
        );
      }
    }
    return { kind: "stacks", description: this.describe(), env, stacks, inputs: [], secretValues: [...new Set(secretValues)] };
  }
}

/** The telling line of a CLI error (the Automation API's message is `code: / stdout: / stderr: / err?:` lines). */
function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const stderr = lines.map((l) => /^stderr:\s*(.+)$/.exec(l)?.[1]).find((l): l is string => Boolean(l));
  return stderr ?? lines.find((l) => /error/i.test(l)) ?? lines[0] ?? "unknown error";
}
