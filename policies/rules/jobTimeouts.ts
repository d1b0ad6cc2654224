/**
 * DA-74 (mandatory, high): training and data jobs run on demand with explicit timeouts. A Databricks job declares
 * `timeoutSeconds` > 0 (a run can never hold compute forever), and a task timeout, when set, is > 0 and within it.
 * SageMaker and EMR job runs are run-time objects checked by the evidence emitter.
 */
import { recordsOf } from "../lib/knownValues";
import { resourceRule } from "../lib/rule";

export const databricksJobTimeout = resourceRule(
  {
    id: "DA-74",
    slug: "databricks-job-timeout",
    description: "Databricks jobs declare an explicit timeoutSeconds > 0; task timeouts, when set, are > 0 and at most the job's.",
    severity: "high",
  },
  (args, reportViolation) => {
    if (args.type !== "databricks:index/job:Job") return args.notApplicable("not a Databricks job");
    const timeout = args.props.timeoutSeconds;
    const valid = typeof timeout === "number" && Number.isInteger(timeout) && timeout > 0;
    if (!valid)
      reportViolation(
        `job ${JSON.stringify(args.props.name ?? args.name)}: timeoutSeconds is ${JSON.stringify(timeout ?? null)}; set a whole number of seconds > 0.`,
      );
    for (const t of recordsOf(args.props.tasks)) {
      const tt = t.timeoutSeconds;
      if (tt === undefined || tt === null) continue;
      if (typeof tt !== "number" || !(tt > 0))
        reportViolation(`task ${JSON.stringify(t.taskKey)}: timeoutSeconds is ${JSON.stringify(tt)}; set a number of seconds > 0.`);
      else if (valid && tt > (timeout as number))
        reportViolation(`task ${JSON.stringify(t.taskKey)}: timeoutSeconds ${tt} exceeds the job's ${timeout as number}.`);
    }
  },
);
