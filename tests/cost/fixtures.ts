/**
 * Fixtures of the cost tests: preview documents built resource by resource, a fixed usage profile (so the
 * hand-computed figures do not move when Pulumi.dev-full.yaml is tuned), and two runtime layers the plan
 * cannot produce yet: the reference implementation's runtime (its Terraform defaults, stacks/runtime.md) and
 * the lean design this project targets.
 */
import { CostSettings } from "../../src/config/costSettings";
import { ModelDeps } from "../../src/cost/model";
import { loadPriceTable } from "../../src/cost/prices";
import { CostProfile, budgetPins } from "../../src/cost/profile";
import { PreviewDocument, PropertyMap, ResourceState } from "../../src/plan/previewDocument";
import { loadRegistry } from "../../src/registry/registry";

export const TAGS = { project: "fraud-platform", env: "dev_full", owner: "esosa" };

export function urn(stack: string, type: string, name: string, parentType?: string): string {
  return `urn:pulumi:${stack}::fraud-platform::${parentType ? `${parentType}$` : ""}${type}::${name}`;
}

export function res(stack: string, type: string, name: string, inputs: PropertyMap = {}, extra: Partial<ResourceState> = {}): ResourceState {
  return { urn: urn(stack, type, name), type, custom: true, protect: false, retainOnDelete: false, dependencies: [], inputs, ...extra };
}

export function stackDoc(stack: string, ...states: ResourceState[]): PreviewDocument {
  return { stack, steps: states.map((s) => ({ op: "create", urn: s.urn, newState: s })), changeSummary: { create: states.length } };
}

/** A usage profile fixed for the tests (envelopes add up to the registry's 300 USD). */
export const TEST_SETTINGS: CostSettings = {
  envelopesUsd: { core: 20, streaming: 80, runtime: 150, data_ml: 25, ops: 25 },
  proofWindowHours: { network: 100, streaming: 50, runtime: 40, batch: 10, ml: 10, orchestration: 20 },
  usagePerProofHour: {
    apiRequests: 100000,
    lambdaInvocations: 100000,
    lambdaAvgDurationMs: 250,
    stateTransitions: 1000,
    sqsRequests: 0,
    dynamodbWriteRequests: 1000,
    dynamodbReadRequests: 1000,
    kafkaGbIn: 1,
    kafkaGbOut: 2,
    natGbProcessed: 0.5,
    endpointGbProcessed: 0.1,
    logsGbIngested: 0.05,
    s3PutRequests: 1000,
    s3GetRequests: 10000,
    kmsRequests: 10000,
    albLcus: 1,
    emrVcpuHours: 4,
    emrGbHours: 16,
    databricksDbus: 2,
    elasticacheEcpuMillions: 1,
  },
  storageGb: {
    s3PerBucket: 10,
    ecrPerRepository: 2,
    kafkaPerCluster: 10,
    auroraPerCluster: 10,
    rdsPerInstance: 20,
    dynamodbPerTable: 1,
    logsPerGroup: 1,
    elasticacheServerlessPerCache: 1,
  },
  capacity: { auroraAcuUtilisation: 0.1, ecsTasksPerServiceInWindow: 1, nodesPerNodeGroupInWindow: 2 },
  phaseEnvelope: { safetyMarginPercent: 20 },
  phaseWindowHours: { P0: 4, P5: 2, P13: 4 },
};

/** Deps with the test profile; `availabilityZoneCount: null` leaves the environment's AZ count unknown. */
export function testDeps(settings: Partial<CostSettings> = {}, availabilityZoneCount: number | null = 2): ModelDeps {
  const registry = loadRegistry();
  const profile: CostProfile = {
    env: "dev-full",
    source: "tests/cost/fixtures.ts",
    settings: { ...TEST_SETTINGS, ...settings },
    budget: budgetPins(registry),
    ...(availabilityZoneCount !== null ? { availabilityZoneCount } : {}),
  };
  return { profile, prices: loadPriceTable(), registry };
}

