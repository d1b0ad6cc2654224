/**
 * Can each private workload of a plan reach S3 and DynamoDB? Read off the recorded resources of every layer: the
 * workloads (Lambda, Flink on MSF, EMR Serverless, ECS services, EKS node groups) with their security groups and
 * roles, the roles' inline policies, and the security groups' egress rules. A workload needs a gateway service when
 * its role's policies allow an action of that service, or intrinsically (EMR Serverless reads job code from S3; ECS
 * tasks and EKS nodes pull ECR image layers from S3). It reaches a service when one of its groups has TCP 443 egress
 * to that service's gateway prefix list. Fails closed: a role or policy that cannot be resolved is a problem, and a
 * group the plan does not declare reaches nothing.
 */
import { GatewayService } from "./workloadEgress";

/** The slice of a recorded resource this analysis reads (src/plan/previewDocument.ts RecordedResource). */
export interface PlannedResource {
  type: string;
  name: string;
  id?: string;
  inputs: Record<string, unknown>;
}

export type WorkloadKind = "lambda" | "flink" | "emr-serverless" | "ecs-service" | "eks-nodes";

export interface PlannedWorkload {
  kind: WorkloadKind;
  /** Logical name of the workload resource. */
  name: string;
  /** Role ARNs whose policies the workload runs with. */
  roleArns: string[];
  securityGroupIds: string[];
  /** Problems met while resolving the workload's groups or roles. */
  unresolved: string[];
}

export interface WorkloadReach {
  workload: PlannedWorkload;
  needs: GatewayService[];
  reaches: GatewayService[];
  /** Non-empty: the workload cannot be shown to reach what it needs. */
  problems: string[];
}

export const GATEWAY_SERVICES: readonly GatewayService[] = ["s3", "dynamodb"];

/** Services a workload kind needs whatever its role says. */
const INTRINSIC: Record<WorkloadKind, GatewayService[]> = {
  lambda: [],
  flink: [],
  "emr-serverless": ["s3"],
  "ecs-service": ["s3"],
  "eks-nodes": ["s3"],
};

const T = {
  lambda: "aws:lambda/function:Function",
  flink: "aws:kinesisanalyticsv2/application:Application",
  emr: "aws:emrserverless/application:Application",
  ecsService: "aws:ecs/service:Service",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
} as const;

const obj = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);

/** Role name of a role ARN (`arn:aws:iam::123:role/path/name` -> `name`). */
export function roleNameOf(arn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m?.[1];
}

/** The private workloads of a plan and what they run with. */
export function plannedWorkloads(resources: readonly PlannedResource[]): PlannedWorkload[] {
  const out: PlannedWorkload[] = [];
  const add = (kind: WorkloadKind, name: string, roles: Array<string | undefined>, groups: string[], unresolved: string[] = []) =>
    out.push({ kind, name, roleArns: roles.filter((r): r is string => r !== undefined), securityGroupIds: groups, unresolved });
  for (const r of resources) {
    const i = r.inputs;
    if (r.type === T.lambda) {
      const vpc = obj(i.vpcConfig);
      // A function outside a VPC reaches AWS over the internet path Lambda provides; only VPC functions are in scope.
      if (Object.keys(vpc).length) add("lambda", r.name, [str(i.role)], strings(vpc.securityGroupIds));
    } else if (r.type === T.flink) {
      const conf = obj(i.applicationConfiguration);
      const vpc = obj(conf.vpcConfiguration);
      add("flink", r.name, [str(i.serviceExecutionRole)], strings(vpc.securityGroupIds), Object.keys(vpc).length ? [] : ["no vpcConfiguration"]);
    } else if (r.type === T.emr) {
      add("emr-serverless", r.name, [], strings(obj(i.networkConfiguration).securityGroupIds));
    } else if (r.type === T.ecsService) {
      const td = str(i.taskDefinition);
      const family = td ? (/task-definition\/([^:]+)/.exec(td)?.[1] ?? td) : undefined;
      const def = resources.find((d) => d.type === T.taskDefinition && d.inputs.family === family);
      add(
        "ecs-service",
        r.name,
        def ? [str(def.inputs.taskRoleArn)] : [],
        strings(obj(obj(i.networkConfiguration)).securityGroups),
        def ? [] : [`task definition ${JSON.stringify(td ?? null)} not in the plan`],
      );
    } else if (r.type === T.nodeGroup) {
      const lt = obj(i.launchTemplate);
      const template = resources.find(
        (t) => t.type === T.launchTemplate && ((lt.name !== undefined && t.inputs.name === lt.name) || (lt.id !== undefined && t.id === lt.id)),
      );
      add(
        "eks-nodes",
        r.name,
        [str(i.nodeRoleArn)],
        template ? strings(template.inputs.vpcSecurityGroupIds) : [],
        template ? [] : ["no launch template in the plan (the nodes' groups are EKS's defaults, unknown here)"],
      );
    }
  }
  return out;
}

