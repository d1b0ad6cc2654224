/**
 * SB-40 (mandatory, high): physical names within each service's documented length and character limits
 * (`nameLimits.ts`, one row per type and input). One policy per kind of name (`sb-40-<name>-limits`, its
 * description citing the AWS page), all evaluated by `nameProblems`: it reads the name the program sets; a name
 * that is absent (auto-named) or unknown at preview is skipped, so only a known value is judged.
 */
import type * as policy from "@pulumi/policy";
import { rawOf } from "../../lib/knownValues";
import { resourceRule } from "../../lib/rule";
import { isKnownString, show } from "./values";
import { NAME_LIMITS, NameLimit } from "./nameLimits";

const charCount = (s: string) => [...s].length;

/**
 * What is wrong with `value` as the name of one row (empty: within the limits). `props` gives the FIFO flag.
 * Every problem names the property, the measured length or the offending character, the limit and the fix.
 */
export function nameProblems(row: NameLimit, value: string, props: Record<string, unknown> = {}): string[] {
  const p = `\`${row.property}\``;
  const problems: string[] = [];
  const length = charCount(value);
  if (length > row.max) problems.push(`${p} is ${length} characters, over the ${row.what} limit of ${row.max}: shorten ${p} to ${row.max} characters or fewer`);
  if (length < row.min)
    problems.push(`${p} is ${length} characters, under the ${row.what} minimum of ${row.min}: lengthen ${p} to at least ${row.min} characters`);
  const fifo = row.fifoFlag !== undefined && props[row.fifoFlag] === true;
  let body = value;
  if (fifo) {
    if (value.endsWith(".fifo")) body = value.slice(0, -".fifo".length);
    else problems.push(`${p} does not end in ".fifo", which a FIFO ${row.what} needs (${row.fifoFlag} is true): append ".fifo" to ${p}`);
  }
  const bad = [...body].findIndex((c) => !row.chars.re.test(c));
  if (bad >= 0) {
    const c = [...body][bad];
    problems.push(`${p} contains ${JSON.stringify(c)} at position ${bad + 1}, not allowed in a ${row.what} (${row.chars.says}): remove or replace it`);
  }
  if (row.first && value.length > 0 && !row.first.re.test([...value][0]))
    problems.push(`${p} starts with ${JSON.stringify([...value][0])}; a ${row.what} must start with ${row.first.says}: change the first character`);
  if (row.last && value.length > 0 && !row.last.re.test(value.slice(-1)))
    problems.push(`${p} ends with ${JSON.stringify(value.slice(-1))}; a ${row.what} must end with ${row.last.says}: change the last character`);
  for (const n of row.not ?? []) if (n.re.test(value)) problems.push(`${p} has ${n.says}, which a ${row.what} must not have: rename it`);
  for (const m of row.must ?? []) if (!m.re.test(value)) problems.push(`${p} lacks ${m.says}, which a ${row.what} needs: rename it`);
  if (row.maxDepth !== undefined) {
    const depth = (value.match(/\//g) ?? []).length;
    if (depth > row.maxDepth)
      problems.push(`${p} has ${depth} hierarchy levels, over the ${row.what} limit of ${row.maxDepth}: flatten the path to ${row.maxDepth} levels or fewer`);
  }
  return problems;
}

/** The rows of one kind of name (one policy each), in table order. */
function groups(): NameLimit[][] {
  const byWhat = new Map<string, NameLimit[]>();
  for (const row of NAME_LIMITS) byWhat.set(row.what, [...(byWhat.get(row.what) ?? []), row]);
  return [...byWhat.values()];
}

/** The policy slug of a kind of name: "S3 bucket name" -> "s3-bucket-name-limits". */
export function slugOf(what: string): string {
  return `${what
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")}-limits`;
}

/** What a row requires, in words. */
function limitText(row: NameLimit): string {
  const parts = [`${row.min}-${row.max} characters`, row.chars.says];
  if (row.first) parts.push(`starting with ${row.first.says}`);
  if (row.last) parts.push(`ending with ${row.last.says}`);
  for (const m of row.must ?? []) parts.push(`with ${m.says}`);
  for (const n of row.not ?? []) parts.push(`without ${n.says}`);
  if (row.maxDepth !== undefined) parts.push(`at most ${row.maxDepth} hierarchy levels`);
  if (row.fifoFlag) parts.push(`ending in ".fifo" when ${row.fifoFlag} is true`);
  return parts.join("; ");
}

function namePolicy(rows: NameLimit[]): policy.ResourceValidationPolicy {
  const [first] = rows;
  const where = [...new Set(rows.map((r) => `${r.type} \`${r.property}\``))].join(", ");
  const docs = [...new Set(rows.map((r) => r.doc))].join(", ");
  const validation: policy.ResourceValidation = (args, reportViolation) => {
    const props = rawOf<Record<string, unknown>>(args.props) ?? {};
    for (const row of rows) {
      if (row.type !== args.type) continue;
      const value = props[row.property];
      if (!isKnownString(value)) continue;
      for (const problem of nameProblems(row, value, props)) reportViolation(`${args.name}: ${row.what} ${show(value)}: ${problem} (${row.doc}).`);
    }
  };
  // A policy of one type carries it, so the analyzer skips other resources without deserializing their props.
  const types = [...new Set(rows.map((r) => r.type))];
  if (types.length === 1) Object.assign(validation, { __pulumiType: types[0] });
  return resourceRule(
    {
      id: "SB-40",
      slug: slugOf(first.what),
      description: `A ${first.what} (${where}) must fit AWS's limits, which preview does not check and the create call at pulumi up rejects: ${limitText(first)}. Shorten or rename the value (${docs}).`,
      severity: "high",
    },
    validation,
  );
}

/** One SB-40 policy per kind of name in the table, all run by the same evaluator. */
export const awsNameLimitPolicies: policy.ResourceValidationPolicy[] = groups().map(namePolicy);
