/**
 * DA-11 (mandatory, high): run/phase-scoped resources carry the run and phase tags (TAG_RUN_ID_KEY,
 * TAG_PHASE_KEY); ephemeral ones also carry TAG_EXPIRES_AT_KEY (UTC ISO-8601).
 *
 * What "run-scoped" means, checkably: a resource of a run-capable type (ECS services and task definitions, EMR
 * Serverless/EMR-on-EKS job runs, SageMaker endpoints and endpoint configs, Databricks job runs) that
 * - carries the tag `fp_scope=run` (or `fp_scope=ephemeral`, which also needs the expiry tag), or
 * - already carries one of the run/phase tags (a half-tagged resource is run-scoped but incomplete).
 * Stack-level substrate (clusters, applications, the task families the stacks declare without a run) carries
 * neither and is not run-scoped. A tag value unknown at preview counts as present.
 */
import { knownTags, rawOf } from "../lib/knownValues";
import { registry } from "../lib/registry";
import { resourceRule } from "../lib/rule";

export const SCOPE_TAG = "fp_scope";
const RUN_CAPABLE = new Set([
  "aws:ecs/service:Service",
  "aws:ecs/taskDefinition:TaskDefinition",
  "aws:emrserverless/jobRun:JobRun",
  "aws:emrcontainers/jobRun:JobRun",
  "aws:sagemaker/endpoint:Endpoint",
  "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
  "databricks:index/job:Job",
]);
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

export const runScopeTags = resourceRule(
  {
    id: "DA-11",
    slug: "run-scope-tags",
    description:
      "Run/phase-scoped resources (tag fp_scope=run|ephemeral, or already carrying a run/phase tag) must carry fp_run_id and fp_phase_id; ephemeral ones also expires_at (UTC ISO-8601).",
    severity: "high",
  },
  (args, reportViolation) => {
    if (!RUN_CAPABLE.has(args.type)) return args.notApplicable("not a run-capable type");
    const r = registry();
    const runKey = r.string("TAG_RUN_ID_KEY");
    const phaseKey = r.string("TAG_PHASE_KEY");
    const expiresKey = r.string("TAG_EXPIRES_AT_KEY");
    const raw = rawOf<Record<string, unknown>>(rawOf<Record<string, unknown>>(args.props).tags) ?? {};
    const tags = knownTags(args.props);
    const has = (k: string) => k in raw && raw[k] !== "" && raw[k] !== null;
    const scope = tags[SCOPE_TAG];
    const runScoped = scope === "run" || scope === "ephemeral" || has(runKey) || has(phaseKey);
    if (!runScoped) return args.notApplicable("stack-level substrate (not run-scoped)");
    const missing = [runKey, phaseKey, ...(scope === "ephemeral" ? [expiresKey] : [])].filter((k) => !has(k));
    if (missing.length) reportViolation(`run-scoped resource lacks tag(s) ${missing.join(", ")}.`);
    const expires = tags[expiresKey];
    if (expires !== undefined && !ISO_UTC.test(expires)) reportViolation(`${expiresKey}=${JSON.stringify(expires)} is not a UTC ISO-8601 timestamp.`);
  },
);
