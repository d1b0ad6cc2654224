/**
 * Where the active window record and a window's evidence live:
 * - the evidence bucket (S3_EVIDENCE_BUCKET): the record at `evidence/dev_full/run_control/active_window.json`
 *   (where the scheduled idle guard reads it; a closed window leaves a `state: closed` marker there) and the envelope / receipt / daily posture under the run-control root
 *   of the window's phase_execution_id, each also written to a local directory for the operator;
 * - local files only (`--store local`): the same keys under a directory, for an operator without the bucket.
 */
import * as fs from "fs";
import * as path from "path";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { writeFileAtomic } from "../files";
import { InputError } from "../errors";
import type { SdkCall } from "../ops/ciAccess";
import { WINDOW_RECORD_VERSION, WindowRecord, WindowStore } from "./window";

/**
 * The AWS SDK commands the S3 window store sends and their IAM actions (the idle-guard role holds them). Objects
 * are SSE-KMS with the platform key, so a put also generates and a get decrypts a data key. Nothing is deleted
 * under `evidence/` (DA-30): closing the window overwrites the active record with a closed marker.
 */
export const WINDOW_STORE_CALLS: readonly SdkCall[] = [
  { client: "@aws-sdk/client-s3", operation: "GetObject", action: "s3:GetObject" },
  { client: "@aws-sdk/client-s3", operation: "PutObject", action: "s3:PutObject" },
];

export const ACTIVE_WINDOW_KEY = "evidence/dev_full/run_control/active_window.json";

/** What `clear()` leaves at {@link ACTIVE_WINDOW_KEY}: no window is active. */
export interface ClosedMarker {
  version: typeof WINDOW_RECORD_VERSION;
  state: "closed";
  closed_utc: string;
}

function parseRecord(text: string, where: string): WindowRecord | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`unreadable window record ${where}`, [{ file: where, key: "(document)", expected: "JSON", found: (e as Error).message }]);
  }
  if ((raw as Partial<ClosedMarker>)?.state === "closed" && (raw as Partial<ClosedMarker>).version === WINDOW_RECORD_VERSION) return undefined;
  const r = raw as Partial<WindowRecord>;
  const missing = (["phase_id", "phase_execution_id", "opened_utc", "deadline_utc", "max_spend_amount", "envelope_ref"] as const).filter(
    (k) => typeof r[k] !== "string",
  );
  if (r.version !== WINDOW_RECORD_VERSION || missing.length) {
    throw new InputError(`invalid window record ${where}`, [
      {
        file: where,
        key: missing.length ? missing.join(", ") : "version",
        expected: `a window record version ${WINDOW_RECORD_VERSION} written by npm run window -- open`,
        found: missing.length ? "missing" : JSON.stringify(r.version),
        fix: "close the window by hand (pulumi config set fraud-platform:window closed on every stack) and delete the record",
      },
    ]);
  }
  return r as WindowRecord;
}

export function localWindowStore(dir: string): WindowStore {
  const recordFile = path.join(dir, ACTIVE_WINDOW_KEY);
  return {
    async get() {
      return fs.existsSync(recordFile) ? parseRecord(fs.readFileSync(recordFile, "utf8"), recordFile) : undefined;
    },
    async put(record) {
      writeFileAtomic(recordFile, record);
    },
    async clear() {
      fs.rmSync(recordFile, { force: true });
    },
    async putEvidence(key, doc) {
      return writeFileAtomic(path.join(dir, key), doc as object);
    },
  };
}

function isNoSuchKey(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.name === "NoSuchKey" || err?.$metadata?.httpStatusCode === 404;
}

/** The evidence bucket (SSE-KMS with the platform key, as every evidence object), mirrored to `localDir`. */
export function s3WindowStore(client: S3Client, bucket: string, kmsKeyId: string, localDir: string): WindowStore {
  const local = localWindowStore(localDir);
  const put = (key: string, doc: unknown) =>
    client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: `${JSON.stringify(doc, null, 2)}\n`,
        ContentType: "application/json",
        ServerSideEncryption: "aws:kms",
        SSEKMSKeyId: kmsKeyId,
      }),
    );
  return {
    async get() {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: ACTIVE_WINDOW_KEY }));
        const text = (await out.Body?.transformToString()) ?? "";
        return parseRecord(text, `s3://${bucket}/${ACTIVE_WINDOW_KEY}`);
      } catch (e) {
        if (isNoSuchKey(e)) return undefined;
        throw e;
      }
    },
    async put(record) {
      await put(ACTIVE_WINDOW_KEY, record);
      await local.put(record);
    },
    async clear() {
      const marker: ClosedMarker = { version: WINDOW_RECORD_VERSION, state: "closed", closed_utc: new Date().toISOString() };
      await put(ACTIVE_WINDOW_KEY, marker);
      await local.clear();
    },
    async putEvidence(key, doc) {
      await put(key, doc);
      await local.putEvidence(key, doc);
      return `s3://${bucket}/${key}`;
    },
  };
}
