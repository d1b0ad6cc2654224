/**
 * The reference implementation's outputs and handle-materialization keys, read from the stack inventories
 * (tests/fixtures/reference-stacks/<layer>.md, exact copies of ../shared/spec/stacks/<layer>.md: the parity target). Each inventory states its own counts ("## N. Outputs (K)",
 * "map with K ... keys"/"map of K handles"); the readers below return the names and the stated count, so a test can
 * check the parse against the inventory before comparing with a plan.
 */
import * as fs from "fs";
import * as path from "path";
import { Layer } from "../../src/layers";
import { PROJECT_ROOT } from "../../src/registry/registry";

const SPEC_STACKS = path.join(PROJECT_ROOT, "tests", "fixtures", "reference-stacks");

function inventory(layer: Layer): string {
  return fs.readFileSync(path.join(SPEC_STACKS, `${layer}.md`), "utf8");
}

/** `role_eks_irsa_{ig,rtdl}_arn` -> both names. */
function expandBraces(name: string): string[] {
  const m = /^(.*)\{([^}]+)\}(.*)$/.exec(name);
  return m ? m[2].split(",").flatMap((part) => expandBraces(`${m[1]}${part.trim()}${m[3]}`)) : [name];
}

/** The reference's output names of a layer and the count its inventory states. */
export function referenceOutputs(layer: Layer): { names: string[]; stated: number } {
  const text = inventory(layer);
  const heading = /^## \d+\. Outputs \((\d+)\)$/m.exec(text);
  if (!heading) throw new Error(`${layer}.md: no "## N. Outputs (K)" heading`);
  const lines = text.slice(heading.index + heading[0].length).split("\n");
  const first = lines.findIndex((l) => l.startsWith("|"));
  const count = lines.slice(first).findIndex((l) => !l.startsWith("|"));
  const table = lines.slice(first, count < 0 ? undefined : first + count);
  const names: string[] = [];
  for (const row of table.slice(2)) {
    const cell = row.split("|")[1].replace(/`/g, "").trim();
    let previous = "";
    for (const token of cell.split(/\s*(?:\/|,(?![^{]*\}))\s*/)) {
      const full = token.startsWith("_") ? previous.replace(/_[a-z0-9]+$/, "") + token : token;
      for (const n of expandBraces(full)) names.push(n);
      previous = full;
    }
  }
  return { names, stated: Number(heading[1]) };
}

/** The keys of the reference's `<layer>_handle_materialization` map and the count its inventory states. */
export function referenceMaterializationKeys(layer: Layer): { names: string[]; stated: number } {
  const text = inventory(layer);
  const output = `${layer}_handle_materialization`;
  const row = new RegExp(`^\\|\\s*\`?${output}\`?\\s*\\|[^|]*?(\\d+)\\**\\s*(?:upper-case handle )?(?:keys|handles)`, "m").exec(text);
  if (!row) throw new Error(`${layer}.md: no row for ${output} with a key count`);
  // The key list follows the table: from the first line naming the map's keys to the next blank-line-separated
  // paragraph that is not part of it (a "Not ..." note, a heading or the next section).
  const start = text.indexOf(`${output}\``, row.index + row[0].length);
  const after = text.slice(start);
  const end = after.search(/\n(?:Not (?:in the map|exported)|Nothing is marked|Pulumi: export|## )/);
  // Quoted prose ("HANDLE_NAME -> concrete value") is not a key.
  const block = after.slice(0, end < 0 ? undefined : end).replace(/"[^"\n]*"/g, "");
  const names = [...new Set([...block.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)].map((m) => m[0]))];
  return { names, stated: Number(row[1]) };
}
