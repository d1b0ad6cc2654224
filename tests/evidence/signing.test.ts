/**
 * Signed statements: the DSSE PAE matches the reference implementation (@sigstore/core), the local signer round
 * trips, the KMS signer calls Sign/GetPublicKey as KMS expects (aws-sdk-client-mock), and an emitted bundle's
 * envelope is parsed and verified by the Sigstore libraries (@sigstore/bundle, @sigstore/verify) with the public
 * key it carries.
 */
import { createHash, createPublicKey, generateKeyPairSync, sign } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { GetPublicKeyCommand, KMSClient, SignCommand, SignCommandInput } from "@aws-sdk/client-kms";
import { bundleFromJSON, envelopeFromJSON } from "@sigstore/bundle";
import { dsse } from "@sigstore/core";
import { PublicKeyDetails, TrustedRoot } from "@sigstore/protobuf-specs";
import { Verifier, toSignedEntity, toTrustMaterial } from "@sigstore/verify";
import { mockClient } from "aws-sdk-client-mock";
import { EvidenceUsageError, emitEvidence } from "../../src/evidence/emit";
import {
  IN_TOTO_PAYLOAD_TYPE,
  KmsSigner,
  LocalSigner,
  keyFingerprint,
  parseP256PublicKey,
  preAuthEncoding,
  signEnvelope,
  verifyEnvelope,
} from "../../src/evidence/signing";
import { TEST_SIGNER, passingOptions, tmpDir, writePlanDir } from "./fixtures";

const KEY_ARN = "arn:aws:kms:eu-west-2:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";

describe("DSSE", () => {
  it("builds the pre-authentication encoding of the DSSE protocol, byte for byte as @sigstore/core does", () => {
    const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1","é":1}', "utf8");
    const pae = preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload);
    expect(pae.equals(dsse.preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload))).toBe(true);
    const header = `DSSEv1 28 ${IN_TOTO_PAYLOAD_TYPE} ${payload.length} `;
    expect(pae.subarray(0, header.length).toString("ascii")).toBe(header);
    expect(pae.subarray(header.length).equals(payload)).toBe(true);
    // Lengths count bytes, not characters ("é" is two bytes).
    expect(payload.length).toBe('{"_type":"https://in-toto.io/Statement/v1","é":1}'.length + 1);
  });

  it("round-trips with the local signer and rejects another key, another payload type and a changed payload", async () => {
    const payload = Buffer.from('{"hello":"world"}');
    const envelope = await signEnvelope(TEST_SIGNER, payload);
    const key = parseP256PublicKey(await TEST_SIGNER.publicKeyPem(), "test key");
    expect(envelope).toMatchObject({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload: payload.toString("base64"), signatures: [{ keyid: keyFingerprint(key) }] });
    expect(verifyEnvelope(envelope, key)).toMatchObject({ ok: true, problems: [] });

    const other = parseP256PublicKey(await LocalSigner.generate().publicKeyPem(), "other key");
    expect(verifyEnvelope(envelope, other).problems).toEqual([expect.stringMatching(/no signature verifies under the trusted key/)]);
    expect(verifyEnvelope({ ...envelope, payload: Buffer.from('{"hello":"there"}').toString("base64") }, key).ok).toBe(false);
    expect(verifyEnvelope({ ...envelope, payloadType: "application/json" }, key).problems[0]).toMatch(/payloadType is "application\/json"/);
    expect(verifyEnvelope({ payload: "!!", signatures: [] }, key).problems).toEqual([
      "payloadType missing",
      "payload is not base64",
      "signatures must be a non-empty array",
    ]);
  });

  it("accepts only EC P-256 public keys", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(() => parseP256PublicKey(rsa, "rsa.pem")).toThrow(/rsa.pem: expected an EC P-256 key/);
    expect(() => parseP256PublicKey("not a key", "x.pem")).toThrow(/x.pem: not a PEM public key/);
  });
});

