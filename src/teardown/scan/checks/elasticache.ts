/** ElastiCache replication groups and serverless caches (in scope by the tags ListTagsForResource returns). */
import { Finding, Tags, fromPairs, serviceCheck } from "../types";

const client = "@aws-sdk/client-elasticache";

export const elasticacheCheck = serviceCheck({
  id: "elasticache",
  description: "ElastiCache replication groups and serverless caches",
  commands: [
    { client, operation: "DescribeReplicationGroups", action: "elasticache:DescribeReplicationGroups" },
    { client, operation: "DescribeServerlessCaches", action: "elasticache:DescribeServerlessCaches" },
    { client, operation: "ListTagsForResource", action: "elasticache:ListTagsForResource" },
  ],
  async *scan({ elasticache }, ctx): AsyncGenerator<Finding> {
    const { ListTagsForResourceCommand, paginateDescribeReplicationGroups, paginateDescribeServerlessCaches } = await import("@aws-sdk/client-elasticache");
    const tagsOf = async (arn: string): Promise<Tags> => fromPairs((await elasticache.send(new ListTagsForResourceCommand({ ResourceName: arn }))).TagList);
    for await (const page of paginateDescribeReplicationGroups({ client: elasticache }, {})) {
      for (const g of page.ReplicationGroups ?? []) {
        if (!g.ARN || !ctx.inScope(await tagsOf(g.ARN))) continue;
        if (g.Status === "deleting") yield { kind: "deleting", arn: g.ARN, state: g.Status };
        else
          yield {
            kind: "resource",
            arn: g.ARN,
            name: g.ReplicationGroupId ?? "",
            detail: `status ${g.Status ?? "?"}, ${g.MemberClusters?.length ?? 0} x ${g.CacheNodeType ?? "?"}`,
            running: false,
          };
      }
    }
    for await (const page of paginateDescribeServerlessCaches({ client: elasticache }, {})) {
      for (const c of page.ServerlessCaches ?? []) {
        if (!c.ARN || !ctx.inScope(await tagsOf(c.ARN))) continue;
        if (c.Status === "deleting") yield { kind: "deleting", arn: c.ARN, state: c.Status };
        else yield { kind: "resource", arn: c.ARN, name: c.ServerlessCacheName ?? "", detail: `serverless, status ${c.Status ?? "?"}`, running: false };
      }
    }
  },
});
