/** EMR Serverless applications started or with active job runs (vCPU- and GB-hours). */
import { Finding, serviceCheck } from "../types";

const client = "@aws-sdk/client-emr-serverless";
const ACTIVE_JOB_STATES = ["SUBMITTED", "PENDING", "SCHEDULED", "RUNNING", "QUEUED", "CANCELLING"] as const;

export const emrServerlessCheck = serviceCheck({
  id: "emr-serverless",
  description: "EMR Serverless applications started or with active job runs",
  commands: [
    { client, operation: "ListApplications", action: "emr-serverless:ListApplications" },
    { client, operation: "ListTagsForResource", action: "emr-serverless:ListTagsForResource" },
    { client, operation: "ListJobRuns", action: "emr-serverless:ListJobRuns" },
  ],
  requires: "emrServerless",
  async *scan({ emrServerless: emrs }, ctx): AsyncGenerator<Finding> {
    const { ListJobRunsCommand, ListTagsForResourceCommand, paginateListApplications } = await import("@aws-sdk/client-emr-serverless");
    if (!emrs) return;
    for await (const page of paginateListApplications({ client: emrs }, {})) {
      for (const app of page.applications ?? []) {
        if (!app.arn || !app.id) continue;
        if (!ctx.inScope((await emrs.send(new ListTagsForResourceCommand({ resourceArn: app.arn }))).tags ?? {})) continue;
        const state = app.state ?? "?";
        if (state === "TERMINATED") {
          yield { kind: "counted", arn: app.arn };
          continue;
        }
        const jobs = (await emrs.send(new ListJobRunsCommand({ applicationId: app.id, states: [...ACTIVE_JOB_STATES] }))).jobRuns ?? [];
        const runningRemedy = "cancel its job runs and stop the application (aws emr-serverless stop-application), or close the proof window";
        yield {
          kind: "resource",
          arn: app.arn,
          name: app.name ?? app.id,
          detail: `state ${state}, ${jobs.length} active job run(s)`,
          running: ["STARTING", "STARTED"].includes(state) || jobs.length > 0,
          runningRemedy,
          billsAtRest: false,
        };
      }
    }
  },
});
