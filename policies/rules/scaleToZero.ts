/**
 * DA-93 and DA-100 (mandatory, high): non-essential runtime is idle-safe. ECS services default to desired 0 (a proof
 * window scales them up outside IaC); EKS node groups allow minSize 0 and the eks component creates no default
 * node group; EMR Serverless applications stop themselves when idle.
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { resourceRule } from "../lib/rule";

export const ecsServicesDesiredZero = resourceRule(
  {
    id: "DA-93",
    slug: "ecs-services-desired-zero",
    description: "ECS services are declared with desiredCount 0 (scaled up only for a proof window); set runtimeLanes.ecs.desiredCount to 0.",
    severity: "high",
    configSchema: { properties: { maxDesiredCount: { type: "number", default: 0, description: "Highest desired count admitted at declaration." } } },
  },
  policy.validateResourceOfType(aws.ecs.Service, (service, args, reportViolation) => {
    const max = args.getConfig<{ maxDesiredCount?: number }>().maxDesiredCount ?? 0;
    if ((service.desiredCount ?? 0) > max) reportViolation(`desiredCount ${service.desiredCount}; at most ${max} outside proof windows.`);
  }),
);

export const nodeGroupsScaleToZero = resourceRule(
  {
    id: "DA-100",
    slug: "eks-node-groups-scale-to-zero",
    description: "EKS node groups allow scaling to zero (scalingConfig.minSize 0), and eks.Cluster components skip the default node group.",
    severity: "high",
  },
  (args, reportViolation) => {
    if (args.type === "aws:eks/nodeGroup:NodeGroup") {
      const scaling = (args.props.scalingConfig ?? {}) as { minSize?: number };
      if (scaling.minSize !== 0) reportViolation(`scalingConfig.minSize ${JSON.stringify(scaling.minSize ?? null)}, expected 0.`);
      return;
    }
    if (args.type === "eks:index:Cluster") {
      if (args.props.skipDefaultNodeGroup !== true && args.props.minSize !== 0)
        reportViolation("the default node group cannot scale to zero: set skipDefaultNodeGroup=true (managed node groups instead) or minSize=0.");
      return;
    }
    args.notApplicable("not an EKS node group");
  },
);

export const emrServerlessAutoStop = resourceRule(
  {
    id: "DA-100",
    slug: "emr-serverless-auto-stop",
    description: "EMR Serverless applications stop when idle: autoStopConfiguration.enabled true with an idle timeout.",
    severity: "high",
  },
  policy.validateResourceOfType(aws.emrserverless.Application, (app, _args, reportViolation) => {
    const stop = app.autoStopConfiguration;
    // The provider's default is auto-stop on after 15 minutes; only an explicit off violates.
    if (stop && stop.enabled === false) reportViolation("autoStopConfiguration.enabled is false.");
  }),
);

export const scaleToZeroPolicies = [ecsServicesDesiredZero, nodeGroupsScaleToZero, emrServerlessAutoStop];
