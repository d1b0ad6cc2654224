/**
 * The EKS exception lane (admitted by record, DA-19, DA-54): the cluster with its scale-to-zero node group, one
 * namespace per lane with default-deny network policies, and one IRSA role + service account per lane. The learning
 * lane fails closed until ROLE_EKS_IRSA_LEARNING is pinned. The control plane cannot scale to zero, so the lane
 * exists only in a proof window that names it; its handles are deferred otherwise.
 */
import * as pulumi from "@pulumi/pulumi";
import { EksExceptionCluster } from "../../components/eksExceptionCluster";
import { IrsaServiceAccount } from "../../components/irsaServiceAccount";
import { LaneNamespace } from "../../components/laneNamespace";
import { denyTruthViewsStatement, laneS3Statements } from "../../src/iam/laneStatements";
import { ssmReadStatements } from "../../src/iam/policy";
import { PINNED_HANDLE_TAG } from "../../policies/lib/pins";
import { IRSA_LANES, IrsaLane, LANE_NAMESPACES, REFERENCE_IRSA_OUTPUTS, irsaLogicalName, statementSid, touchesObjectStore } from "../../src/runtime/lanes";
import { idleSafeNodeGroup } from "../../src/teardown/idleSafe";
import { downReason, surfaceUp } from "../../src/window/surfaces";
import { Deferred, deferred } from "../handleOutputs";
import { RuntimeContext, RuntimePart } from "./context";
import { PrivatePlacement } from "./privateNetwork";

export interface EksLane extends RuntimePart {
  /** Undefined while the proof window keeps the lane down. */
  cluster?: EksExceptionCluster;
  /** Namespace per EKS_NAMESPACE_* handle (empty while the lane is down). */
  namespaces: Record<string, LaneNamespace>;
  /** Why the lane is down (undefined while it is up). */
  down?: Deferred;
}

/** The lane's identity: its role ARN (unknown while the role is unpinned) and, once declared, the service account. */
interface LaneIdentity {
  lane: IrsaLane;
  roleArn: pulumi.Output<string>;
  serviceAccount?: IrsaServiceAccount;
}

export function eksLane(ctx: RuntimeContext, placement: PrivatePlacement): EksLane {
  const down = surfaceUp(ctx.env, "eks_lane") ? undefined : deferred(downReason(ctx.env, "eks_lane"));
  const cluster = down ? undefined : exceptionCluster(ctx, placement);
  const namespaces: Record<string, LaneNamespace> = cluster
    ? Object.fromEntries(
        LANE_NAMESPACES.map(({ handle, lane }) => [
          handle,
          new LaneNamespace(`ns-${lane}`, { namespace: ctx.r.string(handle), lane, provider: cluster.provider }),
        ]),
      )
    : {};
  const identities = cluster ? IRSA_LANES.map((lane) => laneIdentity(ctx, lane, cluster, namespaces)) : [];
  return { cluster, namespaces, down, ...eksLaneOutputs(ctx, cluster, namespaces, identities, down) };
}

function exceptionCluster(ctx: RuntimeContext, placement: PrivatePlacement): EksExceptionCluster {
  const { r, accountId, region } = ctx;
  const eks = ctx.lanes.eks;
  return new EksExceptionCluster("exception-lane", {
    clusterName: r.string("EKS_CLUSTER_NAME"),
    kubernetesVersion: eks.kubernetesVersion,
    vpcId: ctx.core.vpcId,
    privateSubnetIds: ctx.core.privateSubnetIds,
    publicAccessCidrs: eks.publicAccessCidrs,
    kmsKeyArn: ctx.core.kmsKeyArn,
    clusterRoleArn: ctx.core.eksClusterRoleArn,
    nodeRoleArn: ctx.core.eksNodeRoleArn,
    accountId,
    region,
    accessEntries: eks.accessEntries,
    // EMR on EKS reaches its namespace through the service-linked role (with the Flink fallback only).
    extraAccessEntries: eks.flinkFallback.enabled
      ? {
          "emr-containers": {
            principalArn: pulumi.interpolate`arn:aws:iam::${accountId}:role/aws-service-role/emr-containers.amazonaws.com/AWSServiceRoleForAmazonEMRContainers`,
            policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEMRJobPolicy",
            namespaces: [r.string("FLINK_EKS_NAMESPACE")],
          },
        }
      : undefined,
    enabledLogTypes: eks.enabledLogTypes,
    controlPlaneLogGroup: { name: r.string("EKS_CONTROL_PLANE_LOG_GROUP_NAME"), retentionInDays: ctx.retentionDays },
    nodeGroup: { name: r.string("EKS_NODEGROUP_LANES_NAME"), ...idleSafeNodeGroup(ctx.env.settings.idleSafe, eks.nodeGroup) },
    bootDependencies: placement.bootDependencies,
    workloadSecurityGroupId: placement.workloadSecurityGroupId,
    admission: eks.admission,
    tags: ctx.tags,
  });
}

