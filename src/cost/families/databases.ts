/**
 * State stores: Aurora (Serverless v2 ACU-hours per `db.serverless` instance, storage on the cluster), RDS
 * instances, ElastiCache (node-hours, or serverless GB-hours + ECPUs) and DynamoDB. Aurora instances run at
 * min + utilisation x (max - min) ACU during windows and at their minimum ACU while idle (0 ACU pauses).
 */
import { Decimal } from "../decimal";
import { CostInput, Inputs, UnknownInputError } from "../inputs";
import { ONE, ZERO, hourly, monthly, n, per, usage } from "./common";
import { ComponentSpec, Family, ModelContext } from "./types";

const RDS_CLUSTER = "aws:rds/cluster:Cluster";

function auroraCluster(r: CostInput, ctx: ModelContext): CostInput | undefined {
  return ctx.stack.referenced(r, RDS_CLUSTER, { input: "clusterIdentifier", targetInputs: ["clusterIdentifier"] });
}

export const rdsCluster: Family = (_r, inputs, ctx) => {
  const engine = inputs.string("engine") ?? "";
  if (!engine.startsWith("aurora")) {
    return {
      surfaceClass: "runtime",
      idleSafe: "retainIfProtected",
      components: [],
      unpriced: [`engine ${engine || "unset"}: only Aurora clusters are modelled`],
    };
  }
  const ioOptimized = inputs.string("storageType") === "aurora-iopt1";
  const components = [
    monthly(
      "Storage",
      "GB-month",
      ioOptimized ? "aurora.storage.gb-month.io-optimized" : "aurora.storage.gb-month",
      n(ctx.settings.storageGb.auroraPerCluster),
    ),
  ];
  return {
    surfaceClass: "runtime",
    idleSafe: "retainIfProtected",
    components,
    notes: ["compute is billed on the cluster's instances; I/O requests and backups beyond the free allocation are not modelled"],
  };
};

export const rdsClusterInstance: Family = (r, inputs, ctx) => {
  const instanceClass = inputs.string("instanceClass") ?? "unknown";
  if (instanceClass !== "db.serverless") {
    return {
      surfaceClass: "runtime",
      idleSafe: "retainIfProtected",
      components: [hourly(`Instance hours (${instanceClass})`, "instance-hours", `aurora.${instanceClass}.instance-hour`, ONE)],
    };
  }
  const cluster = auroraCluster(r, ctx);
  if (!cluster) {
    return { surfaceClass: "runtime", idleSafe: "retainIfProtected", components: [], unpriced: ["its Aurora cluster (and ACU range) is not in this stack"] };
  }
  const c = new Inputs(cluster.inputs);
  const min = c.decimal("serverlessv2ScalingConfiguration.minCapacity");
  const max = c.decimal("serverlessv2ScalingConfiguration.maxCapacity");
  if (!min || !max) throw new UnknownInputError(`${cluster.name}.serverlessv2ScalingConfiguration`);
  const util = n(ctx.settings.capacity.auroraAcuUtilisation);
  const active = min.plus(max.minus(min).times(util));
  const sku = c.string("storageType") === "aurora-iopt1" ? "aurora.sv2.acu-hour.io-optimized" : "aurora.sv2.acu-hour";
  const notes = [
    `ACU range ${min.toString()}-${max.toString()}: ${active.toString()} ACU during windows (capacity.auroraAcuUtilisation ${util.toString()}), ${min.toString()} ACU idle${min.isZero() ? " (auto-pause)" : ""}`,
  ];
  return { surfaceClass: "runtime", idleSafe: "retainIfProtected", components: [hourly("Serverless v2 capacity", "ACU-hours", sku, active, min)], notes };
};

export const rdsInstance: Family = (_r, inputs, ctx) => {
  const instanceClass = inputs.string("instanceClass") ?? "unknown";
  const multiAz = inputs.boolean("multiAz") === true;
  const az = multiAz ? "multi-az" : "single-az";
  const storageType = inputs.string("storageType") ?? "gp2";
  const gb = inputs.decimal("allocatedStorage") ?? n(ctx.settings.storageGb.rdsPerInstance);
  const components: ComponentSpec[] = [
    hourly(`Instance hours (${instanceClass}, ${az})`, "instance-hours", `rds.${instanceClass}.${az}`, ONE),
    monthly(`Storage (${storageType})`, "GB-month", multiAz ? `rds.${storageType}.gb-month.multi-az` : `rds.${storageType}.gb-month`, gb),
  ];
  return { surfaceClass: "runtime", idleSafe: "retainIfProtected", components };
};

