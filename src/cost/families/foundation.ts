/**
 * Always-on foundation: S3 buckets (storage all month, requests during runtime windows), KMS keys, ECR
 * repositories, SSM parameters, Secrets Manager secrets, CloudWatch log groups / alarms / dashboards and AWS
 * Budgets. Storage and per-month items bill whenever the resource exists; P17 keeps evidence, keys and
 * registries only when the stack protects them.
 */
import { ONE, monthly, n, per, usage } from "./common";
import { Family } from "./types";

export const s3Bucket: Family = (_r, _inputs, ctx) => {
  const u = ctx.settings.usagePerProofHour;
  return {
    surfaceClass: "alwaysOn",
    idleSafe: "retainIfProtected",
    components: [
      monthly("Storage (Standard)", "GB-month", "s3.standard.gb-month", n(ctx.settings.storageGb.s3PerBucket)),
      usage("PUT/COPY/POST/LIST requests", "1k requests", "s3.put.1k", per(n(u.s3PutRequests), 1000), { window: "runtime" }),
      usage("GET requests", "1k requests", "s3.get.1k", per(n(u.s3GetRequests), 1000), { window: "runtime" }),
    ],
  };
};

export const kmsKey: Family = (_r, _inputs, ctx) => ({
  surfaceClass: "alwaysOn",
  idleSafe: "retainIfProtected",
  components: [
    monthly("Customer managed key", "key-months", "kms.key-month", ONE),
    usage("Requests", "10k requests", "kms.requests.10k", per(n(ctx.settings.usagePerProofHour.kmsRequests), 10_000), { window: "runtime" }),
  ],
  notes: ["the first 20,000 requests a month are free (not deducted); a key pending deletion still bills"],
});

export const ecrRepository: Family = (_r, _inputs, ctx) => ({
  surfaceClass: "alwaysOn",
  idleSafe: "retainIfProtected",
  components: [monthly("Image storage", "GB-month", "ecr.storage.gb-month", n(ctx.settings.storageGb.ecrPerRepository))],
});

export const ssmParameter: Family = (_r, inputs) => {
  const advanced = inputs.string("tier") === "Advanced";
  return {
    surfaceClass: "alwaysOn",
    idleSafe: "retainIfProtected",
    components: [
      monthly(
        advanced ? "Advanced parameter" : "Standard parameter",
        "parameter-months",
        advanced ? "ssm.parameter.advanced-month" : "ssm.parameter.standard-month",
        ONE,
      ),
    ],
  };
};

export const secret: Family = () => ({
  surfaceClass: "alwaysOn",
  idleSafe: "retainIfProtected",
  components: [monthly("Secret", "secret-months", "secretsmanager.secret-month", ONE)],
});

export const logGroup: Family = (_r, _inputs, ctx) => ({
  surfaceClass: "alwaysOn",
  idleSafe: "retainIfProtected",
  components: [
    usage("Log ingestion (Standard class)", "GB", "cw.logs.ingest.gb", n(ctx.settings.usagePerProofHour.logsGbIngested), { window: "runtime" }),
    monthly("Log storage", "GB-month", "cw.logs.storage.gb-month", n(ctx.settings.storageGb.logsPerGroup)),
  ],
  notes: ["5 GB of free ingestion a month not deducted"],
});

export const metricAlarm: Family = () => ({
  surfaceClass: "alwaysOn",
  idleSafe: "retainIfProtected",
  components: [monthly("Standard-resolution alarm", "alarm-months", "cw.alarm-month", ONE)],
  notes: ["10 free alarms per account not deducted"],
});

export const dashboard: Family = () => ({
  surfaceClass: "alwaysOn",
  idleSafe: "retainIfProtected",
  components: [monthly("Dashboard", "dashboard-months", "cw.dashboard-month", ONE)],
  notes: ["3 free dashboards per account (unverified) not deducted"],
});

export const budget: Family = () => ({
  surfaceClass: "alwaysOn",
  idleSafe: "retainIfProtected",
  components: [{ name: "Budget days", unit: "budget-days", sku: "budgets.budget-day", active: ONE, idle: ONE, per: "day" }],
});
