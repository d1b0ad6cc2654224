/**
 * One identity per workflow, exactly as wide as its code. What each workflow needs is derived from the code it runs:
 * the AWS SDK commands the residual scan and the proof window send (parsed from their sources and checked against
 * the tables those modules export, which the roles are built from), the state backend's S3 calls, the secrets
 * provider's KMS call, and the read/write access of every provider module the plan's resources and invokes use.
 * Each role must cover that, trust only its workflow's OIDC subject, and use Resource "*" only in justified
 * statements.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { grants } from "../../policies/rules/teardownIdentity";
import { PROVIDER_ACCESS, SdkCall, STATE_BUCKET_ACTIONS, STATE_READ_ACTIONS, STATE_WRITE_ACTIONS, accessOf, isReadOnlyAction } from "../../src/ops/ciAccess";
import { parseActionList } from "../../src/ops/ci";
import { PlanResult } from "../../src/plan/engine";
import { LayerPlan } from "../../src/plan/previewDocument";
import { loadRegistry } from "../../src/registry/registry";
import { RESIDUAL_SCAN_CALLS, SERVICE_CHECKS } from "../../src/teardown/residualScan";
import { WINDOW_SPEND_CALLS } from "../../src/window/spend";
import { WINDOW_STORE_CALLS } from "../../src/window/store";
import { ALL_STACK_PINS } from "../helpers/pins";
import { json, named } from "../helpers/planQueries";
import { sharedPlan } from "../helpers/sharedPlan";

const ROOT = path.resolve(__dirname, "../..");
const registry = loadRegistry();
const ALL = ["core", "streaming", "runtime", "data_ml", "ops"] as const;

/** `(client, operation)` of every AWS SDK v3 command class or paginator a source file imports and uses. */
function sdkCallsIn(file: string): Array<{ client: string; operation: string }> {
  return sdkCallsOf(fs.readFileSync(path.join(ROOT, file), "utf8"));
}

function sdkCallsOf(src: string): Array<{ client: string; operation: string }> {
  const out: Array<{ client: string; operation: string }> = [];
  // Static imports (`import { A as B } from`) and the lazy ones a check makes when it runs (`const { A: B } = await import(`).
  const imports = [
    ...src.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*"(@aws-sdk\/client-[a-z0-9-]+)"/g),
    ...src.matchAll(/const\s*\{([^}]*)\}\s*=\s*await\s+import\("(@aws-sdk\/client-[a-z0-9-]+)"\)/g),
  ];
  for (const m of imports) {
    const body = src.replace(m[0], "");
    for (const spec of m[1]
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [imported, local = imported] = spec.split(/\s+as\s+|\s*:\s*/);
      const op = /^paginate([A-Z]\w*)$/.exec(imported)?.[1] ?? /^([A-Z]\w*)Command$/.exec(imported)?.[1];
      if (!op) continue;
      if (new RegExp(`\\b${local}\\s*\\(`).test(body)) out.push({ client: m[2], operation: op });
    }
  }
  return out;
}

