import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { signingKeyPolicy } from "../src/iam/keyPolicy";
import { Tags } from "../src/tags";

export interface EvidenceSigningKeyArgs {
  /** Alias of the key, e.g. `alias/fraud-platform-dev-full-evidence-signing`. */
  alias: string;
  /** Name tag of the key. */
  nameTag: string;
  /** Days a scheduled deletion waits (7-30). */
  deletionWindowInDays: number;
  /** Account id: the key policy admits the account only (signers and verifiers get kms:Sign / kms:GetPublicKey through IAM). */
  accountId: pulumi.Input<string>;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/** The key arguments of the evidence signing key (pure: the component passes them through). */
export function evidenceSigningKeyInputs(args: EvidenceSigningKeyArgs): aws.kms.KeyArgs {
  if (!args.alias.startsWith("alias/")) throw new Error(`evidence signing key: alias must start with "alias/", got ${JSON.stringify(args.alias)}`);
  if (args.deletionWindowInDays < 7 || args.deletionWindowInDays > 30)
    throw new Error(`evidence signing key: deletionWindowInDays must be 7-30, got ${args.deletionWindowInDays}`);
  return {
    description: "fraud-platform dev_full evidence signing key: ECDSA P-256 signatures of the evidence statements (DSSE)",
    keyUsage: "SIGN_VERIFY",
    customerMasterKeySpec: "ECC_NIST_P256",
    // KMS cannot rotate asymmetric keys; a new key is a new alias target and verifiers pin the public key.
    enableKeyRotation: false,
    deletionWindowInDays: args.deletionWindowInDays,
    multiRegion: false,
    policy: pulumi.output(args.accountId).apply((accountId) => JSON.stringify(signingKeyPolicy(accountId))),
    tags: { ...args.tags, Name: args.nameTag },
  };
}

/**
 * The asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs evidence statements, its alias and its public key
 * (PEM, read with `kms:GetPublicKey`). Evidence signed with it must stay verifiable after teardown: key and alias
 * are protected and retained on delete, like the platform key.
 */
export class EvidenceSigningKey extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;
  readonly aliasName: pulumi.Output<string>;
  /** SPKI PEM of the public key: what `npm run evidence -- verify --public-key` checks signatures with. */
  readonly publicKeyPem: pulumi.Output<string>;

  constructor(name: string, args: EvidenceSigningKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:core:EvidenceSigningKey", name, {}, opts);
    const retained = { parent: this, protect: true, retainOnDelete: true };
    const key = new aws.kms.Key(`${name}-key`, evidenceSigningKeyInputs(args), retained);
    const alias = new aws.kms.Alias(`${name}-alias`, { name: args.alias, targetKeyId: key.keyId }, retained);
    this.keyArn = key.arn;
    this.aliasName = alias.name;
    this.publicKeyPem = aws.kms.getPublicKeyOutput({ keyId: key.arn }, { parent: this }).publicKeyPem;
    this.registerOutputs({ keyArn: this.keyArn, aliasName: this.aliasName, publicKeyPem: this.publicKeyPem });
  }
}
