/**
 * DA-50 (mandatory, high): IEG/OFP run on Managed Service for Apache Flink as the single pinned application
 * (FLINK_APP_RTDL_IEG_OFP_V0), Flink runtime, parallelism FLINK_PARALLELISM_DEFAULT, checkpointing on every
 * FLINK_CHECKPOINT_INTERVAL_MS; EKS-hosted Flink (an EMR-on-EKS virtual cluster) only with the approved
 * fallback record (tag fp_fallback_blocker = FLINK_RUNTIME_PATH_FALLBACK_BLOCKER plus an fp_fallback_approval).
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { registry } from "../lib/registry";
import { resourceRule } from "../lib/rule";

export const flinkOnMsf = resourceRule(
  {
    id: "DA-50",
    slug: "flink-msf-application-pinned",
    description: "The MSF application is the pinned IEG/OFP app: pinned name, FLINK-* runtime, CUSTOM parallelism 2, checkpointing on at 60000 ms.",
    severity: "high",
  },
  policy.validateResourceOfType(aws.kinesisanalyticsv2.Application, (app, _args, reportViolation) => {
    const r = registry();
    const name = r.string("FLINK_APP_RTDL_IEG_OFP_V0");
    const parallelism = r.number("FLINK_PARALLELISM_DEFAULT");
    const interval = r.number("FLINK_CHECKPOINT_INTERVAL_MS");
    if (app.name !== name) reportViolation(`name ${JSON.stringify(app.name ?? null)}; the only MSF application is ${name}.`);
    if (!/^FLINK-/.test(app.runtimeEnvironment ?? ""))
      reportViolation(`runtimeEnvironment ${JSON.stringify(app.runtimeEnvironment ?? null)} is not a Flink runtime.`);
    const flink = app.applicationConfiguration?.flinkApplicationConfiguration;
    const par = flink?.parallelismConfiguration;
    if (par?.configurationType !== "CUSTOM" || par.parallelism !== parallelism || par.autoScalingEnabled === true) {
      reportViolation(`parallelism ${JSON.stringify(par ?? null)}; expected CUSTOM, ${parallelism}, no autoscaling.`);
    }
    const cp = flink?.checkpointConfiguration;
    if (cp?.configurationType !== "CUSTOM" || cp.checkpointingEnabled !== true || cp.checkpointInterval !== interval) {
      reportViolation(`checkpointing ${JSON.stringify(cp ?? null)}; expected CUSTOM, enabled, every ${interval} ms.`);
    }
  }),
);

export const flinkFallbackApproved = resourceRule(
  {
    id: "DA-50",
    slug: "flink-eks-fallback-approved",
    description:
      "An EMR-on-EKS virtual cluster (EKS-hosted Flink) needs the approved fallback record: tag fp_fallback_blocker set to the registry's FLINK_RUNTIME_PATH_FALLBACK_BLOCKER and an fp_fallback_approval reference.",
    severity: "high",
  },
  policy.validateResourceOfType(aws.emrcontainers.VirtualCluster, (vc, _args, reportViolation) => {
    const blocker = registry().string("FLINK_RUNTIME_PATH_FALLBACK_BLOCKER");
    const tags = vc.tags ?? {};
    if (tags.fp_fallback_blocker !== blocker) reportViolation(`fp_fallback_blocker=${JSON.stringify(tags.fp_fallback_blocker ?? null)}, expected ${blocker}.`);
    if (!tags.fp_fallback_approval) reportViolation("no fp_fallback_approval reference.");
  }),
);

export const flinkPlacementPolicies = [flinkOnMsf, flinkFallbackApproved];
