/**
 * DA-114 (mandatory, high), derived for the evidence bucket: evidence is append-only, so the evidence bucket is
 * created with S3 Object Lock (`objectLockEnabled: true`) and carries an Object Lock configuration whose default
 * retention is the registry's mode (S3_EVIDENCE_OBJECT_LOCK_MODE) for RETENTION_EVIDENCE_DAYS
 * (`src/storage/objectLock.ts`, docs/decisions/0002). Stack-level: the configuration is paired with its bucket
 * through `dependencies` or its literal `bucket` input (bucket ids are unknown in a real preview). A stack that
 * declares no evidence bucket is not applicable.
 */
import { evidenceObjectLock } from "../../src/storage/objectLock";
import { recordOf } from "../lib/knownValues";
import { registry } from "../lib/registry";
import { stackRule } from "../lib/rule";
import { BUCKET } from "./bucketNames";
import { attachedTo, bucketInput, known } from "./bucketLifecycle";

export const OBJECT_LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";

export const evidenceBucketObjectLock = stackRule(
  {
    id: "DA-114",
    slug: "evidence-bucket-object-lock",
    description:
      "The evidence bucket must be created with S3 Object Lock (objectLockEnabled: true) and an Object Lock configuration whose default retention is S3_EVIDENCE_OBJECT_LOCK_MODE for RETENTION_EVIDENCE_DAYS: give SecureBucket objectLock: evidenceObjectLock(registry).",
    severity: "high",
  },
  (args, reportViolation) => {
    const r = registry();
    const name = r.string("S3_EVIDENCE_BUCKET");
    const bucket = args.resources.find((res) => res.type === BUCKET && bucketInput(res) === name);
    if (!bucket) return args.notApplicable("no S3_EVIDENCE_BUCKET bucket in this stack");
    const expected = evidenceObjectLock(r);
    if (known(() => bucket.props.objectLockEnabled) !== true)
      reportViolation(`bucket ${name} is not created with Object Lock (objectLockEnabled is not true).`, bucket.urn);
    const configs = attachedTo(args.resources, bucket, OBJECT_LOCK);
    if (configs.length === 0) return reportViolation(`bucket ${name} has no Object Lock configuration (${OBJECT_LOCK}).`, bucket.urn);
    for (const c of configs) {
      const enabled = known(() => c.props.objectLockEnabled);
      const retention = recordOf(recordOf(known(() => c.props.rule)).defaultRetention);
      const problems: string[] = [];
      if (enabled !== undefined && enabled !== "Enabled") problems.push(`objectLockEnabled is ${JSON.stringify(enabled)}`);
      if (retention.mode !== expected.mode) problems.push(`default retention mode is ${JSON.stringify(retention.mode ?? null)}, expected ${expected.mode}`);
      if (retention.days !== expected.days)
        problems.push(
          `default retention is ${JSON.stringify(retention.days ?? retention.years ?? null)} ${retention.years !== undefined ? "years" : "days"}, expected ${expected.days} days`,
        );
      if (problems.length) reportViolation(`bucket ${name}: ${problems.join("; ")}.`, c.urn);
    }
  },
);

export const evidenceObjectLockPolicies = [evidenceBucketObjectLock];
