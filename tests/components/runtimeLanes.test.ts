/**
 * Components of the runtime lanes: their pure option builders without mocks, and their registrations under the
 * project's mock cloud (in this process; one Pulumi runtime per test file).
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EksExceptionClusterArgs, clusterOptions } from "../../components/eksExceptionCluster";
import { FargateWorkload } from "../../components/fargateWorkload";
import { IrsaServiceAccount } from "../../components/irsaServiceAccount";
import { LaneNamespace, laneNamespaceManifests } from "../../components/laneNamespace";
import { OrchestratedStateMachine } from "../../components/orchestratedStateMachine";
import { MockCloud } from "../../src/plan/mockCloud";
import { PropertyMap } from "../../src/plan/previewDocument";

const TAGS = { project: "fraud-platform", env: "dev_full", owner: "esosa", fp_stack: "runtime" };
const ADMISSION = { reason: "r", capabilityGap: "g", sloGain: "s", costFit: "c", rollbackPath: "p", reviewedOn: "2026-11-25", reviewBy: "2026-12-20" };

const recorded: Array<{ type: string; name: string; inputs: PropertyMap }> = [];
const cloud = new MockCloud({ region: "eu-west-2", upstream: {}, upstreamSecrets: {} });
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      recorded.push({ type: args.type, name: args.name, inputs: args.inputs as PropertyMap });
      return cloud.newResource(args);
    },
    call: (args) => cloud.call(args),
  },
  "fraud-platform",
  "dev-full-runtime",
  true,
);

/** Stand-in for the cluster role resource (the pure builder passes it through). */
const ROLE = "cluster-role" as unknown as aws.iam.Role;
const settle = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));
const ofType = (type: string) => recorded.filter((r) => r.type === type);

const clusterArgs = (over: Partial<EksExceptionClusterArgs> = {}): EksExceptionClusterArgs => ({
  clusterName: "fraud-platform-dev-full",
  kubernetesVersion: "1.35",
  vpcId: "vpc-1",
  privateSubnetIds: ["subnet-a", "subnet-b"],
  publicAccessCidrs: [],
  workloadSecurityGroupId: "sg-workloads",
  kmsKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/k",
  clusterRoleArn: "arn:aws:iam::123456789012:role/fraud-platform-dev-full-runtime-platform-base",
  nodeRoleArn: "arn:aws:iam::123456789012:role/fraud-platform-dev-full-eks-nodegroup",
  accountId: "123456789012",
  region: "eu-west-2",
  accessEntries: [{ name: "ci", principal: "role/GitHubAction-AssumeRoleWithAction", accessPolicy: "AmazonEKSClusterAdminPolicy" }],
  enabledLogTypes: ["api", "audit"],
  controlPlaneLogGroup: { name: "/aws/eks/fraud-platform-dev-full/cluster", retentionInDays: 14 },
  nodeGroup: {
    name: "fraud-platform-dev-full-lane-workers",
    instanceTypes: ["t3.medium"],
    desiredSize: 0,
    maxSize: 2,
    diskSizeGib: 20,
    capacityType: "ON_DEMAND",
    amiType: "AL2023_x86_64_STANDARD",
  },
  admission: ADMISSION,
  tags: TAGS,
  ...over,
});

