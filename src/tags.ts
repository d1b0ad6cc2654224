/**
 * Naming and tagging. Every taggable resource carries the mandatory tags `project`, `env`, `owner` (keys and
 * values from the registry) plus `fp_stack`; they are passed explicitly because stack-wide transforms do not
 * run under test mocks. Additional tags from the environment can never override a mandatory one.
 */
import { Environment } from "./config/environment";
import { Registry } from "./registry/registry";

export type Tags = Record<string, string>;

/** The mandatory tag set of a registry (keys and values pinned there), without `fp_stack`. */
export function registryTags(registry: Registry): Tags {
  const tag = (keyHandle: string): [string, string] => {
    const value = registry.handle(keyHandle).tag_value;
    if (typeof value !== "string") {
      throw new Error(`registry/handles.yaml: handles[name=${keyHandle}].tag_value: expected the mandatory tag value, found none`);
    }
    return [registry.string(keyHandle), value];
  };
  return Object.fromEntries([tag("TAG_PROJECT_KEY"), tag("TAG_ENV_KEY"), tag("TAG_OWNER_KEY")]);
}

/** The tag keys every taggable resource must carry (DA-10 plus the layer tag). */
export function mandatoryTagKeys(registry: Registry): string[] {
  return [...Object.keys(registryTags(registry)), registry.string("TAG_STACK_KEY")];
}

/** Tags for a resource of this environment's layer: additional < extra < mandatory. */
export function tagsFor(env: Environment, extra: Tags = {}): Tags {
  return {
    ...env.settings.additionalTags,
    ...extra,
    ...registryTags(env.registry),
    [env.registry.string("TAG_STACK_KEY")]: env.layer,
  };
}

/** `fraud-platform-dev-full-<suffix>`: the Name tag / name form of the environment (DA-12). */
export function prefixedName(env: Environment, suffix: string): string {
  return `${env.registry.string("NAME_PREFIX")}-${suffix}`;
}
