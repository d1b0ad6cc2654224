/**
 * EC2: NAT gateways (hourly plus per GB) and instances (instance-hours while running, EBS while stopped). The
 * EC2 API returns ids, not ARNs: they are built from the region and the account the scan knows.
 */
import { Finding, fromPairs, serviceCheck } from "../types";

const client = "@aws-sdk/client-ec2";

export const natGatewayCheck = serviceCheck({
  id: "ec2.nat",
  description: "NAT gateways (hourly + per GB)",
  commands: [{ client, operation: "DescribeNatGateways", action: "ec2:DescribeNatGateways" }],
  async *scan({ ec2 }, ctx): AsyncGenerator<Finding> {
    const { paginateDescribeNatGateways } = await import("@aws-sdk/client-ec2");
    const Filter = [...ctx.ec2TagFilters, { Name: "state", Values: ["pending", "available", "deleting"] }];
    for await (const page of paginateDescribeNatGateways({ client: ec2 }, { Filter })) {
      for (const nat of page.NatGateways ?? []) {
        if (!nat.NatGatewayId || !ctx.inScope(fromPairs(nat.Tags))) continue;
        const arn = `arn:aws:ec2:${ctx.region}:${ctx.account || "unknown"}:natgateway/${nat.NatGatewayId}`;
        if (nat.State === "deleting") yield { kind: "deleting", arn, state: nat.State };
        else yield { kind: "resource", arn, name: nat.NatGatewayId, detail: `state ${nat.State ?? "?"} in ${nat.VpcId ?? "?"}`, running: false };
      }
    }
  },
});

export const instanceCheck = serviceCheck({
  id: "ec2.instances",
  description: "EC2 instances (running: instance-hours; stopped: EBS)",
  commands: [{ client, operation: "DescribeInstances", action: "ec2:DescribeInstances" }],
  async *scan({ ec2 }, ctx): AsyncGenerator<Finding> {
    const { paginateDescribeInstances } = await import("@aws-sdk/client-ec2");
    const Filters = [...ctx.ec2TagFilters, { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] }];
    for await (const page of paginateDescribeInstances({ client: ec2 }, { Filters })) {
      for (const reservation of page.Reservations ?? []) {
        for (const i of reservation.Instances ?? []) {
          if (!i.InstanceId || !ctx.inScope(fromPairs(i.Tags))) continue;
          const owner = reservation.OwnerId ?? (ctx.account || "unknown");
          const state = i.State?.Name ?? "?";
          const runningRemedy = "stop or terminate it: the stacks declare no standalone instances, so it is drift (or a node of a group that must be at 0)";
          yield {
            kind: "resource",
            arn: `arn:aws:ec2:${ctx.region}:${owner}:instance/${i.InstanceId}`,
            name: i.InstanceId,
            detail: `${i.InstanceType ?? "?"}, state ${state}`,
            running: state === "pending" || state === "running",
            runningRemedy,
          };
        }
      }
    }
  },
});
