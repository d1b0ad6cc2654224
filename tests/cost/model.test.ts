/**
 * The cost model on representative resources, against figures computed by hand from pricing/prices.yaml and
 * the fixed test profile (tests/cost/fixtures.ts: runtime windows 40 h, streaming 50 h, network 100 h).
 */
import fc from "fast-check";
import { costReportOf } from "../../src/cost/costReport";
import { Decimal } from "../../src/cost/decimal";
import { costInputsOf, fromState } from "../../src/cost/inputs";
import { PricedResource, priceStack } from "../../src/cost/model";
import { PreviewDocument, ResourceState, UNKNOWN } from "../../src/plan/previewDocument";
import { referenceRuntime, res, stackDoc, testDeps, urn } from "./fixtures";

const RT = "dev-full-runtime";
const ST = "dev-full-streaming";

function price(doc: PreviewDocument, deps = testDeps()): PricedResource[] {
  return priceStack(costInputsOf(doc), deps);
}

function byName(priced: PricedResource[], name: string): PricedResource {
  const r = priced.find((p) => p.input.name === name);
  if (!r) throw new Error(`no ${name}`);
  return r;
}

/** Monthly costs as 4-decimal strings (null stays null). */
function monthly(r: PricedResource): Record<string, string | null> {
  return Object.fromEntries(Object.entries(r.monthly).map(([k, v]) => [k, v === null ? null : v.toFixed(4)]));
}

function component(r: PricedResource, sku: string) {
  const c = r.components.find((x) => x.spec.sku === sku);
  if (!c) throw new Error(`no component ${sku} on ${r.input.name}`);
  return {
    quantity: Object.fromEntries(Object.entries(c.quantity).map(([k, v]) => [k, v.toString()])),
    cost: Object.fromEntries(Object.entries(c.cost).map(([k, v]) => [k, v?.toFixed(4) ?? null])),
  };
}

