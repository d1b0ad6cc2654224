/**
 * Schema of the ops layer's settings: the `fraud-platform:ops` section of `Pulumi.<env>.yaml`. Names, the budget
 * limit and its alert thresholds, the log retention and the teardown minimum actions come from the handles
 * registry; the budget's subscriber is the TO_PIN handle AWS_BUDGET_NOTIFICATION_EMAIL. What lives here: who may
 * assume the CI roles (repository, branches, deploy environment), the alarm thresholds, and the MWAA sizing used only once
 * AIRFLOW_MODE leaves its deferred value. Every value is explicit (DA-09); docs/ops.md explains each.
 */
import { z } from "zod";

const whole = (min: number, max: number) =>
  z
    .number({ error: `a whole number ${min}..${max}` })
    .int({ error: `a whole number ${min}..${max}` })
    .min(min, { error: `a whole number ${min}..${max}` })
    .max(max, { error: `a whole number ${min}..${max}` });
const percent = z
  .number({ error: "a percentage 0..100" })
  .gt(0, { error: "a percentage above 0, at most 100" })
  .max(100, { error: "a percentage above 0, at most 100" });
/** A branch name as GitHub puts it in the OIDC subject (no wildcards: every trusted branch is named). */
const BRANCH = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;

export const ciSettingsSchema = z
  .object({
    /** `owner/repository` whose GitHub Actions workflows may assume the CI role. */
    githubRepository: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/, { error: "a GitHub repository owner/name" }),
    /** Branches whose workflows may assume it (OIDC `sub` = repo:<owner/name>:ref:refs/heads/<branch>); no wildcards. */
    branches: z
      .array(z.string().regex(BRANCH, { error: "a branch name without wildcards, e.g. main" }))
      .min(1, { error: "at least one branch" })
      .refine((b) => new Set(b).size === b.length, { error: "a list without duplicates" }),
    /**
     * GitHub environment the deploy job runs in (deploy.yml `environment:`); the deploy role trusts only the subject
     * repo:<owner/name>:environment:<name>, so its protection rules (reviewers, main branch only) gate every apply.
     */
    deployEnvironment: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/, { error: "a GitHub environment name, e.g. dev-full" }),
  })
  .strict();

export const alarmSettingsSchema = z
  .object({
    /** Period of the platform alarms, seconds (60 or a multiple of 60). */
    periodSeconds: z
      .number({ error: "60, 120, 300, ... seconds" })
      .int()
      .min(60)
      .refine((v) => v % 60 === 0, { error: "a multiple of 60 seconds" }),
    /** Periods evaluated, and how many of them must breach. */
    evaluationPeriods: whole(1, 10),
    datapointsToAlarm: whole(1, 10),
    /** ALARM_PLATFORM_ERROR_RATE: ingress handler errors as a share of invocations, percent. */
    errorRatePercent: percent,
    /** ALARM_IG_4XX_5XX: ingress API 4xx + 5xx as a share of requests, percent. */
    igHttpErrorPercent: percent,
    /** ALARM_RTDL_LAG: largest consumer lag (records) of the RTDL Flink application. */
    rtdlLagRecords: whole(1, 100_000_000),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.datapointsToAlarm > a.evaluationPeriods)
      ctx.addIssue({ code: "custom", path: ["datapointsToAlarm"], message: `at most evaluationPeriods (${a.evaluationPeriods})` });
  });

export const mwaaSettingsSchema = z
  .object({
    /** MWAA environment class (mw1.micro is the smallest). */
    environmentClass: z.enum(["mw1.micro", "mw1.small", "mw1.medium", "mw1.large"], { error: "mw1.micro, mw1.small, mw1.medium or mw1.large" }),
    /** Apache Airflow version MWAA runs. */
    airflowVersion: z.string().regex(/^\d+\.\d+\.\d+$/, { error: "an Airflow version such as 2.10.3" }),
    /** Most workers the environment scales to. */
    maxWorkers: whole(1, 25),
  })
  .strict();

export const opsSettingsSchema = z
  .object({
    /** The GitHub Actions CI/teardown identity. */
    ci: ciSettingsSchema,
    /** Thresholds of the platform alarms (names from the registry). */
    alarms: alarmSettingsSchema,
    /** MWAA sizing; read only when AIRFLOW_MODE is not deferred (then it is required). */
    mwaa: mwaaSettingsSchema.optional(),
  })
  .strict();
export type OpsSettings = z.infer<typeof opsSettingsSchema>;
export type CiSettings = z.infer<typeof ciSettingsSchema>;
export type AlarmSettings = z.infer<typeof alarmSettingsSchema>;
export type MwaaSettings = z.infer<typeof mwaaSettingsSchema>;
