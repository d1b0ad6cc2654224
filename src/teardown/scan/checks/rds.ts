/** RDS/Aurora clusters: Serverless v2 bills ACU-hours at least at its minimum capacity. */
import { Finding, fromPairs, serviceCheck } from "../types";

export const rdsCheck = serviceCheck({
  id: "rds",
  description: "RDS/Aurora clusters (ACU-hours at least at the minimum capacity)",
  commands: [{ client: "@aws-sdk/client-rds", operation: "DescribeDBClusters", action: "rds:DescribeDBClusters" }],
  async *scan({ rds }, ctx): AsyncGenerator<Finding> {
    const { paginateDescribeDBClusters } = await import("@aws-sdk/client-rds");
    for await (const page of paginateDescribeDBClusters({ client: rds }, {})) {
      for (const c of page.DBClusters ?? []) {
        if (!c.DBClusterArn || !ctx.inScope(fromPairs(c.TagList))) continue;
        if (c.Status === "deleting") {
          yield { kind: "deleting", arn: c.DBClusterArn, state: c.Status };
          continue;
        }
        const sv2 = c.ServerlessV2ScalingConfiguration;
        const detail = `status ${c.Status ?? "?"}${sv2 ? `, Serverless v2 ${sv2.MinCapacity ?? "?"}-${sv2.MaxCapacity ?? "?"} ACU` : ""}${c.DeletionProtection ? ", deletion protection on" : ""}`;
        yield { kind: "resource", arn: c.DBClusterArn, name: c.DBClusterIdentifier ?? "", detail, running: false };
      }
    }
  },
});
