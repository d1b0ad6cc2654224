/**
 * Signing of evidence statements: a DSSE v1 envelope (secure-systems-lab/dsse `protocol.md`, in-toto attestation
 * `spec/v1/envelope.md`) over the bundle's in-toto statement, with payload type `application/vnd.in-toto+json`.
 *
 * The signature is ECDSA P-256 with SHA-256 over the DSSE pre-authentication encoding
 * `PAE = "DSSEv1" SP len(type) SP type SP len(body) SP body`, DER-encoded (what KMS returns for ECDSA_SHA_256 and
 * what Node's `crypto.verify` expects), base64 in the envelope. Two signers share one interface:
 * - {@link KmsSigner}: the asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) of the core stack, through the AWS SDK v3
 *   (`Sign` with `MessageType: DIGEST`, since a raw KMS message is limited to 4096 bytes; `GetPublicKey`);
 * - {@link LocalSigner}: a local P-256 key (PKCS#8 PEM file), for offline plans and tests.
 * Verification never trusts a key because it is in the envelope or the bundle: the caller passes the trusted key.
 */
import { KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { GetPublicKeyCommand, KMSClient, SignCommand } from "@aws-sdk/client-kms";

/** DSSE payload type of an in-toto statement (envelope.md). */
export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

export interface DsseSignature {
  keyid: string;
  /** base64 of the DER-encoded ECDSA signature over the PAE. */
  sig: string;
}

export interface DsseEnvelope {
  payloadType: string;
  /** base64 of the payload bytes (the statement file, byte for byte). */
  payload: string;
  signatures: DsseSignature[];
}

/** What signs statements: a key id (KMS key ARN or local fingerprint), its public key, and ECDSA P-256 signing. */
export interface EvidenceSigner {
  /** Human-readable kind, e.g. `kms` or `local`. */
  readonly kind: "kms" | "local";
  /** The public key (SPKI), as PEM. */
  publicKeyPem(): Promise<string>;
  /** Signs `message` (SHA-256, ECDSA P-256); returns the DER signature and the key id to record. */
  sign(message: Buffer): Promise<{ signature: Buffer; keyId: string }>;
}

/** DSSE v1 pre-authentication encoding. Lengths are byte lengths, in ASCII decimal. */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, "utf8");
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `, "ascii"), type, Buffer.from(` ${payload.length} `, "ascii"), payload]);
}

/** `sha256:<hex>` of a public key's SPKI DER: the key id of a local key, and how keys are compared. */
export function keyFingerprint(publicKey: KeyObject | string): string {
  const key = typeof publicKey === "string" ? createPublicKey(publicKey) : publicKey;
  return `sha256:${createHash("sha256")
    .update(key.export({ type: "spki", format: "der" }))
    .digest("hex")}`;
}

/** Parses a PEM public key and checks it is an EC P-256 key (the only kind evidence is signed with). */
export function parseP256PublicKey(pem: string, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (e) {
    throw new Error(`${what}: not a PEM public key (${(e as Error).message})`, { cause: e });
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== "ec" || curve !== "prime256v1")
    throw new Error(`${what}: expected an EC P-256 key, found ${key.asymmetricKeyType ?? "?"} ${curve ?? ""}`.trim());
  return key;
}

function spkiPem(der: Uint8Array): string {
  return createPublicKey({ key: Buffer.from(der), format: "der", type: "spki" })
    .export({ type: "spki", format: "pem" })
    .toString();
}

/** Signs a payload into a DSSE envelope with one signature. */
export async function signEnvelope(signer: EvidenceSigner, payload: Buffer, payloadType = IN_TOTO_PAYLOAD_TYPE): Promise<DsseEnvelope> {
  const { signature, keyId } = await signer.sign(preAuthEncoding(payloadType, payload));
  return { payloadType, payload: payload.toString("base64"), signatures: [{ keyid: keyId, sig: signature.toString("base64") }] };
}

export interface EnvelopeCheck {
  ok: boolean;
  problems: string[];
  /** The decoded payload, when the envelope is well-formed. */
  payload?: Buffer;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Shape check of a parsed envelope (fields, types, base64), without any key. */
export function envelopeShapeProblems(value: unknown): string[] {
  if (!value || typeof value !== "object" || Array.isArray(value)) return ["not a JSON object"];
  const e = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof e.payloadType !== "string") problems.push("payloadType missing");
  if (typeof e.payload !== "string" || !BASE64.test(e.payload) || e.payload.length % 4 !== 0) problems.push("payload is not base64");
  if (!Array.isArray(e.signatures) || e.signatures.length === 0) problems.push("signatures must be a non-empty array");
  else {
    e.signatures.forEach((s, i) => {
      const sig = s as Record<string, unknown> | null;
      if (!sig || typeof sig.sig !== "string" || !BASE64.test(sig.sig) || sig.sig.length === 0) problems.push(`signatures[${i}].sig is not base64`);
      if (sig && sig.keyid !== undefined && typeof sig.keyid !== "string") problems.push(`signatures[${i}].keyid is not a string`);
    });
  }
  return problems;
}

/**
 * Verifies an envelope against a trusted public key: well-formed, the expected payload type, and at least one
 * signature valid over the PAE under that key (DSSE: a verifier accepts when a trusted key verifies).
 */
export function verifyEnvelope(value: unknown, trusted: KeyObject, expectedPayloadType = IN_TOTO_PAYLOAD_TYPE): EnvelopeCheck {
  const shape = envelopeShapeProblems(value);
  if (shape.length) return { ok: false, problems: shape };
  const e = value as DsseEnvelope;
  const problems: string[] = [];
  if (e.payloadType !== expectedPayloadType) problems.push(`payloadType is ${JSON.stringify(e.payloadType)}, expected ${expectedPayloadType}`);
  const payload = Buffer.from(e.payload, "base64");
  const pae = preAuthEncoding(e.payloadType, payload);
  const valid = e.signatures.some((s) => verify("sha256", pae, trusted, Buffer.from(s.sig, "base64")));
  if (!valid) problems.push(`no signature verifies under the trusted key ${keyFingerprint(trusted)}: signature invalid or made with another key`);
  return { ok: problems.length === 0, problems, payload };
}

// ---------------------------------------------------------------------------------------------------------------
// Signers

/** A local ECDSA P-256 key in a PKCS#8 PEM file (offline plans, tests). */
export class LocalSigner implements EvidenceSigner {
  readonly kind = "local" as const;
  private readonly publicKey: KeyObject;

  constructor(private readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== "ec" || privateKey.asymmetricKeyDetails?.namedCurve !== "prime256v1")
      throw new Error("local evidence signing key: expected an EC P-256 private key");
    this.publicKey = createPublicKey(privateKey);
  }

  /** A fresh in-memory key (tests). */
  static generate(): LocalSigner {
    return new LocalSigner(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey);
  }

  /** Reads a PKCS#8 (or SEC1) PEM private key. */
  static fromPem(pem: string, what = "signing key"): LocalSigner {
    try {
      return new LocalSigner(createPrivateKey(pem));
    } catch (e) {
      throw new Error(`${what}: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * The key in `file`, created (mode 0600, exclusive create so concurrent callers agree on one key) when absent.
   */
  static fromFile(file: string, options: { create?: boolean } = {}): LocalSigner {
    if (!fs.existsSync(file)) {
      if (!options.create) throw new Error(`${file}: no local evidence signing key`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const pem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
      try {
        fs.writeFileSync(file, pem, { flag: "wx", mode: 0o600 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
    }
    return LocalSigner.fromPem(fs.readFileSync(file, "utf8"), file);
  }

  publicKeyPem(): Promise<string> {
    return Promise.resolve(this.publicKey.export({ type: "spki", format: "pem" }).toString());
  }

  sign(message: Buffer): Promise<{ signature: Buffer; keyId: string }> {
    return Promise.resolve({ signature: sign("sha256", message, this.privateKey), keyId: keyFingerprint(this.publicKey) });
  }
}

/** The asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) of the core stack, by id, ARN or alias. */
export class KmsSigner implements EvidenceSigner {
  readonly kind = "kms" as const;
  private publicKey?: Promise<{ pem: string; keyId: string }>;

  constructor(
    private readonly client: KMSClient,
    readonly keyId: string,
  ) {}

  /** Reads the public key once and checks the key is an ECC_NIST_P256 signing key (fail closed otherwise). */
  private describe(): Promise<{ pem: string; keyId: string }> {
    this.publicKey ??= this.client.send(new GetPublicKeyCommand({ KeyId: this.keyId })).then((r) => {
      if (r.KeySpec !== "ECC_NIST_P256" || r.KeyUsage !== "SIGN_VERIFY") {
        throw new Error(`KMS key ${this.keyId}: expected an ECC_NIST_P256 SIGN_VERIFY key, found ${r.KeySpec ?? "?"} ${r.KeyUsage ?? "?"}`);
      }
      if (!r.PublicKey) throw new Error(`KMS key ${this.keyId}: GetPublicKey returned no public key`);
      return { pem: spkiPem(r.PublicKey), keyId: r.KeyId ?? this.keyId };
    });
    return this.publicKey;
  }

  async publicKeyPem(): Promise<string> {
    return (await this.describe()).pem;
  }

  async sign(message: Buffer): Promise<{ signature: Buffer; keyId: string }> {
    const { keyId } = await this.describe();
    const digest = createHash("sha256").update(message).digest();
    const r = await this.client.send(new SignCommand({ KeyId: this.keyId, Message: digest, MessageType: "DIGEST", SigningAlgorithm: "ECDSA_SHA_256" }));
    if (!r.Signature) throw new Error(`KMS Sign with ${this.keyId} returned no signature`);
    return { signature: Buffer.from(r.Signature), keyId: r.KeyId ?? keyId };
  }
}

/** The public key of a KMS key (GetPublicKey), as PEM: the trust anchor `evidence verify --kms-key-id` uses. */
export async function kmsPublicKeyPem(client: KMSClient, keyId: string): Promise<string> {
  return new KmsSigner(client, keyId).publicKeyPem();
}

// ---------------------------------------------------------------------------------------------------------------
// Default signers

/** The local signing key of offline runs on this machine (git-ignored, created on first use). */
export const DEFAULT_LOCAL_KEY_FILE = path.join(path.resolve(__dirname, "..", ".."), ".substrate", "keys", "evidence-signing-key.pem");

/**
 * The signer of a source kind: real stacks sign with the core stack's KMS key (the registry's
 * KMS_KEY_ALIAS_EVIDENCE_SIGNING in AWS_REGION); offline plans with the local key file (created when absent).
 */
export function defaultSigner(kind: "plan" | "stacks", kms: { alias: string; region: string }, localKeyFile = DEFAULT_LOCAL_KEY_FILE): EvidenceSigner {
  if (kind === "stacks") return new KmsSigner(new KMSClient({ region: kms.region }), kms.alias);
  return LocalSigner.fromFile(localKeyFile, { create: true });
}
