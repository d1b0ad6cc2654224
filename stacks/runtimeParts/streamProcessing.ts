/**
 * Stream processing and batch: the MSF (Flink) application of IEG/OFP (DA-50), the EMR Serverless stream sort (DA-55)
 * and their one execution role; the EMR-on-EKS Flink fallback only behind its approved switch, in the RTDL namespace.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EmrServerlessApplication } from "../../components/emrServerlessApplication";
import { FlinkApplication } from "../../components/flinkApplication";
import { WorkloadRole } from "../../components/workloadRole";
import { denyTruthViewsStatement, laneS3Statements, vpcAccessStatement } from "../../src/iam/laneStatements";
import { ssmReadStatements } from "../../src/iam/policy";
import { admissionTags } from "../../src/runtime/admission";
import { fillPattern, flinkExecutionTrust, flinkS3Grants } from "../../src/runtime/lanes";
import { idleSafeStartApplication } from "../../src/teardown/idleSafe";
import { tagsFor } from "../../src/tags";
import { deferred } from "../handleOutputs";
import { RuntimeContext, RuntimePart } from "./context";
import { EksLane } from "./eksLane";
import { PrivatePlacement } from "./privateNetwork";

/** Why EMR_EKS_VIRTUAL_CLUSTER_ID is null while the fallback is off (the reason names the fallback's blocker record). */
const FLINK_FALLBACK_OFF = "the EMR-on-EKS Flink fallback (M6P6-B2) is off (fraud-platform:runtimeLanes.flinkFallback.enabled)";

export function streamProcessing(ctx: RuntimeContext, placement: PrivatePlacement, eks: EksLane): RuntimePart {
  const { r } = ctx;
  const role = flinkExecutionRole(ctx, eks);
  const flink = flinkApplication(ctx, placement, role);
  const streamSort = new EmrServerlessApplication("oracle-stream-sort", {
    applicationName: r.string("ORACLE_STREAM_SORT_EMR_SERVERLESS_APP"),
    releaseLabel: r.string("ORACLE_STREAM_SORT_EMR_RELEASE_LABEL"),
    idleTimeoutMinutes: ctx.lanes.emrServerless.idleTimeoutMinutes,
    maximumCapacity: ctx.lanes.emrServerless.maximumCapacity,
    subnetIds: ctx.core.privateSubnetIds,
    securityGroupIds: [placement.workloadSecurityGroupId],
    tags: tagsFor(ctx.env, { fp_phase_id: "P3" }),
  });
  const virtualCluster = flinkFallbackCluster(ctx, eks);
  return {
    handles: {
      FLINK_APP_RTDL_IEG_OFP_V0: flink.applicationName,
      ROLE_FLINK_EXECUTION: role.roleArn,
      EMR_EKS_EXECUTION_ROLE_ARN: role.roleArn,
      ORACLE_STREAM_SORT_EXECUTION_ROLE_ARN: role.roleArn,
      ORACLE_STREAM_SORT_EMR_SERVERLESS_APP: streamSort.applicationName,
      // Not materialised while the fallback is off: the name stays pinned, the id is null.
      EMR_EKS_VIRTUAL_CLUSTER_NAME: virtualCluster ? virtualCluster.name : r.string("EMR_EKS_VIRTUAL_CLUSTER_NAME"),
      EMR_EKS_VIRTUAL_CLUSTER_ID: virtualCluster ? virtualCluster.id : deferred(FLINK_FALLBACK_OFF),
    },
    outputs: {
      flink_application_arn: flink.applicationArn,
      oracle_stream_sort_application_id: streamSort.applicationId,
      role_flink_execution_arn: role.roleArn,
    },
    materialization: {},
  };
}

/** The Flink log group and checkpoint prefix, from the registry's patterns and the application name. */
function flinkNames(ctx: RuntimeContext) {
  const applicationName = ctx.r.string("FLINK_APP_RTDL_IEG_OFP_V0");
  return {
    applicationName,
    logGroupName: fillPattern(ctx.r.string("FLINK_LOG_GROUP_PATTERN"), "application_name", applicationName),
    checkpointPrefix: fillPattern(ctx.r.string("FLINK_CHECKPOINT_S3_PREFIX_PATTERN"), "application_name", applicationName),
  };
}