/**
 * One lane's IRSA role and service account. An unpinned role (ROLE_EKS_IRSA_LEARNING is TO_PIN) stops a real run at
 * env.pinnedRoleName; the offline plan records the blocker, declares nothing that needs the role and exports it as
 * unknown.
 */
function laneIdentity(ctx: RuntimeContext, lane: IrsaLane, cluster: EksExceptionCluster, namespaces: Record<string, LaneNamespace>): LaneIdentity {
  const { r, env, region, accountId } = ctx;
  if (!r.isPinned(lane.roleHandle)) {
    const roleArn = env.pinnedRoleName(lane.roleHandle).apply((): string => {
      throw new Error(`${lane.roleHandle} resolved without being pinned`);
    });
    return { lane, roleArn };
  }
  const sid = statementSid(lane.lane);
  const kmsKeyArn = ctx.core.kmsKeyArn;
  const bucketArns = ctx.core.bucketArns;
  const serviceAccount = new IrsaServiceAccount(irsaLogicalName(lane.lane), {
    roleName: r.roleName(lane.roleHandle),
    namespace: namespaces[lane.namespaceHandle].namespaceName,
    serviceAccount: lane.serviceAccount,
    lane: lane.lane,
    oidcProviderArn: cluster.oidcProviderArn,
    oidcIssuer: cluster.oidcIssuer,
    accountId,
    statements: [
      ...ssmReadStatements({ sid, region, accountId, parameterPaths: lane.ssm.map((h) => r.string(h)), kmsKeyArn }),
      ...laneS3Statements(sid, lane.s3, bucketArns, region, kmsKeyArn),
      ...(touchesObjectStore(lane.s3)
        ? [
            denyTruthViewsStatement(
              sid,
              bucketArns.apply((b) => b.object_store),
            ),
          ]
        : []),
    ],
    extraPolicyJson: ctx.streamGrant(lane.stream),
    provider: cluster.provider,
    // A role named by the stack config's pin says which TO_PIN handle it pins (DA-06 and DA-25 read it).
    tags: r.pinnedByConfig(lane.roleHandle) ? { ...ctx.tags, [PINNED_HANDLE_TAG]: lane.roleHandle } : ctx.tags,
  });
  return { lane, roleArn: serviceAccount.roleArn, serviceAccount };
}

function eksLaneOutputs(
  ctx: RuntimeContext,
  cluster: EksExceptionCluster | undefined,
  namespaces: Record<string, LaneNamespace>,
  identities: LaneIdentity[],
  down: Deferred | undefined,
): RuntimePart {
  const roleArns: Record<string, pulumi.Output<string>> = Object.fromEntries(identities.map((i) => [i.lane.roleHandle, i.roleArn]));
  const serviceAccounts = identities.flatMap((i) =>
    i.serviceAccount ? [[i.lane.roleHandle, pulumi.interpolate`${i.serviceAccount.namespace}/${i.serviceAccount.serviceAccountName}`] as const] : [],
  );
  return {
    handles: {
      EKS_CLUSTER_NAME: cluster ? cluster.clusterName : down,
      EKS_CLUSTER_ARN: cluster ? cluster.clusterArn : down,
      EKS_NODEGROUP_LANES_NAME: cluster ? cluster.nodeGroupName : down,
      EKS_CONTROL_PLANE_LOG_GROUP_NAME: cluster ? cluster.controlPlaneLogGroupName : down,
      ...Object.fromEntries(LANE_NAMESPACES.map(({ handle }) => [handle, namespaces[handle]?.namespaceName ?? down])),
      FLINK_EKS_NAMESPACE: namespaces.EKS_NAMESPACE_RTDL?.namespaceName ?? down,
      // Unknown (never a made-up ARN) while a role is unpinned; deferred while the lane is down.
      ...Object.fromEntries(IRSA_LANES.map((l) => [l.roleHandle, roleArns[l.roleHandle] ?? down])),
    },
    outputs: {
      eks_cluster_arn: cluster?.clusterArn ?? null,
      eks_oidc_provider_arn: cluster?.oidcProviderArn ?? null,
      eks_nodegroup_lanes_status: cluster?.nodeGroupStatus ?? null,
      eks_lane_service_accounts: pulumi.output(Object.fromEntries(serviceAccounts)),
      runtime_lanes_eks_admission: { ...ctx.lanes.eks.admission },
      // The reference's names for outputs renamed here (its workflows read eks_nodegroup_m6f_name).
      eks_nodegroup_m6f_name: cluster ? cluster.nodeGroupName : down,
      eks_nodegroup_m6f_status: cluster ? cluster.nodeGroupStatus : down,
      ...Object.fromEntries(REFERENCE_IRSA_OUTPUTS.map(([output, handle]) => [output, roleArns[handle] ?? down])),
    },
    materialization: {
      EKS_NODEGROUP_M6F_NAME: cluster ? cluster.nodeGroupName : down,
      EKS_NODEGROUP_M6F_STATUS: cluster ? cluster.nodeGroupStatus : down,
    },
  };
}
