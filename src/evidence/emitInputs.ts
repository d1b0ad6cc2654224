/**
 * What an operator hands the evidence emitter besides the stacks: supplied evidence files (`--artifact KEY=FILE`),
 * the window's recorded spend (`--spend` or `--spend-file`), and policy or cost reports that replace the source's.
 * Bad input is an {@link EvidenceUsageError} (exit 2) naming the option and the fix.
 */
import * as fs from "fs";
import * as path from "path";
import { CostReport } from "../cost/report";
import { SpendRecord, spendFileSchema } from "./costPair";
import type { EmitOptions } from "./emit";
import { SuppliedEvidence } from "./gates";
import { PhaseLadder, PhaseSpec } from "./phases";
import { PolicyReportDocument, SourceDocument, SourceSnapshot, costReportSchema, policyReportSchema, readReport } from "./sources";
import { EvidenceUsageError } from "./usageError";

function safeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "");
  return cleaned || "evidence";
}

/** Reads `--artifact KEY=FILE` evidence: the key must be one the phase knows (required, or a file it names). */
export function readSupplied(ladder: PhaseLadder, phase: PhaseSpec, artifacts: Record<string, string>): Map<string, SuppliedEvidence> {
  const known = new Set([...phase.evidence.required.map((r) => r.key), ...phase.evidence.ref_impl]);
  const supplied = new Map<string, SuppliedEvidence>();
  for (const [key, file] of Object.entries(artifacts)) {
    if (!known.has(key)) {
      throw new EvidenceUsageError(`--artifact ${key}: ${phase.id} knows no evidence of that name (expected one of: ${[...known].join(", ")})`);
    }
    let content: Buffer;
    try {
      content = fs.readFileSync(file);
    } catch (e) {
      throw new EvidenceUsageError(`--artifact ${key}=${file}: ${(e as Error).message}`);
    }
    const pattern = ladder.evidencePattern(key);
    const bundlePath = pattern
      ? `supplied/${key}/${safeName(pattern.endsWith("/") ? path.basename(file) : path.posix.basename(pattern))}`
      : `supplied/${safeName(key)}`;
    supplied.set(key, { key, file, content, bundlePath });
  }
  return supplied;
}

export function readSpend(options: EmitOptions, snapshot: SourceSnapshot): SpendRecord | undefined {
  if (options.spend && options.spendFile) throw new EvidenceUsageError("--spend and --spend-file are exclusive");
  if (options.spend) {
    if (!/^\d+(\.\d+)?$/.test(options.spend.amount))
      throw new EvidenceUsageError(`--spend ${options.spend.amount}: expected a non-negative USD decimal, e.g. 1.25`);
    return { amount: options.spend.amount, sources: options.spend.sources?.length ? options.spend.sources : ["operator-recorded"] };
  }
  if (options.spendFile) {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(options.spendFile, "utf8")) as unknown;
    } catch (e) {
      throw new EvidenceUsageError(`--spend-file ${options.spendFile}: ${(e as Error).message}`);
    }
    const parsed = spendFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new EvidenceUsageError(`--spend-file ${options.spendFile}: ${issue.path.map(String).join(".") || "(document)"}: ${issue.message}`);
    }
    return {
      amount: parsed.data.spend_amount,
      sources: parsed.data.cost_sources,
      windowStartUtc: parsed.data.window_start_utc,
      windowEndUtc: parsed.data.window_end_utc,
    };
  }
  return snapshot.defaultSpend;
}

export function withReportOverrides(snapshot: SourceSnapshot, options: EmitOptions): SourceSnapshot {
  const wrap = <T>(f: () => SourceDocument<T>): SourceDocument<T> => {
    try {
      return f();
    } catch (e) {
      throw new EvidenceUsageError((e as Error).message);
    }
  };
  const policyReport = options.policyReportFile
    ? wrap(() => readReport<PolicyReportDocument>(options.policyReportFile as string, policyReportSchema, "policy report"))
    : snapshot.policyReport;
  const costReport = options.costReportFile
    ? wrap(() => readReport<CostReport>(options.costReportFile as string, costReportSchema, "cost report"))
    : snapshot.costReport;
  return { ...snapshot, policyReport, costReport };
}
