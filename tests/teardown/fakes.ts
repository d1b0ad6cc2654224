/**
 * Fakes of the teardown tests: AWS SDK clients under aws-sdk-client-mock (an unmocked call rejects, so a test
 * cannot pass by accident) for a clean and a dirty account, and a fake `pulumi` executable that answers the
 * Automation API's destroy calls, records them and fails the stacks it is told to.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { DescribeInstancesCommand, DescribeNatGatewaysCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  ListClustersCommand as EcsListClustersCommand,
  ListServicesCommand,
} from "@aws-sdk/client-ecs";
import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListClustersCommand as EksListClustersCommand,
  ListNodegroupsCommand,
} from "@aws-sdk/client-eks";
import { DescribeLoadBalancersCommand, DescribeTagsCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeReplicationGroupsCommand, DescribeServerlessCachesCommand, ElastiCacheClient, ListTagsForResourceCommand } from "@aws-sdk/client-elasticache";
import { KafkaClient, ListClustersV2Command } from "@aws-sdk/client-kafka";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { DescribeDBClustersCommand, RDSClient } from "@aws-sdk/client-rds";
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { GetBucketEncryptionCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { ListEndpointsCommand, ListTagsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { ReadabilityClients } from "../../src/teardown/readability";
import { ResidualScanClients } from "../../src/teardown/residualScan";
import { writeShellCli } from "../helpers/shellCli";
export { calls } from "../helpers/shellCli";

export const REGION = "eu-west-2";
export const ACCOUNT = "123456789012";
const credentials = { accessKeyId: "AKIAFAKEFAKEFAKEFAKE", secretAccessKey: "fake-secret-key" };

export const SCOPE = [
  { Key: "project", Value: "fraud-platform" },
  { Key: "env", Value: "dev_full" },
  { Key: "owner", Value: "esosa" },
];
const SCOPE_ECS = SCOPE.map((t) => ({ key: t.Key, value: t.Value }));

export const ARN = {
  evidenceBucket: "arn:aws:s3:::fraud-platform-dev-full-evidence",
  objectStore: "arn:aws:s3:::fraud-platform-dev-full-object-store",
  ecrRepo: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/fraud-platform-dev-full`,
  glueRegistry: `arn:aws:glue:${REGION}:${ACCOUNT}:registry/fraud-platform-dev-full`,
  glueSchema: `arn:aws:glue:${REGION}:${ACCOUNT}:schema/fraud-platform-dev-full/fp-bus-control-v1-envelope`,
  kmsKey: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  logGroup: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/fraud-platform/dev_full/lambda/ig-handler`,
  ssmParameter: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/fraud-platform/dev_full/msk/bootstrap_brokers`,
  eksCluster: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/fraud-platform-dev-full`,
  nodeGroup: `arn:aws:eks:${REGION}:${ACCOUNT}:nodegroup/fraud-platform-dev-full/fraud-platform-dev-full-lane-workers/0ac9b1f2`,
  ecsCluster: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/fraud-platform-dev-full-wsp`,
  ecsServiceRunning: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/fraud-platform-dev-full-wsp/fraud-platform-dev-full-df`,
  ecsServiceIdle: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/fraud-platform-dev-full-wsp/fraud-platform-dev-full-al`,
  msk: `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/fraud-platform-dev-full/5d5e2c9a-1111-2222-3333-444455556666-s1`,
  aurora: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:fraud-platform-dev-full-aurora`,
  redis: `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:fraud-platform-dev-full-redis`,
  endpoint: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/fraud-platform-dev-full-scoring`,
  nat: `arn:aws:ec2:${REGION}:${ACCOUNT}:natgateway/nat-0abc1234def567890`,
  instance: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`,
  loadBalancer: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/fraud-platform-dev-full-ig/50dc6c495c0c9188`,
  securityGroup: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-0aaaabbbbccccdddd`,
  runScopedLambda: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:fraud-platform-dev-full-probe`,
  otherTeamCluster: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/another-team`,
};

export interface ScanMocks {
  clients: ResidualScanClients;
  tagging: AwsClientStub<ResourceGroupsTaggingAPIClient>;
  eks: AwsClientStub<EKSClient>;
  ecs: AwsClientStub<ECSClient>;
  kafka: AwsClientStub<KafkaClient>;
  rds: AwsClientStub<RDSClient>;
  elasticache: AwsClientStub<ElastiCacheClient>;
  sagemaker: AwsClientStub<SageMakerClient>;
  ec2: AwsClientStub<EC2Client>;
  elbv2: AwsClientStub<ElasticLoadBalancingV2Client>;
}

/** Every client mocked; any call no test mocked rejects. Lists answer empty unless a scenario says otherwise. */
function baseScanMocks(): ScanMocks {
  const clients: ResidualScanClients = {
    tagging: new ResourceGroupsTaggingAPIClient({ region: REGION, credentials }),
    eks: new EKSClient({ region: REGION, credentials }),
    kafka: new KafkaClient({ region: REGION, credentials }),
    rds: new RDSClient({ region: REGION, credentials }),
    elasticache: new ElastiCacheClient({ region: REGION, credentials }),
    sagemaker: new SageMakerClient({ region: REGION, credentials }),
    ec2: new EC2Client({ region: REGION, credentials }),
    elbv2: new ElasticLoadBalancingV2Client({ region: REGION, credentials }),
    ecs: new ECSClient({ region: REGION, credentials }),
  };
  const strict = <S extends { onAnyCommand(): { rejects(e: Error): unknown } }>(stub: S, name: string): S => {
    stub.onAnyCommand().rejects(new Error(`unmocked call on ${name}`));
    return stub;
  };
  const m: ScanMocks = {
    clients,
    tagging: strict(mockClient(clients.tagging), "ResourceGroupsTaggingAPIClient"),
    eks: strict(mockClient(clients.eks), "EKSClient"),
    ecs: strict(mockClient(clients.ecs), "ECSClient"),
    kafka: strict(mockClient(clients.kafka), "KafkaClient"),
    rds: strict(mockClient(clients.rds), "RDSClient"),
    elasticache: strict(mockClient(clients.elasticache), "ElastiCacheClient"),
    sagemaker: strict(mockClient(clients.sagemaker), "SageMakerClient"),
    ec2: strict(mockClient(clients.ec2), "EC2Client"),
    elbv2: strict(mockClient(clients.elbv2), "ElasticLoadBalancingV2Client"),
  };
  m.tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [] });
  m.eks.on(EksListClustersCommand).resolves({ clusters: [] });
  m.ecs.on(EcsListClustersCommand).resolves({ clusterArns: [] });
  m.kafka.on(ListClustersV2Command).resolves({ ClusterInfoList: [] });
  m.rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [] });
  m.elasticache.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [] }).on(DescribeServerlessCachesCommand).resolves({ ServerlessCaches: [] });
  m.sagemaker.on(ListEndpointsCommand).resolves({ Endpoints: [] });
  m.ec2.on(DescribeNatGatewaysCommand).resolves({ NatGateways: [] }).on(DescribeInstancesCommand).resolves({ Reservations: [] });
  m.elbv2.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [] });
  return m;
}

