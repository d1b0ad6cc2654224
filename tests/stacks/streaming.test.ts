/**
 * The streaming stack's real program under mocks, chained to the real core plan: the plan engine runs core,
 * then streaming with core's outputs behind the StackReference (child processes; the Pulumi runtime is global per
 * process). Two more runs reuse core's recorded outputs: one with the topic layer switched off, one with a core
 * that lost a subnet. Asserts the resources of stacks/streaming.md with its defects fixed, every exported handle,
 * the lane policy documents and the policy pack's verdict.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { PlanResult, runPlan } from "../../src/plan/engine";
import { LayerPlan, PropertyMap, RecordedResource, isSecretValue } from "../../src/plan/previewDocument";
import { PROJECT_ROOT, loadRegistry } from "../../src/registry/registry";
import { controlEnvelopeSchema } from "../../src/streaming/controlEnvelope";
import { sharedPlan } from "../helpers/sharedPlan";
import { ofType, unwrap } from "../helpers/planQueries";

const registry = loadRegistry();
const catalog = registry.topics();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "streaming-plan-"));

let full: PlanResult;
let fullDir: string;
let topicsOff: PlanResult;
let badCore: PlanResult;
let core: LayerPlan;
let plan: LayerPlan;

/** A copy of the project's config files whose streaming stack file overrides `fraud-platform:streaming`. */
function projectWithStreamingConfig(dir: string, streaming: Record<string, unknown>): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const file of ["Pulumi.yaml", "Pulumi.dev-full.yaml"]) fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(dir, file));
  fs.writeFileSync(
    path.join(dir, "Pulumi.dev-full-streaming.yaml"),
    stringify({ config: { "aws:region": "eu-west-2", "fraud-platform:streaming": streaming } }),
  );
  return dir;
}

/** An output dir holding core's recorded outputs (optionally edited), so a streaming-only plan reads them. */
function outDirWithCore(dir: string, edit: (outputs: PropertyMap) => PropertyMap = (o) => o): string {
  fs.mkdirSync(dir, { recursive: true });
  const outputs = JSON.parse(fs.readFileSync(path.join(fullDir, "dev-full-core.outputs.json"), "utf8")) as PropertyMap;
  fs.writeFileSync(path.join(dir, "dev-full-core.outputs.json"), JSON.stringify(edit(outputs)));
  return dir;
}

