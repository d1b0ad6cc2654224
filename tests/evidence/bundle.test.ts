/**
 * Bundles on disk: deterministic bytes, coreutils-verifiable SHA256SUMS, an in-toto statement over the files,
 * tamper detection on re-read, append-only writes (never overwritten, a rerun gets a new execution id), and no
 * secret byte ever written.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BundleExistsError, IN_TOTO_STATEMENT_TYPE, PHASE_RECORD_PREDICATE_TYPE, SecretLeakError, verifyBundle, writeBundle } from "../../src/evidence/bundle";
import { canonicalJson, sha256Hex } from "../../src/evidence/digest";
import { EvidenceUsageError, emitEvidence } from "../../src/evidence/emit";
import { RUN_ID, TEST_SIGNER, passingOptions, readBundle, tmpDir, writePlanDir } from "./fixtures";

let planDir: string;
let evidenceDir: string;

beforeAll(() => {
  planDir = writePlanDir(tmpDir("bundle-plan"));
  evidenceDir = tmpDir("bundle-supplied");
});

const emitPm1 = (outRoot: string, extra: object = {}) => emitEvidence({ ...passingOptions(planDir, outRoot, "P(-1)", evidenceDir), ...extra });

describe("determinism", () => {
  it("gives the same bytes and digests for the same inputs, clock, operator and execution id (all but the randomized ECDSA signature)", async () => {
    const a = await emitPm1(tmpDir("bundle-a"));
    const b = await emitPm1(tmpDir("bundle-b"));
    expect(a.executionId).toBe(b.executionId);
    const filesA = readBundle(a.dir);
    const filesB = readBundle(b.dir);
    expect([...filesA.keys()].sort()).toEqual([...filesB.keys()].sort());
    for (const [name, bytes] of filesA) {
      if (name === "statement.dsse.json") continue;
      expect({ name, sha256: sha256Hex(bytes) }).toEqual({ name, sha256: sha256Hex(filesB.get(name) as Buffer) });
    }
    const envelope = (files: Map<string, Buffer>) =>
      JSON.parse((files.get("statement.dsse.json") as Buffer).toString("utf8")) as { payload: string; signatures: Array<{ sig: string }> };
    expect(envelope(filesA).payload).toBe(envelope(filesB).payload);
    expect(envelope(filesA).signatures[0].sig).not.toBe(envelope(filesB).signatures[0].sig);
  });

  it("changes the digests when an input changes (the clock)", async () => {
    const a = await emitPm1(tmpDir("bundle-a"));
    const b = await emitPm1(tmpDir("bundle-b"), { now: new Date("2026-03-01T10:00:01Z"), executionId: a.executionId });
    expect(fs.readFileSync(path.join(a.dir, "SHA256SUMS"), "utf8")).not.toBe(fs.readFileSync(path.join(b.dir, "SHA256SUMS"), "utf8"));
  });

  it("writes every JSON file in RFC 8785 canonical form", async () => {
    const r = await emitPm1(tmpDir("bundle-c"));
    for (const [name, bytes] of readBundle(r.dir)) {
      if (!name.endsWith(".json") || name.startsWith("supplied/")) continue;
      const text = bytes.toString("utf8");
      expect({ name, canonical: canonicalJson(JSON.parse(text)) === text }).toEqual({ name, canonical: true });
    }
  });
});

describe("integrity files", () => {
  it("lets coreutils verify a bundle without project code: sha256sum -c SHA256SUMS", async () => {
    const r = await emitPm1(tmpDir("bundle-sums"));
    const out = execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: r.dir }).toString();
    const lines = out.trim().split("\n");
    expect(lines.every((l) => l.endsWith(": OK"))).toBe(true);
    // Every file but SHA256SUMS itself and the detached signature envelope.
    expect(lines).toHaveLength(r.files.length - 2);
    expect(out).toContain("signing_key.pub.pem: OK");
    expect(out).toContain("supplied/image_digest_manifest.json: OK");
  });

  it("carries a manifest with the sha256 of every content file", async () => {
    const r = await emitPm1(tmpDir("bundle-man"));
    const manifest = JSON.parse(fs.readFileSync(path.join(r.dir, "manifest.json"), "utf8")) as {
      files: Array<{ path: string; sha256: string; bytes: number }>;
      phase_id: string;
      platform_run_id: string;
    };
    expect(manifest).toMatchObject({ phase_id: "P(-1)", platform_run_id: RUN_ID, phase_execution_id: r.executionId, written_at_utc: "2026-03-01T10:00:00Z" });
    expect(manifest.files.map((f) => f.path)).toEqual(
      r.files.filter((f) => !["manifest.json", "statement.intoto.json", "SHA256SUMS", "statement.dsse.json"].includes(f)),
    );
    for (const f of manifest.files) {
      const bytes = fs.readFileSync(path.join(r.dir, f.path));
      expect({ path: f.path, sha256: sha256Hex(bytes), bytes: bytes.length }).toEqual(f);
    }
  });

  it("carries an in-toto Statement v1 whose subjects are the bundle files and whose predicate is the phase record", async () => {
    const r = await emitPm1(tmpDir("bundle-intoto"));
    const statement = JSON.parse(fs.readFileSync(path.join(r.dir, "statement.intoto.json"), "utf8")) as {
      _type: string;
      subject: Array<{ name: string; digest: { sha256: string } }>;
      predicateType: string;
      predicate: unknown;
    };
    expect(statement._type).toBe(IN_TOTO_STATEMENT_TYPE);
    expect(statement._type).toBe("https://in-toto.io/Statement/v1");
    expect(statement.predicateType).toBe(PHASE_RECORD_PREDICATE_TYPE);
    expect(statement.subject.map((s) => s.name)).toEqual(
      r.files.filter((f) => f !== "statement.intoto.json" && f !== "SHA256SUMS" && f !== "statement.dsse.json"),
    );
    for (const s of statement.subject) expect(s.digest.sha256).toBe(sha256Hex(fs.readFileSync(path.join(r.dir, s.name))));
    expect(statement.predicate).toEqual(JSON.parse(fs.readFileSync(path.join(r.dir, "phase_record.json"), "utf8")));
  });
});

describe("tamper detection", () => {
  it("verifies an untouched bundle", async () => {
    const r = await emitPm1(tmpDir("bundle-ok"));
    expect(verifyBundle(r.dir)).toMatchObject({ ok: true, problems: [] });
  });

  it("reports an edited file, and sha256sum -c fails too", async () => {
    const r = await emitPm1(tmpDir("bundle-edit"));
    const file = path.join(r.dir, "phase_record.json");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('"verdict":"PASS"', '"verdict":"PASZ"'));
    const v = verifyBundle(r.dir);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^phase_record.json: sha256 mismatch .*tampered$/),
        "statement.intoto.json: predicate differs from phase_record.json",
      ]),
    );
    expect(spawnSync("sha256sum", ["--quiet", "-c", "SHA256SUMS"], { cwd: r.dir }).status).not.toBe(0);
  });

  it("reports added, deleted and consistently re-hashed files", async () => {
    const r = await emitPm1(tmpDir("bundle-more"));
    fs.writeFileSync(path.join(r.dir, "extra.json"), "{}");
    fs.rmSync(path.join(r.dir, "supplied", "packaging_provenance.json"));
    expect(verifyBundle(r.dir).problems).toEqual(
      expect.arrayContaining(["extra.json: present but not listed in SHA256SUMS", "supplied/packaging_provenance.json: listed in SHA256SUMS but missing"]),
    );

    // An edit with SHA256SUMS recomputed still contradicts the manifest and the in-toto statement.
    const s = await emitPm1(tmpDir("bundle-rehash"));
    const envelope = path.join(s.dir, "phase_budget_envelope.json");
    fs.writeFileSync(envelope, fs.readFileSync(envelope, "utf8").replace('"max_spend_amount":"0.4110"', '"max_spend_amount":"999.0000"'));
    const sums = fs
      .readFileSync(path.join(s.dir, "SHA256SUMS"), "utf8")
      .replace(/^[0-9a-f]{64}(?= {2}phase_budget_envelope\.json$)/m, sha256Hex(fs.readFileSync(envelope)));
    fs.writeFileSync(path.join(s.dir, "SHA256SUMS"), sums);
    expect(spawnSync("sha256sum", ["--quiet", "-c", "SHA256SUMS"], { cwd: s.dir }).status).toBe(0);
    expect(verifyBundle(s.dir).problems).toEqual([
      "phase_budget_envelope.json: digest in manifest.json differs from the file",
      "phase_budget_envelope.json: digest in statement.intoto.json differs from the file",
    ]);
  });
});

describe("append-only writes", () => {
  it("never overwrites a bundle: an explicit execution id that exists is refused and the bundle is unchanged", async () => {
    const out = tmpDir("bundle-once");
    const first = await emitPm1(out);
    const before = readBundle(first.dir);
    await expect(emitPm1(out, { executionId: first.executionId })).rejects.toThrow(EvidenceUsageError);
    await expect(emitPm1(out, { executionId: first.executionId })).rejects.toThrow(/already exists; evidence is never overwritten/);
    expect(readBundle(first.dir)).toEqual(before);
    await expect(
      writeBundle({
        dir: first.dir,
        files: [{ path: "x.json", content: "{}" }],
        manifest: { phase_id: "P(-1)", platform_run_id: RUN_ID, phase_execution_id: first.executionId, written_at_utc: "2026-03-01T10:00:00Z" },
        predicate: {},
        signer: TEST_SIGNER,
      }),
    ).rejects.toThrow(BundleExistsError);
    expect(readBundle(first.dir)).toEqual(before);
  });

  it("gives a rerun a new phase_execution_id (collision suffix) and leaves no staging directory behind", async () => {
    const out = tmpDir("bundle-rerun");
    const first = await emitPm1(out);
    const second = await emitPm1(out);
    const third = await emitPm1(out);
    expect([first.executionId, second.executionId, third.executionId]).toEqual([
      "m1_pm1_20260301T100000Z",
      "m1_pm1_20260301T100000Z_01",
      "m1_pm1_20260301T100000Z_02",
    ]);
    expect(fs.readdirSync(path.join(out, RUN_ID, "P(-1)")).sort()).toEqual([first.executionId, second.executionId, third.executionId]);
  });

  it("refuses to write any file that would carry a secret value, and writes nothing", async () => {
    const dir = path.join(tmpDir("bundle-secret"), "b");
    const manifest = { phase_id: "P0", platform_run_id: RUN_ID, phase_execution_id: "x", written_at_utc: "2026-03-01T10:00:00Z" };
    const secret = 'p@ss"word-123';
    await expect(
      writeBundle({
        dir,
        files: [{ path: "a.json", content: canonicalJson({ value: secret }) }],
        manifest,
        predicate: {},
        secrets: [secret],
        signer: TEST_SIGNER,
      }),
    ).rejects.toThrow(SecretLeakError);
    await expect(
      writeBundle({ dir, files: [{ path: "a.json", content: "{}" }], manifest, predicate: { leaked: secret }, secrets: [secret], signer: TEST_SIGNER }),
    ).rejects.toThrow(/statement.intoto.json would contain a secret value/);
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.readdirSync(path.dirname(dir))).toEqual([]);
  });

  it("refuses paths that escape the bundle or collide with the integrity files", async () => {
    const manifest = { phase_id: "P0", platform_run_id: RUN_ID, phase_execution_id: "x", written_at_utc: "2026-03-01T10:00:00Z" };
    const dir = path.join(tmpDir("bundle-path"), "b");
    for (const p of ["../x.json", "/etc/x", "a/../../x", ".hidden", "SHA256SUMS", "manifest.json", "statement.dsse.json", "signing_key.pub.pem"]) {
      await expect(writeBundle({ dir, files: [{ path: p, content: "{}" }], manifest, predicate: {}, signer: TEST_SIGNER })).rejects.toThrow();
    }
  });
});