const mapping = (arn: string, tags = SCOPE) => ({ ResourceARN: arn, Tags: tags });

/** After a clean teardown: only the retained surfaces carry the tags. */
export function cleanAccount(): ScanMocks {
  const m = baseScanMocks();
  m.tagging.on(GetResourcesCommand).resolves({
    ResourceTagMappingList: [
      ARN.evidenceBucket,
      ARN.objectStore,
      ARN.ecrRepo,
      ARN.glueRegistry,
      ARN.glueSchema,
      ARN.kmsKey,
      ARN.logGroup,
      ARN.ssmParameter,
    ].map((a) => mapping(a)),
  });
  return m;
}

/**
 * Everything left running: an EKS cluster with 2 nodes, two ECS services (one running), MSK, Aurora, Redis, an
 * InService endpoint, a NAT gateway, a running instance, a load balancer, plus leftovers only the inventory sees
 * (a security group, a run-scoped function) on its second page. Every list is paginated.
 */
export function dirtyAccount(): ScanMocks {
  const m = baseScanMocks();
  m.tagging
    .on(GetResourcesCommand)
    .resolves({ ResourceTagMappingList: [ARN.evidenceBucket, ARN.kmsKey, ARN.eksCluster, ARN.msk, ARN.nat].map((a) => mapping(a)), PaginationToken: "page-2" })
    .on(GetResourcesCommand, { PaginationToken: "page-2" })
    .resolves({
      ResourceTagMappingList: [
        mapping(ARN.securityGroup),
        mapping(ARN.runScopedLambda, [...SCOPE, { Key: "fp_run_id", Value: "platform_20260301T100000Z" }]),
        mapping(ARN.logGroup),
        mapping(ARN.ssmParameter),
      ],
    });
  m.eks
    .on(EksListClustersCommand)
    .resolves({ clusters: ["fraud-platform-dev-full"], nextToken: "c2" })
    .on(EksListClustersCommand, { nextToken: "c2" })
    .resolves({ clusters: ["another-team"] })
    .on(DescribeClusterCommand, { name: "fraud-platform-dev-full" })
    .resolves({
      cluster: { name: "fraud-platform-dev-full", arn: ARN.eksCluster, status: "ACTIVE", tags: Object.fromEntries(SCOPE.map((t) => [t.Key, t.Value])) },
    })
    .on(DescribeClusterCommand, { name: "another-team" })
    .resolves({ cluster: { name: "another-team", arn: ARN.otherTeamCluster, status: "ACTIVE", tags: { project: "another-team" } } })
    .on(ListNodegroupsCommand, { clusterName: "fraud-platform-dev-full" })
    .resolves({ nodegroups: ["fraud-platform-dev-full-lane-workers"] })
    .on(DescribeNodegroupCommand)
    .resolves({ nodegroup: { nodegroupArn: ARN.nodeGroup, status: "ACTIVE", scalingConfig: { minSize: 0, desiredSize: 2, maxSize: 2 }, tags: {} } });
  m.ecs
    .on(EcsListClustersCommand)
    .resolves({ clusterArns: [ARN.ecsCluster] })
    .on(DescribeClustersCommand)
    .resolves({ clusters: [{ clusterArn: ARN.ecsCluster, clusterName: "fraud-platform-dev-full-wsp", tags: SCOPE_ECS }] })
    .on(ListServicesCommand)
    .resolves({ serviceArns: [ARN.ecsServiceRunning], nextToken: "s2" })
    .on(ListServicesCommand, { nextToken: "s2" })
    .resolves({ serviceArns: [ARN.ecsServiceIdle] })
    .on(DescribeServicesCommand, { services: [ARN.ecsServiceRunning, ARN.ecsServiceIdle] })
    .resolves({
      services: [
        {
          serviceArn: ARN.ecsServiceRunning,
          serviceName: "fraud-platform-dev-full-df",
          status: "ACTIVE",
          desiredCount: 1,
          runningCount: 1,
          pendingCount: 0,
          tags: SCOPE_ECS,
        },
        {
          serviceArn: ARN.ecsServiceIdle,
          serviceName: "fraud-platform-dev-full-al",
          status: "ACTIVE",
          desiredCount: 0,
          runningCount: 0,
          pendingCount: 0,
          tags: SCOPE_ECS,
        },
      ],
    });
  m.kafka.on(ListClustersV2Command).resolves({
    ClusterInfoList: [
      {
        ClusterArn: ARN.msk,
        ClusterName: "fraud-platform-dev-full",
        ClusterType: "SERVERLESS",
        State: "ACTIVE",
        Tags: Object.fromEntries(SCOPE.map((t) => [t.Key, t.Value])),
      },
      {
        ClusterArn: `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/another-team/x`,
        ClusterName: "another-team",
        ClusterType: "PROVISIONED",
        State: "ACTIVE",
        Tags: { project: "another-team" },
      },
    ],
  });
  m.rds.on(DescribeDBClustersCommand).resolves({
    DBClusters: [
      {
        DBClusterArn: ARN.aurora,
        DBClusterIdentifier: "fraud-platform-dev-full-aurora",
        Status: "available",
        DeletionProtection: true,
        ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 8 },
        TagList: SCOPE,
      },
    ],
  });
  m.elasticache
    .on(DescribeReplicationGroupsCommand)
    .resolves({
      ReplicationGroups: [
        {
          ARN: ARN.redis,
          ReplicationGroupId: "fraud-platform-dev-full-redis",
          Status: "available",
          CacheNodeType: "cache.t4g.micro",
          MemberClusters: ["fraud-platform-dev-full-redis-001"],
        },
      ],
    })
    .on(ListTagsForResourceCommand, { ResourceName: ARN.redis })
    .resolves({ TagList: SCOPE });
  m.sagemaker
    .on(ListEndpointsCommand)
    .resolves({
      Endpoints: [
        {
          EndpointArn: ARN.endpoint,
          EndpointName: "fraud-platform-dev-full-scoring",
          EndpointStatus: "InService",
          CreationTime: new Date(0),
          LastModifiedTime: new Date(0),
        },
      ],
    })
    .on(ListTagsCommand, { ResourceArn: ARN.endpoint })
    .resolves({ Tags: SCOPE });
  m.ec2
    .on(DescribeNatGatewaysCommand)
    .resolves({ NatGateways: [{ NatGatewayId: "nat-0abc1234def567890", State: "available", VpcId: "vpc-0123", Tags: SCOPE }] })
    .on(DescribeInstancesCommand)
    .resolves({
      Reservations: [
        { OwnerId: ACCOUNT, Instances: [{ InstanceId: "i-0123456789abcdef0", InstanceType: "t3.medium", State: { Name: "running" }, Tags: SCOPE }] },
      ],
    });
  m.elbv2
    .on(DescribeLoadBalancersCommand)
    .resolves({
      LoadBalancers: [{ LoadBalancerArn: ARN.loadBalancer, LoadBalancerName: "fraud-platform-dev-full-ig", Type: "application", State: { Code: "active" } }],
    })
    .on(DescribeTagsCommand)
    .resolves({ TagDescriptions: [{ ResourceArn: ARN.loadBalancer, Tags: SCOPE }] });
  return m;
}

