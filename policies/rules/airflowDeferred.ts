/**
 * DA-60 (mandatory, high): no MWAA environment while AIRFLOW_MODE is DEFERRED_UNTIL_COMPLEXITY_THRESHOLD (Step
 * Functions is the scheduler until then). Repin AIRFLOW_MODE in the registry before declaring one.
 */
import { mwaaEnvironmentAllowed } from "../../src/ops/airflow";
import { registry } from "../lib/registry";
import { resourceRule } from "../lib/rule";

export const noMwaaWhileDeferred = resourceRule(
  {
    id: "DA-60",
    slug: "no-mwaa-while-deferred",
    description: "No MWAA environment while AIRFLOW_MODE is deferred: orchestration stays on Step Functions until the registry repins AIRFLOW_MODE.",
    severity: "high",
  },
  (args, reportViolation) => {
    if (args.type !== "aws:mwaa/environment:Environment") return args.notApplicable("not an MWAA environment");
    const mode = registry().string("AIRFLOW_MODE");
    if (!mwaaEnvironmentAllowed(mode)) reportViolation(`MWAA environment ${JSON.stringify(args.props.name ?? args.name)} declared while AIRFLOW_MODE=${mode}.`);
  },
);
