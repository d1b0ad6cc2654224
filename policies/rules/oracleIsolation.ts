/**
 * DA-37 (mandatory, critical): oracle data lives once, under the object store's `oracle-store/` prefix
 * (S3_ORACLE_ROOT_PREFIX; ORACLE_STORE_BUCKET is the object store by design). A stack violates the rule when
 *  - a replication configuration copies from the object store without a filter, or with a filter on the oracle
 *    prefix (a second bucket would hold a copy of oracle data);
 *  - any replication rule names the oracle prefix, whatever its source;
 *  - a lifecycle or replication rule, or a replication destination, places an oracle prefix under `evidence/` or
 *    `archive/` (a prefix under either that contains "oracle");
 *  - a bucket other than the object store has "oracle" in its name.
 * Replication configurations are paired with their source bucket through `dependencies` (bucket ids are unknown in
 * a real preview) or a literal `bucket` input.
 */
import type * as policy from "@pulumi/policy";
import { listOf, recordOf } from "../lib/knownValues";
import { registry } from "../lib/registry";
import { stackRule } from "../lib/rule";
import { BUCKET } from "./bucketNames";
import { LIFECYCLE, bucketInput, rulePrefix } from "./bucketLifecycle";

export const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";

/** True when `prefix` sits under evidence/ or archive/ and names oracle data. */
export function oracleUnderEvidenceOrArchive(prefix: string | undefined, oracleRoot: string): boolean {
  if (!prefix) return false;
  const p = prefix.replace(/^\/+/, "");
  const root = oracleRoot.replace(/\/+$/, "");
  return /^(evidence|archive)\//.test(p) && (p.toLowerCase().includes("oracle") || p.includes(root));
}

export const oracleDataSingleCopy = stackRule(
  {
    id: "DA-37",
    slug: "oracle-data-single-copy",
    description:
      "Oracle data has one home, the object store's oracle-store/ prefix: remove replication that copies it (unfiltered replication of the object store, or any rule on oracle-store/), never place oracle prefixes under evidence/ or archive/, and do not create another bucket for oracle data.",
    severity: "critical",
  },
  (args, reportViolation) => {
    const r = registry();
    const objectStore = r.string("S3_OBJECT_STORE_BUCKET");
    const oracleRoot = r.string("S3_ORACLE_ROOT_PREFIX");
    const store = args.resources.find((res) => res.type === BUCKET && bucketInput(res) === objectStore);
    const fromStore = (rep: policy.PolicyResource) =>
      bucketInput(rep) === objectStore || (store !== undefined && rep.dependencies.some((d) => d.urn === store.urn));

    for (const b of args.resources.filter((res) => res.type === BUCKET)) {
      const name = bucketInput(b) ?? "";
      if (name !== objectStore && name.toLowerCase().includes("oracle"))
        reportViolation(`bucket ${name} would be a second home for oracle data; oracle data stays under ${objectStore}/${oracleRoot}.`, b.urn);
    }
    for (const rep of args.resources.filter((res) => res.type === REPLICATION)) {
      for (const rule of listOf(rep.props.rules).map(recordOf)) {
        if (rule.status === "Disabled") continue;
        const prefix = rulePrefix(rule);
        const id = JSON.stringify(rule.id ?? prefix ?? "rule");
        if (prefix?.startsWith(oracleRoot) || (prefix !== undefined && prefix !== "" && oracleRoot.startsWith(prefix))) {
          reportViolation(`replication ${rep.name}, rule ${id}: copies ${oracleRoot} (prefix ${JSON.stringify(prefix)}).`, rep.urn);
        } else if (fromStore(rep) && !prefix) {
          reportViolation(
            `replication ${rep.name}, rule ${id}: replicates the whole object store, including ${oracleRoot}; filter it to a non-oracle prefix.`,
            rep.urn,
          );
        }
        if (oracleUnderEvidenceOrArchive(prefix, oracleRoot))
          reportViolation(`replication ${rep.name}, rule ${id}: oracle prefix ${JSON.stringify(prefix)} under evidence/ or archive/.`, rep.urn);
        const dest = recordOf(rule.destination);
        const destPrefix = typeof dest.prefix === "string" ? dest.prefix : undefined;
        if (oracleUnderEvidenceOrArchive(destPrefix, oracleRoot))
          reportViolation(
            `replication ${rep.name}, rule ${id}: destination prefix ${JSON.stringify(destPrefix)} places oracle data under evidence/ or archive/.`,
            rep.urn,
          );
      }
    }
    for (const lc of args.resources.filter((res) => res.type === LIFECYCLE)) {
      for (const rule of listOf(lc.props.rules).map(recordOf)) {
        const prefix = rulePrefix(rule);
        if (oracleUnderEvidenceOrArchive(prefix, oracleRoot))
          reportViolation(
            `lifecycle ${lc.name}, rule ${JSON.stringify(rule.id ?? prefix)}: oracle prefix ${JSON.stringify(prefix)} under evidence/ or archive/.`,
            lc.urn,
          );
      }
    }
  },
);
