/**
 * Pins have one source: the stack config (`fraud-platform:pins`). A resource whose physical name is the value of
 * a TO_PIN handle says so with the tag `fp_pinned_handle=<HANDLE>`, which the program sets from the stack config.
 * Every reader of a preview (the pack in a real preview, `policy-check`, `plan`) derives the pins from those tags,
 * so the same stack config gives the same verdict everywhere, and no policy config has to repeat the values.
 */
import { PHYSICAL_NAME_PROPERTY } from "./physicalNames";

export const PINNED_HANDLE_TAG = "fp_pinned_handle";

interface Declared {
  type: string;
  props: Record<string, unknown>;
}

/** The handle a resource declares it pins, if any (reads `tags` only when the resource has a physical name). */
export function declaredPinOf(r: Declared): { handle: string; value: string } | undefined {
  const property = PHYSICAL_NAME_PROPERTY[r.type];
  if (!property) return undefined;
  const tags = r.props.tags;
  if (!tags || typeof tags !== "object") return undefined;
  const handle = (tags as Record<string, unknown>)[PINNED_HANDLE_TAG];
  const value = r.props[property];
  return typeof handle === "string" && typeof value === "string" ? { handle, value } : undefined;
}

/** Pins declared by a set of resources (`{ handle: value }`); the first declaration of a handle wins. */
export function declaredPins(resources: readonly Declared[]): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const r of resources) {
    const d = declaredPinOf(r);
    if (d && pins[d.handle] === undefined) pins[d.handle] = d.value;
  }
  return pins;
}
