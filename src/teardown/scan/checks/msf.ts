/** Managed Service for Apache Flink applications that run (KPU-hours). */
import { Finding, fromPairs, serviceCheck } from "../types";

const client = "@aws-sdk/client-kinesis-analytics-v2";
const RUNNING = ["STARTING", "RUNNING", "UPDATING", "AUTOSCALING", "FORCE_STOPPING", "ROLLING_BACK", "MAINTENANCE"];

export const msfCheck = serviceCheck({
  id: "msf",
  description: "MSF Flink applications running (KPU-hours)",
  commands: [
    { client, operation: "ListApplications", action: "kinesisanalytics:ListApplications" },
    { client, operation: "ListTagsForResource", action: "kinesisanalytics:ListTagsForResource" },
  ],
  requires: "msf",
  async *scan({ msf }, ctx): AsyncGenerator<Finding> {
    const { ListTagsForResourceCommand, paginateListApplications } = await import("@aws-sdk/client-kinesis-analytics-v2");
    if (!msf) return;
    for await (const page of paginateListApplications({ client: msf }, {})) {
      for (const app of page.ApplicationSummaries ?? []) {
        if (!app.ApplicationARN) continue;
        if (!ctx.inScope(fromPairs((await msf.send(new ListTagsForResourceCommand({ ResourceARN: app.ApplicationARN }))).Tags))) continue;
        const status = app.ApplicationStatus ?? "?";
        if (status === "DELETING") {
          yield { kind: "deleting", arn: app.ApplicationARN, state: status };
          continue;
        }
        const runningRemedy = "stop the application (aws kinesisanalyticsv2 stop-application --force), or close the proof window (npm run window -- close)";
        yield {
          kind: "resource",
          arn: app.ApplicationARN,
          name: app.ApplicationName ?? "",
          detail: `status ${status}`,
          running: RUNNING.includes(status),
          runningRemedy,
          billsAtRest: false,
        };
      }
    }
  },
});
