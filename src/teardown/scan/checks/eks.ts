/** EKS clusters (the control plane bills per hour) and their managed node groups (min or desired above zero). */
import { Finding, serviceCheck } from "../types";

const client = "@aws-sdk/client-eks";

export const eksCheck = serviceCheck({
  id: "eks",
  description: "EKS clusters (control plane) and managed node groups (min/desired > 0)",
  commands: [
    { client, operation: "ListClusters", action: "eks:ListClusters" },
    { client, operation: "DescribeCluster", action: "eks:DescribeCluster" },
    { client, operation: "ListNodegroups", action: "eks:ListNodegroups" },
    { client, operation: "DescribeNodegroup", action: "eks:DescribeNodegroup" },
  ],
  async *scan({ eks }, ctx): AsyncGenerator<Finding> {
    const { DescribeClusterCommand, DescribeNodegroupCommand, paginateListClusters, paginateListNodegroups } = await import("@aws-sdk/client-eks");
    for await (const page of paginateListClusters({ client: eks }, {})) {
      for (const name of page.clusters ?? []) {
        const cluster = (await eks.send(new DescribeClusterCommand({ name }))).cluster;
        if (!cluster?.arn || !ctx.inScope(cluster.tags ?? {})) continue;
        if (cluster.status === "DELETING") {
          yield { kind: "deleting", arn: cluster.arn, state: cluster.status };
          continue;
        }
        yield { kind: "resource", arn: cluster.arn, name, detail: `status ${cluster.status ?? "?"}`, running: false };
        for await (const ngPage of paginateListNodegroups({ client: eks }, { clusterName: name })) {
          for (const ngName of ngPage.nodegroups ?? []) {
            const ng = (await eks.send(new DescribeNodegroupCommand({ clusterName: name, nodegroupName: ngName }))).nodegroup;
            if (!ng?.nodegroupArn) continue;
            if (ng.status === "DELETING") {
              yield { kind: "deleting", arn: ng.nodegroupArn, state: ng.status };
              continue;
            }
            const s = ng.scalingConfig ?? {};
            const min = s.minSize ?? 0;
            const desired = s.desiredSize ?? 0;
            const detail = `scaling min ${min} / desired ${desired} / max ${s.maxSize ?? "?"}`;
            yield { kind: "resource", arn: ng.nodegroupArn, name: `${name}/${ngName}`, detail, running: min > 0 || desired > 0, billsAtRest: false };
          }
        }
      }
    }
  },
});
