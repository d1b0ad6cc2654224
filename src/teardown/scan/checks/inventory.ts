/**
 * The Resource Groups Tagging API inventory of the environment's tags. It is read before any check (it gives the
 * account id for ARNs the EC2 API does not return) and evaluated after the direct checks: after a teardown,
 * every tagged resource no direct check reported and the retained set does not hold is residual. A leftover bucket
 * with S3 Object Lock enabled is retained (its locked objects cannot be deleted before their retention ends).
 */
import type { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import type { S3Client } from "@aws-sdk/client-s3";
import { parseArn } from "../arn";
import { Finding, InventoryItem, RecordedScanError, Tags, fromPairs, serviceCheck } from "../types";

export const INVENTORY_CALL = { client: "@aws-sdk/client-resource-groups-tagging-api", operation: "GetResources", action: "tag:GetResources" } as const;
export const OBJECT_LOCK_CALL = {
  client: "@aws-sdk/client-s3",
  operation: "GetObjectLockConfiguration",
  action: "s3:GetBucketObjectLockConfiguration",
} as const;

/** Every resource carrying the filter's tags, across every page. */
export async function readInventory(tagging: ResourceGroupsTaggingAPIClient, filter: Tags): Promise<InventoryItem[]> {
  const { paginateGetResources } = await import("@aws-sdk/client-resource-groups-tagging-api");
  const TagFilters = Object.entries(filter).map(([Key, v]) => ({ Key, Values: [v] }));
  const collected: InventoryItem[] = [];
  for await (const page of paginateGetResources({ client: tagging }, { TagFilters, ResourcesPerPage: 100 })) {
    for (const mapping of page.ResourceTagMappingList ?? [])
      if (mapping.ResourceARN) collected.push({ arn: mapping.ResourceARN, tags: fromPairs(mapping.Tags) });
  }
  return collected;
}

/** Whether a bucket has Object Lock enabled (`ObjectLockConfigurationNotFoundError`: no lock). */
async function bucketObjectLock(client: S3Client, bucket: string): Promise<{ enabled: boolean; error?: string }> {
  const { GetObjectLockConfigurationCommand } = await import("@aws-sdk/client-s3");
  try {
    const r = await client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    return { enabled: r.ObjectLockConfiguration?.ObjectLockEnabled === "Enabled" };
  } catch (e) {
    if ((e as { name?: string }).name === "ObjectLockConfigurationNotFoundError") return { enabled: false };
    return { enabled: false, error: (e as Error).message };
  }
}

export const inventoryCheck = serviceCheck({
  id: "tagging",
  description: "Resource Groups Tagging API inventory",
  describe: (filter) =>
    `Resource Groups Tagging API inventory (tags ${Object.entries(filter)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")})`,
  commands: [INVENTORY_CALL, OBJECT_LOCK_CALL],
  async *scan({ s3 }, ctx): AsyncGenerator<Finding> {
    // A failed read was recorded when it was made; the check reports it as its error.
    if (ctx.inventoryError !== undefined) throw new RecordedScanError(ctx.inventoryError);
    for (const { arn, tags } of ctx.inventory ?? []) {
      if (ctx.sorted(arn)) {
        yield { kind: "counted", arn };
        continue;
      }
      const p = parseArn(arn);
      if (ctx.mode === "teardown" && p?.service === "s3" && p.resourceType === "bucket" && !ctx.retained.find(arn) && s3) {
        const lock = await bucketObjectLock(s3, p.resourceId);
        if (lock.error) ctx.incomplete(`s3 object lock ${p.resourceId}: ${lock.error}`);
        if (lock.enabled) {
          yield {
            kind: "retained",
            arn,
            surface: `locked objects in ${p.resourceId}`,
            why: "S3 Object Lock is enabled: locked object versions cannot be deleted before their retention ends",
          };
          continue;
        }
      }
      const runId = tags[ctx.runIdKey];
      // Not running, and nothing at rest the switch could zero: residual after a teardown, retained or nothing when idle.
      yield {
        kind: "resource",
        arn,
        name: tags.Name ?? p?.resourceId ?? arn,
        detail: runId ? `run-scoped: ${ctx.runIdKey}=${runId}` : undefined,
        running: false,
        billsAtRest: false,
      };
    }
  },
});