describe("KMS signer", () => {
  const kms = mockClient(KMSClient);
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const spki = publicKey.export({ type: "spki", format: "der" });
  /** Messages the fake KMS can sign: sha256 -> bytes (a DIGEST-mode KMS signs the message whose digest it gets). */
  const known = new Map<string, Buffer>();

  beforeEach(() => {
    kms.reset();
    known.clear();
    kms
      .on(GetPublicKeyCommand)
      .resolves({ KeyId: KEY_ARN, PublicKey: new Uint8Array(spki), KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY", SigningAlgorithms: ["ECDSA_SHA_256"] });
    kms.on(SignCommand).callsFake((input: SignCommandInput) => {
      const message = known.get(Buffer.from(input.Message as Uint8Array).toString("hex"));
      if (!message) throw new Error("fake KMS: unknown digest");
      return { KeyId: KEY_ARN, Signature: new Uint8Array(sign("sha256", message, privateKey)), SigningAlgorithm: "ECDSA_SHA_256" };
    });
  });
  afterAll(() => kms.restore());

  it("signs the SHA-256 digest of the PAE (MessageType DIGEST, ECDSA_SHA_256) and records the key ARN", async () => {
    const signer = new KmsSigner(new KMSClient({ region: "eu-west-2" }), "alias/fraud-platform-dev-full-evidence-signing");
    const payload = Buffer.alloc(6000, "x"); // larger than the 4096-byte RAW limit of KMS
    const pae = preAuthEncoding(IN_TOTO_PAYLOAD_TYPE, payload);
    known.set(createHash("sha256").update(pae).digest("hex"), pae);

    const envelope = await signEnvelope(signer, payload);
    const sign = kms.commandCalls(SignCommand)[0].args[0].input;
    expect(sign).toMatchObject({ KeyId: "alias/fraud-platform-dev-full-evidence-signing", MessageType: "DIGEST", SigningAlgorithm: "ECDSA_SHA_256" });
    expect(Buffer.from(sign.Message as Uint8Array).equals(createHash("sha256").update(pae).digest())).toBe(true);
    expect(envelope.signatures[0].keyid).toBe(KEY_ARN);
    expect(await signer.publicKeyPem()).toBe(createPublicKey({ key: spki, format: "der", type: "spki" }).export({ type: "spki", format: "pem" }).toString());
    expect(verifyEnvelope(envelope, publicKey).ok).toBe(true);
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
  });

  it("refuses a key that is not an ECC_NIST_P256 signing key (fail closed)", async () => {
    kms.on(GetPublicKeyCommand).resolves({ KeyId: KEY_ARN, PublicKey: new Uint8Array(spki), KeySpec: "SYMMETRIC_DEFAULT", KeyUsage: "ENCRYPT_DECRYPT" });
    const signer = new KmsSigner(new KMSClient({ region: "eu-west-2" }), "alias/fraud-platform-dev-full");
    await expect(signEnvelope(signer, Buffer.from("{}"))).rejects.toThrow(/expected an ECC_NIST_P256 SIGN_VERIFY key, found SYMMETRIC_DEFAULT ENCRYPT_DECRYPT/);
    expect(kms.commandCalls(SignCommand)).toHaveLength(0);
  });

  it("refuses to emit when the KMS key cannot be read (no credentials): a usage error, and no bundle is written", async () => {
    kms.on(GetPublicKeyCommand).rejects(new Error("Could not load credentials from any providers"));
    const out = tmpDir("sig-nokey");
    const signer = new KmsSigner(new KMSClient({ region: "eu-west-2" }), "alias/fraud-platform-dev-full-evidence-signing");
    const emit = emitEvidence({ ...passingOptions(writePlanDir(tmpDir("sig-nokey-plan")), out, "P(-1)", tmpDir("sig-nokey-supplied")), signer });
    await expect(emit).rejects.toThrow(EvidenceUsageError);
    await expect(emit).rejects.toThrow(/evidence signing key: Could not load credentials/);
    expect(fs.readdirSync(out)).toEqual([]);
  });
});

describe("an emitted bundle's envelope, read by the Sigstore libraries", () => {
  it("parses as a DSSE envelope over the statement and verifies as a Sigstore bundle with the bundle's public key", async () => {
    const r = await emitEvidence(passingOptions(writePlanDir(tmpDir("sig-plan")), tmpDir("sig-out"), "P(-1)", tmpDir("sig-supplied")));
    const envelope = JSON.parse(fs.readFileSync(path.join(r.dir, "statement.dsse.json"), "utf8")) as {
      payloadType: string;
      payload: string;
      signatures: Array<{ keyid: string; sig: string }>;
    };
    const parsed = envelopeFromJSON(envelope);
    expect(parsed.payloadType).toBe("application/vnd.in-toto+json");
    expect(parsed.payload.equals(fs.readFileSync(path.join(r.dir, "statement.intoto.json")))).toBe(true);
    expect(JSON.parse(parsed.payload.toString("utf8"))).toMatchObject({
      _type: "https://in-toto.io/Statement/v1",
      predicateType: "https://fraud-platform.dev/evidence/phase-record/v1",
    });

    const keyid = envelope.signatures[0].keyid;
    const bundle = bundleFromJSON({
      mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
      verificationMaterial: { publicKey: { hint: keyid }, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } },
      dsseEnvelope: envelope,
    });
    const root: TrustedRoot = {
      mediaType: "application/vnd.dev.sigstore.trustedroot.v0.2+json",
      tlogs: [],
      certificateAuthorities: [],
      ctlogs: [],
      timestampAuthorities: [],
    };
    const trustedKey = (pem: string) => ({
      rawBytes: createPublicKey(pem).export({ type: "spki", format: "der" }),
      keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
      validFor: { start: new Date(0) },
    });
    const options = { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 };
    const pem = fs.readFileSync(path.join(r.dir, "signing_key.pub.pem"), "utf8");
    expect(() => new Verifier(toTrustMaterial(root, { [keyid]: trustedKey(pem) }), options).verify(toSignedEntity(bundle))).not.toThrow();
    // The same envelope under another key is rejected by Sigstore too.
    const other = await LocalSigner.generate().publicKeyPem();
    expect(() => new Verifier(toTrustMaterial(root, { [keyid]: trustedKey(other) }), options).verify(toSignedEntity(bundle))).toThrow();
  });
});
