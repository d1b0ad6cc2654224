/**
 * The data_ml and ops building blocks on their own: trust and statement builders, job and alarm specs, dashboards,
 * settings schemas, secret settings, and the MWAA environment component (only ever declared once AIRFLOW_MODE
 * leaves its deferred value, so it is exercised here under in-process mocks).
 */
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { AirflowEnvironment } from "../../components/airflowEnvironment";
import { costGuardrailProblems } from "../../components/costGuardrail";
import { handleParameterProblems } from "../../components/handleParameters";
import { warehouseLocation } from "../../components/learningCatalog";
import { logGroupProblems } from "../../components/platformLogGroups";
import { alarmDimensionPairs, dashboardDimensionPairs } from "../../policies/rules/observability";
import { BLOCKER_MODE_ENV, recordedBlockers } from "../../src/config/blockers";
import { dataMlSettingsSchema } from "../../src/config/dataMlSettings";
import { Environment } from "../../src/config/environment";
import { opsSettingsSchema } from "../../src/config/opsSettings";
import { secretSetting } from "../../src/config/secrets";
import { ofsJobArgs, unityCatalogTrust } from "../../src/dataml/databricks";
import { staticPrefixOf } from "../../src/dataml/roles";
import { InputError } from "../../src/errors";
import { policyDocument } from "../../src/iam/policy";
import { ALARM_HANDLES, AlarmNames, metricAlarmArgs, platformAlarmSpecs } from "../../src/ops/alarms";
import { githubActionsTrust, parseActionList, teardownStatements } from "../../src/ops/ci";
import { operationsDashboardBody } from "../../src/ops/dashboards";
import { mwaaExecutionStatements } from "../../src/ops/mwaa";
import { loadRegistry } from "../../src/registry/registry";

const registry = loadRegistry();
const alarmSettings = { periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 2, errorRatePercent: 1, igHttpErrorPercent: 5, rtdlLagRecords: 100000 };
const ids = { apiId: "a1b2c3d4e5", stage: "v1", functionName: "fn", clusterName: "cluster", flinkApplication: "app", dlqName: "dlq" };

