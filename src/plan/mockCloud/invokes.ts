/**
 * Answers for every invoke the stacks make, shaped like the provider's real results, in the stack's region.
 * (`getSubnet` is answered by the mock cloud itself: it reads the upstream stacks' subnet ids.)
 */
import { createECDH, createHash, createPublicKey } from "crypto";
import { PropertyMap, PropertyValue } from "../previewDocument";
import { MOCK_ACCOUNT_ID } from "./resource";
import { AwsRegion } from "./regions";

export type InvokeAnswer = (inputs: PropertyMap, region: AwsRegion) => Record<string, PropertyValue>;

export const INVOKES: Readonly<Record<string, InvokeAnswer>> = {
  "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, region) => ({
    id: region.code,
    names: ["a", "b", "c"].map((z) => `${region.code}${z}`),
    zoneIds: ["az1", "az2", "az3"].map((z) => `${region.short}-${z}`),
    groupNames: [region.code],
    state: "available",
  }),
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    id: MOCK_ACCOUNT_ID,
    accountId: MOCK_ACCOUNT_ID,
    arn: `arn:aws:sts::${MOCK_ACCOUNT_ID}:assumed-role/fraud-platform-dev-full-ci/plan`,
    userId: "AROAEXAMPLEPLANNER:plan",
  }),
  "aws:index/getRegion:getRegion": (_inputs, region) => ({
    id: region.code,
    name: region.code,
    region: region.code,
    description: region.location,
    endpoint: `ec2.${region.code}.amazonaws.com`,
  }),
  "aws:index/getPartition:getPartition": () => ({ id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" }),
  // An ECC_NIST_P256 public key derived from the key id, so the same plan gives the same PEM.
  "aws:kms/getPublicKey:getPublicKey": (inputs) => {
    const keyId = String(inputs.keyId ?? "");
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(createHash("sha256").update(`mock-kms-public-key:${keyId}`).digest());
    const spki = Buffer.concat([Buffer.from("3059301306072a8648ce3d020106082a8648ce3d030107034200", "hex"), ecdh.getPublicKey()]);
    const publicKeyPem = createPublicKey({ key: spki, format: "der", type: "spki" }).export({ type: "spki", format: "pem" }).toString();
    return {
      id: keyId,
      arn: keyId,
      keyId,
      publicKey: spki.toString("base64"),
      publicKeyPem,
      keyUsage: "SIGN_VERIFY",
      customerMasterKeySpec: "ECC_NIST_P256",
      signingAlgorithms: ["ECDSA_SHA_256"],
      encryptionAlgorithms: [],
    };
  },
};