/** The residual scan's source files: the runner and every file under src/teardown/scan/. */
const SCAN_FILES = [
  "src/teardown/residualScan.ts",
  ...(fs.readdirSync(path.join(ROOT, "src/teardown/scan"), { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts"))
    .map((f) => `src/teardown/scan/${f}`),
];

/** The file of src/teardown/scan/checks/ each residual-scan check lives in. */
const CHECK_FILE: Record<string, string> = {
  eks: "eks",
  ecs: "ecs",
  msk: "msk",
  rds: "rds",
  elasticache: "elasticache",
  sagemaker: "sagemaker",
  "ec2.nat": "ec2",
  "ec2.instances": "ec2",
  elbv2: "elbv2",
  tagging: "inventory",
  msf: "msf",
  "emr-serverless": "emrServerless",
};

const key = (c: { client: string; operation: string }) => `${c.client} ${c.operation}`;
const sorted = (calls: Array<{ client: string; operation: string }>) => [...new Set(calls.map(key))].sort();

interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string[];
}

/** Whether a statement of `statements` allows `action` on a resource matching `resource` (when given). */
function covers(statements: Statement[], action: string, resource?: string): boolean {
  return statements.some(
    (s) =>
      s.Effect === "Allow" &&
      s.Action.some((p) => grants(p, action)) &&
      (resource === undefined ||
        s.Resource.some(
          (r) =>
            r === "*" ||
            new RegExp(
              `^${r
                .split("*")
                .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
                .join(".*")}$`,
            ).test(resource),
        )),
  );
}

/** Statements with Resource "*" that carry a written justification in src/ops/ci.ts (checked by the builder too). */
const JUSTIFIED_WILDCARDS = new Set([
  "PreviewRefreshReads",
  "DeployServices",
  "DeployIamRead",
  "ResidualScan",
  "WindowSpend",
  "GuardRefreshReads",
  "TeardownSageMakerList",
]);

let pinned: PlanResult;
let ops: LayerPlan;
let layers: LayerPlan[];
const policyOf = (roleLogical: string): Statement[] => json<{ Statement: Statement[] }>(named(ops, `${roleLogical}-least-privilege`).inputs.policy).Statement;
const trustOf = (roleLogical: string) =>
  json<{ Statement: Array<{ Condition: { StringEquals: Record<string, string | string[]> } }> }>(named(ops, roleLogical).inputs.assumeRolePolicy).Statement[0]
    .Condition.StringEquals;

beforeAll(async () => {
  pinned = (await sharedPlan([...ALL], ALL_STACK_PINS)).result;
  layers = pinned.outcomes.map((o) => {
    if (!o.plan) throw new Error(`plan failed: ${JSON.stringify(o.failure)}`);
    return o.plan;
  });
  ops = layers.find((l) => l.layer === "ops") as LayerPlan;
}, 240_000);

describe("what each workflow's code calls", () => {
  it("the residual scan's call table is exactly the SDK commands the scan's files send", () => {
    expect(sorted([...RESIDUAL_SCAN_CALLS])).toEqual(sorted(SCAN_FILES.flatMap(sdkCallsIn)));
  });

  it("each residual-scan check lists exactly the SDK commands its file sends", () => {
    for (const f of SCAN_FILES.filter((f) => f.includes("/checks/") && !f.endsWith("index.ts"))) {
      const file = path.basename(f, ".ts");
      const listed = SERVICE_CHECKS.filter((c) => CHECK_FILE[c.id] === file).flatMap((c) => c.commands);
      expect({ file, calls: sorted(listed) }).toEqual({ file, calls: sorted(sdkCallsIn(f)) });
    }
  });

  it("the window's call tables are exactly the SDK commands src/window/ sends (the CLI only builds clients)", () => {
    expect(sorted([...WINDOW_SPEND_CALLS])).toEqual(sorted(sdkCallsIn("src/window/spend.ts")));
    expect(sorted([...WINDOW_STORE_CALLS])).toEqual(sorted(sdkCallsIn("src/window/store.ts")));
    const others = fs.readdirSync(path.join(ROOT, "src/window")).filter((f) => f.endsWith(".ts") && !["spend.ts", "store.ts"].includes(f));
    for (const f of others) expect({ file: f, calls: sdkCallsIn(`src/window/${f}`) }).toEqual({ file: f, calls: [] });
  });

  it("derives calls from imports, aliases and paginators (the parser itself)", () => {
    const scan = SCAN_FILES.flatMap(sdkCallsIn).map(key);
    expect(scan).toContain("@aws-sdk/client-kinesis-analytics-v2 ListTagsForResource"); // imported when the check runs
    expect(scan).toContain("@aws-sdk/client-resource-groups-tagging-api GetResources"); // a paginator
    const aliased = [
      'import { ListTagsCommand as Tags } from "@aws-sdk/client-sagemaker";\nclient.send(new Tags({}));',
      'const { DescribeClusterCommand: Describe, paginateListNodegroups } = await import("@aws-sdk/client-eks");\nnew Describe({}); paginateListNodegroups(c, {});',
      'import { DescribeInstancesCommand } from "@aws-sdk/client-ec2"; // imported, never sent',
    ].flatMap(sdkCallsOf);
    expect(aliased.map(key)).toEqual(["@aws-sdk/client-sagemaker ListTags", "@aws-sdk/client-eks DescribeCluster", "@aws-sdk/client-eks ListNodegroups"]);
  });

  it("knows the access of every provider module and invoke of the plan (fail closed on a new one)", () => {
    const tokens = layers.flatMap((l) => [
      ...l.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => r.type),
      ...l.invokes.map((i) => i.token),
    ]);
    expect(() => accessOf(tokens)).not.toThrow();
    expect(() => accessOf(["aws:neptune/cluster:Cluster"])).toThrow(/no CI access known for aws:neptune\/cluster:Cluster.*PROVIDER_ACCESS/);
  });
});

describe("the roles cover exactly that", () => {
  const stateBucket = () => `arn:aws:s3:::${registry.string("TF_STATE_BUCKET")}`;
  const stateObject = () => `${stateBucket()}/.pulumi/stacks/fraud-platform/dev-full-core.json`;
  const planTokens = () =>
    layers.flatMap((l) => [
      ...l.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => r.type),
      ...l.invokes.map((i) => i.token),
    ]);

  it("PR preview: trusts the pull_request subject only; state read, secrets-provider decrypt, the refresh reads; writes nothing", () => {
    expect(named(ops, "github-ci-preview-role").inputs.name).toBe(registry.string("ROLE_GITHUB_ACTIONS_PREVIEW_NAME"));
    expect(trustOf("github-ci-preview-role")["token.actions.githubusercontent.com:sub"]).toEqual(["repo:EsosaOrumwese/fraud-detection-system:pull_request"]);
    const st = policyOf("github-ci-preview-role");
    for (const a of STATE_BUCKET_ACTIONS) expect({ a, ok: covers(st, a, stateBucket()) }).toEqual({ a, ok: true });
    for (const a of STATE_READ_ACTIONS) expect({ a, ok: covers(st, a, stateObject()) }).toEqual({ a, ok: true });
    for (const a of STATE_WRITE_ACTIONS) expect({ a, ok: covers(st, a) }).toEqual({ a, ok: false });
    const core = layers.find((l) => l.layer === "core") as LayerPlan;
    expect(covers(st, "kms:Decrypt", String(core.outputs.kms_key_arn))).toBe(true);
    for (const [module, access] of accessOf(planTokens()))
      for (const a of access.read) expect({ module, a, ok: covers(st, a) }).toEqual({ module, a, ok: true });
    const writes = st.flatMap((s) => s.Action).filter((a) => !isReadOnlyAction(a));
    expect(writes).toEqual([]);
  });

  it("deploy: trusts the deploy environment's subject only; state read/write, the secrets provider, every service of the plan, IAM on the platform's names", () => {
    expect(named(ops, "github-ci-deploy-role").inputs.name).toBe(registry.string("ROLE_GITHUB_ACTIONS_DEPLOY_NAME"));
    expect(trustOf("github-ci-deploy-role")["token.actions.githubusercontent.com:sub"]).toEqual([
      "repo:EsosaOrumwese/fraud-detection-system:environment:dev-full",
    ]);
    const st = policyOf("github-ci-deploy-role");
    for (const a of [...STATE_READ_ACTIONS, ...STATE_WRITE_ACTIONS]) expect({ a, ok: covers(st, a, stateObject()) }).toEqual({ a, ok: true });
    for (const [module, access] of accessOf(planTokens())) {
      for (const svc of access.services.filter((x) => x !== "iam" && x !== "s3"))
        expect({ module, svc, ok: covers(st, `${svc}:CreateSomething`) }).toEqual({ module, svc, ok: true });
    }
    const evidence = (layers.find((l) => l.layer === "core")?.outputs.s3_bucket_arns as Record<string, string>).evidence;
    expect(covers(st, "s3:CreateBucket", evidence)).toBe(true);
    expect(covers(st, "s3:PutLifecycleConfiguration", evidence)).toBe(true);
    expect(covers(st, "s3:DeleteObject", `${evidence}/evidence/dev_full/x.json`)).toBe(false);
    expect(covers(st, "s3:PutObject", "arn:aws:s3:::fraud-platform-dev-full-object-store/oracle-store/x")).toBe(false);
    expect(covers(st, "iam:CreateRole", "arn:aws:iam::123456789012:role/fraud-platform-dev-full-flink-execution")).toBe(true);
    expect(covers(st, "iam:CreateRole", "arn:aws:iam::123456789012:role/someone-elses-role")).toBe(false);
    expect(covers(st, "iam:AttachUserPolicy", "arn:aws:iam::123456789012:user/admin")).toBe(false);
  });

  it("idle guard / window close: the scan's and the window's calls, the teardown minimum, state and secrets provider, the refresh reads; no IAM or Lambda write", () => {
    expect(trustOf("github-ci-role")["token.actions.githubusercontent.com:sub"]).toEqual(["repo:EsosaOrumwese/fraud-detection-system:ref:refs/heads/main"]);
    const st = policyOf("github-ci-role");
    for (const c of RESIDUAL_SCAN_CALLS) expect({ c: c.action, ok: covers(st, c.action) }).toEqual({ c: c.action, ok: true });
    const evidence = (layers.find((l) => l.layer === "core")?.outputs.s3_bucket_arns as Record<string, string>).evidence;
    const record = `${evidence}/evidence/dev_full/run_control/active_window.json`;
    for (const c of WINDOW_STORE_CALLS) expect({ c: c.action, ok: covers(st, c.action, record) }).toEqual({ c: c.action, ok: true });
    expect(covers(st, "s3:DeleteObject", record)).toBe(false);
    expect(covers(st, "budgets:ViewBudget", `arn:aws:budgets::123456789012:budget/${registry.string("AWS_BUDGET_NAME")}`)).toBe(true);
    expect(covers(st, "ce:GetCostAndUsage")).toBe(true);
    for (const a of parseActionList(registry.string("TEARDOWN_IAM_MIN_ACTIONS"))) expect({ a, ok: covers(st, a) }).toEqual({ a, ok: true });
    for (const a of [...STATE_READ_ACTIONS, ...STATE_WRITE_ACTIONS]) expect({ a, ok: covers(st, a, stateObject()) }).toEqual({ a, ok: true });
    const writes = st.flatMap((s) => s.Action).filter((a) => /^(iam|lambda):/.test(a) && !isReadOnlyAction(a));
    expect(writes).toEqual([]);
  });

  it('uses Resource "*" only in the justified statements, and no role grants Action "*"', () => {
    for (const role of ["github-ci-preview-role", "github-ci-deploy-role", "github-ci-role"]) {
      const st = policyOf(role);
      expect({ role, wildcards: st.filter((s) => s.Resource.includes("*") && !JUSTIFIED_WILDCARDS.has(s.Sid)).map((s) => s.Sid) }).toEqual({
        role,
        wildcards: [],
      });
      expect({ role, star: st.filter((s) => s.Action.includes("*")).map((s) => s.Sid) }).toEqual({ role, star: [] });
    }
    expect(Object.keys(PROVIDER_ACCESS).length).toBeGreaterThan(20);
  });
});

