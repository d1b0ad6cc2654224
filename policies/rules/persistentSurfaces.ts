/**
 * DA-101 (mandatory, critical): persistent surfaces survive teardown, so they are declared with `protect`:
 *  - the platform KMS key, i.e. every key of the core layer (core owns the platform key, KMS_KEY_ALIAS_PLATFORM,
 *    which encrypts the retained buckets, state and registries). Keys of other layers that encrypt only
 *    teardown-scoped resources (the ops key for log groups and alarm topics) are not persistent surfaces and are
 *    not held to this rule;
 *  - the Glue schema registry and the ECR repository (wherever declared).
 * The evidence bucket and the object store are persistent surfaces too; their protection is already enforced by
 * `da-36-retained-buckets-protected` (bucketPosture.ts) and is not checked twice.
 */
import type * as policy from "@pulumi/policy";
import { parseStackName } from "../../src/layers";
import { resourceRule } from "../lib/rule";

const KMS_KEY = "aws:kms/key:Key";
const GLUE_REGISTRY = "aws:glue/registry:Registry";
const ECR_REPOSITORY = "aws:ecr/repository:Repository";

/** The layer of a resource, from the stack segment of its URN. */
function layerOfUrn(urn: string): string | undefined {
  try {
    return parseStackName(urn.split("::")[0].split(":").pop() ?? "").layer;
  } catch {
    return undefined;
  }
}

/** Why a resource is a persistent surface (undefined: it is not). */
export function persistentSurface(type: string, urn: string): string | undefined {
  if (type === GLUE_REGISTRY) return "the Glue schema registry";
  if (type === ECR_REPOSITORY) return "the ECR repository";
  if (type === KMS_KEY && layerOfUrn(urn) === "core") return "the platform KMS key";
  return undefined;
}

const validate: policy.ResourceValidation = (args, reportViolation) => {
  const what = persistentSurface(args.type, args.urn);
  if (what && args.opts.protect !== true) reportViolation(`${args.name} is ${what} and is not protected; declare it with protect: true (and retainOnDelete).`);
};

export const persistentSurfacesProtected = resourceRule(
  {
    id: "DA-101",
    slug: "persistent-surfaces-protected",
    description:
      "Persistent surfaces (platform KMS key, Glue schema registry, ECR repository) must be declared with protect: true so teardown never destroys them; the retained buckets are covered by da-36-retained-buckets-protected.",
    severity: "critical",
  },
  validate,
);