/** Node SKU: engine-specific row first, then an engine-less row, else the engine-specific (unknown) SKU. */
function cacheNodeSku(ctx: ModelContext, nodeType: string, engine: string): string {
  const specific = `elasticache.${nodeType}.${engine}`;
  if (ctx.prices.has(specific)) return specific;
  const generic = `elasticache.${nodeType}`;
  return ctx.prices.has(generic) ? generic : specific;
}

export const elasticacheReplicationGroup: Family = (_r, inputs, ctx) => {
  const nodeType = inputs.string("nodeType") ?? "unknown";
  const engine = inputs.string("engine") ?? "redis";
  const groups = inputs.decimal("numNodeGroups");
  const nodes = groups ? groups.times((inputs.decimal("replicasPerNodeGroup") ?? ZERO).plus(1)) : (inputs.decimal("numCacheClusters") ?? ONE);
  return {
    surfaceClass: "runtime",
    idleSafe: "retainIfProtected",
    components: [hourly(`Node hours (${nodes.toString()} x ${nodeType}, ${engine})`, "node-hours", cacheNodeSku(ctx, nodeType, engine), nodes)],
  };
};

export const elasticacheCluster: Family = (_r, inputs, ctx) => {
  const nodeType = inputs.string("nodeType") ?? "unknown";
  const engine = inputs.string("engine") ?? "redis";
  const nodes = inputs.decimal("numCacheNodes") ?? ONE;
  return {
    surfaceClass: "runtime",
    idleSafe: "retainIfProtected",
    components: [hourly(`Node hours (${nodes.toString()} x ${nodeType}, ${engine})`, "node-hours", cacheNodeSku(ctx, nodeType, engine), nodes)],
  };
};

/** Least data AWS meters per serverless cache, GB. */
const SERVERLESS_MIN_GB: Record<string, string> = { redis: "1", valkey: "0.1" };

export const elasticacheServerless: Family = (_r, inputs, ctx) => {
  const engine = inputs.string("engine") ?? "redis";
  const stored = n(ctx.settings.storageGb.elasticacheServerlessPerCache);
  const metered = Decimal.max(stored, n(SERVERLESS_MIN_GB[engine] ?? "0"));
  return {
    surfaceClass: "runtime",
    idleSafe: "retainIfProtected",
    components: [
      hourly(`Data stored (${metered.toString()} GB metered)`, "GB-hours", `elasticache.serverless.${engine}.gb-hour`, metered),
      usage(
        "ElastiCache processing units",
        "1M ECPUs",
        `elasticache.serverless.${engine}.ecpu-million`,
        n(ctx.settings.usagePerProofHour.elasticacheEcpuMillions),
      ),
    ],
  };
};

export const dynamodbTable: Family = (_r, inputs, ctx) => {
  const u = ctx.settings.usagePerProofHour;
  const components: ComponentSpec[] = [];
  if ((inputs.string("billingMode") ?? "PROVISIONED") === "PAY_PER_REQUEST") {
    components.push(usage("Write request units", "1M WRUs", "dynamodb.ondemand.write.million", per(n(u.dynamodbWriteRequests), 1_000_000)));
    components.push(usage("Read request units", "1M RRUs", "dynamodb.ondemand.read.million", per(n(u.dynamodbReadRequests), 1_000_000)));
  } else {
    components.push(hourly("Provisioned write capacity", "WCU-hours", "dynamodb.provisioned.wcu-hour", inputs.decimal("writeCapacity") ?? ONE));
    components.push(hourly("Provisioned read capacity", "RCU-hours", "dynamodb.provisioned.rcu-hour", inputs.decimal("readCapacity") ?? ONE));
  }
  components.push(monthly("Storage", "GB-month", "dynamodb.storage.gb-month", n(ctx.settings.storageGb.dynamodbPerTable), { window: "alwaysOn" }));
  return { surfaceClass: "runtime", idleSafe: "keep", components };
};
