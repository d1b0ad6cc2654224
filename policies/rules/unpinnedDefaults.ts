/**
 * DA-09 (mandatory, high): no unpinned defaults. A resource input that carries a placeholder (`TO_PIN`,
 * `CHANGE_ME`, `REPLACE_ME`, `TODO`, `FIXME`, `TBD`, `<placeholder>`) means an unresolved decision silently became a
 * value; unresolved handles must stop execution instead (Registry.value fails closed). Only known strings are read.
 */
import { forEachKnownString } from "../lib/knownValues";
import { resourceRule } from "../lib/rule";

const PLACEHOLDER = /(^|[^A-Za-z0-9])(TO_PIN|CHANGE_?ME|REPLACE_?ME|TODO|FIXME|TBD)([^A-Za-z0-9]|$)|<placeholder>/;

export const noUnpinnedDefaults = resourceRule(
  {
    id: "DA-09",
    slug: "no-unpinned-defaults",
    description:
      "Resource inputs must not carry placeholders (TO_PIN, CHANGE_ME, TODO, ...): pin the handle in the registry or the environment's pins, and read it with registry().value so an unpinned handle stops the run.",
    severity: "high",
  },
  (args, reportViolation) => {
    forEachKnownString(args.props, (path, value) => {
      const m = PLACEHOLDER.exec(value);
      if (m) reportViolation(`input ${path} carries the placeholder ${JSON.stringify(m[2] ?? m[0])}.`);
    });
  },
);
