/**
 * DA-56 (mandatory, high): AL, CaseTrigger, CM and LS run as ECS Fargate services (RUNTIME_WORKLOAD_<X> pins
 * ECS_FARGATE_SERVICE[_PLUS_AURORA]), and CM/LS (..._PLUS_AURORA) connect to Aurora. Which workloads, their service
 * names (ECS_SERVICE_<X>_NAME, also the task definition family) and whether they need Aurora all come from the
 * registry. Checked at preview time:
 *  - the ECS service uses `launchType: FARGATE`, or a capacity-provider strategy made only of FARGATE/FARGATE_SPOT;
 *  - the task definition requires FARGATE compatibility;
 *  - CM/LS task definitions receive the Aurora SSM paths (endpoint, username, password) through `secrets.valueFrom`
 *    (or, for the non-secret endpoint, a plain environment entry holding the path).
 * DF and DLA are custom-semantics ECS services and are not held to Fargate here. A task definition whose container
 * definitions are not known at preview time is skipped by the Aurora check.
 * Overlap: da-54-ecs-services-on-fargate (eksExceptionLane.ts) holds every ECS service to Fargate generically; this
 * rule is the placement pin of the four named workloads, so an EC2 AL/CaseTrigger/CM/LS service is reported by both.
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { registry } from "../lib/registry";
import { resourceRule } from "../lib/rule";
import { known } from "./bucketLifecycle";

const WORKLOADS = ["AL", "CASE_TRIGGER", "CM", "LS"] as const;
const FARGATE_PROVIDERS = ["FARGATE", "FARGATE_SPOT"];
const AURORA_PATHS = ["SSM_AURORA_ENDPOINT_PATH", "SSM_AURORA_USERNAME_PATH", "SSM_AURORA_PASSWORD_PATH"];

export interface FargateWorkloadPin {
  key: string;
  serviceName: string;
  fargate: boolean;
  aurora: boolean;
}

/** The placement pins of the four Fargate workloads, from the registry. */
export function fargateWorkloadPins(): FargateWorkloadPin[] {
  const r = registry();
  return WORKLOADS.map((key) => {
    const placement = r.string(`RUNTIME_WORKLOAD_${key}`);
    return { key, serviceName: r.string(`ECS_SERVICE_${key}_NAME`), fargate: placement.includes("FARGATE"), aurora: placement.endsWith("_PLUS_AURORA") };
  });
}

export const spineServicesOnFargate = resourceRule(
  {
    id: "DA-56",
    slug: "spine-services-on-fargate",
    description:
      'The AL, CaseTrigger, CM and LS ECS services must run on Fargate: set launchType FARGATE (or a capacity-provider strategy of FARGATE/FARGATE_SPOT only) and requiresCompatibilities ["FARGATE"] on their task definitions.',
    severity: "high",
  },
  [
    policy.validateResourceOfType(aws.ecs.Service, (svc, _args, reportViolation) => {
      const pin = fargateWorkloadPins().find((p) => p.fargate && p.serviceName === svc.name);
      if (!pin) return;
      const strategies = svc.capacityProviderStrategies ?? [];
      if (svc.launchType === "FARGATE" && strategies.length === 0) return;
      if (!svc.launchType && strategies.length > 0 && strategies.every((s) => FARGATE_PROVIDERS.includes(s.capacityProvider))) return;
      const how = svc.launchType
        ? `launchType ${JSON.stringify(svc.launchType)}`
        : strategies.length
          ? `capacity providers ${strategies.map((s) => s.capacityProvider).join(", ")}`
          : "no launchType or capacity-provider strategy";
      reportViolation(`service ${svc.name} (RUNTIME_WORKLOAD_${pin.key}) is not pinned to Fargate: ${how}.`);
    }),
    policy.validateResourceOfType(aws.ecs.TaskDefinition, (td, _args, reportViolation) => {
      const pin = fargateWorkloadPins().find((p) => p.fargate && p.serviceName === td.family);
      if (!pin) return;
      if (!(td.requiresCompatibilities ?? []).includes("FARGATE"))
        reportViolation(`task definition ${td.family} (RUNTIME_WORKLOAD_${pin.key}) does not require FARGATE compatibility.`);
    }),
  ],
);

/** SSM paths a task definition's containers receive (secrets.valueFrom ARNs or paths, and env values that are paths). */
function ssmPathsOf(containerDefinitions: unknown): Set<string> | undefined {
  let containers: unknown;
  try {
    containers = typeof containerDefinitions === "string" ? JSON.parse(containerDefinitions) : containerDefinitions;
  } catch {
    return undefined;
  }
  if (!Array.isArray(containers)) return undefined;
  const paths = new Set<string>();
  for (const c of containers as Array<{ secrets?: Array<{ valueFrom?: unknown }>; environment?: Array<{ value?: unknown }> }>) {
    for (const s of c.secrets ?? []) if (typeof s.valueFrom === "string") paths.add(s.valueFrom.replace(/^arn:[^:]+:ssm:[^:]*:[^:]*:parameter/, ""));
    for (const e of c.environment ?? []) if (typeof e.value === "string" && e.value.startsWith("/")) paths.add(e.value);
  }
  return paths;
}

export const caseLabelServicesUseAurora = resourceRule(
  {
    id: "DA-56",
    slug: "case-label-services-use-aurora",
    description:
      "CM and LS (RUNTIME_WORKLOAD_* = ECS_FARGATE_SERVICE_PLUS_AURORA) connect to Aurora: their task definitions must receive SSM_AURORA_ENDPOINT_PATH, SSM_AURORA_USERNAME_PATH and SSM_AURORA_PASSWORD_PATH through secrets.valueFrom.",
    severity: "high",
  },
  policy.validateResourceOfType(aws.ecs.TaskDefinition, (td, args, reportViolation) => {
    const pin = fargateWorkloadPins().find((p) => p.aurora && p.serviceName === td.family);
    if (!pin) return;
    const paths = ssmPathsOf(known(() => td.containerDefinitions));
    if (!paths) return args.notApplicable("container definitions not known at preview time");
    const r = registry();
    const missing = AURORA_PATHS.filter((h) => !paths.has(r.string(h)));
    if (missing.length) reportViolation(`task definition ${td.family} (RUNTIME_WORKLOAD_${pin.key}) lacks the Aurora connection paths ${missing.join(", ")}.`);
  }),
);

export const fargatePlacementPolicies = [spineServicesOnFargate, caseLabelServicesUseAurora];
