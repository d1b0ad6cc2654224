/** The S3 window store under aws-sdk-client-mock: SSE-KMS puts, and a close that overwrites, never deletes (DA-30). */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { mockClient } from "aws-sdk-client-mock";
import { DeleteObjectCommand, GetObjectCommand, GetObjectCommandOutput, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { ACTIVE_WINDOW_KEY, s3WindowStore } from "../../src/window/store";
import { WindowRecord } from "../../src/window/window";

const record: WindowRecord = {
  version: "1",
  env: "dev_full",
  phase_id: "P5",
  phase_execution_id: "p5-20261203t100000z",
  platform_run_id: "run-1",
  opened_utc: "2026-12-03T10:00:00Z",
  deadline_utc: "2026-12-03T14:00:00Z",
  hours: 4,
  surfaces: ["msk"],
  stacks: ["dev-full-streaming"],
  max_spend_amount: "5.00",
  envelope_ref: "s3://b/evidence/dev_full/run_control/p5/phase_budget_envelope.json",
};
const body = (text: string) => ({ transformToString: () => Promise.resolve(text) }) as unknown as GetObjectCommandOutput["Body"];

describe("s3WindowStore", () => {
  const s3 = mockClient(S3Client);
  afterEach(() => s3.reset());
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), "window-store-"));

  it("closes by overwriting the record with a closed marker (SSE-KMS), never a delete, and reads the marker as no window", async () => {
    s3.on(PutObjectCommand).resolves({});
    const store = s3WindowStore(
      new S3Client({ region: "eu-west-2", credentials: { accessKeyId: "AKIAFAKE", secretAccessKey: "x" } }),
      "evidence-bucket",
      "alias/fraud-platform-dev-full",
      dir(),
    );
    await store.clear();
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({
      Bucket: "evidence-bucket",
      Key: ACTIVE_WINDOW_KEY,
      ServerSideEncryption: "aws:kms",
      SSEKMSKeyId: "alias/fraud-platform-dev-full",
    });
    expect(JSON.parse(String(puts[0].Body))).toMatchObject({ version: "1", state: "closed" });
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);

    s3.on(GetObjectCommand).resolves({ Body: body(String(puts[0].Body)) });
    expect(await store.get()).toBeUndefined();
  });

  it("reads an open record, and refuses a record it cannot read (fail closed)", async () => {
    const store = s3WindowStore(
      new S3Client({ region: "eu-west-2", credentials: { accessKeyId: "AKIAFAKE", secretAccessKey: "x" } }),
      "evidence-bucket",
      "k",
      dir(),
    );
    s3.on(GetObjectCommand)
      .resolvesOnce({ Body: body(JSON.stringify(record)) })
      .resolvesOnce({ Body: body(JSON.stringify({ version: "1", state: "closing" })) });
    expect(await store.get()).toEqual(record);
    await expect(store.get()).rejects.toThrow(/invalid window record/);
  });
});