/** The execution role of Flink on MSF, of the stream sort and of EMR on EKS. */
function flinkExecutionRole(ctx: RuntimeContext, eks: EksLane): WorkloadRole {
  const { r, region, accountId } = ctx;
  const kmsKeyArn = ctx.core.kmsKeyArn;
  const bucketArns = ctx.core.bucketArns;
  const names = flinkNames(ctx);
  // The EKS cluster's OIDC values enter the trust only with the EMR-on-EKS fallback (they are unknown until the
  // cluster exists); without it the trust is known at preview.
  const fallback = ctx.lanes.eks.flinkFallback.enabled ? eks.cluster : undefined;
  const namespace = r.string("FLINK_EKS_NAMESPACE");
  const eksOidc = fallback ? [fallback.oidcProviderArn, fallback.oidcIssuer] : ["", ""];
  const trust = pulumi
    .all([accountId, ...eksOidc])
    .apply(([account, oidcProviderArn, issuer]) => flinkExecutionTrust(account, fallback ? { oidcProviderArn, issuer, namespace } : undefined));
  return new WorkloadRole("flink-execution", {
    roleName: r.roleName("ROLE_FLINK_EXECUTION"),
    trust,
    statements: [
      ...ssmReadStatements({ sid: "Flink", region, accountId, parameterPaths: [r.string("SSM_MSK_BOOTSTRAP_BROKERS_PATH")], kmsKeyArn }),
      ...laneS3Statements("Flink", flinkS3Grants(names.checkpointPrefix), bucketArns, region, kmsKeyArn),
      denyTruthViewsStatement(
        "Flink",
        bucketArns.apply((b) => b.object_store),
      ),
      {
        sid: "FlinkStateKey",
        actions: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        resources: [kmsKeyArn],
        conditions: { StringEquals: { "kms:ViaService": `kinesisanalytics.${region}.amazonaws.com` } },
      },
      {
        sid: "FlinkLogs",
        actions: ["logs:PutLogEvents", "logs:DescribeLogStreams", "logs:DescribeLogGroups"],
        resources: [pulumi.interpolate`arn:aws:logs:${region}:${accountId}:log-group:${names.logGroupName}:*`],
      },
      vpcAccessStatement("Flink"),
    ],
    extraPolicyJson: ctx.streamGrant("rtdl"),
    tags: ctx.tags,
  });
}

function flinkApplication(ctx: RuntimeContext, placement: PrivatePlacement, role: WorkloadRole): FlinkApplication {
  const { r, region } = ctx;
  const flink = ctx.lanes.flink;
  const names = flinkNames(ctx);
  return new FlinkApplication("rtdl-ieg-ofp", {
    applicationName: names.applicationName,
    runtimeEnvironment: flink.runtimeEnvironment,
    executionRoleArn: role.roleArn,
    codeBucketArn: ctx.core.bucketArns.apply((b) => b.artifacts),
    codeKey: flink.codeArtifactKey,
    parallelism: r.number("FLINK_PARALLELISM_DEFAULT"),
    checkpointIntervalMs: r.number("FLINK_CHECKPOINT_INTERVAL_MS"),
    checkpointLocation: pulumi.interpolate`s3://${ctx.core.bucketNames.apply((b) => b.object_store)}/${names.checkpointPrefix}`,
    properties: {
      "aws.region": region,
      "kafka.bootstrap.servers.param": r.string("SSM_MSK_BOOTSTRAP_BROKERS_PATH"),
      "metric.namespaces": r.string("FLINK_APP_RTDL_IEG_OFP_METRIC_NAMESPACES"),
    },
    subnetIds: ctx.core.privateSubnetIds,
    securityGroupIds: [placement.workloadSecurityGroupId],
    kmsKeyArn: ctx.core.kmsKeyArn,
    logGroupName: names.logGroupName,
    retentionInDays: ctx.retentionDays,
    startApplication: idleSafeStartApplication(ctx.env.settings.idleSafe, flink.startApplication),
    tags: tagsFor(ctx.env, { fp_phase_id: "P8" }),
  });
}

/** EMR-on-EKS Flink fallback: only with an approved fallback record (DA-50) and the EKS lane up, in the RTDL namespace. */
function flinkFallbackCluster(ctx: RuntimeContext, eks: EksLane): aws.emrcontainers.VirtualCluster | undefined {
  const { r } = ctx;
  const settings = ctx.lanes.eks;
  if (!settings.flinkFallback.enabled || !eks.cluster) return undefined;
  return new aws.emrcontainers.VirtualCluster(
    "flink-fallback",
    {
      name: r.string("EMR_EKS_VIRTUAL_CLUSTER_NAME"),
      containerProvider: { id: eks.cluster.clusterName, type: "EKS", info: { eksInfo: { namespace: r.string("FLINK_EKS_NAMESPACE") } } },
      tags: tagsFor(ctx.env, {
        fp_fallback_blocker: r.string("FLINK_RUNTIME_PATH_FALLBACK_BLOCKER"),
        fp_fallback_approval: settings.flinkFallback.approvalRef,
        ...admissionTags(settings.admission),
      }),
    },
    { dependsOn: [eks.namespaces.EKS_NAMESPACE_RTDL] },
  );
}