describe("EKS cluster + managed node group", () => {
  const cluster = res(RT, "aws:eks/cluster:Cluster", "eks", { name: "fraud-platform-dev-full", upgradePolicy: { supportType: "STANDARD" } });
  const lt = res(RT, "aws:ec2/launchTemplate:LaunchTemplate", "nodes-lt", {
    name: "nodes-lt",
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 30, volumeType: "gp3" } }],
  });
  const nodeGroup = (min: number, extra: object = {}) =>
    res(
      RT,
      "aws:eks/nodeGroup:NodeGroup",
      "workers",
      {
        instanceTypes: ["t3.medium"],
        scalingConfig: { desiredSize: 2, minSize: min, maxSize: 4 },
        launchTemplate: { name: "nodes-lt", version: "1" },
        ...extra,
      },
      { dependencies: [cluster.urn, lt.urn] },
    );

  it("prices the control plane at 0.10/h: 730 h always-on, 40 runtime-window hours, nothing once torn down", () => {
    const r = byName(price(stackDoc(RT, cluster)), "eks");
    expect(monthly(r)).toEqual({ alwaysOn: "73.0000", proofWindow: "4.0000", idleSafe: "0.0000" });
    expect(r.notes).toEqual([]);
  });

  it("keeps billing the control plane at idle when the cluster is protected", () => {
    const r = byName(price(stackDoc(RT, { ...cluster, protect: true })), "eks");
    expect(monthly(r)).toEqual({ alwaysOn: "73.0000", proofWindow: "73.0000", idleSafe: "73.0000" });
  });

  it("prices 2 x t3.medium (0.0472/h) with 30 GB gp3 root volumes (0.0928/GB-month) from the launch template", () => {
    const r = byName(price(stackDoc(RT, cluster, lt, nodeGroup(0))), "workers");
    // instances: 2 x 730 x 0.0472 = 68.912; 2 x 40 x 0.0472 = 3.776
    expect(component(r, "ec2.t3.medium").cost).toEqual({ alwaysOn: "68.9120", proofWindow: "3.7760", idleSafe: "0.0000" });
    // volumes: 60 GB x 0.0928 = 5.568 a month; 60 GB x 40/730 of a month x 0.0928 = 0.30510
    expect(component(r, "ebs.gp3.gb-month")).toEqual({
      quantity: { alwaysOn: "60", proofWindow: "3.287671", idleSafe: "0" },
      cost: { alwaysOn: "5.5680", proofWindow: "0.3051", idleSafe: "0.0000" },
    });
    expect(monthly(r)).toEqual({ alwaysOn: "74.4800", proofWindow: "4.0811", idleSafe: "0.0000" });
    expect(r.unpricedReasons).toEqual([]);
  });

  it("bills the minimum size between windows and after teardown (DA-93), and says so", () => {
    const r = byName(price(stackDoc(RT, cluster, lt, nodeGroup(1))), "workers");
    // 2 x 40 x 0.0472 + 1 x 690 x 0.0472 = 3.776 + 32.568; idle 1 x 730 x 0.0472 = 34.456
    expect(component(r, "ec2.t3.medium").cost).toEqual({ alwaysOn: "68.9120", proofWindow: "36.3440", idleSafe: "34.4560" });
    expect(r.notes.join(" ")).toMatch(/minSize 1 keeps 1 node\(s\) billing between windows/);
  });

  it("flags the default gp2 node disk as unpriced (no London gp2 price), never as 0, and keeps the known part", () => {
    const r = byName(
      price(
        stackDoc(
          RT,
          cluster,
          res(RT, "aws:eks/nodeGroup:NodeGroup", "workers", { instanceTypes: ["t3.medium"], scalingConfig: { desiredSize: 2, minSize: 0, maxSize: 4 } }),
        ),
      ),
      "workers",
    );
    expect(component(r, "ebs.gp2.gb-month").cost).toEqual({ alwaysOn: null, proofWindow: null, idleSafe: "0.0000" });
    expect(r.unpricedReasons).toEqual(["SKU ebs.gp2.gb-month has no price (usd: null)"]);
    expect(monthly(r).alwaysOn).toBe("68.9120");
  });

  it("prices an eks:index:Cluster component from its inputs only while its children are not in the document", () => {
    const component = res(
      RT,
      "eks:index:Cluster",
      "exception",
      {
        skipDefaultNodeGroup: false,
        desiredCapacity: 2,
        minSize: 0,
        maxSize: 2,
        instanceType: "t3.medium",
        nodeRootVolumeType: "gp3",
        nodeRootVolumeSize: 20,
        upgradePolicy: { supportType: "STANDARD" },
      },
      { custom: false },
    );
    const alone = byName(price(stackDoc(RT, component)), "exception");
    // 0.10 + 2 x 0.0472 per hour, plus 40 GB gp3: 73 + 68.912 + 3.712
    expect(monthly(alone).alwaysOn).toBe("145.6240");
    const child = res(RT, "aws:eks/cluster:Cluster", "exception-eksCluster", {}, { parent: component.urn });
    const withChild = price(stackDoc(RT, component, child));
    expect(byName(withChild, "exception").free).toMatch(/component/);
  });
});

