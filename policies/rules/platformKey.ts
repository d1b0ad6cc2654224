/**
 * DA-26 (mandatory, high): the core stack declares the platform customer-managed KMS key with the alias pinned as
 * KMS_KEY_ALIAS_PLATFORM, and that key has rotation on. Stack-level: the alias is paired with its key
 * through the alias's dependencies (known during preview; key ids are not). Other layers must not declare the
 * platform alias (it is core's).
 */
import { knownString, rawOf } from "../lib/knownValues";
import { registry } from "../lib/registry";
import { stackRule } from "../lib/rule";
import { layerOfStack, rootUrnOf } from "../lib/stackLayer";

const KEY = "aws:kms/key:Key";
const ALIAS = "aws:kms/alias:Alias";

export const platformKeyRotated = stackRule(
  {
    id: "DA-26",
    slug: "platform-kms-key-rotated",
    description:
      "The core stack must declare the platform customer-managed KMS key (enableKeyRotation: true) with the alias KMS_KEY_ALIAS_PLATFORM; use the PlatformKey component.",
    severity: "high",
  },
  (args, reportViolation) => {
    const aliasName = registry().string("KMS_KEY_ALIAS_PLATFORM");
    const layer = layerOfStack(args.resources);
    const aliases = args.resources.filter((r) => r.type === ALIAS && knownString(r.props, "name") === aliasName);
    if (layer !== "core") {
      for (const a of aliases) reportViolation(`${aliasName} is declared in layer ${layer ?? "?"}; the platform key belongs to core.`, a.urn);
      return;
    }
    if (aliases.length === 0) {
      reportViolation(`no KMS alias ${aliasName} in the core stack.`, rootUrnOf(args.resources));
      return;
    }
    for (const a of aliases) {
      const keys = args.resources.filter((r) => r.type === KEY && a.dependencies.some((d) => d.urn === r.urn));
      if (keys.length === 0) reportViolation(`alias ${aliasName} targets no key declared in this stack.`, a.urn);
      for (const k of keys) {
        if (rawOf<Record<string, unknown>>(k.props).enableKeyRotation !== true)
          reportViolation(`platform key ${k.name} has enableKeyRotation not true.`, k.urn);
      }
    }
  },
);