const RT = "dev-full-runtime";
const PRIVATE_SUBNETS = ["subnet-private-a", "subnet-private-b"];

function interfaceEndpoints(stack: string, services: string[]): ResourceState[] {
  return services.map((s) =>
    res(stack, "aws:ec2/vpcEndpoint:VpcEndpoint", `endpoint-${s}`, {
      serviceName: `com.amazonaws.eu-west-2.${s}`,
      vpcEndpointType: "Interface",
      subnetIds: PRIVATE_SUBNETS,
      tags: TAGS,
    }),
  );
}

function aurora(stack: string, min: number, max: number, instances: string[]): ResourceState[] {
  const cluster = res(stack, "aws:rds/cluster:Cluster", "aurora", {
    clusterIdentifier: "fraud-platform-dev-full-aurora",
    engine: "aurora-postgresql",
    engineMode: "provisioned",
    serverlessv2ScalingConfiguration: { minCapacity: min, maxCapacity: max },
    tags: TAGS,
  });
  return [
    cluster,
    ...instances.map((role) =>
      res(
        stack,
        "aws:rds/clusterInstance:ClusterInstance",
        `aurora-${role}`,
        { clusterIdentifier: "fraud-platform-dev-full-aurora", instanceClass: "db.serverless", engine: "aurora-postgresql" },
        { dependencies: [cluster.urn] },
      ),
    ),
  ];
}

function ingressEdge(stack: string): ResourceState[] {
  return [
    res(stack, "aws:apigatewayv2/api:Api", "ig-edge", { name: "fraud-platform-dev-full-ig-edge", protocolType: "HTTP" }),
    res(stack, "aws:lambda/function:Function", "ig-handler", {
      name: "fraud-platform-dev-full-ig-handler",
      memorySize: 2048,
      timeout: 30,
      reservedConcurrentExecutions: 600,
    }),
    res(stack, "aws:dynamodb/table:Table", "ig-idempotency", {
      name: "fraud-platform-dev-full-ig-idempotency",
      billingMode: "PAY_PER_REQUEST",
      hashKey: "dedupe_key",
    }),
    res(stack, "aws:sqs/queue:Queue", "ig-dlq", { name: "fraud-platform-dev-full-ig-dlq" }),
    res(stack, "aws:cloudwatch/logGroup:LogGroup", "ig-access-logs", { name: "/fraud-platform/dev_full/ig/access", retentionInDays: 14 }),
  ];
}

/** The reference implementation's runtime at its Terraform defaults (stacks/runtime.md §2, §6.2), with the IG service on. */
export function referenceRuntime(): PreviewDocument {
  const cluster = res(RT, "aws:eks/cluster:Cluster", "eks", {
    name: "fraud-platform-dev-full",
    vpcConfig: { subnetIds: PRIVATE_SUBNETS, endpointPublicAccess: true },
  });
  const nodes = res(
    RT,
    "aws:eks/nodeGroup:NodeGroup",
    "m6f-workers",
    {
      clusterName: "fraud-platform-dev-full",
      instanceTypes: ["m6i.xlarge"],
      amiType: "BOTTLEROCKET_x86_64",
      capacityType: "ON_DEMAND",
      diskSize: 80,
      scalingConfig: { desiredSize: 4, minSize: 2, maxSize: 8 },
    },
    { dependencies: [cluster.urn] },
  );
  const taskDef = res(RT, "aws:ecs/taskDefinition:TaskDefinition", "ig-service", {
    family: "fraud-platform-dev-full-ig-service",
    cpu: "4096",
    memory: "8192",
    requiresCompatibilities: ["FARGATE"],
  });
  const service = res(
    RT,
    "aws:ecs/service:Service",
    "ig-service",
    { name: "fraud-platform-dev-full-ig-service", launchType: "FARGATE", desiredCount: 32 },
    { dependencies: [taskDef.urn] },
  );
  return stackDoc(
    RT,
    cluster,
    nodes,
    ...interfaceEndpoints(RT, ["ec2", "ecr.api", "ecr.dkr", "execute-api", "logs", "sqs", "ssm", "sts"]),
    res(RT, "aws:ec2/vpcEndpoint:VpcEndpoint", "endpoint-s3", { serviceName: "com.amazonaws.eu-west-2.s3", vpcEndpointType: "Gateway" }),
    res(RT, "aws:ec2/vpcEndpoint:VpcEndpoint", "endpoint-dynamodb", { serviceName: "com.amazonaws.eu-west-2.dynamodb", vpcEndpointType: "Gateway" }),
    ...aurora(RT, 0.5, 4, ["writer"]),
    ...ingressEdge(RT),
    res(RT, "aws:sfn/stateMachine:StateMachine", "platform-run", { name: "fraud-platform-dev-full-platform-run-v0", type: "STANDARD" }),
    res(RT, "aws:ecs/cluster:Cluster", "ingress", { name: "fraud-platform-dev-full-ingress" }),
    taskDef,
    service,
    res(RT, "aws:lb/loadBalancer:LoadBalancer", "ig-alb", { internal: true, loadBalancerType: "application", subnets: PRIVATE_SUBNETS }),
    res(RT, "aws:iam/role:Role", "lambda-ig-execution", { name: "fraud-platform-dev-full-lambda-ig-execution" }),
  );
}