describe("MSK Serverless", () => {
  const cluster = res(ST, "aws:msk/serverlessCluster:ServerlessCluster", "msk", { clusterName: "fraud-platform-dev-full-msk" });
  const topic = (name: string, partitions: number) => res(ST, "kafka:index/topic:Topic", name, { name, partitions, replicationFactor: 3 });

  it("bills cluster-hours, partition-hours of the stack's topics, storage and data (12 partitions)", () => {
    const priced = price(stackDoc(ST, cluster, topic("fp.bus.a.v1", 6), topic("fp.bus.b.v1", 3), topic("fp.bus.c.v1", 3)));
    const r = byName(priced, "msk");
    expect(component(r, "msk.serverless.cluster-hour").cost).toEqual({ alwaysOn: "547.5000", proofWindow: "37.5000", idleSafe: "0.0000" });
    // 12 x 730 x 0.0015 = 13.14; 12 x 50 x 0.0015 = 0.9
    expect(component(r, "msk.serverless.partition-hour").cost).toEqual({ alwaysOn: "13.1400", proofWindow: "0.9000", idleSafe: "0.0000" });
    // 10 GB x 0.10 a month; 10 GB for 50 of 730 hours = 0.068493
    expect(component(r, "msk.serverless.storage.gb-month").cost).toEqual({ alwaysOn: "1.0000", proofWindow: "0.0685", idleSafe: "0.0000" });
    // 1 GB in x 0.10 and 2 GB out x 0.05 per window hour
    expect(component(r, "msk.serverless.gb-in").cost).toEqual({ alwaysOn: "73.0000", proofWindow: "5.0000", idleSafe: "0.0000" });
    expect(component(r, "msk.serverless.gb-out").cost).toEqual({ alwaysOn: "73.0000", proofWindow: "5.0000", idleSafe: "0.0000" });
    expect(monthly(r)).toEqual({ alwaysOn: "707.6400", proofWindow: "48.4685", idleSafe: "0.0000" });
    expect(priced.filter((p) => p.input.type === "kafka:index/topic:Topic").every((p) => p.free)).toBe(true);
  });

  it("falls back to the registry's 57 catalog partitions when the stack declares no topics", () => {
    const r = byName(price(stackDoc(ST, cluster)), "msk");
    expect(component(r, "msk.serverless.partition-hour").quantity.alwaysOn).toBe("41610"); // 57 x 730
    expect(r.notes.join(" ")).toMatch(/catalog of 14 topics/);
  });

  it("is unpriced, not 0, when a topic's partition count is unknown at preview", () => {
    const r = byName(price(stackDoc(ST, cluster, topic("fp.bus.a.v1", 6), res(ST, "kafka:index/topic:Topic", "x", { partitions: UNKNOWN }))), "msk");
    expect(r.unpricedReasons).toEqual(["input x.partitions is not known at preview"]);
    expect(r.monthly).toEqual({ alwaysOn: null, proofWindow: null, idleSafe: null });
  });

  it("keeps the cluster floor (cluster + partitions + storage) at idle when protected", () => {
    const r = byName(price(stackDoc(ST, { ...cluster, protect: true }, topic("fp.bus.a.v1", 6), topic("fp.bus.b.v1", 3), topic("fp.bus.c.v1", 3))), "msk");
    expect(monthly(r).idleSafe).toBe("561.6400"); // 547.5 + 13.14 + 1
  });
});

describe("Aurora Serverless v2 ACU range", () => {
  const [cluster, writer, reader] = [
    res(RT, "aws:rds/cluster:Cluster", "aurora", {
      clusterIdentifier: "fraud-platform-dev-full-aurora",
      engine: "aurora-postgresql",
      serverlessv2ScalingConfiguration: { minCapacity: 0.5, maxCapacity: 8 },
    }),
    res(RT, "aws:rds/clusterInstance:ClusterInstance", "aurora-writer", {
      clusterIdentifier: "fraud-platform-dev-full-aurora",
      instanceClass: "db.serverless",
    }),
    res(RT, "aws:rds/clusterInstance:ClusterInstance", "aurora-reader", {
      clusterIdentifier: "fraud-platform-dev-full-aurora",
      instanceClass: "db.serverless",
    }),
  ];

  it("runs each instance at min + 10% of the range (1.25 ACU) in windows, at 0.14/ACU-hour", () => {
    const priced = price(stackDoc(RT, cluster, writer, reader));
    for (const name of ["aurora-writer", "aurora-reader"]) {
      // 1.25 x 730 x 0.14 = 127.75; 1.25 x 40 x 0.14 = 7
      expect(monthly(byName(priced, name))).toEqual({ alwaysOn: "127.7500", proofWindow: "7.0000", idleSafe: "0.0000" });
    }
    // 10 GB x 0.10; for 40 of 730 hours when not retained = 0.054795
    expect(monthly(byName(priced, "aurora"))).toEqual({ alwaysOn: "1.0000", proofWindow: "0.0548", idleSafe: "0.0000" });
  });

  it("bills the 0.5 ACU floor between windows and after teardown when protected (0.07/h, the reference's idle bill)", () => {
    const priced = price(stackDoc(RT, { ...cluster, protect: true }, { ...writer, protect: true }));
    // 7 + 0.5 x 690 x 0.14 = 55.3; 0.5 x 730 x 0.14 = 51.1
    expect(monthly(byName(priced, "aurora-writer"))).toEqual({ alwaysOn: "127.7500", proofWindow: "55.3000", idleSafe: "51.1000" });
  });

  it("prices nothing idle with a 0 ACU minimum (auto-pause)", () => {
    const paused = { ...cluster, protect: true, inputs: { ...cluster.inputs, serverlessv2ScalingConfiguration: { minCapacity: 0, maxCapacity: 8 } } };
    const r = byName(price(stackDoc(RT, paused, { ...writer, protect: true })), "aurora-writer");
    expect(monthly(r).idleSafe).toBe("0.0000");
    expect(r.notes.join(" ")).toMatch(/auto-pause/);
  });

  it("is unpriced when its cluster is not in the stack", () => {
    expect(byName(price(stackDoc(RT, writer, reader)), "aurora-writer").unpricedReasons).toEqual(["its Aurora cluster (and ACU range) is not in this stack"]);
  });
});

