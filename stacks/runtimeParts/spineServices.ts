/**
 * ECS: the WSP cluster (always), and behind `spineServicesEnabled` (off for P0) the spine services and the WSP task.
 * Each workload fails closed on a TO_PIN entrypoint or a mutable image (DA-61) and runs desired 0 by default (DA-93).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FargateWorkload } from "../../components/fargateWorkload";
import { denyTruthViewsStatement, laneS3Statements } from "../../src/iam/laneStatements";
import { commandFor } from "../../src/runtime/entrypoints";
import { imageFromPin } from "../../src/runtime/images";
import { SPINE_SERVICES, SpineWorkload, WSP_TASK, fillPattern, statementSid, touchesObjectStore } from "../../src/runtime/lanes";
import { idleSafeDesiredCount } from "../../src/teardown/idleSafe";
import { tagsFor } from "../../src/tags";
import { downReason } from "../../src/window/surfaces";
import { deferred } from "../handleOutputs";
import { RuntimeContext, RuntimePart } from "./context";
import { PrivatePlacement } from "./privateNetwork";

const SPINE_OFF = deferred("spine services and the WSP task are off for substrate readiness (fraud-platform:runtimeLanes.ecs.spineServicesEnabled)");

export function spineServices(ctx: RuntimeContext, placement: PrivatePlacement): RuntimePart {
  const { r } = ctx;
  const cluster = wspCluster(ctx);
  const on = ctx.lanes.ecs.spineServicesEnabled;
  // A workload whose entrypoint is unpinned is left out (the real run has stopped; the plan recorded the blocker).
  const spine = on
    ? Object.fromEntries(
        SPINE_SERVICES.flatMap((w) => (ctx.env.pinnedOrBlocked(w.entrypointHandle) ? [[w.key, fargateWorkload(ctx, w, placement, cluster)]] : [])),
      )
    : {};
  const wsp = on && ctx.env.pinnedOrBlocked(WSP_TASK.entrypointHandle) ? fargateWorkload(ctx, WSP_TASK, placement) : undefined;
  const nameIfCreated = (created: boolean, handle: string) => (created ? r.string(handle) : SPINE_OFF);
  return {
    handles: {
      WSP_ECS_CLUSTER_NAME: cluster.name,
      ARCHIVE_CONNECTOR_PROBE_ECS_CLUSTER: cluster.name,
      WSP_TASK_DEFINITION_FAMILY: wsp ? wsp.family : SPINE_OFF,
      ARCHIVE_CONNECTOR_PROBE_TASK_DEFINITION: wsp ? wsp.family : SPINE_OFF,
      ROLE_ECS_WSP_TASK_NAME: nameIfCreated(wsp !== undefined, "ROLE_ECS_WSP_TASK_NAME"),
      ROLE_ECS_WSP_EXECUTION_NAME: nameIfCreated(wsp !== undefined, "ROLE_ECS_WSP_EXECUTION_NAME"),
      ...Object.fromEntries(
        SPINE_SERVICES.flatMap((w) => [
          [w.nameHandle, spine[w.key]?.serviceName ?? SPINE_OFF],
          [w.taskRoleHandle, nameIfCreated(w.key in spine, w.taskRoleHandle)],
          [w.executionRoleHandle, nameIfCreated(w.key in spine, w.executionRoleHandle)],
        ]),
      ),
      ARCHIVE_CONNECTOR_SOURCE_CLUSTER_ARN: ctx.mskUp ? ctx.streaming.mskClusterArn : deferred(downReason(ctx.env, "msk")),
      ARCHIVE_CONNECTOR_SOURCE_TOPIC: r.string("ARCHIVE_CONNECTOR_SOURCE_TOPIC"),
    },
    outputs: { wsp_ecs_cluster_arn: cluster.arn },
    materialization: {},
  };
}

/** The WSP cluster on Fargate (and Fargate Spot) capacity. */
function wspCluster(ctx: RuntimeContext): aws.ecs.Cluster {
  const cluster = new aws.ecs.Cluster("wsp-ephemeral", {
    name: ctx.r.string("WSP_ECS_CLUSTER_NAME"),
    settings: [{ name: "containerInsights", value: ctx.lanes.ecs.containerInsights ? "enabled" : "disabled" }],
    tags: ctx.tags,
  });
  new aws.ecs.ClusterCapacityProviders("wsp-ephemeral", {
    clusterName: cluster.name,
    capacityProviders: ["FARGATE", "FARGATE_SPOT"],
    defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
  });
  return cluster;
}

