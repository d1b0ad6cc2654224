/** Why a leftover costs: per service (and resource type), whether it bills while it exists and why. */

export interface CostNote {
  reason: string;
  /** Bills while it exists (or runs). */
  costly: boolean;
}

const COST_NOTES: ReadonlyArray<{ service: string; resourceType?: string; note: CostNote }> = [
  { service: "eks", resourceType: "cluster", note: { reason: "EKS control plane bills per cluster-hour (about 0.10 USD/h)", costly: true } },
  { service: "eks", resourceType: "nodegroup", note: { reason: "managed node group: EC2 instance-hours and EBS for every node", costly: true } },
  { service: "kafka", note: { reason: "MSK bills cluster-hours and partition-hours while the cluster exists (Serverless about 0.75 USD/h)", costly: true } },
  { service: "rds", note: { reason: "Aurora Serverless v2 bills ACU-hours at least at its minimum capacity, plus storage", costly: true } },
  { service: "elasticache", note: { reason: "ElastiCache bills node-hours (or GB-hours serverless) while it exists", costly: true } },
  { service: "kinesisanalytics", resourceType: "application", note: { reason: "MSF Flink application bills KPU-hours while running", costly: true } },
  {
    service: "emr-serverless",
    resourceType: "applications",
    note: { reason: "EMR Serverless bills vCPU- and GB-hours while started or running jobs", costly: true },
  },
  { service: "sagemaker", resourceType: "endpoint", note: { reason: "SageMaker real-time endpoint bills hosting instance-hours while active", costly: true } },
  { service: "sagemaker", resourceType: "notebook-instance", note: { reason: "SageMaker notebook bills instance-hours while in service", costly: true } },
  { service: "ec2", resourceType: "natgateway", note: { reason: "NAT gateway bills per hour plus per GB processed", costly: true } },
  { service: "ec2", resourceType: "instance", note: { reason: "EC2 instance-hours while running, EBS GB-months while stopped", costly: true } },
  { service: "ec2", resourceType: "volume", note: { reason: "EBS volume bills GB-months until deleted", costly: true } },
  { service: "ec2", resourceType: "elastic-ip", note: { reason: "public IPv4 address bills per hour", costly: true } },
  { service: "ec2", resourceType: "vpc-endpoint", note: { reason: "interface VPC endpoint bills per AZ-hour (gateway endpoints are free)", costly: true } },
  { service: "elasticloadbalancing", note: { reason: "load balancer bills per hour plus LCUs", costly: true } },
  { service: "ecs", resourceType: "service", note: { reason: "ECS Fargate service bills vCPU-hours and GB-hours for every running task", costly: true } },
  { service: "kinesisanalytics", note: { reason: "Managed Service for Apache Flink bills KPU-hours while the application runs", costly: true } },
  { service: "emr-serverless", note: { reason: "EMR Serverless bills vCPU/GB-hours while started (pre-initialised capacity included)", costly: true } },
  { service: "emr-containers", note: { reason: "EMR on EKS job runs bill their pods' node capacity", costly: true } },
  { service: "airflow", note: { reason: "MWAA environment bills per hour and never scales to zero", costly: true } },
  { service: "dynamodb", note: { reason: "DynamoDB table bills storage (and provisioned capacity) while it exists", costly: true } },
  { service: "s3", note: { reason: "S3 bucket bills storage GB-months until emptied and deleted", costly: true } },
  { service: "kms", note: { reason: "customer managed KMS key bills 1 USD/month until deleted", costly: true } },
  { service: "secretsmanager", note: { reason: "secret bills 0.40 USD/month until deleted", costly: true } },
  { service: "cloudwatch", resourceType: "alarm", note: { reason: "CloudWatch alarm bills per alarm-month", costly: true } },
];

export function costNoteOf(service: string, resourceType: string): CostNote {
  const hit = COST_NOTES.find((n) => n.service === service && (n.resourceType === undefined || n.resourceType === resourceType));
  return (
    hit?.note ?? {
      reason: "left behind by the teardown: not in the retained set (no running charge, but drift the next bring-up collides with)",
      costly: false,
    }
  );
}
