/**
 * The policy report's shapes and the pure operations on them: which resources of a preview document are proposed,
 * a document's stack, and the merge of per-document reports into one. Free of the policy SDK, so the plan's parent
 * process can assemble the verdicts its workers computed without loading the pack.
 */
import type * as policy from "@pulumi/policy";
import { PreviewDocument, ResourceState } from "../plan/previewDocument";

export type EnforcementLevel = policy.EnforcementLevel;

export interface PolicyViolation {
  policy: string;
  /** Design-rule (e.g. DA-10) or security-baseline (e.g. SB-01) id the policy implements, when it names one. */
  rule?: string;
  stack?: string;
  urn?: string;
  type?: string;
  enforcementLevel: EnforcementLevel;
  severity?: policy.Severity;
  message: string;
  /**
   * A "can't run during preview" note (the policy read a value unknown at preview): the level the policy would have
   * enforced. A mandatory one is a check blind at preview, left to `pulumi up`.
   */
  blindLevel?: EnforcementLevel;
}

export interface PolicyReport {
  violations: PolicyViolation[];
  summary: {
    policies: number;
    resources: number;
    mandatory: number;
    advisory: number;
    /** Mandatory checks that could not run because they read a value unknown at preview (counted in `advisory`). */
    blindMandatory: number;
    /** Policy runs skipped through `notApplicable` or a type filter. */
    notApplicable: number;
    byPolicy: Record<string, number>;
  };
}

/** What a report's readers (the SARIF rules) need of a pack: its name, version, level and each policy's metadata. */
export interface PackMetadata {
  name: string;
  version?: string;
  enforcementLevel: EnforcementLevel;
  policies: readonly { name: string; description: string; severity?: policy.Severity; enforcementLevel?: EnforcementLevel }[];
}

/** The metadata of a pack, plain data that crosses a process boundary. */
export function packMetadataOf(pack: PackMetadata): PackMetadata {
  return {
    name: pack.name,
    ...(pack.version ? { version: pack.version } : {}),
    enforcementLevel: pack.enforcementLevel,
    policies: pack.policies.map((p) => ({
      name: p.name,
      description: p.description,
      ...(p.severity ? { severity: p.severity } : {}),
      ...(p.enforcementLevel ? { enforcementLevel: p.enforcementLevel } : {}),
    })),
  };
}

/** Step ops whose new state is not a proposed resource of the stack. */
const NOT_PROPOSED = new Set(["delete", "delete-replaced", "read", "read-replacement"]);

/** The resources a document proposes (new states of everything not being deleted; reads are not proposed). */
export function proposedResources(doc: PreviewDocument): ResourceState[] {
  return doc.steps.filter((s) => s.newState && !NOT_PROPOSED.has(s.op)).map((s) => s.newState as ResourceState);
}

/** Stack name of a document: its `stack` field, else the URN's stack segment. */
export function stackOf(doc: PreviewDocument): string | undefined {
  return (
    doc.stack ??
    doc.steps
      .find((s) => s.urn)
      ?.urn.split("::")[0]
      .split(":")
      .pop()
  );
}

/** A report of `violations` found by a pack of `policies` policies on `resources` resources. */
export function reportOf(violations: PolicyViolation[], counts: { policies: number; resources: number; notApplicable: number }): PolicyReport {
  const byPolicy: Record<string, number> = {};
  for (const v of violations) byPolicy[v.policy] = (byPolicy[v.policy] ?? 0) + 1;
  return {
    violations,
    summary: {
      policies: counts.policies,
      resources: counts.resources,
      mandatory: violations.filter((v) => v.enforcementLevel === "mandatory").length,
      advisory: violations.filter((v) => v.enforcementLevel === "advisory").length,
      blindMandatory: violations.filter((v) => v.blindLevel === "mandatory").length,
      notApplicable: counts.notApplicable,
      byPolicy,
    },
  };
}

/**
 * One report of the same pack on several documents, from each document's own report, in document order: the report
 * `evaluatePolicies` gives for all the documents at once (it evaluates them one after the other).
 */
export function mergeReports(reports: readonly PolicyReport[], policies: number): PolicyReport {
  return reportOf(
    reports.flatMap((r) => r.violations),
    { policies, resources: reports.reduce((n, r) => n + r.summary.resources, 0), notApplicable: reports.reduce((n, r) => n + r.summary.notApplicable, 0) },
  );
}