/** SSM parameters ECS injects as secrets: the bus, and Aurora's connection for the services that use it. */
function workloadSecrets(ctx: RuntimeContext, aurora: boolean): Record<string, string> {
  const { r } = ctx;
  return {
    KAFKA_BOOTSTRAP_BROKERS: r.string("SSM_MSK_BOOTSTRAP_BROKERS_PATH"),
    ...(aurora
      ? {
          AURORA_ENDPOINT: r.string("SSM_AURORA_ENDPOINT_PATH"),
          AURORA_USERNAME: r.string("SSM_AURORA_USERNAME_PATH"),
          AURORA_PASSWORD: r.string("SSM_AURORA_PASSWORD_PATH"),
        }
      : {}),
  };
}

/** Plain environment of a workload: run id, lane, region and the platform buckets (names, never credentials). */
function workloadEnvironment(ctx: RuntimeContext, lane: string): Record<string, pulumi.Input<string>> {
  const buckets = ctx.core.bucketNames;
  return {
    [ctx.r.string("REQUIRED_PLATFORM_RUN_ID_ENV_KEY")]: ctx.lanes.ecs.platformRunId,
    RUNTIME_LANE: lane,
    AWS_REGION: ctx.region,
    PLATFORM_STORE_ROOT: pulumi.interpolate`s3://${buckets.apply((b) => b.object_store)}`,
    EVIDENCE_BUCKET: buckets.apply((b) => b.evidence),
  };
}

/** One workload on Fargate: a service on `cluster`, or a task definition only (run on demand) without one. */
function fargateWorkload(ctx: RuntimeContext, w: SpineWorkload, placement: PrivatePlacement, cluster?: aws.ecs.Cluster): FargateWorkload {
  const { r, env, region } = ctx;
  const ecs = ctx.lanes.ecs;
  const family = r.string(w.nameHandle);
  const sid = statementSid(w.key);
  const bucketArns = ctx.core.bucketArns;
  return new FargateWorkload(w.key, {
    family,
    taskRoleName: r.string(w.taskRoleHandle),
    executionRoleName: r.string(w.executionRoleHandle),
    // A mutable image was refused by the settings schema and is refused again here (DA-61).
    image: ctx.core.ecrRepositoryUrl.apply((url) => imageFromPin(url, ecs.image)),
    command: commandFor(w.entrypointHandle, r.string(w.entrypointHandle), w.module),
    environment: workloadEnvironment(ctx, w.stream),
    secrets: workloadSecrets(ctx, w.aurora),
    runIdEnvKey: r.string("REQUIRED_PLATFORM_RUN_ID_ENV_KEY"),
    statements: [
      ...laneS3Statements(sid, w.s3, bucketArns, region, ctx.core.kmsKeyArn),
      ...(touchesObjectStore(w.s3)
        ? [
            denyTruthViewsStatement(
              sid,
              bucketArns.apply((b) => b.object_store),
            ),
          ]
        : []),
    ],
    extraPolicyJson: ctx.streamGrant(w.stream),
    region,
    accountId: ctx.accountId,
    kmsKeyArn: ctx.core.kmsKeyArn,
    logGroupName: fillPattern(r.string("ECS_LOG_GROUP_PATTERN"), "family", family),
    retentionInDays: ctx.retentionDays,
    cpu: ecs.taskCpu,
    memory: ecs.taskMemory,
    service: cluster
      ? {
          clusterArn: cluster.arn,
          desiredCount: idleSafeDesiredCount(env.settings.idleSafe, ecs.desiredCount),
          enforceDesiredCount: env.settings.idleSafe,
          subnetIds: ctx.core.privateSubnetIds,
          securityGroupIds: [placement.workloadSecurityGroupId],
          bootDependencies: placement.bootDependencies,
        }
      : undefined,
    // The placement pin the workload realises (RUNTIME_WORKLOAD_* / WSP_RUNTIME), next to the run/phase tags (DA-11).
    tags: tagsFor(env, { fp_run_id: ecs.platformRunId, fp_phase_id: "P2", fp_workload: w.key, fp_placement: r.string(w.placementHandle) }),
  });
}
