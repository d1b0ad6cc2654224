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
import * as policy from "@pulumi/policy";
import { resourceRule } from "../../lib/rule";
import { isCustomerKey } from "./messaging";

const MIN_BACKUP_DAYS = 7;

export const dataStoresEncrypted = resourceRule(
  {
    id: "SB-12",
    slug: "data-stores-encrypted-kms",
    description:
      "State stores must be encrypted at rest with a customer-managed KMS key (the platform key): DynamoDB serverSideEncryption {enabled, kmsKeyArn}, RDS clusters storageEncrypted with kmsKeyId, ElastiCache atRestEncryptionEnabled with kmsKeyId, bucket default encryption aws:kms with kmsMasterKeyId.",
    severity: "high",
  },
  [
    policy.validateResourceOfType(aws.dynamodb.Table, (table, _args, reportViolation) => {
      const sse = table.serverSideEncryption as { enabled?: unknown; kmsKeyArn?: unknown } | undefined;
      if (sse?.enabled !== true || !isCustomerKey(sse.kmsKeyArn)) reportViolation("serverSideEncryption is not {enabled: true, kmsKeyArn: <customer key>}: the table uses the AWS-owned key. Set serverSideEncryption: { enabled: true, kmsKeyArn: <platform key ARN> }.");
    }),
    policy.validateResourceOfType(aws.rds.Cluster, (cluster, _args, reportViolation) => {
      if (cluster.storageEncrypted !== true) reportViolation("storageEncrypted is not true. Set storageEncrypted: true with kmsKeyId = the platform key ARN.");
      else if (!isCustomerKey(cluster.kmsKeyId)) reportViolation("kmsKeyId is not set: the cluster uses the AWS-managed aws/rds key. Set kmsKeyId to the platform key ARN.");
    }),
    policy.validateResourceOfType(aws.elasticache.ReplicationGroup, (group, _args, reportViolation) => {
      if (group.atRestEncryptionEnabled !== true || !isCustomerKey(group.kmsKeyId)) reportViolation("atRestEncryptionEnabled with kmsKeyId is not set: the cache is not encrypted with a customer-managed key. Set atRestEncryptionEnabled: true and kmsKeyId = the platform key ARN.");
    }),
    policy.validateResourceOfType(aws.s3.BucketServerSideEncryptionConfiguration, (sse, _args, reportViolation) => {
      const rules = listOf(sse.rules);
      const kms = rules.some((r) => {
        const d = (r as { applyServerSideEncryptionByDefault?: { sseAlgorithm?: unknown; kmsMasterKeyId?: unknown } }).applyServerSideEncryptionByDefault;
        return (d?.sseAlgorithm === "aws:kms" || d?.sseAlgorithm === "aws:kms:dsse") && isCustomerKey(d.kmsMasterKeyId);
      });
      if (!kms) reportViolation('no rule sets applyServerSideEncryptionByDefault {sseAlgorithm: "aws:kms", kmsMasterKeyId: <customer key>}. Encrypt the bucket with the platform key.');
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
    policy.validateResourceOfType(aws.dynamodb.Table, (table, _args, reportViolation) => {
      const pitr = table.pointInTimeRecovery as { enabled?: unknown } | undefined;
      if (pitr?.enabled !== true) reportViolation("pointInTimeRecovery.enabled is not true: the table cannot be restored to a point in time. Set pointInTimeRecovery: { enabled: true }.");
    }),
    policy.validateResourceOfType(aws.rds.Cluster, (cluster, _args, reportViolation) => {
      const days = cluster.backupRetentionPeriod;
      if (typeof days !== "number" || days < MIN_BACKUP_DAYS) reportViolation(`backupRetentionPeriod is ${JSON.stringify(days ?? null)} (default 1): keep automated backups at least ${MIN_BACKUP_DAYS} days.`);
      if (cluster.skipFinalSnapshot === true) reportViolation("skipFinalSnapshot is true: a destroy loses the data. Set skipFinalSnapshot: false with a finalSnapshotIdentifier.");
    }),
    policy.validateResourceOfType(aws.rds.Instance, (instance, _args, reportViolation) => {
      const days = instance.backupRetentionPeriod;
      if (typeof days !== "number" || days < MIN_BACKUP_DAYS) reportViolation(`backupRetentionPeriod is ${JSON.stringify(days ?? null)}: keep automated backups at least ${MIN_BACKUP_DAYS} days.`);
      if (instance.skipFinalSnapshot === true) reportViolation("skipFinalSnapshot is true: a destroy loses the data. Set skipFinalSnapshot: false with a finalSnapshotIdentifier.");
    }),
  ],
);

export const rdsClusterHardened = resourceRule(
  {
    id: "SB-14",
    slug: "rds-cluster-logs-iam-auth",
    description: "RDS clusters must export their engine logs (enabledCloudwatchLogsExports, e.g. [\"postgresql\"]), enable IAM database authentication (iamDatabaseAuthenticationEnabled: true) and copy tags to snapshots (copyTagsToSnapshot: true).",
    severity: "medium",
  },
  policy.validateResourceOfType(aws.rds.Cluster, (cluster, _args, reportViolation) => {
    const exports = listOf(cluster.enabledCloudwatchLogsExports);
    if (exports.length === 0) reportViolation('enabledCloudwatchLogsExports is empty: engine logs stay inside the database. Set enabledCloudwatchLogsExports: ["postgresql"].');
    if (cluster.iamDatabaseAuthenticationEnabled !== true) reportViolation("iamDatabaseAuthenticationEnabled is not true. Set iamDatabaseAuthenticationEnabled: true so clients can authenticate with IAM instead of the master password.");
    if (cluster.copyTagsToSnapshot !== true) reportViolation("copyTagsToSnapshot is not true: snapshots lose the cluster's tags (owner, run scope). Set copyTagsToSnapshot: true.");
  }),
);

export const elasticacheHardened = resourceRule(
  {
    id: "SB-15",
    slug: "elasticache-upgrades-subnets-auth",
    description: "ElastiCache replication groups must take minor engine upgrades (autoMinorVersionUpgrade not false), use a declared subnet group (subnetGroupName, never \"default\") and, with transitEncryptionEnabled, authenticate clients (authToken or userGroupIds).",
    severity: "medium",
  },
  policy.validateResourceOfType(aws.elasticache.ReplicationGroup, (group, _args, reportViolation) => {
    if (group.autoMinorVersionUpgrade === false) reportViolation("autoMinorVersionUpgrade is false: security patches wait for a manual upgrade. Leave autoMinorVersionUpgrade true.");
    if (typeof group.subnetGroupName !== "string" || group.subnetGroupName === "" || group.subnetGroupName === "default") {
      reportViolation(`subnetGroupName is ${JSON.stringify(group.subnetGroupName ?? null)}: the cache lands in the default subnet group. Declare an aws.elasticache.SubnetGroup of the private subnets and set subnetGroupName.`);
    }
    const users = listOf(group.userGroupIds);
    // The token is a generated secret, unknown at preview: its presence is what counts (presenceOf never reads it).
    const token = presenceOf(group, "authToken");
    if ((token === "absent" || token === "empty") && users.length === 0) reportViolation("neither authToken nor userGroupIds is set: any client in the network can use the cache. Set authToken (a generated secret) or userGroupIds.");
  }),
);

export const dataStoreBaselinePolicies = [dataStoresEncrypted, stateStoresRecoverable, rdsClusterHardened, elasticacheHardened];
