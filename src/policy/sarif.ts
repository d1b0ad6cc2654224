/**
 * SARIF 2.1.0 rendering of a policy report for GitHub code scanning. Every result points at the line that declares
 * its resource: the registration's `sourcePosition` (`project:///<path>#<line>,<column>`, recorded by the plan and
 * printed by a real `pulumi preview --json`), else the nearest ancestor's, else the layer's stack program
 * (`stacks/<layer>.ts`, line 1); results of the cross-stack rules point at the handle's line in
 * `registry/handles.yaml`. Results carry a stable `partialFingerprints` entry (policy + URN, or policy + subject
 * for results without a resource), so alerts neither duplicate nor reopen across runs. Every rule, the cross-stack
 * ones included, has short and full descriptions, help text and markdown (what to fix, how to exempt), a help
 * URI, tags and, for security rules, `security-severity`.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type * as sarif from "sarif";
import { PreviewDocument, ResourceState } from "../plan/previewDocument";
import { CROSS_STACK_POLICIES } from "./crossStack";
import { PackMetadata, PolicyReport, PolicyViolation } from "./report";

const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const HELP_URI = "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/";
const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
const HANDLES_FILE = "registry/handles.yaml";
/** Key of the fingerprint this tool computes (versioned, so a change of recipe does not collide with old alerts). */
export const FINGERPRINT_KEY = "policyResource/v1";

/** GitHub's numeric `security-severity` per CrossGuard severity (critical >= 9, high 7-8.9, medium 4-6.9, low < 4). */
const SECURITY_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };
/** Rules about access, encryption, secrets and exposure are security rules; cost, naming and hygiene are not. */
const SECURITY_TERMS =
  /encrypt|kms|public|iam|role|secret|tls|wildcard|ingress|egress|credential|privilege|admin|password|isolation|private|security|access|oracle|network/i;

export interface SarifOptions {
  /** Repository root the artifact URIs are relative to (default: the project directory). */
  projectDir?: string;
  /** Tool version (default: package.json's). */
  version?: string;
}

interface Located {
  uri: string;
  line: number;
  column?: number;
}

/** `project:///components/secureBucket.ts#40,5` -> { uri: "components/secureBucket.ts", line: 40, column: 5 }. */
export function parseSourcePosition(position: string | undefined): Located | undefined {
  const m = position ? /^project:\/\/\/([^#]+)#(\d+)(?:,(\d+))?$/.exec(position) : null;
  if (!m || m[1].startsWith("node_modules/")) return undefined;
  const line = Number(m[2]);
  if (line < 1) return undefined;
  return { uri: m[1], line, ...(m[3] && Number(m[3]) > 0 ? { column: Number(m[3]) } : {}) };
}

function packageVersion(projectDir: string): string {
  try {
    return String((JSON.parse(fs.readFileSync(path.join(projectDir, "package.json"), "utf8")) as { version?: string }).version ?? "0.0.0");
  } catch {
    return "0.0.0";
  }
}

function layerFile(stack: string | undefined, projectDir: string): string | undefined {
  const layer = stack?.replace(/^[a-z]+-[a-z]+-/, "").replace("-", "_");
  const file = layer ? `stacks/${layer}.ts` : undefined;
  return file && fs.existsSync(path.join(projectDir, file)) ? file : undefined;
}

/** The line of `registry/handles.yaml` declaring the first handle or path a cross-stack message names. */
function handleLine(message: string, projectDir: string): Located {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(projectDir, HANDLES_FILE), "utf8").split("\n");
  } catch {
    return { uri: HANDLES_FILE, line: 1 };
  }
  const terms = [...message.matchAll(/\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+\b|\/fraud-platform\/[\w/.-]+/g)].map((m) => m[0]);
  for (const term of terms) {
    const i = lines.findIndex((l) => l.includes(term));
    if (i >= 0) return { uri: HANDLES_FILE, line: i + 1 };
  }
  return { uri: HANDLES_FILE, line: 1 };
}

function ruleText(description: string): { short: string; full: string } {
  const full = description.trim();
  const sentence = /^(.*?[.!?])(\s|$)/.exec(full)?.[1] ?? full.split("\n")[0];
  return { short: sentence.length > 1000 ? `${sentence.slice(0, 997)}...` : sentence, full };
}

interface RuleInput {
  name: string;
  description: string;
  severity?: string;
  enforcementLevel?: string;
}