describe("data_ml building blocks", () => {
  it("builds the Unity Catalog trust without a self-referencing principal, and refuses a principal without external id", () => {
    const trust = unityCatalogTrust({ accountId: "123456789012", roleName: "r", unityCatalogRoleArn: "arn:aws:iam::414351767826:role/uc", externalId: "e" });
    expect(JSON.stringify((trust.Statement as Array<{ Principal: unknown }>).map((s) => s.Principal))).not.toContain("role/r");
    expect(() => unityCatalogTrust({ accountId: "123456789012", roleName: "r", unityCatalogRoleArn: "arn:aws:iam::414351767826:role/uc" })).toThrow(
      /external id is required/,
    );
    expect((unityCatalogTrust({ accountId: "123456789012", roleName: "r" }).Statement as unknown[]).length).toBe(1);
  });

  it("refuses an OFS job without a positive whole timeout", () => {
    const spec = {
      name: "j",
      description: "d",
      taskKey: "t",
      pythonFile: "/Workspace/x.py",
      policyId: "p",
      sparkVersion: "15.4.x-scala2.12",
      nodeTypeId: "m5d.large",
      autoscale: { minWorkers: 1, maxWorkers: 8 },
      tags: {},
    };
    expect(ofsJobArgs({ ...spec, timeoutSeconds: 60 }).timeoutSeconds).toBe(60);
    for (const t of [0, -1, 1.5]) expect(() => ofsJobArgs({ ...spec, timeoutSeconds: t })).toThrow(/DA-74/);
  });

  it("derives fixed key prefixes and warehouse locations", () => {
    expect(staticPrefixOf(registry.string("S3_EVIDENCE_RUN_ROOT_PATTERN"))).toBe("evidence/runs/");
    expect(staticPrefixOf(registry.string("S3_RUN_CONTROL_ROOT_PATTERN"))).toBe("evidence/dev_full/run_control/");
    expect(warehouseLocation("b", "learning/ofs/iceberg/warehouse/")).toBe("s3://b/learning/ofs/iceberg/warehouse/");
    expect(() => warehouseLocation("b", "/abs/")).toThrow(/relative/);
  });

  it("rejects parameters outside the SSM root or declared twice", () => {
    const p = { name: "/fraud-platform/dev_full/a", value: "v", secure: false, description: "d", resource: "a" };
    expect(handleParameterProblems({ a: p }, "/fraud-platform/dev_full/")).toEqual([]);
    expect(handleParameterProblems({ a: p, b: p, c: { ...p, name: "/other/x" } }, "/fraud-platform/dev_full/")).toEqual([
      "b: /fraud-platform/dev_full/a is declared twice",
      "c: /other/x is not under /fraud-platform/dev_full/",
    ]);
  });

  it("validates the dataMl settings: the workspace is required with the switch on, named exactly", () => {
    const issues = dataMlSettingsSchema.safeParse({ databricksEnabled: true }).error?.issues ?? [];
    expect(issues.map((i) => [i.path.join("."), i.message])).toEqual([["databricks", expect.stringContaining("because databricksEnabled is true")]]);
    expect(dataMlSettingsSchema.safeParse({ databricksEnabled: false }).success).toBe(true);
    const bad = dataMlSettingsSchema.safeParse({
      databricksEnabled: true,
      databricks: {
        workspaceUrl: "http://example.com/",
        unityCatalogRoleArn: "x",
        externalId: "y",
        sparkVersion: "15.4.x-scala2.12",
        nodeTypeId: "m5d.large",
        jobs: { ofsBuild: { pythonFile: "/Workspace/a.py", timeoutSeconds: 0 }, ofsQuality: { pythonFile: "/tmp/b.py", timeoutSeconds: 60 } },
      },
    });
    expect(bad.error?.issues.map((i) => i.path.join(".")).sort()).toEqual([
      "databricks.externalId",
      "databricks.jobs.ofsBuild.timeoutSeconds",
      "databricks.jobs.ofsQuality.pythonFile",
      "databricks.unityCatalogRoleArn",
      "databricks.workspaceUrl",
    ]);
  });
});

describe("secret settings", () => {
  const env = (secretKeys: string[]) => ({ stackName: "dev-full-data-ml", secretKeys }) as unknown as Environment;
  const mode = process.env[BLOCKER_MODE_ENV];
  afterEach(() => (mode === undefined ? delete process.env[BLOCKER_MODE_ENV] : (process.env[BLOCKER_MODE_ENV] = mode)));

  it("accepts a secret key, refuses a plain one without echoing it, and fails closed when missing in a real run", () => {
    expect(secretSetting(env(["fraud-platform:databricksToken"]), "databricksToken", "dapi-x", "the token").configured).toBe(true);
    expect(() => secretSetting(env([]), "databricksToken", "dapi-x", "the token")).toThrow(InputError);
    try {
      secretSetting(env([]), "databricksToken", "dapi-x", "the token");
    } catch (e) {
      expect((e as Error).message).not.toContain("dapi-x");
    }
    delete process.env[BLOCKER_MODE_ENV];
    expect(() => secretSetting(env([]), "databricksToken", undefined, "the token")).toThrow(
      /pulumi config set --secret fraud-platform:databricksToken <value> --stack dev-full-data-ml/,
    );
  });

  it("yields an unknown secret in the offline plan (record mode), never a made-up value, and records a named blocker", () => {
    process.env[BLOCKER_MODE_ENV] = "record";
    const before = recordedBlockers().length;
    const s = secretSetting(env([]), "databricksToken", undefined, "the token");
    expect(s.configured).toBe(false);
    expect(pulumi.Output.isInstance(s.value)).toBe(true);
    const recorded = recordedBlockers().slice(before);
    expect(recorded).toEqual([
      {
        kind: "SECRET_MISSING",
        handle: "fraud-platform:databricksToken",
        message: expect.stringMatching(/fraud-platform:databricksToken \(the token\) is not set in Pulumi\.dev-full-data-ml\.yaml/),
        pinCommand: "pulumi config set --secret fraud-platform:databricksToken <value> --stack dev-full-data-ml",
      },
    ]);
    // Asked again (a second pass), it is recorded once.
    secretSetting(env([]), "databricksToken", undefined, "the token");
    expect(recordedBlockers().slice(before)).toHaveLength(1);
  });
});