describe("EKS cluster options (pure)", () => {
  it("keep the endpoint private, the default node group and security groups off, and the admission record on the tags", () => {
    const o = clusterOptions(clusterArgs(), ROLE);
    expect(o).toMatchObject({
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
      skipDefaultNodeGroup: true,
      skipDefaultSecurityGroups: true,
      authenticationMode: "API",
      createOidcProvider: true,
      serviceRole: ROLE,
    });
    expect(o.publicAccessCidrs).toBeUndefined();
    expect(o.tags).toMatchObject({ ...TAGS, fp_eks_admission_review_by: "2026-12-20" });
  });
  it("open the public endpoint only to listed CIDRs, and never to /0", () => {
    expect(clusterOptions(clusterArgs({ publicAccessCidrs: ["203.0.113.0/24"] }), ROLE)).toMatchObject({
      endpointPublicAccess: true,
      publicAccessCidrs: ["203.0.113.0/24"],
    });
    expect(() => clusterOptions(clusterArgs({ publicAccessCidrs: ["0.0.0.0/0"] }), ROLE)).toThrow(/never hold a \/0 range \(DA-19\)/);
  });
  it("scope extra access entries to their namespaces", () => {
    const o = clusterOptions(
      clusterArgs({
        extraAccessEntries: {
          emr: {
            principalArn: "arn:aws:iam::1:role/x",
            policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEMRJobPolicy",
            namespaces: ["fraud-platform-rtdl"],
          },
        },
      }),
      ROLE,
    );
    expect(o.accessEntries?.emr).toMatchObject({ accessPolicies: { emr: { accessScope: { type: "namespace", namespaces: ["fraud-platform-rtdl"] } } } });
  });
});

