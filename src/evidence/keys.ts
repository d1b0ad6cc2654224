/**
 * Object keys of evidence in the evidence bucket, rendered from the registry's patterns (never spelled in code):
 * a bundle's files live under the phase prefix `EVIDENCE_PHASE_PREFIX_PATTERN` + `<phase_execution_id>/`, and the
 * cost pair is also published at its run-control keys (`PHASE_BUDGET_ENVELOPE_PATH_PATTERN`,
 * `PHASE_COST_OUTCOME_RECEIPT_PATH_PATTERN`).
 */
import { Registry } from "../registry/registry";

export interface KeyContext {
  platform_run_id: string;
  phase_id: string;
  phase_execution_id: string;
}

/** Fills `{token}`s of a registry pattern; an unknown token is an error. */
export function renderPattern(pattern: string, values: Readonly<Record<string, string>>): string {
  return pattern.replace(/\{([a-z_]+)\}/g, (_, token: string) => {
    const v = values[token];
    if (v === undefined) throw new Error(`pattern ${pattern}: no value for {${token}}`);
    return v;
  });
}

export function evidenceBucket(registry: Registry): string {
  return registry.string("S3_EVIDENCE_BUCKET");
}

/** Key of a bundle file: `evidence/runs/<run>/<phase>/<execution>/<path>`. */
export function bundleObjectKey(registry: Registry, ctx: KeyContext, file: string): string {
  const prefix = renderPattern(registry.string("EVIDENCE_PHASE_PREFIX_PATTERN"), { ...ctx });
  return `${prefix}${ctx.phase_execution_id}/${file}`;
}

/** Key of a run-control object from its registry pattern handle, e.g. the phase budget envelope. */
export function runControlKey(registry: Registry, patternHandle: string, ctx: KeyContext): string {
  return renderPattern(registry.string(patternHandle), { ...ctx });
}

export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
