/**
 * Fakes of the window tests: small plan files (one resource per costly surface), a fake `pulumi` on the Automation
 * API seam that records every call and answers what `selectStack`, `setConfig` and `up` ask, and SDK clients under
 * aws-sdk-client-mock (an unmocked call rejects).
 */
import * as fs from "fs";
import * as path from "path";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { BudgetsClient, DescribeBudgetCommand } from "@aws-sdk/client-budgets";
import { CostExplorerClient, GetCostAndUsageCommand } from "@aws-sdk/client-cost-explorer";
import { PreviewDocument, PropertyMap, ResourceState } from "../../src/plan/previewDocument";
import { TAGS, res, stackDoc } from "../cost/fixtures";

const credentials = { accessKeyId: "AKIAFAKEFAKEFAKEFAKE", secretAccessKey: "fake-secret-key" };

function component(stack: string, type: string, name: string): ResourceState {
  return { ...res(stack, type, name), custom: false };
}

function child(parent: ResourceState, type: string, name: string, inputs: PropertyMap = {}): ResourceState {
  return res(parent.urn.split("::")[0].split(":").pop() ?? "", type, name, inputs, { parent: parent.urn });
}

/** Plan files of a small dev-full: persistent core and ops, MSK, Aurora, two interface endpoints, the edge's API. */
export function windowPlanDocs(): PreviewDocument[] {
  const CORE = "dev-full-core";
  const ST = "dev-full-streaming";
  const RT = "dev-full-runtime";
  const OPS = "dev-full-ops";
  const aurora = component(RT, "fraud-platform:runtime:AuroraServerlessCluster", "aurora");
  const endpoints = component(RT, "fraud-platform:runtime:PrivateEndpoints", "runtime-endpoints");
  const edge = component(RT, "fraud-platform:runtime:IngressEdge", "ig-edge");
  const msk = component(ST, "fraud-platform:streaming:MskServerlessCluster", "msk");
  const dashboards = component(OPS, "fraud-platform:ops:OpsDashboards", "dashboards");
  return [
    stackDoc(CORE, res(CORE, "aws:kms/key:Key", "platform-key", { tags: TAGS }), res(CORE, "aws:s3/bucket:Bucket", "evidence", { tags: TAGS })),
    stackDoc(ST, msk, child(msk, "aws:msk/serverlessCluster:ServerlessCluster", "msk", { tags: TAGS })),
    stackDoc(
      RT,
      aurora,
      child(aurora, "aws:rds/cluster:Cluster", "aurora", {
        engine: "aurora-postgresql",
        clusterIdentifier: "fp-aurora",
        serverlessv2ScalingConfiguration: { minCapacity: 0.5, maxCapacity: 8 },
      }),
      child(aurora, "aws:rds/clusterInstance:ClusterInstance", "aurora-writer", { instanceClass: "db.serverless", clusterIdentifier: "fp-aurora" }),
      endpoints,
      ...["sts", "logs"].map((s) =>
        child(endpoints, "aws:ec2/vpcEndpoint:VpcEndpoint", `runtime-endpoints-${s}`, {
          serviceName: `com.amazonaws.eu-west-2.${s}`,
          vpcEndpointType: "Interface",
          subnetIds: ["a", "b"],
        }),
      ),
      edge,
      child(edge, "aws:apigatewayv2/api:Api", "ig-edge-api", { protocolType: "HTTP" }),
    ),
    stackDoc(
      OPS,
      dashboards,
      child(dashboards, "aws:cloudwatch/dashboard:Dashboard", "dashboards-operations"),
      res(OPS, "aws:budgets/budget:Budget", "budget", {}),
    ),
  ];
}

export function writePlanDir(dir: string, docs: PreviewDocument[] = windowPlanDocs()): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const d of docs) fs.writeFileSync(path.join(dir, `${d.stack}.preview.json`), JSON.stringify(d));
  return dir;
}

export interface FakePulumi {
  root: string;
  log: string;
}

/**
 * A fake `pulumi` in `<dir>/bin/pulumi`: `version`; `stack select --stack S` (unknown stacks: "no stack named");
 * `config set [--path] KEY --stack S --plaintext -- VALUE` (recorded, kept per stack); `config get [--path] KEY
 * --json --stack S` (the kept value, or "not found"); `up ... --stack S` (fails for `failing`);
 * `stack output --json` ({}); `stack history --json` (one update). Any other command fails with exit 99.
 */
