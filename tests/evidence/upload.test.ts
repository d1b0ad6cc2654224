/**
 * Upload of a finished bundle to the evidence bucket, against an in-memory S3 (aws-sdk-client-mock): write-once
 * (`IfNoneMatch: "*"`), SSE-KMS, sha256 checksums read back, the cost pair also at its run-control keys, an
 * identical re-upload accepted, a different object never overwritten, and no delete ever sent.
 */
import * as fs from "fs";
import * as path from "path";
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectCommandInput,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { sha256Base64 } from "../../src/evidence/digest";
import { EmitResult, emitEvidence } from "../../src/evidence/emit";
import { UploadRefusedError, uploadBundle } from "../../src/evidence/upload";
import { LocalSigner, parseP256PublicKey } from "../../src/evidence/signing";
import { RUN_ID, TEST_SIGNER, passingOptions, registry, tmpDir, writePlanDir } from "./fixtures";

const s3 = mockClient(S3Client);
/** The fake bucket: key -> ChecksumSHA256. */
let bucket: Map<string, string>;
let bundle: EmitResult;

function preconditionFailed(): S3ServiceException {
  return new S3ServiceException({
    name: "PreconditionFailed",
    $fault: "client",
    $metadata: { httpStatusCode: 412 },
    message: "At least one of the pre-conditions you specified did not hold",
  });
}

/** A write-once bucket: PutObject with IfNoneMatch on an existing key fails with 412, like S3. */
function installBucket(): void {
  bucket = new Map();
  s3.reset();
  s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    const key = input.Key as string;
    if (input.IfNoneMatch === "*" && bucket.has(key)) throw preconditionFailed();
    bucket.set(key, sha256Base64(input.Body as Buffer));
    return {};
  });
  s3.on(HeadObjectCommand).callsFake((input: { Key: string }) => ({ ChecksumSHA256: bucket.get(input.Key) }));
}

beforeAll(async () => {
  const planDir = writePlanDir(tmpDir("up-plan"));
  bundle = await emitEvidence(passingOptions(planDir, tmpDir("up-out"), "P(-1)", tmpDir("up-supplied")));
});

beforeEach(installBucket);

afterAll(() => s3.restore());

const client = (): S3Client => new S3Client({ region: "eu-west-2" });

