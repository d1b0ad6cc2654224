/**
 * The EKS admission record (DA-54) as tags: every EKS cluster and node group carries why it exists, the
 * capability gap, the SLO gain, the cost fit, the rollback path, and the review dates. The DA-54 policy reads the
 * same keys back and denies a record that is incomplete, or whose review date has passed or lies more than the
 * review cadence ahead of the evaluation date.
 */
import { EksAdmission, daysBetween } from "../config/runtimeLanesSettings";

/** Tag key of each admission field. */
export const ADMISSION_TAG_KEYS = {
  reason: "fp_eks_admission_reason",
  capabilityGap: "fp_eks_admission_capability_gap",
  sloGain: "fp_eks_admission_slo_gain",
  costFit: "fp_eks_admission_cost_fit",
  rollbackPath: "fp_eks_admission_rollback_path",
  reviewedOn: "fp_eks_admission_reviewed_on",
  reviewBy: "fp_eks_admission_review_by",
} as const satisfies Record<keyof EksAdmission, string>;

export function admissionTags(record: EksAdmission): Record<string, string> {
  return Object.fromEntries((Object.keys(ADMISSION_TAG_KEYS) as Array<keyof EksAdmission>).map((k) => [ADMISSION_TAG_KEYS[k], record[k]]));
}

/** Problems of an admission record read from tags, evaluated on `today` (YYYY-MM-DD) with the review cadence. */
export function admissionProblems(tags: Readonly<Record<string, unknown>>, today: string, cadenceDays: number): string[] {
  const problems: string[] = [];
  const missing = Object.values(ADMISSION_TAG_KEYS).filter((key) => typeof tags[key] !== "string" || (tags[key] as string).trim() === "");
  if (missing.length) problems.push(`admission record incomplete: missing ${missing.join(", ")}`);
  const reviewBy = tags[ADMISSION_TAG_KEYS.reviewBy];
  if (typeof reviewBy === "string" && reviewBy !== "") {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(reviewBy) || Number.isNaN(Date.parse(`${reviewBy}T00:00:00Z`))) {
      problems.push(`${ADMISSION_TAG_KEYS.reviewBy}=${JSON.stringify(reviewBy)} is not a date YYYY-MM-DD`);
    } else {
      const ahead = daysBetween(today, reviewBy);
      if (ahead < 0) problems.push(`admission review overdue: review by ${reviewBy} has passed (today ${today}); re-justify the lane and move the dates`);
      else if (ahead > cadenceDays)
        problems.push(`admission review date ${reviewBy} is ${ahead} days ahead of ${today}; at most ${cadenceDays} (EKS_ADMISSION_REVIEW_CADENCE_DAYS)`);
    }
  }
  return problems;
}

/** Today's date (UTC) as YYYY-MM-DD. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
