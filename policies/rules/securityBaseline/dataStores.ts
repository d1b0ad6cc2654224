/**
 * The state stores (DynamoDB, Aurora/RDS, ElastiCache, S3):
 * - SB-12 (mandatory, high): encrypted at rest with a customer-managed KMS key: DynamoDB serverSideEncryption
 *   enabled with kmsKeyArn; RDS clusters storageEncrypted with kmsKeyId; ElastiCache replication groups
 *   atRestEncryptionEnabled with kmsKeyId; bucket default encryption aws:kms with kmsMasterKeyId. FSBP
 *   DynamoDB.x (CMK: checkov CKV_AWS_119), RDS.27, ElastiCache.4 (CMK: CKV_AWS_191), S3.17.
 * - SB-13 (mandatory, high): recoverable: DynamoDB point-in-time recovery on; RDS clusters and instances keep
 *   automated backups at least 7 days and take a final snapshot on delete. FSBP DynamoDB.2, RDS.11, RDS.26.
 * - SB-14 (mandatory, medium): RDS clusters export their engine logs to CloudWatch, enable IAM database
 *   authentication and copy tags to snapshots. FSBP RDS.9/RDS.34, RDS.12, RDS.16.
 * - SB-15 (mandatory, medium): ElastiCache replication groups take minor engine upgrades, live in a declared
 *   (non-default) subnet group and, with TLS on, authenticate clients (authToken or userGroupIds). FSBP
 *   ElastiCache.2, ElastiCache.6, ElastiCache.7.
 */
import { listOf, presenceOf } from "../../lib/knownValues";
import * as aws from "@pulumi/aws";
import { checksOf, resourceRule } from "../../lib/rule";
import { isCustomerKey } from "./messaging";

const MIN_BACKUP_DAYS = 7;
const FINAL_SNAPSHOT_SKIPPED = "skipFinalSnapshot is true: a destroy loses the data. Set skipFinalSnapshot: false with a finalSnapshotIdentifier.";

/** The problem of a backup retention period shorter than {@link MIN_BACKUP_DAYS} (`note` follows the value). */
function backupProblem(days: number | undefined, note: string): string | false {
  return (
    (typeof days !== "number" || days < MIN_BACKUP_DAYS) &&
    `backupRetentionPeriod is ${JSON.stringify(days ?? null)}${note}: keep automated backups at least ${MIN_BACKUP_DAYS} days.`
  );
}

export const dataStoresEncrypted = resourceRule(
  {
    id: "SB-12",
    slug: "data-stores-encrypted-kms",
    description:
      "State stores must be encrypted at rest with a customer-managed KMS key (the platform key): DynamoDB serverSideEncryption {enabled, kmsKeyArn}, RDS clusters storageEncrypted with kmsKeyId, ElastiCache atRestEncryptionEnabled with kmsKeyId, bucket default encryption aws:kms with kmsMasterKeyId.",
    severity: "high",
  },
  [
    checksOf(aws.dynamodb.Table, (table) => {
      const sse = table.serverSideEncryption as { enabled?: unknown; kmsKeyArn?: unknown } | undefined;
      return (
        (sse?.enabled !== true || !isCustomerKey(sse.kmsKeyArn)) &&
        "serverSideEncryption is not {enabled: true, kmsKeyArn: <customer key>}: the table uses the AWS-owned key. Set serverSideEncryption: { enabled: true, kmsKeyArn: <platform key ARN> }."
      );
    }),
    checksOf(aws.rds.Cluster, (cluster) =>
      cluster.storageEncrypted !== true
        ? "storageEncrypted is not true. Set storageEncrypted: true with kmsKeyId = the platform key ARN."
        : !isCustomerKey(cluster.kmsKeyId) && "kmsKeyId is not set: the cluster uses the AWS-managed aws/rds key. Set kmsKeyId to the platform key ARN.",
    ),
    checksOf(
      aws.elasticache.ReplicationGroup,
      (group) =>
        (group.atRestEncryptionEnabled !== true || !isCustomerKey(group.kmsKeyId)) &&
        "atRestEncryptionEnabled with kmsKeyId is not set: the cache is not encrypted with a customer-managed key. Set atRestEncryptionEnabled: true and kmsKeyId = the platform key ARN.",
    ),
    checksOf(aws.s3.BucketServerSideEncryptionConfiguration, (sse) => {
      const kms = listOf(sse.rules).some((r) => {
        const d = (r as { applyServerSideEncryptionByDefault?: { sseAlgorithm?: unknown; kmsMasterKeyId?: unknown } }).applyServerSideEncryptionByDefault;
        return (d?.sseAlgorithm === "aws:kms" || d?.sseAlgorithm === "aws:kms:dsse") && isCustomerKey(d.kmsMasterKeyId);
      });
      return (
        !kms &&
        'no rule sets applyServerSideEncryptionByDefault {sseAlgorithm: "aws:kms", kmsMasterKeyId: <customer key>}. Encrypt the bucket with the platform key.'
      );
    }),
  ],
);

