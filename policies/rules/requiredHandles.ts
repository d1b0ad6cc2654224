/**
 * DA-24 / DA-25, each stack's share: the stack that owns a required SSM parameter path or a required role (its
 * registry owner) declares it. A real `pulumi preview` of one stack enforces this share; the whole-environment
 * part (a path or role declared by a stack that does not own it, or twice) needs all five previews at once and
 * runs where they meet (`src/policy/crossStack.ts`: `plan`, `policy-check` with five files, the PR workflow).
 */
import { pinCommand } from "../../src/registry/registry";
import { declaredPins } from "../lib/pins";
import { registry } from "../lib/registry";
import { stackRule } from "../lib/rule";
import { deferredSurfaceHandles, layerOfStack, rootUrnOf } from "../lib/stackLayer";

const PARAMETER = "aws:ssm/parameter:Parameter";

/**
 * The service a required path publishes, by its first segment under the SSM root, and the resource types that
 * mean the service is declared. A stack that switches a service off (no resource of it) defers its paths with it;
 * the stack exports them under `deferred_handles` with the reason.
 */
const SERVICE_TYPES: Readonly<Record<string, readonly string[]>> = {
  databricks: ["databricks:", "pulumi:providers:databricks"],
  msk: ["aws:msk/"],
  aurora: ["aws:rds/"],
  redis: ["aws:elasticache/"],
};

function serviceDeclared(path: string, types: readonly string[]): boolean {
  const service = path.split("/")[3];
  const prefixes = SERVICE_TYPES[service];
  return !prefixes || types.some((t) => prefixes.some((p) => t.startsWith(p)));
}
const ROLE = "aws:iam/role:Role";

export const ownedSsmPathsDeclared = stackRule(
  {
    id: "DA-24",
    slug: "owned-ssm-paths-declared",
    description:
      "Every required SSM parameter path this stack owns (registry `required_secret_paths`) is declared here as an aws.ssm.Parameter: declare it in the owning layer, with the registry's path.",
    severity: "high",
  },
  (args, reportViolation) => {
    const layer = layerOfStack(args.resources);
    if (!layer) return args.notApplicable("no resource of a layer stack");
    const owned = registry().file.required_secret_paths.filter((p) => p.owner === layer);
    if (owned.length === 0) return args.notApplicable(`the ${layer} layer owns no required SSM path`);
    const declared = new Set(args.resources.filter((r) => r.type === PARAMETER).map((r) => r.props.name));
    const types = args.resources.map((r) => r.type);
    for (const p of owned) {
      if (!declared.has(p.path) && serviceDeclared(p.path, types))
        reportViolation(`${p.path} (${p.handle}) is owned by the ${layer} layer and not declared in this stack.`, rootUrnOf(args.resources));
    }
  },
);

export const ownedRolesDeclared = stackRule(
  {
    id: "DA-25",
    slug: "owned-roles-declared",
    description:
      "Every required role this stack owns (registry `iam_roles`) is declared here under its pinned name; a TO_PIN role is pinned in the stack config first. A role of a surface the stack does not declare (registry/surfaces.yaml `handles`, e.g. the EKS lane in a closed proof window) is deferred with it.",
    severity: "high",
  },
  (args, reportViolation) => {
    const layer = layerOfStack(args.resources);
    if (!layer) return args.notApplicable("no resource of a layer stack");
    const deferred = deferredSurfaceHandles(args.resources, layer);
    const owned = registry()
      .roles()
      .filter((r) => r.owner === layer && !deferred.has(r.handle));
    if (owned.length === 0) return args.notApplicable(`the ${layer} layer owns no required role it declares now`);
    const roles = args.resources.filter((r) => r.type === ROLE);
    const pins = declaredPins(roles);
    const names = new Set(roles.map((r) => r.props.name));
    for (const role of owned) {
      const name = role.role_name ?? pins[role.handle];
      if (!name) {
        reportViolation(`${role.handle} is TO_PIN: pin it before any ${layer} lane needs it: ${pinCommand(role.handle, layer)}`, rootUrnOf(args.resources));
      } else if (!names.has(name)) {
        reportViolation(`role ${name} (${role.handle}) is owned by the ${layer} layer and not declared in this stack.`, rootUrnOf(args.resources));
      }
    }
  },
);

export const requiredHandlePolicies = [ownedSsmPathsDeclared, ownedRolesDeclared];
