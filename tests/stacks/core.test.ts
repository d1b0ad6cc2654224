/**
 * The core stack's real program under mocks, in the plan's worker process: as `pulumi up` and then as a first
 * `pulumi preview` in the same process, as the plan runs every layer. Asserts the resources of stacks/core.md with their fixes, every exported handle, and what a
 * first preview leaves unknown.
 */
import { loadRegistry } from "../../src/registry/registry";
import { LayerPlan, RecordedResource } from "../../src/plan/previewDocument";
import { WorkerPool } from "../../src/plan/workerPool";
import { stackConfigFor } from "../../src/plan/stackConfig";
import { PROJECT_ROOT } from "../../src/registry/registry";

/** The environment's private subnet CIDRs (Pulumi.dev-full.yaml network.privateSubnetCidrs). */
const PRIVATE_SUBNETS = ["10.70.128.0/20", "10.70.144.0/20"];

let plan: LayerPlan;
let preview: LayerPlan;
const registry = loadRegistry();

beforeAll(async () => {
  const { config, secretKeys } = stackConfigFor(PROJECT_ROOT, "dev-full-core");
  const job = {
    stackName: "dev-full-core",
    layer: "core" as const,
    project: "fraud-platform",
    organization: "organization",
    region: "eu-west-2",
    config,
    secretKeys,
    upstream: {},
    upstreamSecrets: {},
  };
  // One warm worker runs both passes, one after the other, as the plan does.
  const pool = new WorkerPool(1);
  try {
    const up = (await pool.run({ job: { ...job, preview: false }, projectDir: PROJECT_ROOT, policy: {} })).result;
    if (!up.ok) throw new Error(up.failure.message);
    plan = up.plan;
    const first = (await pool.run({ job: { ...job, preview: true }, projectDir: PROJECT_ROOT, policy: {} })).result;
    if (!first.ok) throw new Error(first.failure.message);
    preview = first.plan;
  } finally {
    pool.close();
  }
});

describe("core stack as a first preview sees it", () => {
  const key = (r: RecordedResource) => `${r.type}::${r.name}::${r.parent ?? ""}`;

  it("registers the same resources as the up pass, with no ids", () => {
    expect(preview.resources.map(key).sort()).toEqual(plan.resources.map(key).sort());
    expect(preview.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).every((r) => r.id === undefined)).toBe(true);
    expect(plan.resources.filter((r) => r.type === "aws:ec2/vpc:Vpc").every((r) => /^vpc-/.test(String(r.id)))).toBe(true);
  });

  it("leaves computed outputs unknown in the inputs that use them, and keeps the program's own inputs", () => {
    const flowLog = (p: LayerPlan) => p.resources.find((r) => r.type === "aws:ec2/flowLog:FlowLog")!.inputs;
    expect(flowLog(plan).vpcId).toMatch(/^vpc-/);
    expect(flowLog(preview).vpcId).toEqual({ __pulumiUnknown: true });
    expect(flowLog(preview).trafficType).toBe("ALL");
  });

  it("exports upstream-facing outputs unknown where they come from resources being created", () => {
    expect(plan.outputs.vpc_id).toMatch(/^vpc-/);
    expect(preview.outputs.vpc_id).toEqual({ __pulumiUnknown: true });
    expect(preview.outputs.S3_EVIDENCE_BUCKET).toBe("fraud-platform-dev-full-evidence");
  });
});

const ofType = (type: string): RecordedResource[] => plan.resources.filter((r) => r.type === type);
const one = (type: string, pred: (r: RecordedResource) => boolean = () => true): RecordedResource => {
  const found = ofType(type).filter(pred);
  expect(found).toHaveLength(1);
  return found[0];
};