describe("the workflows assume their own role", () => {
  const workflow = (f: string) =>
    parse(fs.readFileSync(path.join(ROOT, ".github/workflows", f), "utf8")) as {
      jobs: Record<string, { if?: string; environment?: string; steps: Array<{ uses?: string; with?: Record<string, string> }>; env?: Record<string, string> }>;
    };
  const roleVars = (f: string) =>
    Object.values(workflow(f).jobs).flatMap((j) =>
      j.steps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials")).map((s) => s.with?.["role-to-assume"]),
    );

  it("pr.yml previews as the preview role on pull requests, with the core stack's passphrase", () => {
    expect(roleVars("pr.yml")).toEqual(["${{ vars.AWS_PREVIEW_ROLE_ARN }}"]);
    const preview = workflow("pr.yml").jobs.preview;
    expect(preview.if).toBe("github.event_name == 'pull_request'");
    expect(preview.env?.PULUMI_CONFIG_PASSPHRASE).toMatch(/dev-full-core.*secrets\.PULUMI_CONFIG_PASSPHRASE/);
    expect(preview.env?.PULUMI_BACKEND_URL).toBe(registry.string("PULUMI_BACKEND_URL"));
  });

  it("deploy.yml deploys as the deploy role, from main, in the environment the role trusts", () => {
    expect(roleVars("deploy.yml")).toEqual(["${{ vars.AWS_DEPLOY_ROLE_ARN }}"]);
    const up = workflow("deploy.yml").jobs.up;
    expect(up.environment).toBe("dev-full");
    expect(up.if).toBe("github.ref == 'refs/heads/main'");
  });

  it("idle-guard.yml runs as the guard role", () => {
    expect(roleVars("idle-guard.yml")).toEqual(["${{ vars.AWS_CI_ROLE_ARN }}"]);
  });
});

/** Typed, so a renamed field of the call table breaks this file at compile time. */
export const _typed: readonly SdkCall[] = RESIDUAL_SCAN_CALLS;
