/**
 * DA-10 (mandatory, medium): every taggable AWS resource carries project=fraud-platform, env=dev_full,
 * owner=esosa (values from the registry) and the layer tag fp_stack.
 */
import taggableTypes from "../data/taggable-types.json";
import { LAYERS } from "../../src/registry/schema";
import { registryTags } from "../../src/tags";
import { registry } from "../lib/registry";
import { resourceRule } from "../lib/rule";

const TAGGABLE: ReadonlySet<string> = new Set(taggableTypes);

export const mandatoryTags = resourceRule(
  {
    id: "DA-10",
    slug: "mandatory-tags",
    description: "Taggable resources must carry the mandatory tags project, env, owner (registry values) and fp_stack: pass tagsFor(env) to the resource.",
    severity: "medium",
  },
  (args, reportViolation) => {
    if (!TAGGABLE.has(args.type)) return args.notApplicable("resource type takes no tags");
    const r = registry();
    const tags = (args.props.tags ?? {}) as Record<string, unknown>;
    const problems: string[] = [];
    for (const [key, value] of Object.entries(registryTags(r))) {
      if (tags[key] !== value) problems.push(`${key}=${JSON.stringify(tags[key] ?? null)} (expected ${JSON.stringify(value)})`);
    }
    const stackKey = r.string("TAG_STACK_KEY");
    if (!(LAYERS as readonly unknown[]).includes(tags[stackKey]))
      problems.push(`${stackKey}=${JSON.stringify(tags[stackKey] ?? null)} (expected one of ${LAYERS.join(", ")})`);
    if (problems.length) reportViolation(`wrong or missing tags: ${problems.join("; ")}`);
  },
);