describe("ops building blocks", () => {
  const names = Object.fromEntries(ALARM_HANDLES.map((h) => [h, registry.string(h)])) as AlarmNames;
  const specs = platformAlarmSpecs(names, ids, alarmSettings);

  it("builds the nine platform alarms, metric math with exactly one returned series", () => {
    expect(specs.map((s) => s.name)).toEqual(ALARM_HANDLES.map((h) => registry.string(h)));
    for (const spec of specs) {
      const args = metricAlarmArgs(spec, alarmSettings, "arn:topic", {});
      expect(args.alarmActions).toEqual(["arn:topic"]);
      if (spec.math) expect((args.metricQueries as Array<{ returnData: boolean }>).filter((q) => q.returnData)).toHaveLength(1);
      else expect(args.dimensions).toBeDefined();
    }
  });

  it("plots on the operations dashboard only what the alarms watch (DA-82 by construction)", () => {
    const alarms = specs.map((s) => ({ props: metricAlarmArgs(s, alarmSettings, "arn:topic", {}) }) as never);
    const watched = alarmDimensionPairs(alarms);
    const body = JSON.parse(JSON.stringify(operationsDashboardBody({ region: "eu-west-2", ids, alarmArns: [], runbook: "docs/ops.md" })));
    for (const p of dashboardDimensionPairs(body)) expect(watched.has(`${p.name}=${p.value}`)).toBe(true);
  });

  it("scopes every teardown action and refuses one it cannot scope", () => {
    const scope = {
      region: "eu-west-2",
      accountId: "123456789012",
      eksClusterArn: "arn:aws:eks:eu-west-2:123456789012:cluster/c",
      eksClusterName: "c",
      ecsClusterName: "e",
      sagemakerEndpointName: registry.string("SM_ENDPOINT_NAME"),
    };
    const actions = parseActionList(registry.string("TEARDOWN_IAM_MIN_ACTIONS"));
    const statements = teardownStatements(actions, scope);
    expect(statements.flatMap((s) => s.actions).sort()).toEqual([...actions].sort());
    expect(() => policyDocument(statements)).not.toThrow();
    expect(() => teardownStatements([...actions, "eks:DeleteCluster"], scope)).toThrow(/no resource scope known for eks:DeleteCluster/);
    fc.assert(
      fc.property(fc.subarray(actions, { minLength: 1 }), (subset) =>
        expect(
          teardownStatements(subset, scope)
            .flatMap((s) => s.actions)
            .sort(),
        ).toEqual([...subset].sort()),
      ),
    );
  });

  it("trusts GitHub Actions only for exact subjects and parses the action list strictly", () => {
    expect(() => githubActionsTrust({ oidcProviderArn: "arn", issuerHost: "h", audience: "sts.amazonaws.com", subjects: [] })).toThrow(/at least one subject/);
    expect(() => githubActionsTrust({ oidcProviderArn: "arn", issuerHost: "h", audience: "sts.amazonaws.com", subjects: ["repo:o/r:*"] })).toThrow(
      /wildcard subject/,
    );
    expect(() => parseActionList("eks:ListNodegroups, not an action")).toThrow(/TEARDOWN_IAM_MIN_ACTIONS/);
    expect(opsSettingsSchema.safeParse({ ci: { githubRepository: "o/r", branches: ["*"] }, alarms: alarmSettings }).success).toBe(false);
    expect(
      opsSettingsSchema.safeParse({
        ci: { githubRepository: "o/r", branches: ["main"], deployEnvironment: "dev-full" },
        alarms: { ...alarmSettings, datapointsToAlarm: 4 },
      }).error?.issues[0].path,
    ).toEqual(["alarms", "datapointsToAlarm"]);
  });

  it("checks the budget shape and the log groups before declaring them", () => {
    expect(costGuardrailProblems({ limit: 300, alerts: [120, 210, 270] })).toEqual([]);
    expect(costGuardrailProblems({ limit: 300, alerts: [210, 120, 400] })).toEqual([
      "alert 2 (120) must be above alert 1 (210)",
      "alert 3 (400) must be > 0 and <= the limit 300",
    ]);
    expect(logGroupProblems({ a: "/fraud-platform/dev_full/a", b: "/aws/x" }, "/fraud-platform/dev_full", 14)).toEqual([
      "b: /aws/x is not under /fraud-platform/dev_full/",
    ]);
  });

  it("grants the MWAA role only its parameter while deferred, the environment's needs once on", () => {
    const base = {
      region: "eu-west-2",
      accountId: "123456789012",
      platformKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/k",
      webserverParameterPath: "/fraud-platform/dev_full/mwaa/webserver_url",
    };
    expect(mwaaExecutionStatements(base).map((s) => s.sid)).toEqual(["MwaaSsmRead", "MwaaSsmDecrypt"]);
    const on = mwaaExecutionStatements({
      ...base,
      environment: { name: "fraud-platform-dev-full", artifactsBucketArn: "arn:aws:s3:::artifacts", dagPrefix: "mwaa/dags/" },
    });
    expect(on.map((s) => s.sid)).toEqual(expect.arrayContaining(["MwaaPublishMetrics", "MwaaDagsObjects", "MwaaCeleryQueues"]));
    expect(() => policyDocument(on)).not.toThrow();
  });
});