beforeAll(async () => {
  ({ result: full, outDir: fullDir } = await sharedPlan(["core", "streaming"]));
  const [c, s] = full.outcomes;
  if (!c.plan || !s.plan) throw new Error(`plan failed: ${JSON.stringify(full.outcomes.map((o) => o.failure))}`);
  core = c.plan;
  plan = s.plan;
  [topicsOff, badCore] = await Promise.all([
    runPlan({
      env: "dev-full",
      layers: ["streaming"],
      outDir: outDirWithCore(path.join(tmp, "off")),
      projectDir: projectWithStreamingConfig(path.join(tmp, "project-off"), { topicsEnabled: false }),
    }),
    runPlan({
      env: "dev-full",
      layers: ["streaming"],
      outDir: outDirWithCore(path.join(tmp, "bad"), (o) => ({ ...o, MSK_CLIENT_SUBNET_IDS: ["subnet-0aaa"] })),
    }),
  ]);
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const one = (type: string): RecordedResource => {
  const found = ofType(plan, type);
  expect(found).toHaveLength(1);
  return found[0];
};
const mandatoryTags = { project: "fraud-platform", env: "dev_full", owner: "esosa", fp_stack: "streaming" };

describe("streaming stack (core -> streaming, end to end)", () => {
  it("plans both layers with exit code 0, no blockers and zero mandatory violations", () => {
    expect(full.outcomes.map((o) => [o.stackName, o.status])).toEqual([
      ["dev-full-core", "planned"],
      ["dev-full-streaming", "planned"],
    ]);
    expect(full.exitCode).toBe(0);
    expect(full.blockers).toEqual([]);
    expect(full.policy.summary.mandatory).toBe(0);
    // Advisory notes (e.g. the cost model's alert levels) may appear; nothing mandatory may.
    expect(full.policy.violations.filter((v) => v.stack === "dev-full-streaming" && v.enforcementLevel === "mandatory")).toEqual([]);
  });

  it("places the SASL/IAM-only cluster in core's private subnets behind core's MSK security group", () => {
    const cluster = one("aws:msk/serverlessCluster:ServerlessCluster");
    expect(cluster.inputs).toMatchObject({
      clusterName: registry.string("MSK_CLUSTER_NAME"),
      clientAuthentication: { sasl: { iam: { enabled: true } } },
      vpcConfigs: [{ subnetIds: core.outputs.MSK_CLIENT_SUBNET_IDS, securityGroupIds: [core.outputs.MSK_SECURITY_GROUP_ID] }],
      tags: { ...mandatoryTags, Name: "fraud-platform-dev-full-msk", fp_msk_mode: "serverless", fp_auth_mode: "sasl_iam" },
    });
    expect(core.outputs.MSK_CLIENT_SUBNET_IDS).toEqual(core.outputs.private_subnet_ids);
    expect(cluster.protect).toBe(false);
    expect(cluster.dependencies).toEqual([expect.stringContaining("pulumi:pulumi:StackReference::organization/fraud-platform/dev-full-core")]);
  });

  it("publishes the bootstrap string as a SecureString under the platform key, from the cluster, without overwrite", () => {
    const parameter = one("aws:ssm/parameter:Parameter");
    expect(parameter.inputs).toMatchObject({
      name: "/fraud-platform/dev_full/msk/bootstrap_brokers",
      type: "SecureString",
      keyId: core.outputs.kms_key_arn,
      tier: "Standard",
      tags: { ...mandatoryTags, fp_resource: "msk_bootstrap_brokers" },
    });
    expect(String(core.outputs.kms_key_arn)).toMatch(/^arn:aws:kms:eu-west-2:\d{12}:key\//);
    expect(parameter.inputs).not.toHaveProperty("overwrite");
    expect(isSecretValue(parameter.inputs.value)).toBe(true);
    expect(unwrap(parameter.inputs.value)).toMatch(/^boot-[0-9a-f]{8}\.c1\.kafka-serverless\.eu-west-2\.amazonaws\.com:9098$/);
    expect(parameter.dependencies).toContain(one("aws:msk/serverlessCluster:ServerlessCluster").urn);
  });

  it("keeps the Glue registry and the BACKWARD anchor schema as retained surfaces", () => {
    const reg = one("aws:glue/registry:Registry");
    const schema = one("aws:glue/schema:Schema");
    expect(reg.inputs).toMatchObject({ registryName: "fraud-platform-dev-full", tags: { ...mandatoryTags, fp_resource: "glue_schema_registry" } });
    expect(schema.inputs).toMatchObject({
      schemaName: "fp-bus-control-v1-envelope",
      dataFormat: "JSON",
      compatibility: "BACKWARD",
      registryArn: expect.stringMatching(/:registry\/fraud-platform-dev-full$/),
    });
    for (const r of [reg, schema]) expect([r.protect, r.retainOnDelete]).toEqual([true, true]);
    const text = String(schema.inputs.schemaDefinition);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('\n  "title": "ControlEnvelope",\n');
    const definition = JSON.parse(text) as ReturnType<typeof controlEnvelopeSchema>;
    expect(definition).toEqual(controlEnvelopeSchema());
    expect(Object.keys(definition.properties)).toEqual(["platform_run_id", "phase_id", "event_type", "written_at_utc"]);
    expect(definition.required).toEqual(["platform_run_id", "phase_id", "event_type", "written_at_utc"]);
  });

  it("declares the 14 catalog topics through an explicit MSK-IAM Kafka provider", () => {
    const [provider] = ofType(plan, "pulumi:providers:kafka");
    expect(provider.inputs).toMatchObject({ saslMechanism: "aws-iam", saslAwsRegion: "eu-west-2", tlsEnabled: "true" });
    expect(isSecretValue(provider.inputs.bootstrapServers)).toBe(true);
    // Provider config reaches the engine JSON-encoded, as `pulumi config` values do.
    expect(JSON.parse(String(unwrap(provider.inputs.bootstrapServers)))).toEqual([
      expect.stringMatching(/^boot-[0-9a-f]{8}\.c1\.kafka-serverless\.eu-west-2\.amazonaws\.com:9098$/),
    ]);
    const topics = ofType(plan, "kafka:index/topic:Topic");
    expect(topics.map((t) => t.inputs.name)).toEqual(catalog.map((t) => t.name));
    for (const t of catalog) {
      const topic = topics.find((r) => r.inputs.name === t.name);
      expect({ name: t.name, ...topic?.inputs }).toEqual({
        name: t.name,
        partitions: t.partitions,
        replicationFactor: registry.number("MSK_SERVERLESS_REPLICATION_FACTOR"),
        config: { "retention.ms": String(t.retention_ms), "cleanup.policy": t.cleanup_policy },
      });
      expect(topic?.provider?.startsWith(`${provider.urn}::`)).toBe(true);
      // Deleted with the cluster, never through Kafka: destroy and the topics switch need no reach into the VPC.
      expect([topic?.retainOnDelete, topic?.protect]).toEqual([true, false]);
    }
  });

  it("has a catalog that agrees with its partition, retention and cleanup handles", () => {
    const days = (v: string) => Number(/^(\d+)d$/.exec(v)?.[1]) * 86_400_000;
    for (const t of catalog) {
      expect({ topic: t.name, partitions: t.partitions, retention: t.retention_ms, cleanup: t.cleanup_policy }).toEqual({
        topic: t.name,
        partitions: registry.number(t.partitions_handle),
        retention: days(registry.string(t.retention_handle)),
        cleanup: registry.string("KAFKA_CLEANUP_POLICY_DEFAULT"),
      });
    }
  });

  it("exports every streaming handle under its registry name, the bootstrap string only as a secret", () => {
    const o = plan.outputs;
    for (const h of registry.exportedBy("streaming")) expect({ handle: h.name, exported: h.name in o }).toEqual({ handle: h.name, exported: true });
    expect(o).toMatchObject({
      MSK_CLUSTER_NAME: "fraud-platform-dev-full-msk",
      MSK_CLUSTER_ARN: expect.stringMatching(/^arn:aws:kafka:eu-west-2:123456789012:cluster\/fraud-platform-dev-full-msk\/[0-9a-f-]+-s1$/),
      SSM_MSK_BOOTSTRAP_BROKERS_PATH: "/fraud-platform/dev_full/msk/bootstrap_brokers",
      GLUE_SCHEMA_REGISTRY_NAME: "fraud-platform-dev-full",
      GLUE_SCHEMA_COMPATIBILITY_MODE: "BACKWARD",
      GLUE_ANCHOR_SCHEMA_NAME: "fp-bus-control-v1-envelope",
    });
    for (const t of catalog) expect(o[t.handle]).toBe(t.name);
    expect(plan.secretOutputNames.sort()).toEqual(["MSK_BOOTSTRAP_BROKERS_SASL_IAM", "msk_bootstrap_brokers_sasl_iam"]);
    const written = fs.readFileSync(path.join(fullDir, "dev-full-streaming.outputs.json"), "utf8");
    expect(written).not.toContain("kafka-serverless");
    expect(JSON.parse(written)).toMatchObject({ MSK_BOOTSTRAP_BROKERS_SASL_IAM: "[secret]", msk_bootstrap_brokers_sasl_iam: "[secret]" });
  });

  it("exports the reference's parity outputs, core's client subnets and security group passed through", () => {
    const o = plan.outputs;
    expect(o).toMatchObject({
      msk_cluster_arn: o.MSK_CLUSTER_ARN,
      msk_cluster_name: "fraud-platform-dev-full-msk",
      msk_cluster_uuid: String(o.MSK_CLUSTER_ARN).split("/").pop(),
      ssm_msk_bootstrap_brokers_path: "/fraud-platform/dev_full/msk/bootstrap_brokers",
      ssm_msk_bootstrap_brokers_arn: "arn:aws:ssm:eu-west-2:123456789012:parameter/fraud-platform/dev_full/msk/bootstrap_brokers",
      glue_schema_registry_name: "fraud-platform-dev-full",
      glue_schema_registry_arn: "arn:aws:glue:eu-west-2:123456789012:registry/fraud-platform-dev-full",
      glue_schema_compatibility_mode: "BACKWARD",
      kafka_topic_names: catalog.map((t) => t.name),
      kafka_topics_managed: true,
    });
    // The reference's pass-through of core's client placement (its outputs keep their names); the handles stay core's.
    expect(typeof o.msk_security_group_id).toBe("string");
    expect(o.msk_client_subnet_ids).toEqual(expect.arrayContaining([expect.stringMatching(/^subnet-/)]));
    expect(o).not.toHaveProperty("MSK_SECURITY_GROUP_ID");
    const materialization = o.streaming_handle_materialization as PropertyMap;
    expect(isSecretValue(materialization)).toBe(false);
    expect(materialization).toMatchObject({ MSK_CLUSTER_ARN: o.MSK_CLUSTER_ARN, SSM_MSK_BOOTSTRAP_BROKERS_PATH: o.SSM_MSK_BOOTSTRAP_BROKERS_PATH });
    // The secret bootstrap string stays out of the plain map: a documented null.
    expect(materialization).toMatchObject({
      MSK_BOOTSTRAP_BROKERS_SASL_IAM: null,
      MSK_SECURITY_GROUP_ID: o.msk_security_group_id,
      MSK_CLIENT_SUBNET_IDS: o.msk_client_subnet_ids,
    });
    expect((o.deferred_handles as Record<string, string>).MSK_BOOTSTRAP_BROKERS_SASL_IAM).toMatch(/secret/);
  });

  it("exports one least-privilege stream access document per lane, scoped to this cluster", () => {
    const docs = plan.outputs.stream_access_policies as Record<string, string>;
    expect(Object.keys(docs).sort()).toEqual(["archive", "case_labels", "decision_lane", "ig", "learning", "obs_gov", "orchestrator", "rtdl", "wsp"]);
    const clusterArn = String(plan.outputs.MSK_CLUSTER_ARN);
    const [, scope] = /:cluster\/(.+)$/.exec(clusterArn) ?? [];
    for (const [lane, text] of Object.entries(docs)) {
      const doc = JSON.parse(text) as { Statement: Array<{ Sid: string; Action: string[]; Resource: string[] }> };
      expect(doc.Statement[0]).toEqual({
        Sid: "ConnectToCluster",
        Effect: "Allow",
        Action: expect.arrayContaining(["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]),
        Resource: [clusterArn],
      });
      for (const s of doc.Statement.slice(1).filter((st) => st.Sid !== "ReadEventSchemas"))
        for (const r of s.Resource) expect({ lane, r }).toEqual({ lane, r: expect.stringContaining(`/${scope}/`) });
      // A lane that reads topics decodes events: schema reads on this stack's registry and its schemas only.
      const schemaRead = doc.Statement.find((st) => st.Sid === "ReadEventSchemas");
      const consumes = doc.Statement.some((st) => st.Sid === "ConsumeLaneTopics");
      expect({ lane, schemaRead: schemaRead?.Resource ?? null }).toEqual({
        lane,
        schemaRead: consumes ? [plan.outputs.glue_schema_registry_arn, "arn:aws:glue:eu-west-2:123456789012:schema/fraud-platform-dev-full/*"] : null,
      });
    }
    const rtdl = JSON.parse(docs.rtdl) as { Statement: Array<{ Sid: string; Resource: string[] }> };
    expect(rtdl.Statement.find((s) => s.Sid === "ConsumeLaneTopics")?.Resource).toContain(
      clusterArn.replace(":cluster/", ":topic/") + "/fp.bus.traffic.fraud.v1",
    );
  });

  it("with fraud-platform:streaming.topicsEnabled=false declares no Kafka provider or topics but still exports the pinned topic names", () => {
    expect(topicsOff.outcomes.map((o) => o.status)).toEqual(["planned"]);
    expect(topicsOff.exitCode).toBe(0);
    const off = topicsOff.outcomes[0].plan as LayerPlan;
    expect(off.resources.filter((r) => r.type.startsWith("kafka:") || r.type === "pulumi:providers:kafka")).toEqual([]);
    expect(ofType(off, "aws:msk/serverlessCluster:ServerlessCluster")).toHaveLength(1);
    expect(off.outputs.kafka_topics_managed).toBe(false);
    for (const t of catalog) expect(off.outputs[t.handle]).toBe(t.name);
  });

  it("refuses to place the cluster when core's outputs name fewer than two subnets, saying what to do", () => {
    expect(badCore.exitCode).toBe(1);
    const [outcome] = badCore.outcomes;
    expect(outcome.status).toBe("failed");
    expect(outcome.failure?.message).toMatch(/at least 2 distinct subnets.*\["subnet-0aaa"\].*apply dev-full-core first/s);
  });
});