export interface ReadabilityMocks {
  clients: ReadabilityClients;
  s3: AwsClientStub<S3Client>;
  kms: AwsClientStub<KMSClient>;
}

/** Retained surfaces: readable, or with the key pending deletion and the evidence bucket gone. */
export function readabilityMocks(state: "readable" | "key-pending-deletion" | "bucket-gone"): ReadabilityMocks {
  const clients: ReadabilityClients = { s3: new S3Client({ region: REGION, credentials }), kms: new KMSClient({ region: REGION, credentials }) };
  const s3 = mockClient(clients.s3);
  const kms = mockClient(clients.kms);
  s3.onAnyCommand().rejects(new Error("unmocked S3 call"));
  kms.onAnyCommand().rejects(new Error("unmocked KMS call"));
  s3.on(HeadBucketCommand)
    .resolves({ BucketRegion: REGION })
    .on(GetBucketEncryptionCommand)
    .resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: ARN.kmsKey }, BucketKeyEnabled: true }],
      },
    });
  if (state === "bucket-gone") {
    const notFound = Object.assign(new Error("Not Found"), { name: "NotFound", $metadata: { httpStatusCode: 404 } });
    s3.on(HeadBucketCommand, { Bucket: "fraud-platform-dev-full-evidence" })
      .rejects(notFound)
      .on(GetBucketEncryptionCommand, { Bucket: "fraud-platform-dev-full-evidence" })
      .rejects(notFound);
  }
  const keyState =
    state === "key-pending-deletion"
      ? { Enabled: false, KeyState: "PendingDeletion" as const, DeletionDate: new Date("2026-03-08T10:00:00Z") }
      : { Enabled: true, KeyState: "Enabled" as const };
  kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: "1234abcd-12ab-34cd-56ef-1234567890ab", Arn: ARN.kmsKey, ...keyState } });
  return { clients, s3, kms };
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