describe("MWAA environment component (in-process mocks)", () => {
  const created: Array<{ type: string; inputs: Record<string, unknown> }> = [];
  beforeAll(() =>
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          created.push({ type: args.type, inputs: args.inputs as Record<string, unknown> });
          return { id: `${args.name}-id`, state: { ...args.inputs, webserverUrl: "abc.c2.eu-west-2.airflow.amazonaws.com", arn: `arn:${args.name}` } };
        },
        call: () => {
          throw new Error("no invokes expected");
        },
      },
      "fraud-platform",
      "dev-full-ops",
      true,
    ),
  );

  it("declares a private environment in two private subnets behind a self-only security group", async () => {
    const env = new AirflowEnvironment("mwaa", {
      environmentName: "fraud-platform-dev-full",
      executionRoleArn: "arn:aws:iam::123456789012:role/fraud-platform-dev-full-mwaa-execution",
      sourceBucketArn: "arn:aws:s3:::fraud-platform-dev-full-artifacts",
      dagPrefix: "mwaa/dags/",
      vpcId: "vpc-1",
      vpcCidr: "10.70.0.0/16",
      subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
      securityGroupName: "fraud-platform-dev-full-mwaa-sg",
      settings: { environmentClass: "mw1.micro", airflowVersion: "2.10.3", maxWorkers: 2 },
      tags: {},
    });
    await new Promise<string>((resolve) => env.webserverUrl.apply(resolve));
    const mwaa = created.find((c) => c.type === "aws:mwaa/environment:Environment");
    expect(mwaa?.inputs).toMatchObject({
      name: "fraud-platform-dev-full",
      webserverAccessMode: "PRIVATE_ONLY",
      dagS3Path: "mwaa/dags",
      environmentClass: "mw1.micro",
      networkConfiguration: { subnetIds: ["subnet-a", "subnet-b"] },
    });
    const sg = created.find((c) => c.type === "aws:ec2/securityGroup:SecurityGroup");
    expect(sg?.inputs.ingress).toEqual([expect.objectContaining({ self: true })]);
    expect(JSON.stringify(sg?.inputs.ingress)).not.toContain("0.0.0.0/0");
  });
});
