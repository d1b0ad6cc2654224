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
import { writeShellCli } from "../helpers/shellCli";
export { calls } from "../helpers/shellCli";

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
 * Every call is logged as a JSON array of its arguments (tests/helpers/shellCli.ts).
 */
export function fakePulumi(dir: string, options: { stacks: string[]; failing?: string[] }): FakePulumi {
  const log = path.join(dir, "calls.log");
  const configDir = path.join(dir, "config.d");
  fs.mkdirSync(configDir, { recursive: true });
  writeShellCli(
    path.join(dir, "bin"),
    "pulumi",
    log,
    String.raw`stacks=@STACKS@
failing=@FAILING@
prev=; n=0; key=; last=
for a do
  case "$a" in --*) ;; *) [ "$prev" = "--stack" ] || { [ $n -eq 2 ] && key=$a; n=$((n + 1)); } ;; esac
  prev=$a; last=$a
done
case "$1 $2" in
  "stack select")
    case "$stacks" in *" $stack "*) exit 0 ;; esac
    echo "error: no stack named '$stack' found" >&2; exit 255 ;;
  "config set") printf '%s' "$last" > @CONFIG@/"$stack $key"; exit 0 ;;
  "config get")
    file=@CONFIG@/"$stack $key"
    if [ ! -f "$file" ]; then echo "error: configuration key '$key' not found for stack '$stack'" >&2; exit 255; fi
    awk -f @BIN@/json.awk -- --value "$(cat "$file")"; exit 0 ;;
  "up "*)
    case "$failing" in *" $stack "*) echo "error: update failed: da-90-capacity-priced denied the stack" >&2; exit 255 ;; esac
    printf 'Updating (%s)\nResources:\n    ~ 2 updated\n' "$stack"; exit 0 ;;
  "stack output") echo "{}"; exit 0 ;;
  "stack history")
    echo '[{"version":9,"kind":"update","startTime":"2026-03-02T10:00:00.000Z","endTime":"2026-03-02T10:03:00.000Z","message":"","environment":{},"config":{},"result":"succeeded","resourceChanges":{"update":2}}]'
    exit 0 ;;
esac
echo "fake pulumi: unexpected command $*" >&2
exit 99
`,
    { CONFIG: configDir, STACKS: ` ${options.stacks.join(" ")} `, FAILING: ` ${(options.failing ?? []).join(" ")} ` },
  );
  return { root: dir, log };
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
