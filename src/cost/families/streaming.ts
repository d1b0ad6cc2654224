/**
 * Streaming: MSK Serverless (cluster-hours, partition-hours, storage, data in/out), provisioned MSK (broker
 * hours; unpriced in the table) and Managed Service for Apache Flink (KPUs). Partition-hours count the topics
 * declared in the same stack (`kafka:index/topic:Topic`), else the registry's topic catalog: the topics exist
 * whether or not this stack creates them.
 */
import { Decimal } from "../decimal";
import { Inputs, UnknownInputError } from "../inputs";
import { ONE, hourly, monthly, n, usage } from "./common";
import { Family } from "./types";

const KAFKA_TOPIC = "kafka:index/topic:Topic";

export const mskServerless: Family = (_r, _inputs, ctx) => {
  const notes: string[] = [];
  const topics = ctx.stack.ofType(KAFKA_TOPIC);
  let partitions: Decimal;
  let source: string;
  if (topics.length > 0) {
    partitions = Decimal.sum(
      topics.map((t) => {
        let p: Decimal | undefined;
        try {
          p = new Inputs(t.inputs).decimal("partitions");
        } catch (e) {
          if (e instanceof UnknownInputError) throw new UnknownInputError(`${t.name}.partitions`);
          throw e;
        }
        if (!p) throw new UnknownInputError(`${t.name}.partitions`);
        return p;
      }),
    );
    source = `${topics.length} topics in this stack`;
  } else {
    const catalog = ctx.registry.topics();
    partitions = n(catalog.reduce((sum, t) => sum + t.partitions, 0));
    source = `the registry's catalog of ${catalog.length} topics`;
    notes.push(`partitions from ${source} (no topics declared in this stack)`);
  }
  const u = ctx.settings.usagePerProofHour;
  const components = [
    hourly("Cluster hours", "hours", "msk.serverless.cluster-hour", ONE),
    hourly(`Partition hours (${partitions.toString()} partitions, ${source})`, "partition-hours", "msk.serverless.partition-hour", partitions),
    monthly("Storage", "GB-month", "msk.serverless.storage.gb-month", n(ctx.settings.storageGb.kafkaPerCluster)),
    usage("Data written", "GB", "msk.serverless.gb-in", n(u.kafkaGbIn)),
    usage("Data read", "GB", "msk.serverless.gb-out", n(u.kafkaGbOut)),
  ];
  return { surfaceClass: "streaming", idleSafe: "retainIfProtected", components, notes };
};

export const mskProvisioned: Family = (_r, inputs) => {
  const type = inputs.string("brokerNodeGroupInfo.instanceType") ?? "unknown";
  const brokers = inputs.decimal("numberOfBrokerNodes") ?? ONE;
  const components = [hourly(`Broker hours (${brokers.toString()} x ${type})`, "broker-hours", `msk.${type}.broker-hour`, brokers)];
  const gb = inputs.decimal("brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize");
  if (gb) components.push(monthly("Broker storage", "GB-month", "msk.storage.gb-month", gb.times(brokers)));
  return { surfaceClass: "streaming", idleSafe: "retainIfProtected", components, notes: ["DA-40 forbids a provisioned MSK cluster"] };
};

/** One KPU is 1 vCPU + 4 GB with 50 GB of running storage; every Flink application adds one orchestration KPU. */
const GB_RUNNING_STORAGE_PER_KPU = 50;

export const flinkApplication: Family = (_r, inputs) => {
  const runtime = inputs.string("runtimeEnvironment") ?? "";
  if (!runtime.startsWith("FLINK")) {
    return { surfaceClass: "streaming", idleSafe: "keep", components: [], unpriced: [`runtime ${runtime || "unset"}: only Flink applications are modelled`] };
  }
  const base = "applicationConfiguration.flinkApplicationConfiguration.parallelismConfiguration";
  const custom = inputs.string(`${base}.configurationType`) === "CUSTOM";
  const parallelism = (custom ? inputs.decimal(`${base}.parallelism`) : undefined) ?? ONE;
  const perKpu = (custom ? inputs.decimal(`${base}.parallelismPerKpu`) : undefined) ?? ONE;
  const workerKpus = parallelism.div(perKpu, 6, "ceil").ceilInt();
  const kpus = workerKpus.plus(1);
  const started = inputs.boolean("startApplication") === true;
  const notes = [
    `${kpus.toString()} KPUs while running: ceil(parallelism ${parallelism.toString()} / ${perKpu.toString()} per KPU) + 1 orchestration KPU; ${started ? "declared started: its KPUs bill as capacity" : "declared stopped (no charge) until a window starts it"}`,
  ];
  const components = [
    // Declared started, the application holds its KPUs for as long as it exists: capacity, not work done.
    { ...usage(`KPU hours (${kpus.toString()} KPUs)`, "KPU-hours", "msf.kpu-hour", kpus), ...(started ? { billing: "capacity" as const } : {}) },
    {
      ...usage("Running application storage", "GB-month", "msf.running-storage.gb-month", workerKpus.times(GB_RUNNING_STORAGE_PER_KPU)),
      per: "month" as const,
    },
  ];
  return { surfaceClass: "streaming", idleSafe: "keep", components, notes };
};
