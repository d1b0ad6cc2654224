/**
 * DA-06 (mandatory, high): every physical name, SSM path and topic resolves to a pinned registry handle.
 * Auto-named resources get random suffixes, so a named type without an explicit name violates too.
 */
import { PHYSICAL_NAME_PROPERTY } from "../lib/physicalNames";
import { registry } from "../lib/registry";
import { resourceRule } from "../lib/rule";

export const pinnedPhysicalNames = resourceRule(
  {
    id: "DA-06",
    slug: "pinned-physical-names",
    description:
      "Physical names must be pinned handles in registry/handles.yaml: take the name from the registry (registry first), or pin a new handle before using it.",
    severity: "high",
    configSchema: {
      properties: {
        pinnedValues: { type: "array", items: { type: "string" }, default: [], description: "Values of TO_PIN handles this environment has pinned." },
      },
    },
  },
  (args, reportViolation) => {
    const property = PHYSICAL_NAME_PROPERTY[args.type];
    if (!property) return args.notApplicable("resource type has no physical name");
    const value: unknown = args.props[property];
    if (typeof value !== "string" || value === "") {
      reportViolation(`${args.type} '${args.name}' has no explicit ${property}; auto-generated names are never pinned.`);
      return;
    }
    const extra = args.getConfig<{ pinnedValues?: string[] }>().pinnedValues ?? [];
    if (!registry().physicalNames().has(value) && !extra.includes(value)) {
      reportViolation(`${property} ${JSON.stringify(value)} is not the value of any pinned handle.`);
    }
  },
);