export const stateStoresRecoverable = resourceRule(
  {
    id: "SB-13",
    slug: "state-stores-recoverable",
    description: `State stores must be recoverable: DynamoDB pointInTimeRecovery.enabled true; RDS clusters and instances backupRetentionPeriod >= ${MIN_BACKUP_DAYS} and skipFinalSnapshot not true (a final snapshot on delete).`,
    severity: "high",
  },
  [
    checksOf(
      aws.dynamodb.Table,
      (table) =>
        (table.pointInTimeRecovery as { enabled?: unknown } | undefined)?.enabled !== true &&
        "pointInTimeRecovery.enabled is not true: the table cannot be restored to a point in time. Set pointInTimeRecovery: { enabled: true }.",
    ),
    checksOf(
      aws.rds.Cluster,
      (cluster) => backupProblem(cluster.backupRetentionPeriod, " (default 1)"),
      (cluster) => cluster.skipFinalSnapshot === true && FINAL_SNAPSHOT_SKIPPED,
    ),
    checksOf(
      aws.rds.Instance,
      (instance) => backupProblem(instance.backupRetentionPeriod, ""),
      (instance) => instance.skipFinalSnapshot === true && FINAL_SNAPSHOT_SKIPPED,
    ),
  ],
);

export const rdsClusterHardened = resourceRule(
  {
    id: "SB-14",
    slug: "rds-cluster-logs-iam-auth",
    description:
      'RDS clusters must export their engine logs (enabledCloudwatchLogsExports, e.g. ["postgresql"]), enable IAM database authentication (iamDatabaseAuthenticationEnabled: true) and copy tags to snapshots (copyTagsToSnapshot: true).',
    severity: "medium",
  },
  checksOf(
    aws.rds.Cluster,
    (cluster) =>
      listOf(cluster.enabledCloudwatchLogsExports).length === 0 &&
      'enabledCloudwatchLogsExports is empty: engine logs stay inside the database. Set enabledCloudwatchLogsExports: ["postgresql"].',
    (cluster) =>
      cluster.iamDatabaseAuthenticationEnabled !== true &&
      "iamDatabaseAuthenticationEnabled is not true. Set iamDatabaseAuthenticationEnabled: true so clients can authenticate with IAM instead of the master password.",
    (cluster) =>
      cluster.copyTagsToSnapshot !== true &&
      "copyTagsToSnapshot is not true: snapshots lose the cluster's tags (owner, run scope). Set copyTagsToSnapshot: true.",
  ),
);

export const elasticacheHardened = resourceRule(
  {
    id: "SB-15",
    slug: "elasticache-upgrades-subnets-auth",
    description:
      'ElastiCache replication groups must take minor engine upgrades (autoMinorVersionUpgrade not false), use a declared subnet group (subnetGroupName, never "default") and, with transitEncryptionEnabled, authenticate clients (authToken or userGroupIds).',
    severity: "medium",
  },
  checksOf(
    aws.elasticache.ReplicationGroup,
    (group) =>
      group.autoMinorVersionUpgrade === false &&
      "autoMinorVersionUpgrade is false: security patches wait for a manual upgrade. Leave autoMinorVersionUpgrade true.",
    (group) =>
      (typeof group.subnetGroupName !== "string" || group.subnetGroupName === "" || group.subnetGroupName === "default") &&
      `subnetGroupName is ${JSON.stringify(group.subnetGroupName ?? null)}: the cache lands in the default subnet group. Declare an aws.elasticache.SubnetGroup of the private subnets and set subnetGroupName.`,
    (group) => {
      const users = listOf(group.userGroupIds);
      // The token is a generated secret, unknown at preview: its presence is what counts (presenceOf never reads it).
      const token = presenceOf(group, "authToken");
      return (
        (token === "absent" || token === "empty") &&
        users.length === 0 &&
        "neither authToken nor userGroupIds is set: any client in the network can use the cache. Set authToken (a generated secret) or userGroupIds."
      );
    },
  ),
);

export const dataStoreBaselinePolicies = [dataStoresEncrypted, stateStoresRecoverable, rdsClusterHardened, elasticacheHardened];
