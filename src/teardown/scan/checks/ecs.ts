/** ECS services with desired or running tasks (a service is in scope by its own tags or its cluster's). */
import { Finding, chunks, fromLowerPairs, serviceCheck } from "../types";

const client = "@aws-sdk/client-ecs";

export const ecsCheck = serviceCheck({
  id: "ecs",
  description: "ECS services with desired or running tasks",
  commands: [
    { client, operation: "ListClusters", action: "ecs:ListClusters" },
    { client, operation: "DescribeClusters", action: "ecs:DescribeClusters" },
    { client, operation: "ListServices", action: "ecs:ListServices" },
    { client, operation: "DescribeServices", action: "ecs:DescribeServices" },
  ],
  async *scan({ ecs }, ctx): AsyncGenerator<Finding> {
    const { DescribeClustersCommand, DescribeServicesCommand, paginateListClusters, paginateListServices } = await import("@aws-sdk/client-ecs");
    const clusterArns: string[] = [];
    for await (const page of paginateListClusters({ client: ecs }, {})) clusterArns.push(...(page.clusterArns ?? []));
    for (const batch of chunks(clusterArns, 100)) {
      const described = await ecs.send(new DescribeClustersCommand({ clusters: batch, include: ["TAGS"] }));
      for (const cluster of described.clusters ?? []) {
        if (!cluster.clusterArn) continue;
        const clusterInScope = ctx.inScope(fromLowerPairs(cluster.tags));
        const serviceArns: string[] = [];
        for await (const page of paginateListServices({ client: ecs }, { cluster: cluster.clusterArn })) serviceArns.push(...(page.serviceArns ?? []));
        for (const group of chunks(serviceArns, 10)) {
          const services = await ecs.send(new DescribeServicesCommand({ cluster: cluster.clusterArn, services: group, include: ["TAGS"] }));
          for (const svc of services.services ?? []) {
            if (!svc.serviceArn || svc.status === "INACTIVE") continue;
            const tags = fromLowerPairs(svc.tags);
            if (!clusterInScope && !ctx.inScope(tags)) continue;
            const desired = svc.desiredCount ?? 0;
            const running = (svc.runningCount ?? 0) + (svc.pendingCount ?? 0);
            const runId = tags[ctx.runIdKey];
            const detail = `desired ${desired}, running ${svc.runningCount ?? 0}, pending ${svc.pendingCount ?? 0}${runId ? `, run-scoped ${ctx.runIdKey}=${runId}` : ""}`;
            yield {
              kind: "resource",
              arn: svc.serviceArn,
              name: `${cluster.clusterName ?? ""}/${svc.serviceName ?? ""}`,
              detail,
              running: desired > 0 || running > 0,
              billsAtRest: false,
            };
          }
        }
      }
    }
  },
});
