/**
 * Upload of a finished bundle to the evidence bucket (AWS SDK v3), append-only (evidence is never deleted or
 * rewritten; a run's pin is written once): every object is
 * written with `IfNoneMatch: "*"` so an existing key is never replaced, encrypted with SSE-KMS under the platform
 * key, carries its sha256 (`ChecksumSHA256`, verified by S3 on receipt) and is read back (HeadObject with
 * checksum mode) and hash-checked. Nothing is ever deleted. A key that already exists with the same digest is
 * reported as already present (an idempotent re-upload); with another digest it is a conflict, never overwritten.
 * Every object is also put under S3 Object Lock (`ObjectLockMode` GOVERNANCE, `ObjectLockRetainUntilDate` = now +
 * RETENTION_EVIDENCE_DAYS), so no version can be deleted or overwritten before the lifecycle expires it.
 */
import { KeyObject } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Registry } from "../registry/registry";
import { ObjectLockSpec, evidenceObjectLock, retainUntil } from "../storage/objectLock";
import { ENVELOPE_FILE, SUMS_FILE, verifyBundle } from "./bundle";
import { sha256Base64 } from "./digest";
import { KeyContext, bundleObjectKey, evidenceBucket, runControlKey } from "./keys";
import { loadPhases } from "./phases";
import { UsageError } from "../errors";

export interface UploadOptions {
  client: S3Client;
  registry: Registry;
  /** Default: the registry's S3_EVIDENCE_BUCKET. */
  bucket?: string;
  /** KMS key for SSE-KMS. Default: the registry's KMS_KEY_ALIAS_PLATFORM. */
  kmsKeyId?: string;
  /** Object Lock of every object. Default: the registry's (S3_EVIDENCE_OBJECT_LOCK_MODE, RETENTION_EVIDENCE_DAYS). */
  objectLock?: ObjectLockSpec;
  /** Clock of the retain-until date (default now). */
  now?: Date;
  /** The key the bundle's signature must verify under before anything is uploaded (default: its embedded key). */
  trustedKey?: KeyObject;
}

export interface UploadedObject {
  key: string;
  file: string;
  status: "written" | "already-present" | "conflict" | "readback-mismatch";
  detail?: string;
}

export interface UploadResult {
  ok: boolean;
  bucket: string;
  objects: UploadedObject[];
}

/** Thrown when a bundle does not verify: nothing is uploaded. */
export class UploadRefusedError extends UsageError {
  constructor(message: string) {
    super(message);
  }
}

function contentType(file: string): string {
  if (file.endsWith(".json")) return "application/json";
  if (file.endsWith(".jsonl")) return "application/x-ndjson";
  if (path.basename(file) === SUMS_FILE) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

function statusOf(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function isPreconditionFailed(e: unknown): boolean {
  const name = (e as { name?: string }).name;
  return name === "PreconditionFailed" || statusOf(e) === 412;
}

async function remoteChecksum(client: S3Client, bucket: string, key: string): Promise<string | undefined> {
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
  return head.ChecksumSHA256;
}

interface PutTarget {
  client: S3Client;
  bucket: string;
  kmsKeyId: string;
  lock: ObjectLockSpec;
  retainUntil: Date;
}

/** Uploads one object write-once, under Object Lock, and reads back its digest. */
async function putOnce(target: PutTarget, key: string, file: string, body: Buffer): Promise<UploadedObject> {
  const { client, bucket, kmsKeyId } = target;
  const checksum = sha256Base64(body);
  try {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: contentType(file),
        IfNoneMatch: "*",
        ServerSideEncryption: "aws:kms",
        SSEKMSKeyId: kmsKeyId,
        BucketKeyEnabled: true,
        ChecksumSHA256: checksum,
        ObjectLockMode: target.lock.mode,
        ObjectLockRetainUntilDate: target.retainUntil,
      }),
    );
  } catch (e) {
    if (!isPreconditionFailed(e)) throw e;
    const existing = await remoteChecksum(client, bucket, key);
    return existing === checksum
      ? { key, file, status: "already-present" }
      : { key, file, status: "conflict", detail: `${key} already exists with another digest; it is never overwritten` };
  }
  const readBack = await remoteChecksum(client, bucket, key);
  return readBack === checksum
    ? { key, file, status: "written" }
    : { key, file, status: "readback-mismatch", detail: `read-back sha256 ${readBack ?? "unavailable"} differs from ${checksum}` };
}

/**
 * Uploads a verified bundle: every file under the phase prefix, and the cost pair again at its run-control keys.
 * Refuses (throws) when the bundle does not verify.
 */
export async function uploadBundle(bundleDir: string, options: UploadOptions): Promise<UploadResult> {
  const verification = verifyBundle(bundleDir, { trustedKey: options.trustedKey });
  if (!verification.ok) throw new UploadRefusedError(`refusing to upload ${bundleDir}: ${verification.problems.join("; ")}`);
  const record = verification.record ?? {};
  const ctx: KeyContext = {
    platform_run_id: String(record.platform_run_id),
    phase_id: String(record.phase_id),
    phase_execution_id: String(record.phase_execution_id),
  };
  const { registry } = options;
  const bucket = options.bucket ?? evidenceBucket(registry);
  const kmsKeyId = options.kmsKeyId ?? registry.string("KMS_KEY_ALIAS_PLATFORM");
  const ladder = loadPhases(undefined, registry);
  const cost = record.cost as { envelope?: { bundle_path?: string }; receipt?: { bundle_path?: string } | null } | undefined;

  const lock = options.objectLock ?? evidenceObjectLock(registry);
  const target: PutTarget = { client: options.client, bucket, kmsKeyId, lock, retainUntil: retainUntil(lock, options.now ?? new Date()) };
  const uploads: Array<{ key: string; file: string }> = [...verification.files, SUMS_FILE, ENVELOPE_FILE].map((file) => ({
    key: bundleObjectKey(registry, ctx, file),
    file,
  }));
  if (cost?.envelope?.bundle_path)
    uploads.push({ key: runControlKey(registry, ladder.file.every_phase_evidence.envelope, ctx), file: cost.envelope.bundle_path });
  if (cost?.receipt?.bundle_path) uploads.push({ key: runControlKey(registry, ladder.file.every_phase_evidence.receipt, ctx), file: cost.receipt.bundle_path });

  const objects: UploadedObject[] = [];
  for (const u of uploads) {
    const body = fs.readFileSync(path.join(verification.dir, ...u.file.split("/")));
    objects.push(await putOnce(target, u.key, u.file, body));
  }
  return { ok: objects.every((o) => o.status === "written" || o.status === "already-present"), bucket, objects };
}