function ruleOf(p: RuleInput, pack: PackMetadata, crossStack: boolean): sarif.ReportingDescriptor {
  const { short, full } = ruleText(p.description);
  const designRule = /^\[((?:DA|SB)-\d+)\]/.exec(full)?.[1];
  const severity = p.severity ?? "medium";
  const level = p.enforcementLevel ?? pack.enforcementLevel;
  const security = SECURITY_TERMS.test(`${p.name} ${full}`);
  const exempt = crossStack
    ? "Cross-stack rules take no exemption: fix the stacks."
    : `A resource escapes the rule only through a reviewed exemption: the tag \`fp_exempt_${p.name}\` = \`expires=YYYY-MM-DD approver=<who> reason=<text>\` (at most 90 days), or an \`exemptions\` entry in policies/config/dev-full.json.`;
  return {
    id: p.name,
    name: p.name,
    shortDescription: { text: short },
    fullDescription: { text: full },
    help: {
      text: `${full}\nWhat to fix: make the resource meet the rule above, then run \`npm run plan\` (or \`npm run policy-check -- preview.json\`) again. ${exempt.replace(/`/g, "")}`,
      markdown: `**${designRule ?? p.name}** (${level}, ${severity})\n\n${full}\n\n**What to fix:** make the resource meet the rule above, then run \`npm run plan\` (or \`npm run policy-check -- preview.json\`) again.\n\n${exempt}`,
    },
    helpUri: HELP_URI,
    defaultConfiguration: { level: level === "mandatory" || level === "remediate" ? "error" : level === "disabled" ? "none" : "warning" },
    properties: {
      tags: [...(security ? ["security"] : []), ...(designRule ? [designRule] : []), crossStack ? "cross-stack" : "crossguard", level, severity],
      ...(security ? { "security-severity": SECURITY_SEVERITY[severity] ?? SECURITY_SEVERITY.medium } : {}),
      severity,
      enforcementLevel: level,
    },
  };
}

/** Index of every resource state of the documents by URN. */
function statesByUrn(docs: readonly PreviewDocument[]): Map<string, ResourceState> {
  const byUrn = new Map<string, ResourceState>();
  for (const doc of docs) {
    for (const s of doc.steps) {
      const state = s.newState ?? s.oldState;
      if (state) byUrn.set(s.urn, state);
    }
    for (const e of doc.external ?? []) byUrn.set(e.urn, e);
  }
  return byUrn;
}

function locate(v: PolicyViolation, byUrn: Map<string, ResourceState>, projectDir: string): Located {
  const seen = new Set<string>();
  for (let urn = v.urn; urn && !seen.has(urn); urn = byUrn.get(urn)?.parent) {
    seen.add(urn);
    const found = parseSourcePosition(byUrn.get(urn)?.sourcePosition);
    if (found) return found;
  }
  const stack = v.stack ?? v.urn?.split("::")[0].split(":").pop();
  const file = layerFile(stack, projectDir);
  if (file) return { uri: file, line: 1 };
  return v.urn ? { uri: "index.ts", line: 1 } : handleLine(v.message, projectDir);
}

export function fingerprintOf(v: PolicyViolation): string {
  const subject = v.urn ?? `${v.stack ?? ""}\n${v.message.split("\n").slice(1).join("\n") || v.message}`;
  return createHash("sha256").update(`${v.policy}\n${subject}`).digest("hex").slice(0, 32);
}

export function sarifOf(report: PolicyReport, pack: PackMetadata, docs: readonly PreviewDocument[] = [], options: SarifOptions = {}): sarif.Log {
  const projectDir = options.projectDir ?? PROJECT_ROOT;
  const rules = [
    ...pack.policies.map((p) => ruleOf(p, pack, false)),
    ...Object.values(CROSS_STACK_POLICIES).map((p) => ruleOf({ ...p, severity: "high", enforcementLevel: "mandatory" }, pack, true)),
  ];
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const byUrn = statesByUrn(docs);
  const results: sarif.Result[] = report.violations.map((v) => {
    const at = locate(v, byUrn, projectDir);
    const index = ruleIndex.get(v.policy);
    return {
      ruleId: v.policy,
      ...(index !== undefined ? { ruleIndex: index } : {}),
      level: v.enforcementLevel === "mandatory" ? "error" : "warning",
      message: { text: v.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: at.uri, uriBaseId: "%SRCROOT%" },
            region: { startLine: at.line, ...(at.column ? { startColumn: at.column } : {}) },
          },
          ...(v.urn || v.stack ? { logicalLocations: [{ fullyQualifiedName: v.urn ?? v.stack, kind: v.urn ? "resource" : "module" }] } : {}),
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprintOf(v) },
      properties: {
        ...(v.stack ? { stack: v.stack } : {}),
        ...(v.urn ? { urn: v.urn } : {}),
        ...(v.type ? { type: v.type } : {}),
        ...(v.rule ? { rule: v.rule } : {}),
      },
    };
  });
  const version = options.version ?? packageVersion(projectDir);
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: pack.name, version, semanticVersion: version, informationUri: HELP_URI, rules } },
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The repository root (the Pulumi project directory)." } } },
        results,
      },
    ],
  };
}