describe("uploadBundle", () => {
  it("writes every file once, SSE-KMS, with its sha256, under the phase prefix and the run-control keys", async () => {
    const result = await uploadBundle(bundle.dir, { client: client(), registry });
    expect(result.ok).toBe(true);
    expect(result.bucket).toBe("fraud-platform-dev-full-evidence");
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts).toHaveLength(bundle.files.length + 2);
    for (const put of puts) {
      expect(put).toMatchObject({
        Bucket: "fraud-platform-dev-full-evidence",
        IfNoneMatch: "*",
        ServerSideEncryption: "aws:kms",
        SSEKMSKeyId: registry.string("KMS_KEY_ALIAS_PLATFORM"),
        BucketKeyEnabled: true,
      });
      expect(put.ChecksumSHA256).toBe(sha256Base64(put.Body as Buffer));
    }
    const prefix = `evidence/runs/${RUN_ID}/P(-1)/${bundle.executionId}/`;
    expect(puts.map((p) => p.Key).sort()).toEqual(
      [
        ...bundle.files.map((f) => `${prefix}${f}`),
        `evidence/dev_full/run_control/${bundle.executionId}/phase_budget_envelope.json`,
        `evidence/dev_full/run_control/${bundle.executionId}/phase_cost_outcome_receipt.json`,
      ].sort(),
    );
    expect(result.objects.every((o) => o.status === "written")).toBe(true);
    // Every object was read back (HeadObject with checksum mode).
    expect(s3.commandCalls(HeadObjectCommand, { ChecksumMode: "ENABLED" })).toHaveLength(puts.length);
    // The uploaded bytes are the bundle's bytes.
    const record = puts.find((p) => p.Key === `${prefix}phase_record.json`);
    expect(record?.Body).toEqual(fs.readFileSync(path.join(bundle.dir, "phase_record.json")));
  });

  it("accepts an identical re-upload and never overwrites a different object", async () => {
    await uploadBundle(bundle.dir, { client: client(), registry });
    const again = await uploadBundle(bundle.dir, { client: client(), registry });
    expect(again.ok).toBe(true);
    expect(again.objects.every((o) => o.status === "already-present")).toBe(true);

    const key = `evidence/runs/${RUN_ID}/P(-1)/${bundle.executionId}/phase_record.json`;
    bucket.set(key, sha256Base64("someone else's record"));
    const conflict = await uploadBundle(bundle.dir, { client: client(), registry });
    expect(conflict.ok).toBe(false);
    expect(conflict.objects.find((o) => o.key === key)).toMatchObject({ status: "conflict", detail: expect.stringMatching(/never overwritten/) });
    expect(bucket.get(key)).toBe(sha256Base64("someone else's record"));
  });

  it("reports a read-back digest that differs from what was sent", async () => {
    s3.on(HeadObjectCommand).resolves({ ChecksumSHA256: sha256Base64("corrupted") });
    const result = await uploadBundle(bundle.dir, { client: client(), registry });
    expect(result.ok).toBe(false);
    expect(result.objects.every((o) => o.status === "readback-mismatch")).toBe(true);
  });

  it("refuses a bundle that does not verify, before any request", async () => {
    const copy = tmpDir("up-tampered");
    fs.cpSync(bundle.dir, copy, { recursive: true });
    fs.appendFileSync(path.join(copy, "phase_budget_envelope.json"), "\n");
    await expect(uploadBundle(copy, { client: client(), registry })).rejects.toThrow(UploadRefusedError);
    expect(s3.calls()).toHaveLength(0);
  });

  it("puts every object under Object Lock: GOVERNANCE until now + RETENTION_EVIDENCE_DAYS", async () => {
    const now = new Date("2026-03-01T12:00:00Z");
    const result = await uploadBundle(bundle.dir, { client: client(), registry, now });
    expect(result.ok).toBe(true);
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.length).toBeGreaterThan(0);
    const days = registry.number("RETENTION_EVIDENCE_DAYS");
    expect(days).toBe(365);
    for (const put of puts) {
      expect({ key: put.Key, mode: put.ObjectLockMode, until: put.ObjectLockRetainUntilDate?.toISOString() }).toEqual({
        key: put.Key,
        mode: "GOVERNANCE",
        until: "2027-03-01T12:00:00.000Z",
      });
      // Object Lock requires an integrity header on the request: the sha256 checksum is always there.
      expect(put.ChecksumSHA256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    }
    // The signature envelope is uploaded with the bundle.
    expect(puts.map((p) => p.Key)).toContain(`evidence/runs/${RUN_ID}/P(-1)/${bundle.executionId}/statement.dsse.json`);
  });

  it("refuses a bundle signed by another key than the trusted one, before any request", async () => {
    const trusted = parseP256PublicKey(await LocalSigner.generate().publicKeyPem(), "other key");
    await expect(uploadBundle(bundle.dir, { client: client(), registry, trustedKey: trusted })).rejects.toThrow(/is not the trusted key/);
    expect(s3.calls()).toHaveLength(0);
    const own = parseP256PublicKey(await TEST_SIGNER.publicKeyPem(), "test key");
    await expect(uploadBundle(bundle.dir, { client: client(), registry, trustedKey: own })).resolves.toMatchObject({ ok: true });
  });

  it("uses the bucket and key it is given", async () => {
    await uploadBundle(bundle.dir, { client: client(), registry, bucket: "other-evidence", kmsKeyId: "arn:aws:kms:eu-west-2:123456789012:key/abc" });
    for (const c of s3.commandCalls(PutObjectCommand))
      expect(c.args[0].input).toMatchObject({ Bucket: "other-evidence", SSEKMSKeyId: "arn:aws:kms:eu-west-2:123456789012:key/abc" });
  });

  afterEach(() => {
    // Append-only: nothing the uploader does may delete an object.
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
    for (const call of s3.calls()) {
      const command = call.args[0] as unknown;
      expect(command instanceof PutObjectCommand || command instanceof HeadObjectCommand).toBe(true);
    }
  });
});