describe("NAT gateways and interface endpoints x AZs", () => {
  const endpoint = (name: string, subnetIds: unknown) =>
    res(RT, "aws:ec2/vpcEndpoint:VpcEndpoint", name, {
      vpcEndpointType: "Interface",
      serviceName: `com.amazonaws.eu-west-2.${name}`,
      subnetIds: subnetIds as string[],
    });

  it("bills 8 interface endpoints x 2 AZs at 0.011/AZ-hour: 128.48 a month always-on (the spec's ~128)", () => {
    const services = ["ec2", "ecr.api", "ecr.dkr", "execute-api", "logs", "sqs", "ssm", "sts"];
    const priced = price(stackDoc(RT, ...services.map((s) => endpoint(s, ["a", "b"]))));
    const hours = Decimal.sum(priced.map((r) => r.components.find((c) => c.spec.sku === "vpce.interface.az-hour")?.cost.alwaysOn ?? Decimal.ZERO));
    expect(hours.toFixed(4)).toBe("128.4800");
    // one endpoint in the 100-hour network window: 2 x 100 x 0.011 + 0.1 GB x 100 x 0.01
    expect(monthly(byName(priced, "ssm"))).toEqual({ alwaysOn: "16.7900", proofWindow: "2.3000", idleSafe: "0.0000" });
  });

  it("scales with the AZ count: 3 subnets cost 3 AZ-hours an hour", () => {
    expect(component(byName(price(stackDoc(RT, endpoint("ssm", ["a", "b", "c"]))), "ssm"), "vpce.interface.az-hour").cost.alwaysOn).toBe("24.0900");
  });

  it("assumes the environment's AZ count when subnets are unknown at preview, and says so", () => {
    const r = byName(price(stackDoc(RT, endpoint("ssm", UNKNOWN))), "ssm");
    expect(component(r, "vpce.interface.az-hour").quantity.alwaysOn).toBe("1460");
    expect(r.notes).toEqual(["subnets unknown at preview: assumed the environment's 2 availability zones"]);
    const none = byName(price(stackDoc(RT, endpoint("ssm", UNKNOWN)), testDeps({}, null)), "ssm");
    expect(none.unpricedReasons[0]).toMatch(/number of availability zones is not known/);
  });

  it("treats gateway endpoints as free", () => {
    const r = byName(price(stackDoc(RT, res(RT, "aws:ec2/vpcEndpoint:VpcEndpoint", "s3", { vpcEndpointType: "Gateway" }))), "s3");
    expect(r.free).toMatch(/gateway endpoints/);
  });

  it("bills a NAT gateway by the hour and per GB, and its Elastic IP as a public IPv4 address", () => {
    const priced = price(stackDoc(RT, res(RT, "aws:ec2/natGateway:NatGateway", "nat", {}), res(RT, "aws:ec2/eip:Eip", "nat-ip", { domain: "vpc" })));
    // 0.05 x 730 + 0.5 GB x 730 x 0.05 = 36.5 + 18.25; window 100 h: 5 + 2.5
    expect(monthly(byName(priced, "nat"))).toEqual({ alwaysOn: "54.7500", proofWindow: "7.5000", idleSafe: "0.0000" });
    expect(monthly(byName(priced, "nat-ip"))).toEqual({ alwaysOn: "3.6500", proofWindow: "0.5000", idleSafe: "0.0000" });
  });
});

