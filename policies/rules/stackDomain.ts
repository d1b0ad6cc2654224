/**
 * DA-01 (mandatory, high): each of the five stacks holds only its own domain (README.md's layer table). The layer comes
 * from the URN's stack name (`<env>-<layer>`); a resource whose type belongs to another layer's domain is flagged.
 * The table below maps type prefixes to their owning layer (first match wins); types every layer uses (IAM, SSM
 * parameters, log groups, KMS keys for a layer's own encryption, security groups and rules, providers, random,
 * components, and EKS access entries / access-policy associations, which are role bindings ops may own) are in
 * no row and are allowed anywhere. A stack whose name names no layer is reported once.
 */
import type { Layer } from "../../src/layers";
import { stackRule } from "../lib/rule";
import { layerOfStack, rootUrnOf } from "../lib/stackLayer";

/** Type prefix -> owning layer (most specific first). */
export const TYPE_OWNER: ReadonlyArray<readonly [string, Layer]> = [
  // core: network, core S3, ECR
  ["aws:ec2/vpc:", "core"],
  ["aws:ec2/subnet:", "core"],
  ["aws:ec2/internetGateway:", "core"],
  ["aws:ec2/natGateway:", "core"],
  ["aws:ec2/routeTable", "core"],
  ["aws:ec2/route:", "core"],
  ["aws:ec2/defaultSecurityGroup:", "core"],
  ["aws:s3/", "core"],
  ["aws:ecr/", "core"],
  // streaming: MSK, topics, schema registry
  ["aws:msk/", "streaming"],
  ["kafka:", "streaming"],
  ["aws:glue/registry:", "streaming"],
  ["aws:glue/schema:", "streaming"],
  // runtime: managed runtime surfaces and the EKS exception lane
  ["aws:eks/cluster:", "runtime"],
  ["aws:eks/nodeGroup:", "runtime"],
  ["aws:eks/fargateProfile:", "runtime"],
  ["aws:eks/addon:", "runtime"],
  ["eks:", "runtime"],
  ["kubernetes:", "runtime"],
  ["aws:ecs/", "runtime"],
  ["aws:lambda/", "runtime"],
  ["aws:apigatewayv2/", "runtime"],
  ["aws:dynamodb/", "runtime"],
  ["aws:sqs/", "runtime"],
  ["aws:sfn/", "runtime"],
  ["aws:rds/", "runtime"],
  ["aws:elasticache/", "runtime"],
  ["aws:kinesisanalyticsv2/", "runtime"],
  ["aws:emrserverless/", "runtime"],
  ["aws:emrcontainers/", "runtime"],
  ["aws:ec2/vpcEndpoint", "runtime"],
  // data_ml: Databricks, SageMaker, the OFS catalog
  ["aws:sagemaker/", "data_ml"],
  ["databricks:", "data_ml"],
  ["aws:glue/catalog", "data_ml"],
  // ops: budgets, alarms, dashboards, MWAA, alarm topics
  ["aws:budgets/", "ops"],
  ["aws:cloudwatch/dashboard:", "ops"],
  ["aws:cloudwatch/metricAlarm:", "ops"],
  ["aws:cloudwatch/compositeAlarm:", "ops"],
  ["aws:mwaa/", "ops"],
  ["aws:sns/", "ops"],
];

export function owningLayer(type: string): Layer | undefined {
  return TYPE_OWNER.find(([prefix]) => type.startsWith(prefix))?.[1];
}

export const stackDomain = stackRule(
  {
    id: "DA-01",
    slug: "stack-domain-ownership",
    description:
      "Each stack (core, streaming, runtime, data_ml, ops) holds only its own domain (design pins §2): move the resource to the stack that owns it and consume it through a StackReference output.",
    severity: "high",
  },
  (args, reportViolation) => {
    const layer = layerOfStack(args.resources);
    if (!layer) {
      if (args.resources.length) reportViolation("the stack name names no layer (<env>-<core|streaming|runtime|data-ml|ops>).", rootUrnOf(args.resources));
      return;
    }
    for (const r of args.resources) {
      const owner = owningLayer(r.type);
      if (owner && owner !== layer) reportViolation(`${r.name} (${r.type}) belongs to the ${owner} layer, not ${layer}.`, r.urn);
    }
  },
);
