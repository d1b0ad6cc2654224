/**
 * DA-19 (mandatory, high) and DA-54 (mandatory, high): the EKS exception lane. The API endpoint is private, or
 * public only to listed CIDRs (never 0.0.0.0/0); a stack with an EKS cluster has every lane namespace, each with
 * a default-deny NetworkPolicy, and every lane service account bound to an IRSA role. Every EKS cluster and node
 * group carries a complete admission record whose review date has not passed and lies at most the review cadence
 * (EKS_ADMISSION_REVIEW_CADENCE_DAYS) ahead; custom services run on ECS Fargate. "Today" is the policy config's
 * `today` (YYYY-MM-DD) when set, else the evaluation date (UTC).
 */
import * as aws from "@pulumi/aws";
import { admissionProblems, todayUtc } from "../../src/runtime/admission";
import { listOf, recordOf } from "../lib/knownValues";
import { registry } from "../lib/registry";
import { checksOf, resourceRule, stackRule } from "../lib/rule";

const EKS_COMPONENT = "eks:index:Cluster";
const EKS_CLUSTER = "aws:eks/cluster:Cluster";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount";
const IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";

type Props = Record<string, unknown>;

/** Endpoint exposure of either EKS type: `eks:index:Cluster` args or `aws:eks/cluster:Cluster` vpcConfig. */
export function endpointProblems(type: string, props: Props): string[] {
  const cfg = type === EKS_CLUSTER ? recordOf(props.vpcConfig) : props;
  // Both providers default the public endpoint to on.
  const publicOn = cfg.endpointPublicAccess !== false;
  if (!publicOn) return [];
  const cidrs = listOf(cfg.publicAccessCidrs).map(String);
  if (cidrs.length === 0)
    return ["the public API endpoint is on with no CIDR restriction (0.0.0.0/0); set endpointPublicAccess=false or list publicAccessCidrs"];
  const open = cidrs.filter((c) => c.endsWith("/0"));
  return open.length ? [`the public API endpoint admits ${open.join(", ")}; never 0.0.0.0/0`] : [];
}

export const eksEndpointRestricted = resourceRule(
  {
    id: "DA-19",
    slug: "eks-endpoint-private",
    description: "EKS API endpoint public access must be off (endpointPublicAccess=false) or restricted to listed CIDRs, never 0.0.0.0/0.",
    severity: "high",
  },
  (args, reportViolation) => {
    if (args.type !== EKS_COMPONENT && args.type !== EKS_CLUSTER) return args.notApplicable("not an EKS cluster");
    for (const p of endpointProblems(args.type, args.props)) reportViolation(p);
  },
);

/** A default-deny policy: every pod selected, Ingress and Egress listed, no allow rules. */
function isDefaultDeny(props: Props): boolean {
  const spec = recordOf(props.spec);
  const selector = recordOf(spec.podSelector);
  const selectsAll = Object.keys(recordOf(selector.matchLabels)).length === 0 && listOf(selector.matchExpressions).length === 0;
  const types = listOf(spec.policyTypes).map(String);
  return selectsAll && types.includes("Ingress") && types.includes("Egress") && listOf(spec.ingress).length === 0 && listOf(spec.egress).length === 0;
}

export const eksLaneIsolation = stackRule(
  {
    id: "DA-19",
    slug: "eks-lane-isolation",
    description:
      "A stack with an EKS cluster declares every lane namespace (EKS_NAMESPACE_*), a default-deny NetworkPolicy in each, and binds every lane service account to an IRSA role (eks.amazonaws.com/role-arn).",
    severity: "high",
  },
  (args, reportViolation) => {
    const clusters = args.resources.filter((r) => r.type === EKS_COMPONENT || r.type === EKS_CLUSTER);
    if (clusters.length === 0) return;
    const r = registry();
    const lanes = r.handles.filter((h) => /^EKS_NAMESPACE_/.test(h.name)).map((h) => r.string(h.name));
    const declared = new Set(args.resources.filter((x) => x.type === NAMESPACE).map((x) => String(recordOf(x.props.metadata).name)));
    const missing = lanes.filter((ns) => !declared.has(ns));
    if (missing.length) reportViolation(`lane namespaces not declared: ${missing.join(", ")}.`, clusters[0].urn);
    const denied = new Set(
      args.resources.filter((x) => x.type === NETWORK_POLICY && isDefaultDeny(x.props)).map((x) => String(recordOf(x.props.metadata).namespace)),
    );
    const open = lanes.filter((ns) => declared.has(ns) && !denied.has(ns));
    if (open.length) reportViolation(`lane namespaces without a default-deny NetworkPolicy: ${open.join(", ")}.`, clusters[0].urn);
    for (const sa of args.resources.filter((x) => x.type === SERVICE_ACCOUNT)) {
      const meta = recordOf(sa.props.metadata);
      if (!lanes.includes(String(meta.namespace))) continue;
      const role = recordOf(meta.annotations)[IRSA_ANNOTATION];
      if (typeof role !== "string" || !/^arn:aws[a-z-]*:iam::\d{12}:role\//.test(role)) {
        reportViolation(`service account ${String(meta.namespace)}/${String(meta.name)} has no IRSA role annotation (${IRSA_ANNOTATION}).`, sa.urn);
      }
    }
  },
);

export const eksAdmissionRecord = resourceRule(
  {
    id: "DA-54",
    slug: "eks-admission-record",
    description:
      "EKS clusters and node groups carry the admission record (reason, capability gap, SLO gain, cost fit, rollback path, review dates) as fp_eks_admission_* tags, re-justified at least every EKS_ADMISSION_REVIEW_CADENCE_DAYS days: set runtimeLanes.eks.admission.",
    severity: "high",
    configSchema: {
      properties: { today: { type: "string", default: "", description: "Evaluation date YYYY-MM-DD (empty: the current UTC date)." } },
    },
  },
  (args, reportViolation) => {
    if (![EKS_COMPONENT, EKS_CLUSTER, NODE_GROUP].includes(args.type)) return args.notApplicable("not an EKS cluster or node group");
    const today = args.getConfig<{ today?: string }>().today || todayUtc();
    const tags = { ...recordOf(args.props.tags), ...recordOf(args.props.clusterTags) };
    for (const p of admissionProblems(tags, today, registry().number("EKS_ADMISSION_REVIEW_CADENCE_DAYS"))) reportViolation(p);
  },
);

export const ecsServicesOnFargate = resourceRule(
  {
    id: "DA-54",
    slug: "ecs-services-on-fargate",
    description: "Custom services run on ECS Fargate: launchType FARGATE or a FARGATE/FARGATE_SPOT capacity provider strategy (EC2 capacity is not admitted).",
    severity: "medium",
  },
  checksOf(aws.ecs.Service, (service) => {
    const strategies = service.capacityProviderStrategies ?? [];
    const fargate = service.launchType === "FARGATE" || (strategies.length > 0 && strategies.every((s) => /^FARGATE(_SPOT)?$/.test(s.capacityProvider)));
    return (
      !fargate &&
      `launchType ${JSON.stringify(service.launchType ?? null)} with capacity providers ${JSON.stringify(strategies.map((s) => s.capacityProvider))}; expected Fargate.`
    );
  }),
);

export const eksExceptionLanePolicies = [eksEndpointRestricted, eksLaneIsolation, eksAdmissionRecord, ecsServicesOnFargate];