export function fakePulumi(dir: string, options: { stacks: string[]; failing?: string[] }): FakePulumi {
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  const log = path.join(dir, "calls.log");
  const script = `#!/usr/bin/env node
const fs = require("fs");
const args = process.argv.slice(2).filter((a) => a !== "--non-interactive");
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + "\\n");
const stacks = ${JSON.stringify(options.stacks)};
const failing = ${JSON.stringify(options.failing ?? [])};
const flag = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const stack = flag("--stack");
if (args[0] === "version") { process.stdout.write("v3.150.0\\n"); process.exit(0); }
if (args[0] === "stack" && args[1] === "select") {
  if (!stacks.includes(stack)) { process.stderr.write("error: no stack named '" + stack + "' found\\n"); process.exit(255); }
  process.exit(0);
}
const configFile = ${JSON.stringify(path.join(dir, "config.json"))};
const config = fs.existsSync(configFile) ? JSON.parse(fs.readFileSync(configFile, "utf8")) : {};
const positional = args.filter((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1] === "--stack"));
if (args[0] === "config" && args[1] === "set") {
  const key = positional[2];
  const value = args[args.length - 1];
  config[stack + " " + key] = value;
  fs.writeFileSync(configFile, JSON.stringify(config));
  process.exit(0);
}
if (args[0] === "config" && args[1] === "get") {
  const key = positional[2];
  if (!((stack + " " + key) in config)) { process.stderr.write("error: configuration key '" + key + "' not found for stack '" + stack + "'\\n"); process.exit(255); }
  process.stdout.write(JSON.stringify({ value: config[stack + " " + key], secret: false }) + "\\n");
  process.exit(0);
}
if (args[0] === "up") {
  if (failing.includes(stack)) { process.stderr.write("error: update failed: da-90-capacity-priced denied the stack\\n"); process.exit(255); }
  process.stdout.write("Updating (" + stack + ")\\nResources:\\n    ~ 2 updated\\n");
  process.exit(0);
}
if (args[0] === "stack" && args[1] === "output") { process.stdout.write("{}\\n"); process.exit(0); }
if (args[0] === "stack" && args[1] === "history") {
  process.stdout.write(JSON.stringify([{ version: 9, kind: "update", startTime: "2026-03-02T10:00:00.000Z", endTime: "2026-03-02T10:03:00.000Z", message: "", environment: {}, config: {}, result: "succeeded", resourceChanges: { update: 2 } }]) + "\\n");
  process.exit(0);
}
process.stderr.write("fake pulumi: unexpected command " + JSON.stringify(args) + "\\n");
process.exit(99);
`;
  fs.writeFileSync(path.join(bin, "pulumi"), script, { mode: 0o755 });
  return { root: dir, log };
}

export function calls(log: string): string[][] {
  return fs.existsSync(log)
    ? fs
        .readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string[])
    : [];
}

export interface BillingMocks {
  costExplorer: CostExplorerClient;
  budgets: BudgetsClient;
  ce: AwsClientStub<CostExplorerClient>;
  bud: AwsClientStub<BudgetsClient>;
}

/** Cost Explorer answering `monthToDate` (MONTHLY) and `window` (DAILY, tagged) figures; Budgets with an actual spend. */
export function billing(figures: { monthToDate: string; window?: string[]; budgetActual?: string }): BillingMocks {
  const costExplorer = new CostExplorerClient({ region: "us-east-1", credentials });
  const budgets = new BudgetsClient({ region: "us-east-1", credentials });
  const ce = mockClient(costExplorer);
  const bud = mockClient(budgets);
  ce.onAnyCommand().rejects(new Error("unmocked Cost Explorer call"));
  bud.onAnyCommand().rejects(new Error("unmocked Budgets call"));
  ce.on(GetCostAndUsageCommand, { Granularity: "MONTHLY" }).resolves({
    ResultsByTime: [{ Total: { UnblendedCost: { Amount: figures.monthToDate, Unit: "USD" } } }],
  });
  ce.on(GetCostAndUsageCommand, { Granularity: "DAILY" }).resolves({
    ResultsByTime: (figures.window ?? ["0"]).map((a) => ({ Total: { UnblendedCost: { Amount: a, Unit: "USD" } } })),
  });
  if (figures.budgetActual !== undefined) {
    bud.on(DescribeBudgetCommand).resolves({
      Budget: {
        BudgetName: "fraud-platform-dev-full-monthly",
        BudgetType: "COST",
        TimeUnit: "MONTHLY",
        CalculatedSpend: { ActualSpend: { Amount: figures.budgetActual, Unit: "USD" } },
      },
    });
  }
  return { costExplorer, budgets, ce, bud };
}
