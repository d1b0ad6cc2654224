/** MSK clusters: cluster-hours bill while they exist. */
import { Finding, serviceCheck } from "../types";

export const mskCheck = serviceCheck({
  id: "msk",
  description: "MSK clusters (cluster-hours bill while they exist)",
  commands: [{ client: "@aws-sdk/client-kafka", operation: "ListClustersV2", action: "kafka:ListClustersV2" }],
  async *scan({ kafka }, ctx): AsyncGenerator<Finding> {
    const { paginateListClustersV2 } = await import("@aws-sdk/client-kafka");
    for await (const page of paginateListClustersV2({ client: kafka }, {})) {
      for (const c of page.ClusterInfoList ?? []) {
        if (!c.ClusterArn || !ctx.inScope(c.Tags ?? {})) continue;
        if (c.State === "DELETING") yield { kind: "deleting", arn: c.ClusterArn, state: c.State };
        else
          yield {
            kind: "resource",
            arn: c.ClusterArn,
            name: c.ClusterName ?? "",
            detail: `${c.ClusterType ?? "?"} cluster, state ${c.State ?? "?"}`,
            running: false,
          };
      }
    }
  },
});