export interface FakePulumi {
  root: string;
  bin: string;
  log: string;
}

/**
 * A fake `pulumi` CLI in `<dir>/bin/pulumi` for the destroy path: `version`, `stack select --stack S` (known
 * stacks only; an unknown one is "no stack named"), `destroy ... --stack S` (fails for the stacks in `failing`),
 * `stack history --json` (the destroy's summary); logs every call and fails any other command.
 */
export function fakePulumiForDestroy(dir: string, options: { stacks: string[]; failing?: string[] }): FakePulumi {
  const bin = path.join(dir, "bin");
  const log = path.join(dir, "calls.log");
  writeShellCli(
    bin,
    "pulumi",
    log,
    String.raw`stacks=@STACKS@
failing=@FAILING@
case "$1 $2" in
  "stack select")
    case "$stacks" in *" $stack "*) exit 0 ;; esac
    echo "error: no stack named '$stack' found" >&2; exit 255 ;;
  "destroy "*)
    printf 'Destroying (%s)\n' "$stack"
    case "$failing" in *" $stack "*)
      echo "error: deleting urn:pulumi:$stack::fraud-platform::aws:rds/cluster:Cluster::aurora: InvalidParameterCombination: Cannot delete protected Cluster, please disable deletion protection and try again." >&2
      exit 255 ;;
    esac
    printf ' - 3 deleted\nResources:\n    - 3 deleted\n'; exit 0 ;;
  "stack history")
    echo '[{"version":7,"kind":"destroy","startTime":"2026-03-01T10:00:00.000Z","endTime":"2026-03-01T10:05:00.000Z","message":"","environment":{},"config":{},"result":"succeeded","resourceChanges":{"delete":3}}]'
    exit 0 ;;
esac
echo "fake pulumi: unexpected command $*" >&2
exit 99
`,
    { STACKS: ` ${options.stacks.join(" ")} `, FAILING: ` ${(options.failing ?? []).join(" ")} ` },
  );
  return { root: dir, bin, log };
}