describe("core stack", () => {
  it("builds a 2-AZ VPC with public and private subnets tagged for EKS load balancers", () => {
    expect(one("aws:ec2/vpc:Vpc").inputs).toMatchObject({ cidrBlock: "10.70.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });
    const subnets = ofType("aws:ec2/subnet:Subnet").map((s) => s.inputs);
    expect(subnets.map((s) => [s.cidrBlock, s.availabilityZone, s.mapPublicIpOnLaunch])).toEqual([
      ["10.70.0.0/20", "eu-west-2a", false],
      ["10.70.16.0/20", "eu-west-2b", false],
      ["10.70.128.0/20", "eu-west-2a", false],
      ["10.70.144.0/20", "eu-west-2b", false],
    ]);
    expect(subnets.filter((s) => (s.tags as Record<string, string>)["kubernetes.io/role/elb"] === "1")).toHaveLength(2);
    expect(subnets.filter((s) => (s.tags as Record<string, string>)["kubernetes.io/role/internal-elb"] === "1")).toHaveLength(2);
    expect(ofType("aws:ec2/routeTableAssociation:RouteTableAssociation")).toHaveLength(4);
    expect(one("aws:ec2/internetGateway:InternetGateway")).toBeDefined();
  });

  it("routes only the public tier to the internet and locks the default security group", () => {
    const tables = ofType("aws:ec2/routeTable:RouteTable").map((t) => t.inputs);
    expect(tables.map((t) => (t.routes as unknown[] | undefined)?.length ?? 0).sort()).toEqual([0, 1]);
    expect(one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").inputs).toMatchObject({ ingress: [], egress: [] });
  });

  it("opens the MSK security group on 9098 from the private subnets only (never the public tier)", () => {
    expect(one("aws:ec2/securityGroup:SecurityGroup").inputs.name).toBe("fraud-platform-dev-full-msk-client-sg");
    const ingress = ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs);
    expect(ingress).toEqual(PRIVATE_SUBNETS.map((cidr) => expect.objectContaining({ fromPort: 9098, toPort: 9098, ipProtocol: "tcp", cidrIpv4: cidr })));
    const egress = ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => r.inputs.cidrIpv4);
    expect(egress).toEqual(PRIVATE_SUBNETS);
  });

  const platformKey = (): RecordedResource => one("aws:kms/key:Key", (k) => k.inputs.keyUsage === "ENCRYPT_DECRYPT");

  it("creates a rotating platform key that is protected and retained", () => {
    const key = platformKey();
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30, customerMasterKeySpec: "SYMMETRIC_DEFAULT" });
    expect([key.protect, key.retainOnDelete]).toEqual([true, true]);
    expect(one("aws:kms/alias:Alias", (a) => a.inputs.name === "alias/fraud-platform-dev-full").dependencies).toContain(key.urn);
  });

  it("creates the evidence signing key (ECC_NIST_P256, SIGN_VERIFY), protected and retained, and exports its public key", () => {
    const key = one("aws:kms/key:Key", (k) => k.inputs.keyUsage === "SIGN_VERIFY");
    expect(key.inputs).toMatchObject({ customerMasterKeySpec: "ECC_NIST_P256", enableKeyRotation: false, deletionWindowInDays: 30 });
    expect([key.protect, key.retainOnDelete]).toEqual([true, true]);
    const alias = one("aws:kms/alias:Alias", (a) => a.inputs.name === "alias/fraud-platform-dev-full-evidence-signing");
    expect([alias.protect, alias.retainOnDelete]).toEqual([true, true]);
    expect(alias.dependencies).toContain(key.urn);
    expect(plan.outputs.KMS_KEY_ALIAS_EVIDENCE_SIGNING).toBe("alias/fraud-platform-dev-full-evidence-signing");
    expect(plan.outputs.evidence_signing_key_arn).toMatch(/^arn:aws:kms:eu-west-2:\d{12}:key\//);
    expect(String(plan.outputs.evidence_signing_public_key_pem)).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
  });

  it("locks the evidence bucket (Object Lock, governance, for the evidence retention) and no other bucket", () => {
    const buckets = ofType("aws:s3/bucket:Bucket");
    expect(buckets.map((b) => [b.inputs.bucket, b.inputs.objectLockEnabled])).toEqual([
      ["fraud-platform-dev-full-object-store", false],
      ["fraud-platform-dev-full-evidence", true],
      ["fraud-platform-dev-full-artifacts", false],
    ]);
    const evidenceParent = buckets.find((b) => b.inputs.bucket === "fraud-platform-dev-full-evidence")?.parent;
    const lock = one("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration");
    expect(lock.parent).toBe(evidenceParent);
    expect(lock.inputs).toMatchObject({
      objectLockEnabled: "Enabled",
      rule: { defaultRetention: { mode: "GOVERNANCE", days: registry.number("RETENTION_EVIDENCE_DAYS") } },
    });
    expect([lock.protect, lock.retainOnDelete]).toEqual([true, true]);
  });

  it("gives each of the three buckets the full posture and makes them depend on the key", () => {
    const key = platformKey();
    const buckets = ofType("aws:s3/bucket:Bucket");
    expect(buckets.map((b) => b.inputs.bucket)).toEqual([
      "fraud-platform-dev-full-object-store",
      "fraud-platform-dev-full-evidence",
      "fraud-platform-dev-full-artifacts",
    ]);
    for (const b of buckets) {
      expect(b.inputs.forceDestroy).toBe(false);
      expect(b.dependencies).toContain(key.urn);
      const children = plan.resources.filter((r) => r.parent === b.parent);
      const byType = (t: string) => children.find((c) => c.type === t)?.inputs;
      expect(byType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")).toMatchObject({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      expect(byType("aws:s3/bucketVersioning:BucketVersioning")).toMatchObject({ versioningConfiguration: { status: "Enabled" } });
      expect(byType("aws:s3/bucketOwnershipControls:BucketOwnershipControls")).toMatchObject({ rule: { objectOwnership: "BucketOwnerEnforced" } });
      expect(byType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")).toMatchObject({
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: expect.stringMatching(/^arn:aws:kms:eu-west-2:\d{12}:key\//) },
            bucketKeyEnabled: true,
          },
        ],
      });
      expect(JSON.parse(String(byType("aws:s3/bucketPolicy:BucketPolicy")?.policy)).Statement[0]).toMatchObject({
        Effect: "Deny",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
    }
  });

  it("protects and retains the three buckets and their posture, so teardown never meets a non-empty bucket", () => {
    const protectedBuckets = ofType("aws:s3/bucket:Bucket")
      .filter((b) => b.protect && b.retainOnDelete)
      .map((b) => b.inputs.bucket);
    expect(protectedBuckets).toEqual(["fraud-platform-dev-full-object-store", "fraud-platform-dev-full-evidence", "fraud-platform-dev-full-artifacts"]);
    const evidenceParent = ofType("aws:s3/bucket:Bucket").find((b) => b.inputs.bucket === "fraud-platform-dev-full-evidence")?.parent;
    for (const child of plan.resources.filter((r) => r.parent === evidenceParent))
      expect([child.type, child.protect, child.retainOnDelete]).toEqual([child.type, true, true]);
  });

  it("applies the lifecycle rules of design-pins §5", () => {
    const rules = (bucket: string) => {
      const parent = ofType("aws:s3/bucket:Bucket").find((b) => b.inputs.bucket === bucket)?.parent;
      return plan.resources.find((r) => r.parent === parent && r.type === "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")?.inputs
        .rules as Array<Record<string, unknown>>;
    };
    expect(rules("fraud-platform-dev-full-evidence")[0]).toMatchObject({
      id: "evidence-retention",
      filter: { prefix: "evidence/" },
      transitions: [
        { days: 30, storageClass: "STANDARD_IA" },
        { days: 180, storageClass: "GLACIER_IR" },
      ],
      expiration: { days: 365 },
    });
    const store = rules("fraud-platform-dev-full-object-store");
    expect(store.map((r) => r.id)).toEqual(["archive-retention", "quarantine-retention", "oracle-store-retention", "abort-incomplete-multipart-uploads"]);
    expect(store[0]).toMatchObject({ transitions: [{ days: 30 }, { days: 60 }], expiration: { days: 90 } });
    expect(store[1]).toMatchObject({ expiration: { days: 45 } });
    expect(store[1].transitions).toBeUndefined();
    expect(store[2]).toMatchObject({ filter: { and: { prefix: "oracle-store/", tags: { fp_oracle_lifecycle: "retired" } } }, expiration: { days: 365 } });
    expect(rules("fraud-platform-dev-full-artifacts")[0]).toMatchObject({
      id: "lambda-ig-handler-artifacts-retention",
      filter: { prefix: "artifacts/lambda/ig_handler/" },
      expiration: { days: 14 },
      noncurrentVersionExpiration: { noncurrentDays: 7 },
    });
  });

  it("meets the security baseline: explicit key policies, VPC flow log to an encrypted group, image lifecycle policy", () => {
    const keys = ofType("aws:kms/key:Key").map(
      (k) =>
        JSON.parse(String(k.inputs.policy)) as {
          Statement: Array<{ Sid: string; Principal: Record<string, string>; Condition?: Record<string, Record<string, unknown>> }>;
        },
    );
    expect(keys.map((k) => k.Statement.map((s) => s.Sid))).toEqual(
      expect.arrayContaining([["AccountAdministration"], ["AccountAdministration", "CloudWatchLogsForPlatformLogGroups"]]),
    );
    const logs = keys.flatMap((k) => k.Statement).find((s) => s.Sid === "CloudWatchLogsForPlatformLogGroups");
    expect(logs?.Principal).toEqual({ Service: "logs.eu-west-2.amazonaws.com" });
    expect(logs?.Condition?.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toEqual([
      expect.stringMatching(/^arn:aws:logs:eu-west-2:\d{12}:log-group:\/fraud-platform\/dev_full\/\*$/),
      expect.stringMatching(/:log-group:\/aws\/eks\/fraud-platform-dev-full\/cluster$/),
      expect.stringMatching(/:log-group:\/aws\/rds\/cluster\/fraud-platform-dev-full-aurora\/postgresql$/),
    ]);
    const group = one("aws:cloudwatch/logGroup:LogGroup");
    expect(group.inputs).toMatchObject({
      name: registry.string("VPC_FLOW_LOG_GROUP_NAME"),
      retentionInDays: registry.number("LOG_RETENTION_DAYS"),
      kmsKeyId: expect.stringMatching(/^arn:aws:kms:/),
    });
    const flowLog = one("aws:ec2/flowLog:FlowLog");
    expect(flowLog.inputs).toMatchObject({ trafficType: "ALL", logDestinationType: "cloud-watch-logs", vpcId: expect.stringMatching(/^vpc-/) });
    const trust = JSON.parse(String(one("aws:iam/role:Role", (r) => r.inputs.name === registry.string("VPC_FLOW_LOG_ROLE_NAME")).inputs.assumeRolePolicy));
    expect(trust.Statement[0].Condition).toEqual({ StringEquals: { "aws:SourceAccount": expect.stringMatching(/^\d{12}$/) } });
    const lifecycle = JSON.parse(String(one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy));
    expect(lifecycle.rules).toEqual([
      expect.objectContaining({ selection: expect.objectContaining({ tagStatus: "untagged", countNumber: 7 }), action: { type: "expire" } }),
    ]);
  });

  it("creates the immutable, retained image repository and the EKS base roles", () => {
    const repo = one("aws:ecr/repository:Repository");
    expect(repo.inputs).toMatchObject({ name: "fraud-platform-dev-full", imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true } });
    expect([repo.protect, repo.retainOnDelete]).toEqual([true, true]);
    const roles = ofType("aws:iam/role:Role").map((r) => [r.inputs.name, JSON.parse(String(r.inputs.assumeRolePolicy)).Statement[0].Principal.Service]);
    expect(roles).toEqual([
      ["fraud-platform-dev-full-eks-nodegroup", "ec2.amazonaws.com"],
      ["fraud-platform-dev-full-runtime-platform-base", "eks.amazonaws.com"],
      ["fraud-platform-dev-full-vpc-flow-logs", "vpc-flow-logs.amazonaws.com"],
    ]);
    expect(ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => String(a.inputs.policyArn).split("/").pop())).toEqual([
      "AmazonEKSWorkerNodePolicy",
      "AmazonEC2ContainerRegistryReadOnly",
      "AmazonEKS_CNI_Policy",
      "AmazonEKSClusterPolicy",
    ]);
  });

  it("tags every taggable resource with the mandatory tags", () => {
    const tagged = plan.resources.filter((r) => r.inputs.tags !== undefined);
    expect(tagged.length).toBeGreaterThan(15);
    for (const r of tagged) expect(r.inputs.tags).toMatchObject({ project: "fraud-platform", env: "dev_full", owner: "esosa", fp_stack: "core" });
  });

  it("exports every core handle under its registry name, plus the reference outputs", () => {
    for (const h of registry.exportedBy("core")) expect(plan.outputs).toHaveProperty(h.name);
    expect(plan.outputs.S3_EVIDENCE_BUCKET).toBe("fraud-platform-dev-full-evidence");
    expect(plan.outputs.ROLE_EKS_NODEGROUP_DEV_FULL).toMatch(/^arn:aws:iam::\d{12}:role\/fraud-platform-dev-full-eks-nodegroup$/);
    expect(plan.outputs.MSK_CLIENT_SUBNET_IDS).toEqual(plan.outputs.private_subnet_ids);
    expect(plan.outputs.ECR_REPO_URI).toMatch(/^\d{12}\.dkr\.ecr\.eu-west-2\.amazonaws\.com\/fraud-platform-dev-full$/);
    for (const key of [
      "vpc_id",
      "public_subnet_ids",
      "private_subnet_ids",
      "msk_client_subnet_ids",
      "msk_security_group_id",
      "kms_key_arn",
      "kms_key_alias",
      "s3_bucket_names",
      "role_eks_nodegroup_dev_full_arn",
      "role_eks_runtime_platform_base_arn",
      "core_handle_materialization",
    ]) {
      expect(plan.outputs).toHaveProperty(key);
    }
    expect(plan.secretOutputNames).toEqual([]);
  });
});
