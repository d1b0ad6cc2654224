/**
 * `npm run evidence -- verify`: a fresh ladder (P(-1), P0, P1 in one run) verifies; each tamper case makes verify
 * exit 1 and name the broken link: an edited file, edited sums, an edited statement, a bad signature, a bundle
 * rewritten consistently and re-signed with another key, a missing required field, a removed or replaced phase.
 * Bad input exits 2. From S3 (aws-sdk-client-mock), linked bundles are fetched on demand and every object must
 * carry an Object Lock retention.
 */
import * as fs from "fs";
import * as path from "path";
import {
  GetObjectCommand,
  GetObjectCommandInput,
  GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectsV2CommandInput,
  PutObjectCommand,
  PutObjectCommandInput,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { main } from "../../src/cli/main";
import { runVerify } from "../../src/cli/evidenceCommand";
import { ENVELOPE_FILE, SIGNING_KEY_FILE, STATEMENT_FILE, SUMS_FILE, BundleManifest, integrityFiles } from "../../src/evidence/bundle";
import { canonicalJson, sha256Base64, sha256Hex } from "../../src/evidence/digest";
import { EmitResult, emitEvidence } from "../../src/evidence/emit";
import { EvidenceSigner, LocalSigner, signEnvelope } from "../../src/evidence/signing";
import { uploadBundle } from "../../src/evidence/upload";
import { CLOCK, RUN_ID, TEST_SIGNER, closeLadderUpTo, passingOptions, registry, tmpDir, writePlanDir } from "./fixtures";

let planDir: string;
let evidenceDir: string;
/** The pristine ladder: P(-1), P0, P1 PASS in RUN_ID. */
let pristine: string;
let ladder: EmitResult[];

beforeAll(async () => {
  planDir = writePlanDir(tmpDir("vf-plan"));
  evidenceDir = tmpDir("vf-supplied");
  pristine = tmpDir("vf-out");
  ladder = await closeLadderUpTo("P2", planDir, pristine, evidenceDir);
}, 120_000);

/** A fresh copy of the pristine ladder; returns its out root and the bundle dirs by phase. */
function copy(): { root: string; run: string; bundle: (phase: string) => string } {
  const root = tmpDir("vf-copy");
  fs.cpSync(pristine, root, { recursive: true });
  const run = path.join(root, RUN_ID);
  return { root, run, bundle: (phase) => path.join(run, phase, (ladder.find((r) => r.record.phase_id === phase) as EmitResult).executionId) };
}

async function verify(target: string, opts: { publicKey?: string } = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runVerify(target, opts, { print: (t) => void out.push(t), printError: (t) => void err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const firstBroken = (out: string) => /^first broken link: (.*)$/m.exec(out)?.[1];

/** Rewrites a bundle consistently (manifest, statement, sums) after `mutate`, and signs it with `signer`. */
async function reseal(dir: string, signer: EvidenceSigner, mutate: (files: Map<string, Buffer>) => void): Promise<void> {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as BundleManifest;
  const files = new Map(manifest.files.map((f) => [f.path, fs.readFileSync(path.join(dir, f.path))]));
  files.set(SIGNING_KEY_FILE, Buffer.from(await signer.publicKeyPem()));
  mutate(files);
  const record = JSON.parse((files.get("phase_record.json") as Buffer).toString("utf8")) as unknown;
  const content = [...files].map(([p, c]) => ({ path: p, content: c }));
  const { files: _omit, manifest_version: _v, ...fields } = manifest;
  const integrity = integrityFiles(content, fields, record);
  for (const f of [...content, ...integrity]) fs.writeFileSync(path.join(dir, f.path), f.content);
  const statement = integrity.find((f) => f.path === STATEMENT_FILE)?.content as string;
  fs.writeFileSync(path.join(dir, ENVELOPE_FILE), canonicalJson(await signEnvelope(signer, Buffer.from(statement))));
}

const editRecord = (mutate: (record: Record<string, unknown>) => void) => (files: Map<string, Buffer>) => {
  const record = JSON.parse((files.get("phase_record.json") as Buffer).toString("utf8")) as Record<string, unknown>;
  mutate(record);
  files.set("phase_record.json", Buffer.from(canonicalJson(record)));
};

describe("a fresh ladder", () => {
  it("verifies a bundle and its chain down to P(-1), offline, with the local key, through npm run evidence -- verify", async () => {
    const { bundle } = copy();
    const r = await verify(bundle("P1"));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/: OK \(3 bundle\(s\); trusted key sha256:[0-9a-f]{64} from local key /);
    expect(
      r.out
        .split("\n")
        .filter((l) => l.startsWith("  ok "))
        .map((l) => l.split(" ").filter(Boolean)[1].split("/")[1]),
    ).toEqual(["P(-1)", "P0", "P1"]);
    expect(await main(["evidence", "verify", bundle("P0")])).toBe(0);
  });

  it("records the chain: each record names the previous phase's execution and statement digest", () => {
    const [pm1, p0, p1] = ladder;
    expect(pm1.record.chain).toEqual({ previous_phase_id: null, previous_phase_execution_id: null, previous_statement_sha256: null });
    expect(p0.record.chain).toEqual({
      previous_phase_id: "P(-1)",
      previous_phase_execution_id: pm1.executionId,
      previous_statement_sha256: sha256Hex(fs.readFileSync(path.join(pm1.dir, STATEMENT_FILE))),
    });
    expect(p1.record.chain.previous_statement_sha256).toBe(sha256Hex(fs.readFileSync(path.join(p0.dir, STATEMENT_FILE))));
  });

  it("verifies every bundle of a run directory, and prints JSON on request", async () => {
    const { run } = copy();
    const out: string[] = [];
    expect(await runVerify(run, { json: true }, { print: (t) => void out.push(t) })).toBe(0);
    const json = JSON.parse(out.join("")) as { ok: boolean; links: Array<{ phase_id: string; ok: boolean }> };
    expect(json.ok).toBe(true);
    expect(json.links.map((l) => [l.phase_id, l.ok])).toEqual([
      ["P(-1)", true],
      ["P0", true],
      ["P1", true],
    ]);
  });
});

describe("tamper cases: exit 1, the first broken link named", () => {
  it("an edited file", async () => {
    const { bundle } = copy();
    const file = path.join(bundle("P0"), "handle_materialization.json");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('"state":"materialized"', '"state":"pinned"'));
    const r = await verify(bundle("P1"));
    expect(r.code).toBe(1);
    expect(firstBroken(r.out)).toMatch(new RegExp(`^${RUN_ID}/P0/[^:]+: handle_materialization.json: sha256 mismatch .*tampered$`));
  });

  it("edited sums", async () => {
    const { bundle } = copy();
    const sums = path.join(bundle("P0"), SUMS_FILE);
    fs.writeFileSync(sums, fs.readFileSync(sums, "utf8").replace(/^[0-9a-f]{64}(?= {2}policy_report\.json$)/m, "0".repeat(64)));
    const r = await verify(bundle("P0"));
    expect(r.code).toBe(1);
    expect(firstBroken(r.out)).toMatch(/P0\/[^:]+: policy_report.json: sha256 mismatch \(recorded 000000000000/);
  });

  it("an edited statement (sums recomputed): the signature no longer covers it", async () => {
    const { bundle } = copy();
    const dir = bundle("P0");
    const statementFile = path.join(dir, STATEMENT_FILE);
    const statement = JSON.parse(fs.readFileSync(statementFile, "utf8")) as { predicate: { verdict: string; operator: string } };
    statement.predicate.operator = "someone-else@ci";
    fs.writeFileSync(statementFile, canonicalJson(statement));
    const sums = path.join(dir, SUMS_FILE);
    fs.writeFileSync(sums, fs.readFileSync(sums, "utf8").replace(/^[0-9a-f]{64}(?= {2}statement\.intoto\.json$)/m, sha256Hex(fs.readFileSync(statementFile))));
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(firstBroken(r.out)).toBe(`${RUN_ID}/P0/${path.basename(dir)}: statement.intoto.json: predicate differs from phase_record.json`);
    expect(r.out).toContain("statement.dsse.json: signed payload differs from statement.intoto.json");
  });

  it("a bad signature", async () => {
    const { bundle } = copy();
    const file = path.join(bundle("P(-1)"), ENVELOPE_FILE);
    const envelope = JSON.parse(fs.readFileSync(file, "utf8")) as { signatures: Array<{ sig: string }> };
    const sig = Buffer.from(envelope.signatures[0].sig, "base64");
    sig[sig.length - 1] ^= 0x01;
    envelope.signatures[0].sig = sig.toString("base64");
    fs.writeFileSync(file, canonicalJson(envelope));
    const r = await verify(bundle("P1"));
    expect(r.code).toBe(1);
    expect(firstBroken(r.out)).toMatch(/P\(-1\)\/[^:]+: statement.dsse.json: no signature verifies under the trusted key/);
  });

  it("a missing signature", async () => {
    const { bundle } = copy();
    fs.rmSync(path.join(bundle("P0"), ENVELOPE_FILE));
    const r = await verify(bundle("P0"));
    expect(r.code).toBe(1);
    expect(firstBroken(r.out)).toMatch(/statement.dsse.json: missing: the statement is unsigned$/);
  });

  it("a bundle rewritten consistently (record, manifest, statement, sums) and re-signed with another key", async () => {
    const { bundle } = copy();
    await reseal(
      bundle("P0"),
      LocalSigner.generate(),
      editRecord((r) => (r.operator = "attacker@laptop")),
    );
    // The digests alone are consistent again: coreutils and the digest checks accept the forgery.
    const r = await verify(bundle("P1"));
    expect(r.code).toBe(1);
    expect(firstBroken(r.out)).toMatch(
      /P0\/[^:]+: signing_key.pub.pem: sha256:[0-9a-f]{64} is not the trusted key sha256:[0-9a-f]{64}: signed by another key$/,
    );
    // And P1's link to it breaks: the statement it names is gone.
    expect(r.out).toMatch(
      /BROKEN platform_[^ ]+\/P1\/[^\n]+\n\s+chain: broken: [^ ]+\/P0\/[^ ]+ statement sha256 is [0-9a-f]{12}\.\.\., this record names [0-9a-f]{12}\.\.\. \(replaced\)/,
    );
  });

  it("a validly signed record that lacks a required field of the template", async () => {
    const { bundle } = copy();
    await reseal(
      bundle("P0"),
      TEST_SIGNER,
      editRecord((r) => delete r.rollback_note),
    );
    const r = await verify(bundle("P0"));
    expect(r.code).toBe(1);
    expect(firstBroken(r.out)).toMatch(/P0\/[^:]+: phase_record.json: required field rollback_note: /);
  });

  it("a removed phase", async () => {
    const { bundle, run } = copy();
    const p0 = bundle("P0");
    fs.rmSync(p0, { recursive: true });
    const r = await verify(bundle("P1"));
    expect(r.code).toBe(1);
    expect(firstBroken(r.out)).toBe(
      `${RUN_ID}/P1/${path.basename(bundle("P1"))}: chain: broken: the previous bundle ${RUN_ID}/P0/${path.basename(p0)} is missing (removed)`,
    );
    expect((await verify(run)).code).toBe(1);
  });

  it("a replaced phase: another, validly signed P0 in the place of the one P1 names", async () => {
    const { bundle } = copy();
    const other = await emitEvidence({
      ...passingOptions(planDir, tmpDir("vf-other"), "P0", evidenceDir),
      now: new Date(CLOCK.getTime() + 1000),
      executionId: path.basename(bundle("P0")),
    });
    // The other P0 (same run id and execution id, signed with the trusted key) is intact on its own: it closed FAIL
    // without a P(-1) in its run, so it names no link. Only P1's link to the P0 it was gated on breaks.
    fs.rmSync(bundle("P0"), { recursive: true });
    fs.cpSync(other.dir, bundle("P0"), { recursive: true });
    const r = await verify(bundle("P1"));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/ok {5}platform_[^ ]+\/P0\/[^ ]+ \(verdict FAIL\)/);
    expect(firstBroken(r.out)).toMatch(
      new RegExp(
        `^${RUN_ID}/P1/[^:]+: chain: broken: ${RUN_ID.replace(/[()]/g, "\\$&")}/P0/[^ ]+ statement sha256 is [0-9a-f]{12}\\.\\.\\., this record names [0-9a-f]{12}\\.\\.\\. \\(replaced\\)$`,
      ),
    );
  });
});

describe("trust and bad input", () => {
  it("never trusts a bundle's own key: a bundle signed by an unknown local key exits 2 without --public-key, and verifies with it", async () => {
    const signer = LocalSigner.generate();
    const r0 = await emitEvidence({ ...passingOptions(planDir, tmpDir("vf-foreign"), "P(-1)", evidenceDir), signer });
    const without = await verify(r0.dir);
    expect(without.code).toBe(2);
    expect(without.err).toMatch(/no trusted key for keyid sha256:[0-9a-f]{64}: pass --public-key FILE or --kms-key-id ID/);
    const keyFile = path.join(tmpDir("vf-key"), "key.pem");
    fs.writeFileSync(keyFile, await signer.publicKeyPem());
    expect((await verify(r0.dir, { publicKey: keyFile })).code).toBe(0);
    // A given key that did not sign the bundle: a broken link.
    const ours = path.join(tmpDir("vf-key"), "ours.pem");
    fs.writeFileSync(ours, await TEST_SIGNER.publicKeyPem());
    const wrong = await verify(r0.dir, { publicKey: ours });
    expect(wrong.code).toBe(1);
    expect(firstBroken(wrong.out)).toMatch(/signing_key.pub.pem: .* is not the trusted key/);
  });

  it("exits 2 on a missing directory, a directory without bundles, an unreadable key and a bad s3 URI", async () => {
    expect((await verify(path.join(tmpDir("vf-none"), "nope"))).code).toBe(2);
    const empty = await verify(tmpDir("vf-empty"));
    expect([empty.code, empty.err]).toEqual([2, expect.stringMatching(/no evidence bundle/)]);
    const { bundle } = copy();
    const badKey = await verify(bundle("P0"), { publicKey: path.join(tmpDir("vf-k"), "missing.pem") });
    expect(badKey.code).toBe(2);
    expect((await verify("s3://Not_A_Bucket")).code).toBe(2);
    expect(await main(["evidence", "verify"])).toBe(2);
  });
});

describe("from S3", () => {
  const s3 = mockClient(S3Client);
  /** key -> body and lock of each stored object. */
  let store: Map<string, { body: Buffer; mode?: string; until?: Date }>;

  beforeEach(async () => {
    store = new Map();
    s3.reset();
    s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
      store.set(input.Key as string, { body: input.Body as Buffer, mode: input.ObjectLockMode, until: input.ObjectLockRetainUntilDate as Date | undefined });
      return {};
    });
    s3.on(HeadObjectCommand).callsFake((input: { Key: string }) => ({ ChecksumSHA256: sha256Base64((store.get(input.Key) as { body: Buffer }).body) }));
    s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => ({
      Contents: [...store.keys()]
        .filter((k) => k.startsWith(input.Prefix ?? ""))
        .sort()
        .map((Key) => ({ Key })),
    }));
    s3.on(GetObjectCommand).callsFake((input: GetObjectCommandInput) => {
      const o = store.get(input.Key as string);
      if (!o) throw new Error(`NoSuchKey ${input.Key}`);
      const body = { transformToByteArray: () => Promise.resolve(new Uint8Array(o.body)) } as unknown as GetObjectCommandOutput["Body"];
      return { Body: body, ObjectLockMode: o.mode, ObjectLockRetainUntilDate: o.until };
    });
    const client = new S3Client({ region: "eu-west-2" });
    for (const r of ladder) await uploadBundle(r.dir, { client, registry });
  });
  afterAll(() => s3.restore());

  const s3Verify = async (uri: string) => {
    const out: string[] = [];
    const code = await runVerify(uri, {}, { s3: new S3Client({ region: "eu-west-2" }), print: (t) => void out.push(t), printError: (t) => void out.push(t) });
    return { code, out: out.join("\n") };
  };
  const p1Prefix = () => `s3://fraud-platform-dev-full-evidence/evidence/runs/${RUN_ID}/P1/${ladder[2].executionId}/`;

  it("verifies a bundle in the bucket and fetches the bundles its chain links to", async () => {
    const r = await s3Verify(p1Prefix());
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/OK \(3 bundle\(s\)/);
    const listed = s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.Prefix);
    expect(listed).toEqual([
      `evidence/runs/${RUN_ID}/P1/${ladder[2].executionId}/`,
      `evidence/runs/${RUN_ID}/P0/${ladder[1].executionId}/`,
      `evidence/runs/${RUN_ID}/P(-1)/${ladder[0].executionId}/`,
    ]);
  });

  it("names an object without Object Lock retention, and a replaced object, as broken links", async () => {
    const key = `evidence/runs/${RUN_ID}/P0/${ladder[1].executionId}/policy_report.json`;
    store.set(key, { ...(store.get(key) as { body: Buffer }), mode: undefined, until: undefined });
    const unlocked = await s3Verify(p1Prefix());
    expect(unlocked.code).toBe(1);
    expect(firstBroken(unlocked.out)).toBe(
      `${RUN_ID}/P0/${ladder[1].executionId}: policy_report.json: no Object Lock retention on s3://fraud-platform-dev-full-evidence/${key}`,
    );

    const record = `evidence/runs/${RUN_ID}/P(-1)/${ladder[0].executionId}/phase_record.json`;
    const stored = store.get(record) as { body: Buffer; mode?: string; until?: Date };
    store.set(record, { ...stored, body: Buffer.from(stored.body.toString("utf8").replace('"verdict":"PASS"', '"verdict":"FAIL"')) });
    const replaced = await s3Verify(p1Prefix());
    expect(firstBroken(replaced.out)).toMatch(/P\(-1\)\/[^:]+: phase_record.json: sha256 mismatch/);
  });

  it("exits 3 (internal error, never 0) when the bucket cannot be read", async () => {
    s3.on(ListObjectsV2Command).rejects(new Error("socket hang up"));
    const r = await s3Verify(p1Prefix());
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^internal error: socket hang up \(stack trace: .+\)$/);
  });

  it("exits 2 when the prefix holds no bundle", async () => {
    const r = await s3Verify(`s3://fraud-platform-dev-full-evidence/evidence/runs/platform_20990101T000000Z/`);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/no evidence bundle objects under this prefix/);
  });
});
