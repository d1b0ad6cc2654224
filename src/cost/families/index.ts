/**
 * Which family prices which resource type. A type not listed here and not in the price table's `free` list
 * has no cost model: its resources are reported as unpriced. Component types listed in
 * {@link COMPONENT_FAMILIES} are priced from their inputs only when the document shows none of their children.
 */
import * as analytics from "./analytics";
import * as databases from "./databases";
import * as eks from "./eks";
import * as foundation from "./foundation";
import * as network from "./network";
import * as serverless from "./serverless";
import * as streaming from "./streaming";
import { Family } from "./types";

export const FAMILIES: Readonly<Partial<Record<string, Family>>> = {
  // EKS / EC2
  "aws:eks/cluster:Cluster": eks.eksCluster,
  "aws:eks/nodeGroup:NodeGroup": eks.eksNodeGroup,
  "aws:ec2/instance:Instance": network.ec2Instance,
  // networking
  "aws:ec2/natGateway:NatGateway": network.natGateway,
  "aws:ec2/eip:Eip": network.elasticIp,
  "aws:ec2/vpcEndpoint:VpcEndpoint": network.vpcEndpoint,
  "aws:lb/loadBalancer:LoadBalancer": network.loadBalancer,
  "aws:alb/loadBalancer:LoadBalancer": network.loadBalancer,
  // streaming
  "aws:msk/serverlessCluster:ServerlessCluster": streaming.mskServerless,
  "aws:msk/cluster:Cluster": streaming.mskProvisioned,
  "aws:kinesisanalyticsv2/application:Application": streaming.flinkApplication,
  // state stores
  "aws:rds/cluster:Cluster": databases.rdsCluster,
  "aws:rds/clusterInstance:ClusterInstance": databases.rdsClusterInstance,
  "aws:rds/instance:Instance": databases.rdsInstance,
  "aws:elasticache/replicationGroup:ReplicationGroup": databases.elasticacheReplicationGroup,
  "aws:elasticache/cluster:Cluster": databases.elasticacheCluster,
  "aws:elasticache/serverlessCache:ServerlessCache": databases.elasticacheServerless,
  "aws:dynamodb/table:Table": databases.dynamodbTable,
  // ingress edge, orchestration, containers
  "aws:lambda/function:Function": serverless.lambdaFunction,
  "aws:apigatewayv2/api:Api": serverless.httpApi,
  "aws:apigateway/restApi:RestApi": serverless.restApi,
  "aws:sfn/stateMachine:StateMachine": serverless.stateMachine,
  "aws:sqs/queue:Queue": serverless.sqsQueue,
  "aws:ecs/service:Service": serverless.ecsService,
  // batch, ML, orchestration
  "aws:emrserverless/application:Application": analytics.emrServerless,
  "databricks:index/job:Job": analytics.databricksJob,
  "databricks:index/cluster:Cluster": analytics.databricksCluster,
  "aws:sagemaker/endpoint:Endpoint": analytics.sagemakerEndpoint,
  "aws:sagemaker/notebookInstance:NotebookInstance": analytics.sagemakerNotebook,
  "aws:sagemaker/domain:Domain": analytics.sagemakerDomain,
  "aws:sagemaker/modelPackageGroup:ModelPackageGroup": analytics.sagemakerModelPackageGroup,
  "aws:sagemaker/mlflowTrackingServer:MlflowTrackingServer": analytics.mlflowTrackingServer,
  "aws:mwaa/environment:Environment": analytics.mwaaEnvironment,
  // foundation and observability
  "aws:s3/bucket:Bucket": foundation.s3Bucket,
  "aws:s3/bucketV2:BucketV2": foundation.s3Bucket,
  "aws:kms/key:Key": foundation.kmsKey,
  "aws:ecr/repository:Repository": foundation.ecrRepository,
  "aws:ssm/parameter:Parameter": foundation.ssmParameter,
  "aws:secretsmanager/secret:Secret": foundation.secret,
  "aws:cloudwatch/logGroup:LogGroup": foundation.logGroup,
  "aws:cloudwatch/metricAlarm:MetricAlarm": foundation.metricAlarm,
  "aws:cloudwatch/dashboard:Dashboard": foundation.dashboard,
  "aws:budgets/budget:Budget": foundation.budget,
};

/** Component types priced from their own inputs when the document has none of their children. */
export const COMPONENT_FAMILIES: Readonly<Partial<Record<string, Family>>> = {
  "eks:index:Cluster": eks.eksClusterComponent,
  "eks:index:ManagedNodeGroup": eks.eksManagedNodeGroupComponent,
};

/**
 * Resource types that bill provisioned capacity by the hour while they exist. When one of them cannot be priced at
 * all (no cost model, or an input it is sized by is unknown at preview) it is denied by `da-90-capacity-priced`:
 * unknown capacity is never waved through. Trailing `*` matches a prefix.
 */
export const CAPACITY_TYPES: readonly string[] = [
  "aws:eks/cluster:Cluster",
  "aws:eks/nodeGroup:NodeGroup",
  "eks:index:Cluster",
  "eks:index:ManagedNodeGroup",
  "eks:index:NodeGroup*",
  "aws:ec2/instance:Instance",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:ec2/fleet:Fleet",
  "aws:ec2/spotFleetRequest:SpotFleetRequest",
  "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
  "aws:autoscaling/group:Group",
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:alb/loadBalancer:LoadBalancer",
  "aws:msk/serverlessCluster:ServerlessCluster",
  "aws:msk/cluster:Cluster",
  "aws:rds/clusterInstance:ClusterInstance",
  "aws:rds/instance:Instance",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:elasticache/cluster:Cluster",
  "aws:elasticache/serverlessCache:ServerlessCache",
  "aws:memorydb/cluster:Cluster",
  "aws:docdb/clusterInstance:ClusterInstance",
  "aws:neptune/clusterInstance:ClusterInstance",
  "aws:opensearch/domain:Domain",
  "aws:elasticsearch/domain:Domain",
  "aws:redshift/cluster:Cluster",
  "aws:emr/cluster:Cluster",
  "aws:sagemaker/endpoint:Endpoint",
  "aws:sagemaker/notebookInstance:NotebookInstance",
  "aws:sagemaker/mlflowTrackingServer:MlflowTrackingServer",
  "aws:mwaa/environment:Environment",
  "aws:fsx/*",
  "aws:workspaces/workspace:Workspace",
];

export function isCapacityType(type: string): boolean {
  return CAPACITY_TYPES.some((t) => (t.endsWith("*") ? type.startsWith(t.slice(0, -1)) : type === t));
}
