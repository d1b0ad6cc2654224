/** The residual scan's MSF and EMR Serverless checks (SDK v3 clients under aws-sdk-client-mock). */
import { mockClient } from "aws-sdk-client-mock";
import { KinesisAnalyticsV2Client, ListApplicationsCommand as MsfList, ListTagsForResourceCommand as MsfTags } from "@aws-sdk/client-kinesis-analytics-v2";
import {
  EMRServerlessClient,
  ListApplicationsCommand as EmrsList,
  ListJobRunsCommand,
  ListTagsForResourceCommand as EmrsTags,
} from "@aws-sdk/client-emr-serverless";
import { loadRegistry } from "../../src/registry/registry";
import { residualScan, retainedSetOf } from "../../src/teardown/residualScan";
import { ACCOUNT, REGION, SCOPE, cleanAccount } from "./fakes";

const credentials = { accessKeyId: "AKIAFAKEFAKEFAKEFAKE", secretAccessKey: "fake-secret-key" };
const MSF_ARN = `arn:aws:kinesisanalytics:${REGION}:${ACCOUNT}:application/fraud-platform-dev-full-rtdl-ieg-ofp-v0`;
const EMRS_ARN = `arn:aws:emr-serverless:${REGION}:${ACCOUNT}:/applications/00f1abcd`;

function lanes(state: { flink: string; emr: string; jobs?: number }) {
  const msf = new KinesisAnalyticsV2Client({ region: REGION, credentials });
  const emrServerless = new EMRServerlessClient({ region: REGION, credentials });
  const m = mockClient(msf);
  const e = mockClient(emrServerless);
  m.onAnyCommand().rejects(new Error("unmocked MSF call"));
  e.onAnyCommand().rejects(new Error("unmocked EMR Serverless call"));
  m.on(MsfList).resolves({
    ApplicationSummaries: [
      {
        ApplicationName: "fraud-platform-dev-full-rtdl-ieg-ofp-v0",
        ApplicationARN: MSF_ARN,
        ApplicationStatus: state.flink as never,
        ApplicationVersionId: 3,
        RuntimeEnvironment: "FLINK-1_20",
      },
      {
        ApplicationName: "other-team",
        ApplicationARN: `arn:aws:kinesisanalytics:${REGION}:${ACCOUNT}:application/other-team`,
        ApplicationStatus: "RUNNING",
        ApplicationVersionId: 1,
        RuntimeEnvironment: "FLINK-1_20",
      },
    ],
  });
  m.on(MsfTags).resolves({ Tags: [{ Key: "project", Value: "other-team" }] });
  m.on(MsfTags, { ResourceARN: MSF_ARN }).resolves({ Tags: SCOPE });
  e.on(EmrsList).resolves({
    applications: [
      {
        id: "00f1abcd",
        name: "fraud-platform-dev-full-oracle-stream-sort",
        arn: EMRS_ARN,
        releaseLabel: "emr-7.2.0",
        type: "Spark",
        state: state.emr as never,
        createdAt: new Date(0),
        updatedAt: new Date(0),
      },
    ],
  });
  e.on(EmrsTags).resolves({ tags: Object.fromEntries(SCOPE.map((t) => [t.Key, t.Value])) });
  e.on(ListJobRunsCommand).resolves({
    jobRuns: Array.from({ length: state.jobs ?? 0 }, (_v, i) => ({
      id: `jr-${i}`,
      applicationId: "00f1abcd",
      arn: `${EMRS_ARN}/jobruns/jr-${i}`,
      createdBy: "x",
      releaseLabel: "emr-7.2.0",
      createdAt: new Date(0),
      updatedAt: new Date(0),
      executionRole: "r",
      state: "RUNNING",
      stateDetails: "",
    })),
  });
  return { msf, emrServerless };
}

async function scan(state: { flink: string; emr: string; jobs?: number }) {
  const registry = loadRegistry();
  const base = cleanAccount();
  return residualScan({
    clients: { ...base.clients, ...lanes(state) },
    registry,
    mode: "idle",
    region: REGION,
    retained: retainedSetOf(registry),
    now: new Date("2026-03-02T10:00:00Z"),
  });
}

describe("residual scan: MSF and EMR Serverless", () => {
  it("finds a running Flink application and a started EMR Serverless application with a job (idle mode residuals)", async () => {
    const r = await scan({ flink: "RUNNING", emr: "STARTED", jobs: 1 });
    expect(r.scan_complete).toBe(true);
    expect(r.residual_items.map((i) => [i.check, i.arn])).toEqual([
      ["emr-serverless", EMRS_ARN],
      ["msf", MSF_ARN],
    ]);
    expect(r.residual_items.find((i) => i.check === "msf")?.reason).toMatch(/KPU-hours while running/);
    expect(r.checks.find((c) => c.id === "msf+emr-serverless")).toBeUndefined();
  });

  it("stays clean with the application stopped and EMR Serverless stopped without jobs; the other team's app is out of scope", async () => {
    const r = await scan({ flink: "READY", emr: "STOPPED" });
    expect(r.residual_item_count).toBe(0);
    expect(r.checks.filter((c) => c.id === "msf" || c.id === "emr-serverless").map((c) => [c.id, c.scanned, c.result])).toEqual([
      ["msf", 1, "PASS"],
      ["emr-serverless", 1, "PASS"],
    ]);
  });
});