type Statement = { Effect?: unknown; Action?: unknown };

/** Gateway services the role's inline policies allow any action of; undefined when the role is not in the plan. */
export function servicesAllowedTo(roleArn: string, resources: readonly PlannedResource[]): Set<GatewayService> | undefined {
  const name = roleNameOf(roleArn);
  if (!name || !resources.some((r) => r.type === T.role && r.inputs.name === name)) return undefined;
  const allowed = new Set<GatewayService>();
  for (const p of resources) {
    if (p.type !== T.rolePolicy || p.inputs.role !== name) continue;
    const raw = p.inputs.policy;
    let doc: { Statement?: unknown };
    try {
      doc = JSON.parse(typeof raw === "string" ? raw : JSON.stringify(raw)) as { Statement?: unknown };
    } catch {
      return undefined;
    }
    const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as Statement[];
    for (const s of statements) {
      if (s?.Effect !== "Allow") continue;
      const actions = typeof s.Action === "string" ? [s.Action] : strings(s.Action);
      for (const a of actions) {
        const service = a === "*" ? "*" : a.split(":")[0].toLowerCase();
        for (const g of GATEWAY_SERVICES) if (service === g || service === "*") allowed.add(g);
      }
    }
  }
  return allowed;
}

const covers443 = (rule: Record<string, unknown>): boolean => {
  const proto = String(rule.ipProtocol ?? rule.protocol ?? "");
  if (proto === "-1" || proto === "all") return true;
  if (proto !== "tcp" && proto !== "6") return false;
  const from = Number(rule.fromPort);
  const to = Number(rule.toPort);
  return Number.isFinite(from) && Number.isFinite(to) && from <= 443 && 443 <= to;
};

/**
 * Gateway services the groups' egress reaches on 443 through their prefix lists, and the groups the plan does not
 * declare (e.g. the cluster group EKS creates). Egress of several groups is their union, so a declared group that
 * reaches a service is enough; an undeclared one never counts as reaching anything.
 */
export function servicesReachedBy(
  groupIds: readonly string[],
  prefixLists: Record<GatewayService, string>,
  resources: readonly PlannedResource[],
): { reached: Set<GatewayService>; undeclared: string[] } {
  const reached = new Set<GatewayService>();
  const undeclared: string[] = [];
  const byList = (listIds: string[]) => {
    for (const g of GATEWAY_SERVICES) if (listIds.includes(prefixLists[g])) reached.add(g);
  };
  for (const id of groupIds) {
    const sg = resources.find((r) => r.type === T.securityGroup && r.id === id);
    if (!sg) {
      undeclared.push(id);
      continue;
    }
    for (const e of Array.isArray(sg.inputs.egress) ? sg.inputs.egress : []) {
      const rule = obj(e);
      if (covers443(rule)) byList(strings(rule.prefixListIds));
    }
  }
  for (const r of resources) {
    const i = r.inputs;
    if (!groupIds.includes(String(i.securityGroupId))) continue;
    if (r.type === T.egressRule && covers443(i)) byList([String(i.prefixListId ?? "")]);
    if (r.type === T.sgRule && i.type === "egress" && covers443(i)) byList(strings(i.prefixListIds));
  }
  return { reached, undeclared };
}

/** Reach of every workload of the plan against the gateway endpoints' prefix lists. */
export function gatewayReach(resources: readonly PlannedResource[], prefixLists: Record<GatewayService, string>): WorkloadReach[] {
  return plannedWorkloads(resources).map((workload) => {
    const problems = [...workload.unresolved];
    const needs = new Set<GatewayService>(INTRINSIC[workload.kind]);
    for (const arn of workload.roleArns) {
      const allowed = servicesAllowedTo(arn, resources);
      if (!allowed) problems.push(`role ${arn} or its policies are not in the plan`);
      else allowed.forEach((g) => needs.add(g));
    }
    if (workload.securityGroupIds.length === 0) problems.push("no security group");
    const { reached, undeclared } = servicesReachedBy(workload.securityGroupIds, prefixLists, resources);
    for (const g of needs) {
      if (reached.has(g)) continue;
      const unknown = undeclared.length ? ` (${undeclared.join(", ")} not declared in the plan, so unknown)` : "";
      problems.push(`needs ${g} but no security group allows TCP 443 egress to its gateway prefix list ${prefixLists[g]}${unknown}`);
    }
    return { workload, needs: GATEWAY_SERVICES.filter((g) => needs.has(g)), reaches: GATEWAY_SERVICES.filter((g) => reached.has(g)), problems };
  });
}
