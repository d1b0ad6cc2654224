/** Load balancers (hourly plus LCUs), in scope by the tags DescribeTags returns (20 ARNs a call). */
import { Finding, chunks, fromPairs, serviceCheck } from "../types";

const client = "@aws-sdk/client-elastic-load-balancing-v2";

export const loadBalancerCheck = serviceCheck({
  id: "elbv2",
  description: "load balancers (hourly + LCUs)",
  commands: [
    { client, operation: "DescribeLoadBalancers", action: "elasticloadbalancing:DescribeLoadBalancers" },
    { client, operation: "DescribeTags", action: "elasticloadbalancing:DescribeTags" },
  ],
  async *scan({ elbv2 }, ctx): AsyncGenerator<Finding> {
    const { DescribeTagsCommand, paginateDescribeLoadBalancers } = await import("@aws-sdk/client-elastic-load-balancing-v2");
    const lbs: Array<{ arn: string; name: string; detail: string }> = [];
    for await (const page of paginateDescribeLoadBalancers({ client: elbv2 }, {})) {
      for (const lb of page.LoadBalancers ?? [])
        if (lb.LoadBalancerArn)
          lbs.push({ arn: lb.LoadBalancerArn, name: lb.LoadBalancerName ?? "", detail: `${lb.Type ?? "?"}, state ${lb.State?.Code ?? "?"}` });
    }
    for (const batch of chunks(lbs, 20)) {
      const described = await elbv2.send(new DescribeTagsCommand({ ResourceArns: batch.map((b) => b.arn) }));
      const tagged = new Map((described.TagDescriptions ?? []).map((d) => [d.ResourceArn ?? "", fromPairs(d.Tags)]));
      for (const lb of batch) {
        if (ctx.inScope(tagged.get(lb.arn) ?? {})) yield { kind: "resource", arn: lb.arn, name: lb.name, detail: lb.detail, running: false };
      }
    }
  },
});