describe("lane namespace manifests (pure)", () => {
  it("deny all traffic, allow DNS egress only, and enforce the restricted pod security level", () => {
    const m = laneNamespaceManifests({ namespace: "fraud-platform-rtdl", lane: "rtdl" });
    expect(m.namespace.metadata).toMatchObject({
      name: "fraud-platform-rtdl",
      labels: { "pod-security.kubernetes.io/enforce": "restricted", "fraud-platform/lane": "rtdl" },
    });
    expect(m.defaultDeny.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    expect(m.allowDns.spec).toMatchObject({
      policyTypes: ["Egress"],
      egress: [
        {
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    });
  });
});

describe("components under mocks", () => {
  it("declare a lane namespace and an IRSA service account through the given provider", async () => {
    const provider = new k8s.Provider("lanes-k8s", { kubeconfig: "{}" });
    const ns = new LaneNamespace("ns-rtdl", { namespace: "fraud-platform-rtdl", lane: "rtdl", provider });
    const sa = new IrsaServiceAccount("irsa-rtdl", {
      roleName: "fraud-platform-dev-full-irsa-rtdl",
      namespace: ns.namespaceName,
      serviceAccount: "rtdl",
      lane: "rtdl",
      oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-2.amazonaws.com/id/ABC",
      oidcIssuer: "oidc.eks.eu-west-2.amazonaws.com/id/ABC",
      accountId: "123456789012",
      statements: [{ sid: "Read", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/x/*"] }],
      provider,
      tags: TAGS,
    });
    expect(await settle(sa.roleArn)).toBe("arn:aws:iam::123456789012:role/fraud-platform-dev-full-irsa-rtdl");
    await settle(sa.serviceAccountName);
    const trust = JSON.parse(String(ofType("aws:iam/role:Role").find((r) => r.name === "irsa-rtdl")?.inputs.assumeRolePolicy)) as {
      Statement: Array<{ Condition: unknown }>;
    };
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: {
        "oidc.eks.eu-west-2.amazonaws.com/id/ABC:sub": "system:serviceaccount:fraud-platform-rtdl:rtdl",
        "oidc.eks.eu-west-2.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
      },
    });
    const account = ofType("kubernetes:core/v1:ServiceAccount")[0].inputs.metadata as { annotations: Record<string, string> };
    expect(account.annotations["eks.amazonaws.com/role-arn"]).toBe("arn:aws:iam::123456789012:role/fraud-platform-dev-full-irsa-rtdl");
    expect(ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => (p.inputs.metadata as { name: string }).name)).toEqual([
      "default-deny-all",
      "allow-dns-egress",
    ]);
  });

  it("declare a state machine with its JSON definition, KMS encryption and a 14-day log group", async () => {
    const definition = { Comment: "c", StartAt: "Done", States: { Done: { Type: "Succeed" as const } } };
    const sm = new OrchestratedStateMachine("probe", {
      stateMachineName: "fraud-platform-dev-full-platform-run-v0",
      definition,
      roleArn: "arn:aws:iam::123456789012:role/r",
      logGroupName: "/fraud-platform/dev_full/sfn/fraud-platform-dev-full-platform-run-v0",
      retentionInDays: 14,
      logLevel: "ERROR",
      includeExecutionData: false,
      kmsKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/k",
      arnScope: { region: "eu-west-2", accountId: "123456789012" },
      tags: TAGS,
    });
    expect(await settle(sm.stateMachineArn)).toBe("arn:aws:states:eu-west-2:123456789012:stateMachine:fraud-platform-dev-full-platform-run-v0");
    const machine = ofType("aws:sfn/stateMachine:StateMachine")[0].inputs;
    expect(JSON.parse(String(machine.definition))).toEqual(definition);
    expect(machine).toMatchObject({
      type: "STANDARD",
      encryptionConfiguration: { type: "CUSTOMER_MANAGED_KMS_KEY" },
      loggingConfiguration: { level: "ERROR" },
    });
    expect(ofType("aws:cloudwatch/logGroup:LogGroup").find((g) => g.name === "probe")?.inputs.retentionInDays).toBe(14);
  });

  it("declare a Fargate workload: own roles, immutable image, run id, SSM secrets, private service at desired 0", async () => {
    const w = new FargateWorkload("df", {
      family: "fraud-platform-dev-full-df",
      taskRoleName: "fraud-platform-dev-full-df-task",
      executionRoleName: "fraud-platform-dev-full-df-task-execution",
      image: "123456789012.dkr.ecr.eu-west-2.amazonaws.com/fraud-platform-dev-full:git-0123abc-run-42",
      command: ["python", "-m", "fraud_detection.decision_fabric.worker"],
      environment: { REQUIRED_PLATFORM_RUN_ID: "run-1", RUNTIME_LANE: "decision_lane" },
      secrets: { KAFKA_BOOTSTRAP_BROKERS: "/fraud-platform/dev_full/msk/bootstrap_brokers" },
      runIdEnvKey: "REQUIRED_PLATFORM_RUN_ID",
      statements: [],
      region: "eu-west-2",
      accountId: "123456789012",
      kmsKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/k",
      logGroupName: "/fraud-platform/dev_full/ecs/fraud-platform-dev-full-df",
      retentionInDays: 14,
      cpu: 512,
      memory: 1024,
      service: { clusterArn: "arn:aws:ecs:eu-west-2:123456789012:cluster/c", desiredCount: 0, subnetIds: ["subnet-a"], securityGroupIds: ["sg-1"] },
      tags: TAGS,
    });
    await settle(w.taskDefinitionArn);
    await settle(w.serviceName as pulumi.Output<string>);
    expect(ofType("aws:iam/role:Role").map((r) => r.inputs.name)).toEqual(
      expect.arrayContaining(["fraud-platform-dev-full-df-task", "fraud-platform-dev-full-df-task-execution"]),
    );
    const td = ofType("aws:ecs/taskDefinition:TaskDefinition")[0].inputs;
    expect(td).toMatchObject({ requiresCompatibilities: ["FARGATE"], networkMode: "awsvpc", cpu: "512", memory: "1024" });
    const [container] = JSON.parse(String(td.containerDefinitions)) as Array<Record<string, unknown>>;
    expect(container).toMatchObject({
      readonlyRootFilesystem: true,
      secrets: [{ name: "KAFKA_BOOTSTRAP_BROKERS", valueFrom: "arn:aws:ssm:eu-west-2:123456789012:parameter/fraud-platform/dev_full/msk/bootstrap_brokers" }],
      environment: [
        { name: "REQUIRED_PLATFORM_RUN_ID", value: "run-1" },
        { name: "RUNTIME_LANE", value: "decision_lane" },
      ],
    });
    expect(ofType("aws:ecs/service:Service")[0].inputs).toMatchObject({
      launchType: "FARGATE",
      desiredCount: 0,
      networkConfiguration: { assignPublicIp: false },
    });
  });
});
