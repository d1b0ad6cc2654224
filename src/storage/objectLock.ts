/**
 * S3 Object Lock of the evidence bucket, from the registry: mode S3_EVIDENCE_OBJECT_LOCK_MODE (GOVERNANCE) for
 * RETENTION_EVIDENCE_DAYS. The same numbers drive the bucket's default retention (core stack), the retention the
 * uploader sets on every object, and the policy that checks the bucket (docs/decisions/0002).
 *
 * Compatibility with the lifecycle: the lock may not outlast the evidence lifecycle's expiry, or the expiry could
 * never remove a version (S3 lifecycle skips versions still under retention); a longer lock is refused here.
 */
import { Registry } from "../registry/registry";

export type ObjectLockMode = "GOVERNANCE" | "COMPLIANCE";

export interface ObjectLockSpec {
  mode: ObjectLockMode;
  days: number;
}

/** The evidence bucket's Object Lock; throws when the registry's values are invalid or outlast the lifecycle. */
export function evidenceObjectLock(registry: Registry): ObjectLockSpec {
  const mode = registry.string("S3_EVIDENCE_OBJECT_LOCK_MODE");
  if (mode !== "GOVERNANCE" && mode !== "COMPLIANCE")
    throw new Error(`S3_EVIDENCE_OBJECT_LOCK_MODE: expected GOVERNANCE or COMPLIANCE, found ${JSON.stringify(mode)}`);
  const days = registry.number("RETENTION_EVIDENCE_DAYS");
  if (!Number.isInteger(days) || days <= 0) throw new Error(`RETENTION_EVIDENCE_DAYS: expected a positive whole number of days, found ${days}`);
  for (const rule of registry.lifecycle("S3_EVIDENCE_BUCKET")) {
    if (rule.expire_days < days) {
      throw new Error(
        `evidence Object Lock of ${days} days outlasts the lifecycle expiry of ${rule.prefix} (${rule.expire_days} days): lower the retention or raise the expiry`,
      );
    }
  }
  return { mode, days };
}

/** The retain-until date of an object written at `now` under `spec` (whole days, UTC). */
export function retainUntil(spec: ObjectLockSpec, now: Date): Date {
  return new Date(now.getTime() + spec.days * 86_400_000);
}
