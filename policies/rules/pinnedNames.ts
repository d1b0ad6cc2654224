/**
 * DA-06 (mandatory, high): every physical name, SSM path and topic resolves to a pinned registry handle.
 * Auto-named resources get random suffixes, so a named type without an explicit name violates too. A name that is
 * the stack config's value for a TO_PIN handle is pinned when the resource declares the handle
 * (`fp_pinned_handle`, see `lib/pins.ts`) and the value has the handle's form.
 */
import { pinValueProblem } from "../../src/registry/pinValues";
import { PHYSICAL_NAME_PROPERTY } from "../lib/physicalNames";
import { PINNED_HANDLE_TAG, declaredPinOf } from "../lib/pins";
import { registry } from "../lib/registry";
import { resourceRule } from "../lib/rule";

export const pinnedPhysicalNames = resourceRule(
  {
    id: "DA-06",
    slug: "pinned-physical-names",
    description:
      "Physical names must be pinned handles in registry/handles.yaml: take the name from the registry (registry first), or pin a new handle before using it.",
    severity: "high",
  },
  (args, reportViolation) => {
    const property = PHYSICAL_NAME_PROPERTY[args.type];
    if (!property) return args.notApplicable("resource type has no physical name");
    const value: unknown = args.props[property];
    if (typeof value !== "string" || value === "") {
      reportViolation(`${args.type} '${args.name}' has no explicit ${property}; auto-generated names are never pinned.`);
      return;
    }
    const reg = registry();
    if (reg.physicalNames().has(value)) return;
    const declared = declaredPinOf({ type: args.type, props: args.props });
    if (!declared) {
      reportViolation(`${property} ${JSON.stringify(value)} is not the value of any pinned handle.`);
      return;
    }
    const handle = reg.handles.find((h) => h.name === declared.handle);
    if (!handle) return reportViolation(`${PINNED_HANDLE_TAG} names ${declared.handle}, which is not a handle of registry/handles.yaml.`);
    if (handle.status !== "TO_PIN")
      return reportViolation(
        `${PINNED_HANDLE_TAG} names ${declared.handle}, which the registry already pins to ${JSON.stringify(handle.value)}; use that value.`,
      );
    const form = pinValueProblem(declared.handle, value);
    if (form) reportViolation(`${property} ${JSON.stringify(value)} pins ${declared.handle} but is not ${form.expected}.`);
  },
);
