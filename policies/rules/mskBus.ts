/**
 * The event bus. DA-40 (mandatory, critical): MSK Serverless `fraud-platform-dev-full-msk` is the only bus; a
 * provisioned MSK cluster, a Kinesis data stream or an Amazon MQ broker is a substitute and is rejected.
 * DA-17 (mandatory, critical): the serverless cluster accepts SASL/IAM clients only. DA-43 (mandatory, high):
 * a stack declaring the cluster publishes its bootstrap string to the pinned SSM path, from the cluster itself.
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { registry } from "../lib/registry";
import { resourceRule, stackRule } from "../lib/rule";

const SERVERLESS_CLUSTER = "aws:msk/serverlessCluster:ServerlessCluster";

/** Resource types that would be a second (or substitute) event bus, with what they are. */
export const FORBIDDEN_BUS_TYPES: Readonly<Record<string, string>> = {
  "aws:msk/cluster:Cluster": "a provisioned MSK cluster",
  "aws:kinesis/stream:Stream": "a Kinesis data stream",
  "aws:mq/broker:Broker": "an Amazon MQ broker",
};

export const mskServerlessOnlyBus = resourceRule(
  {
    id: "DA-40",
    slug: "msk-serverless-only-bus",
    description:
      "The only event bus is the MSK Serverless cluster fraud-platform-dev-full-msk: no provisioned MSK, Kinesis stream or other broker. Publish to the catalog topics instead.",
    severity: "critical",
  },
  (args, reportViolation) => {
    const forbidden = FORBIDDEN_BUS_TYPES[args.type];
    if (forbidden) {
      reportViolation(`${args.type} '${args.name}' is ${forbidden}; the platform bus is MSK Serverless (KAFKA_BACKEND=AWS_MSK_SERVERLESS).`);
      return;
    }
    if (args.type !== SERVERLESS_CLUSTER) return args.notApplicable("not an event bus resource");
    const expected = registry().string("MSK_CLUSTER_NAME");
    const name: unknown = args.props.clusterName;
    if (name !== expected) reportViolation(`serverless cluster ${JSON.stringify(name ?? null)} is a second bus; the only cluster is ${expected}.`);
  },
);

export const mskSaslIamOnly = resourceRule(
  {
    id: "DA-17",
    slug: "msk-sasl-iam-only",
    description: "MSK Serverless client authentication must be SASL/IAM: set clientAuthentication.sasl.iam.enabled = true (clients use port 9098).",
    severity: "critical",
  },
  policy.validateResourceOfType(aws.msk.ServerlessCluster, (cluster, _args, reportViolation) => {
    const enabled = cluster.clientAuthentication?.sasl?.iam?.enabled;
    if (enabled !== true) reportViolation(`clientAuthentication.sasl.iam.enabled is ${JSON.stringify(enabled ?? null)}, expected true.`);
  }),
);

export const mskBootstrapPublished = stackRule(
  {
    id: "DA-43",
    slug: "msk-bootstrap-published",
    description:
      "A stack that declares the MSK cluster publishes its SASL/IAM bootstrap string to /fraud-platform/dev_full/msk/bootstrap_brokers, with the value taken from the cluster (build it with the MskServerlessCluster component).",
    severity: "high",
  },
  (args, reportViolation) => {
    const clusters = args.resources.filter((r) => r.type === SERVERLESS_CLUSTER);
    if (clusters.length === 0) return args.notApplicable("no MSK cluster in this stack");
    const path = registry().string("SSM_MSK_BOOTSTRAP_BROKERS_PATH");
    const parameters = args.resources.filter((r) => r.type === "aws:ssm/parameter:Parameter" && r.props.name === path);
    if (parameters.length === 0) {
      reportViolation(`no SSM parameter ${path} holds the bootstrap string of the cluster.`, clusters[0].urn);
      return;
    }
    for (const parameter of parameters) {
      if (!parameter.dependencies.some((d) => clusters.some((c) => c.urn === d.urn))) {
        reportViolation(`parameter ${path} does not take its value from the MSK cluster (no dependency on it).`, parameter.urn);
      }
    }
  },
);

export const mskBusPolicies = [mskServerlessOnlyBus, mskSaslIamOnly, mskBootstrapPublished];
