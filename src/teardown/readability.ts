/**
 * Post-teardown readability of the retained surfaces (DA-102, blocker DFULL-RUN-B17.1): the evidence and
 * object-store buckets still answer `HeadBucket` and carry SSE-KMS default encryption (`GetBucketEncryption`), and
 * the platform KMS key, resolved through its alias (`DescribeKey`), is enabled and not pending deletion. Read-only,
 * clients injected (tests use aws-sdk-client-mock). Any failed call is "not readable" (fail closed).
 */
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { GetBucketEncryptionCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { Registry } from "../registry/registry";
import { utcSeconds } from "../evidence/digest";

/** Read-only IAM actions of the check (`HeadBucket` is authorised by s3:ListBucket). */
export const READABILITY_IAM_ACTIONS: readonly string[] = ["s3:ListBucket", "s3:GetEncryptionConfiguration", "kms:DescribeKey"];

export interface ReadabilityClients {
  s3: S3Client;
  kms: KMSClient;
}

export function readabilityClients(region: string): ReadabilityClients {
  return { s3: new S3Client({ region }), kms: new KMSClient({ region }) };
}

export interface ApiCheck {
  api: string;
  ok: boolean;
  detail: string;
}

export interface RetainedSurface {
  surface: string;
  handle: string;
  target: string;
  readable: boolean;
  checks: ApiCheck[];
}

export interface ReadabilityResult {
  snapshot_version: "1";
  lane: "M13.G";
  checked_at_utc: string;
  surfaces: RetainedSurface[];
  /** ARN of the platform key as its alias resolves (for the residual scan's retained set). */
  kms_key_arn?: string;
  overall_pass: boolean;
}

function failure(e: unknown): string {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  return `${err.name ?? "Error"}${status ? ` (HTTP ${status})` : ""}: ${err.message ?? String(e)}`;
}

async function attempt(api: string, body: () => Promise<{ ok: boolean; detail: string }>): Promise<ApiCheck> {
  try {
    return { api, ...(await body()) };
  } catch (e) {
    return { api, ok: false, detail: failure(e) };
  }
}

async function bucketSurface(clients: ReadabilityClients, surface: string, handle: string, bucket: string): Promise<RetainedSurface> {
  const checks = [
    await attempt("s3:HeadBucket", async () => {
      const out = await clients.s3.send(new HeadBucketCommand({ Bucket: bucket }));
      return { ok: true, detail: `bucket answers${out.BucketRegion ? ` (${out.BucketRegion})` : ""}` };
    }),
    await attempt("s3:GetBucketEncryption", async () => {
      const out = await clients.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
      const rule = out.ServerSideEncryptionConfiguration?.Rules?.find((r) => r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm);
      const algorithm = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
      const key = rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
      const kms = algorithm === "aws:kms" || algorithm === "aws:kms:dsse";
      return { ok: kms, detail: algorithm ? `default encryption ${algorithm}${key ? ` under ${key}` : ""}` : "no default encryption rule" };
    }),
  ];
  return { surface, handle, target: `s3://${bucket}`, readable: checks.every((c) => c.ok), checks };
}

/** Checks every retained surface; never throws on AWS errors. */
export async function checkRetainedSurfaces(options: { clients: ReadabilityClients; registry: Registry; now?: Date }): Promise<ReadabilityResult> {
  const { clients, registry } = options;
  const surfaces: RetainedSurface[] = [
    await bucketSurface(clients, "evidence bucket", "S3_EVIDENCE_BUCKET", registry.string("S3_EVIDENCE_BUCKET")),
    await bucketSurface(clients, "object store", "S3_OBJECT_STORE_BUCKET", registry.string("S3_OBJECT_STORE_BUCKET")),
  ];
  const alias = registry.string("KMS_KEY_ALIAS_PLATFORM");
  let keyArn: string | undefined;
  const keyCheck = await attempt("kms:DescribeKey", async () => {
    const meta = (await clients.kms.send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata;
    if (!meta) return { ok: false, detail: "no key metadata" };
    keyArn = meta.Arn;
    const pending = meta.KeyState === "PendingDeletion" || meta.KeyState === "PendingReplicaDeletion" || meta.DeletionDate !== undefined;
    const ok = meta.Enabled === true && meta.KeyState === "Enabled" && !pending;
    const state = `state ${meta.KeyState ?? "?"}, enabled ${meta.Enabled === true}${meta.DeletionDate ? `, deletion scheduled ${meta.DeletionDate.toISOString()}` : ""}`;
    return {
      ok,
      detail: `${meta.Arn ?? meta.KeyId ?? alias}: ${state}${pending ? " (PENDING DELETION: cancel it, kms:CancelKeyDeletion, then enable the key)" : ""}`,
    };
  });
  surfaces.push({ surface: "platform KMS key", handle: "KMS_KEY_ALIAS_PLATFORM", target: alias, readable: keyCheck.ok, checks: [keyCheck] });
  return {
    snapshot_version: "1",
    lane: "M13.G",
    checked_at_utc: utcSeconds(options.now ?? new Date()),
    surfaces,
    ...(keyArn ? { kms_key_arn: keyArn } : {}),
    overall_pass: surfaces.every((s) => s.readable),
  };
}
