/**
 * DA-58 (mandatory, high): Aurora is the pinned PostgreSQL Serverless v2 cluster.
 * - `da-58-aurora-serverless-v2-pinned` (resource): cluster `fraud-platform-dev-full-aurora`, engine
 *   `aurora-postgresql` in provisioned mode (Serverless v2), database `fraud_platform`, scaling min/max = the
 *   registry's AURORA_ACU_RANGE (0.5-8), storage encrypted with a customer key (a key ARN or id, not the
 *   AWS-managed `alias/aws/rds`).
 * - `da-58-aurora-multi-az-instances` (stack): the cluster has at least two `db.serverless` instances in at
 *   least two availability zones, stated explicitly on the instances (multi_az_writer_reader).
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { parseAcuRange } from "../../src/datastores/aurora";
import { registry } from "../lib/registry";
import { resourceRule, stackRule } from "../lib/rule";

const CLUSTER = "aws:rds/cluster:Cluster";
const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const CUSTOMER_KEY =
  /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+|mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export const auroraServerlessPinned = resourceRule(
  {
    id: "DA-58",
    slug: "aurora-serverless-v2-pinned",
    description:
      "Aurora is PostgreSQL Serverless v2 fraud-platform-dev-full-aurora, database fraud_platform, scaling 0.5..8 ACU (AURORA_ACU_RANGE), storage encrypted with the platform KMS key.",
    severity: "high",
  },
  policy.validateResourceOfType(aws.rds.Cluster, (cluster, _args, reportViolation) => {
    const r = registry();
    const expect = (what: string, actual: unknown, wanted: unknown) => {
      if (actual !== wanted) reportViolation(`${what} is ${JSON.stringify(actual ?? null)}, expected ${JSON.stringify(wanted)}.`);
    };
    expect("clusterIdentifier", cluster.clusterIdentifier, r.string("AURORA_CLUSTER_IDENTIFIER"));
    expect("engine", cluster.engine, r.string("AURORA_ENGINE"));
    if (cluster.engineMode !== undefined && cluster.engineMode !== "provisioned")
      reportViolation(`engineMode is ${JSON.stringify(cluster.engineMode)}; Serverless v2 runs in "provisioned" mode.`);
    expect("databaseName", cluster.databaseName, r.string("AURORA_DB_NAME"));
    const acu = parseAcuRange(r.string("AURORA_ACU_RANGE"));
    const scaling = cluster.serverlessv2ScalingConfiguration;
    if (scaling?.minCapacity !== acu.min || scaling?.maxCapacity !== acu.max) {
      reportViolation(`serverlessv2ScalingConfiguration is ${JSON.stringify(scaling ?? null)}, expected min ${acu.min} / max ${acu.max} ACU.`);
    }
    if (cluster.storageEncrypted !== true) reportViolation("storageEncrypted is not true.");
    if (typeof cluster.kmsKeyId !== "string" || !CUSTOMER_KEY.test(cluster.kmsKeyId)) {
      reportViolation(
        `kmsKeyId is ${JSON.stringify(cluster.kmsKeyId ?? null)}; storage must be encrypted with the platform key (core's kms_key_arn), not the AWS-managed key.`,
      );
    }
  }),
);

export const auroraMultiAzInstances = stackRule(
  {
    id: "DA-58",
    slug: "aurora-multi-az-instances",
    description: "The Aurora cluster has >= 2 db.serverless instances (writer + reader) with explicit availability zones, in >= 2 different zones.",
    severity: "high",
  },
  (args, reportViolation) => {
    const clusters = args.resources.filter((r) => r.type === CLUSTER);
    if (clusters.length === 0) return args.notApplicable("no RDS cluster in this stack");
    for (const cluster of clusters) {
      const id = cluster.props.clusterIdentifier;
      const instances = args.resources.filter(
        (r) => r.type === INSTANCE && (r.dependencies.some((d) => d.urn === cluster.urn) || (typeof id === "string" && r.props.clusterIdentifier === id)),
      );
      const serverless = instances.filter((i) => i.props.instanceClass === "db.serverless");
      if (serverless.length < 2) {
        reportViolation(
          `cluster ${String(id)} has ${serverless.length} db.serverless instance(s) (of ${instances.length}); it needs a writer and at least one reader.`,
          cluster.urn,
        );
        continue;
      }
      for (const i of instances.filter((x) => x.props.instanceClass !== "db.serverless"))
        reportViolation(`instance ${i.name} has class ${JSON.stringify(i.props.instanceClass)}, expected db.serverless.`, i.urn);
      const zones = serverless.map((i) => i.props.availabilityZone);
      if (zones.some((z) => typeof z !== "string" || z === "")) {
        reportViolation(
          `cluster ${String(id)}: every instance needs an explicit availabilityZone so writer and reader are provably in different zones.`,
          cluster.urn,
        );
      } else if (new Set(zones).size < 2) {
        reportViolation(`cluster ${String(id)}: all instances are in ${String(zones[0])}; place the reader in another zone.`, cluster.urn);
      }
    }
  },
);

export const auroraPolicies = [auroraServerlessPinned, auroraMultiAzInstances];