describe("free, unknown and unpriced resources", () => {
  it("lists free types and components as free, and a type without a model as unpriced (never 0)", () => {
    const priced = price(
      stackDoc(
        RT,
        res(RT, "aws:iam/role:Role", "role", { name: "r" }),
        res(RT, "aws:ec2/subnet:Subnet", "subnet", {}),
        res(RT, "fraud-platform:runtime:Thing", "thing", {}, { custom: false }),
        res(RT, "aws:sns/topic:Topic", "alerts", {}),
        res(RT, "aws:ecr/repository:Repository", "images", {}, { protect: true }),
      ),
    );
    expect(byName(priced, "role").free).toBe("IAM has no charge");
    expect(byName(priced, "subnet").free).toBe("subnets have no charge");
    expect(byName(priced, "thing").free).toMatch(/component/);
    expect(byName(priced, "alerts")).toMatchObject({
      unpricedReasons: ["no cost model for aws:sns/topic:Topic"],
      monthly: { alwaysOn: null, proofWindow: null, idleSafe: null },
    });
    expect(byName(priced, "images").unpricedReasons).toEqual(["SKU ecr.storage.gb-month has no price (usd: null)"]);
  });

  it("reports unpriced resources in cost-report.json, lowering confidence", () => {
    const doc = stackDoc(RT, res(RT, "aws:sns/topic:Topic", "alerts", {}), res(RT, "aws:kms/key:Key", "key", {}, { protect: true }));
    const report = costReportOf([doc], testDeps(), "dev-full");
    expect(report.confidence).toBe("0.5000");
    expect(report.resources.find((r) => r.name === "alerts")).toMatchObject({
      unpriced: true,
      monthlyCost: { alwaysOn: null, proofWindow: null, idleSafe: null },
    });
    expect(report.layers.find((l) => l.layer === "runtime")?.unpricedResources).toBe(1);
  });

  it("reads unknown inputs from a CrossGuard resource as unknown", () => {
    const state: ResourceState = res(RT, "aws:eks/nodeGroup:NodeGroup", "workers", { scalingConfig: { desiredSize: UNKNOWN } });
    const r = priceStack([fromState(state)], testDeps())[0];
    expect(r.unpricedReasons).toEqual(["input scalingConfig.desiredSize is not known at preview"]);
  });
});

describe("the reference runtime at its Terraform defaults", () => {
  it("is far over budget always-on, dominated by the IG service, the EKS nodes, the IG Lambda and Aurora", () => {
    const report = costReportOf([referenceRuntime()], testDeps(), "dev-full");
    expect(report.postures.alwaysOn.overBudget).toBe(true);
    const names = report.postures.alwaysOn.dominantResources.map((d) => d.urn.split("::").pop());
    expect(names).toEqual(["ig-service", "m6f-workers", "ig-handler", "aurora-writer", "ig-edge"]);
    // 32 tasks x (4 x 0.04656 + 8 x 0.00511) x 730 = 32 x 0.22712 x 730
    expect(report.resources.find((r) => r.name === "ig-service")?.monthlyCost.alwaysOn).toBe("5305.5232");
    // m6i.xlarge (0.222/h): 4 x 730 = 648.24 always-on; 4 x 40 + 2 (minSize) x 690 = 35.52 + 306.36 in the
    // proof-window month; 2 x 730 = 324.12 after teardown. The 80 GB gp2 disks are unpriced (lower bound).
    const nodes = report.resources.find((r) => r.name === "m6f-workers");
    expect(nodes?.monthlyCost).toEqual({ alwaysOn: "648.2400", proofWindow: "341.8800", idleSafe: "324.1200" });
    expect(nodes?.unpricedReason).toMatch(/ebs.gp2.gb-month .*lower bound/);
  });
});