/** The lean runtime this project targets: ECS at desired 0, Aurora 0.5-8 ACU writer + reader, 5 endpoints, no EKS. */
export function leanRuntime(): PreviewDocument {
  const services = ["df", "al", "dla", "case-trigger", "cm", "ls", "archive"].flatMap((s) => {
    const td = res(RT, "aws:ecs/taskDefinition:TaskDefinition", s, {
      family: `fraud-platform-dev-full-${s}`,
      cpu: "256",
      memory: "512",
      requiresCompatibilities: ["FARGATE"],
    });
    return [
      td,
      res(RT, "aws:ecs/service:Service", s, { name: `fraud-platform-dev-full-${s}`, launchType: "FARGATE", desiredCount: 0 }, { dependencies: [td.urn] }),
    ];
  });
  return stackDoc(
    RT,
    ...interfaceEndpoints(RT, ["ecr.api", "ecr.dkr", "logs", "sts", "ssm"]),
    res(RT, "aws:ec2/vpcEndpoint:VpcEndpoint", "endpoint-s3", { serviceName: "com.amazonaws.eu-west-2.s3", vpcEndpointType: "Gateway" }),
    ...aurora(RT, 0.5, 8, ["writer", "reader"]),
    res(RT, "aws:elasticache/replicationGroup:ReplicationGroup", "redis", {
      replicationGroupId: "fraud-platform-dev-full-redis",
      engine: "redis",
      nodeType: "cache.t4g.micro",
      numCacheClusters: 1,
    }),
    ...ingressEdge(RT),
    ...["platform-run", "learning-gate", "final-verdict"].map((s) =>
      res(RT, "aws:sfn/stateMachine:StateMachine", s, { name: `fraud-platform-dev-full-${s}-v0`, type: "STANDARD" }),
    ),
    res(RT, "aws:kinesisanalyticsv2/application:Application", "rtdl", {
      name: "fraud-platform-dev-full-rtdl-ieg-ofp-v0",
      runtimeEnvironment: "FLINK-1_20",
      applicationConfiguration: {
        flinkApplicationConfiguration: { parallelismConfiguration: { configurationType: "CUSTOM", parallelism: 2, parallelismPerKpu: 1 } },
      },
    }),
    res(RT, "aws:emrserverless/application:Application", "oracle-sort", {
      name: "fraud-platform-dev-full-oracle-stream-sort-v0",
      releaseLabel: "emr-6.15.0",
      type: "spark",
    }),
    res(RT, "aws:ecs/cluster:Cluster", "wsp", { name: "fraud-platform-dev-full-wsp-ephemeral" }),
    ...services,
  );
}
