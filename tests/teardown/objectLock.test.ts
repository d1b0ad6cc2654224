/**
 * Teardown and the residual scan treat object-locked buckets as retained: an unprotected bucket with Object Lock is
 * a destroy blocker in the teardown plan, a bucket the plan locks is in the retained set, and a leftover bucket
 * whose Object Lock is enabled (read live with GetObjectLockConfiguration) is retained, not residual.
 */
import { GetObjectLockConfigurationCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { GetResourcesCommand } from "@aws-sdk/client-resource-groups-tagging-api";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { PreviewDocument } from "../../src/plan/previewDocument";
import { loadRegistry } from "../../src/registry/registry";
import { Layer } from "../../src/registry/schema";
import { teardownPlanOf } from "../../src/teardown/plan";
import { residualScan, retainedSetOf } from "../../src/teardown/residualScan";
import { ARN, REGION, SCOPE, cleanAccount } from "./fakes";

const registry = loadRegistry();
const NOW = new Date("2026-03-01T10:30:00Z");
const LOCKED = "arn:aws:s3:::fraud-platform-dev-full-audit-copy";
const PLAIN = "arn:aws:s3:::fraud-platform-dev-full-scratch";

function coreDoc(bucket: { name: string; protect: boolean; objectLockEnabled: boolean }): PreviewDocument {
  const urn = `urn:pulumi:dev-full-core::fraud-platform::aws:s3/bucket:Bucket::${bucket.name}`;
  return {
    stack: "dev-full-core",
    steps: [
      {
        op: "create",
        urn,
        newState: {
          urn,
          type: "aws:s3/bucket:Bucket",
          custom: true,
          protect: bucket.protect,
          retainOnDelete: bucket.protect,
          inputs: { bucket: bucket.name, forceDestroy: false, objectLockEnabled: bucket.objectLockEnabled },
        },
      },
    ],
  } as PreviewDocument;
}

describe("teardown plan", () => {
  it("blocks the destroy of an unprotected bucket with Object Lock, and lists locked buckets", () => {
    const plan = teardownPlanOf(
      "dev-full",
      new Map<Layer, PreviewDocument>([["core", coreDoc({ name: "fraud-platform-dev-full-audit-copy", protect: false, objectLockEnabled: true })]]),
      registry,
      "test",
    );
    const core = plan.stacks.find((s) => s.layer === "core");
    expect(core?.issues).toEqual([
      expect.objectContaining({ severity: "blocker", name: "fraud-platform-dev-full-audit-copy", reason: expect.stringMatching(/Object Lock is not protect/) }),
    ]);
    expect(plan.ok).toBe(false);
    expect(plan.objectLocked.map((r) => r.physicalName)).toEqual(["fraud-platform-dev-full-audit-copy"]);
  });

  it("raises no blocker for a protected locked bucket, nor an Object Lock blocker for an unlocked one", () => {
    const locked = teardownPlanOf(
      "dev-full",
      new Map<Layer, PreviewDocument>([["core", coreDoc({ name: "b1", protect: true, objectLockEnabled: true })]]),
      registry,
      "test",
    );
    expect(locked.stacks.flatMap((s) => s.issues)).toEqual([]);
    expect(locked.objectLocked.map((r) => r.physicalName)).toEqual(["b1"]);
    const plain = teardownPlanOf(
      "dev-full",
      new Map<Layer, PreviewDocument>([["core", coreDoc({ name: "b2", protect: false, objectLockEnabled: false })]]),
      registry,
      "test",
    );
    expect(plain.stacks.flatMap((s) => s.issues).map((i) => i.severity)).toEqual(["caution"]);
    expect(plain.objectLocked).toEqual([]);
  });

  it("puts a bucket the plan locks into the retained set of the residual scan", () => {
    const plan = teardownPlanOf(
      "dev-full",
      new Map<Layer, PreviewDocument>([["core", coreDoc({ name: "fraud-platform-dev-full-audit-copy", protect: false, objectLockEnabled: true })]]),
      registry,
      "test",
    );
    expect(retainedSetOf(registry, { plan }).find(LOCKED)).toMatchObject({ surface: "locked objects in fraud-platform-dev-full-audit-copy" });
    expect(retainedSetOf(registry).find(LOCKED)).toBeUndefined();
  });
});

describe("residual scan, live Object Lock", () => {
  const scanWith = async (answer: (s3: AwsClientStub<S3Client>) => void) => {
    const m = cleanAccount();
    m.tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [ARN.evidenceBucket, LOCKED, PLAIN].map((a) => ({ ResourceARN: a, Tags: SCOPE })) });
    const client = new S3Client({ region: REGION, credentials: { accessKeyId: "AKIAFAKEFAKEFAKEFAKE", secretAccessKey: "fake" } });
    const s3 = mockClient(client);
    s3.onAnyCommand().rejects(new Error("unmocked S3 call"));
    answer(s3);
    const result = await residualScan({
      clients: { ...m.clients, s3: client },
      registry,
      mode: "teardown",
      region: REGION,
      retained: retainedSetOf(registry),
      now: NOW,
    });
    return { result, s3 };
  };
  const notFound = () =>
    new S3ServiceException({
      name: "ObjectLockConfigurationNotFoundError",
      $fault: "client",
      $metadata: { httpStatusCode: 404 },
      message: "Object Lock configuration does not exist for this bucket",
    });

  it("retains a leftover bucket whose Object Lock is enabled and keeps an unlocked one residual", async () => {
    const { result, s3 } = await scanWith((s3) => {
      s3.on(GetObjectLockConfigurationCommand, { Bucket: "fraud-platform-dev-full-audit-copy" }).resolves({
        ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 365 } } },
      });
      s3.on(GetObjectLockConfigurationCommand, { Bucket: "fraud-platform-dev-full-scratch" }).rejects(notFound());
    });
    expect(result.retained_items.map((i) => i.arn)).toContain(LOCKED);
    expect(result.retained_items.find((i) => i.arn === LOCKED)?.why).toMatch(/Object Lock is enabled/);
    expect(result.residual_items.map((i) => i.arn)).toEqual([PLAIN]);
    expect(result.scan_complete).toBe(true);
    // The retained evidence bucket is not asked again.
    expect(
      s3
        .commandCalls(GetObjectLockConfigurationCommand)
        .map((c) => c.args[0].input.Bucket)
        .sort(),
    ).toEqual(["fraud-platform-dev-full-audit-copy", "fraud-platform-dev-full-scratch"]);
  });

  it("fails closed when the lock cannot be read: the bucket stays residual and the scan is incomplete", async () => {
    const { result } = await scanWith((s3) => s3.on(GetObjectLockConfigurationCommand).rejects(new Error("AccessDenied")));
    expect(result.residual_items.map((i) => i.arn).sort()).toEqual([LOCKED, PLAIN].sort());
    expect(result.scan_complete).toBe(false);
    expect(result.overall_pass).toBe(false);
  });
});