describe("properties", () => {
  const deps = testDeps();
  const nodeGroupDoc = (desired: number, min: number, type: string, protect: boolean) =>
    stackDoc(
      RT,
      res(
        RT,
        "aws:eks/nodeGroup:NodeGroup",
        "ng",
        { instanceTypes: [type], scalingConfig: { desiredSize: desired, minSize: min, maxSize: desired + 5 }, launchTemplate: { name: "lt" } },
        { protect },
      ),
    );

  it("cost is monotonic in instance count, in every posture", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom("t3.medium", "m5.large", "m6i.xlarge"),
        fc.boolean(),
        (desired, min, type, protect) => {
          const lo = Math.min(min, desired);
          const a = price(nodeGroupDoc(desired, lo, type, protect), deps)[0];
          const b = price(nodeGroupDoc(desired + 1, lo, type, protect), deps)[0];
          for (const p of ["alwaysOn", "proofWindow", "idleSafe"] as const) expect((b.monthly[p] as Decimal).gte(a.monthly[p] as Decimal)).toBe(true);
        },
      ),
    );
  });

  const arbitraryResource = fc.oneof(
    fc.record({ desired: fc.integer({ min: 0, max: 10 }), min: fc.integer({ min: 0, max: 10 }) }).map(
      ({ desired, min }) =>
        [
          "aws:eks/nodeGroup:NodeGroup",
          {
            instanceTypes: ["t3.large"],
            scalingConfig: { desiredSize: desired, minSize: Math.min(min, desired), maxSize: 10 },
            launchTemplate: { name: "lt" },
          },
        ] as const,
    ),
    fc.constant(["aws:eks/cluster:Cluster", {}] as const),
    fc.constant(["aws:msk/serverlessCluster:ServerlessCluster", {}] as const),
    fc
      .integer({ min: 1, max: 6 })
      .map((azs) => ["aws:ec2/vpcEndpoint:VpcEndpoint", { vpcEndpointType: "Interface", subnetIds: Array.from({ length: azs }, (_, i) => `s${i}`) }] as const),
    fc.constant(["aws:ec2/natGateway:NatGateway", {}] as const),
    fc.constant(["aws:s3/bucket:Bucket", {}] as const),
    fc.constant(["aws:kms/key:Key", {}] as const),
    fc.constant(["aws:lambda/function:Function", { memorySize: 2048 }] as const),
    fc.integer({ min: 0, max: 5 }).map((d) => ["aws:ecs/service:Service", { launchType: "FARGATE", desiredCount: d, taskDefinition: "td" }] as const),
    fc.constant(["aws:cloudwatch/logGroup:LogGroup", {}] as const),
  );
  const hours = fc.integer({ min: 0, max: 730 });

  it("postures are ordered: idleSafe <= proofWindow <= alwaysOn, for any resource, protection and window hours", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(arbitraryResource, fc.boolean()), { minLength: 1, maxLength: 8 }),
        fc.tuple(hours, hours, hours, hours),
        ([...list], [network, streaming, runtime, batch]) => {
          const td = res(RT, "aws:ecs/taskDefinition:TaskDefinition", "td", { family: "td", cpu: "512", memory: "1024" });
          const doc = stackDoc(RT, td, ...list.map(([[type, inputs], protect], i) => res(RT, type, `r${i}`, JSON.parse(JSON.stringify(inputs)), { protect })));
          const d = testDeps({ proofWindowHours: { network, streaming, runtime, batch, ml: 0, orchestration: 0 } });
          for (const r of price(doc, d)) {
            if (r.free) continue;
            const { alwaysOn, proofWindow, idleSafe } = r.monthly;
            if (alwaysOn === null || proofWindow === null || idleSafe === null) continue;
            expect(idleSafe.lte(proofWindow) && proofWindow.lte(alwaysOn)).toBe(true);
          }
        },
      ),
    );
  });

  it("report totals are the exact sums of the resource figures (no drift)", () => {
    const report = costReportOf([referenceRuntime()], deps, "dev-full");
    for (const p of ["alwaysOn", "proofWindow", "idleSafe"] as const) {
      const sum = Decimal.sum(report.resources.map((r) => Decimal.of(r.monthlyCost[p] ?? "0")));
      expect(sum.toFixed(4)).toBe(report.postures[p].monthlyCost);
      expect(Decimal.sum(report.layers.map((l) => Decimal.of(l.monthlyCost[p]))).toFixed(4)).toBe(report.postures[p].monthlyCost);
    }
  });
});

describe("URNs and layers", () => {
  it("takes the layer from the URN's stack name, else from the fp_stack tag", () => {
    const tagged = { ...res("other-stack", "aws:kms/key:Key", "k", { tags: { fp_stack: "data_ml" } }) };
    const priced = priceStack([fromState(tagged)], testDeps());
    expect(priced[0].layer).toBe("data_ml");
    expect(urn(RT, "t", "n")).toBe("urn:pulumi:dev-full-runtime::fraud-platform::t::n");
  });
});
