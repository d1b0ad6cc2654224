/**
 * Mocks of the runtime layer's types. The edge and data: generated secrets, Aurora, Redis, the ingress edge's API,
 * function, queue and logs. The lanes: the EKS remote component (one registration, scalar outputs only), its node
 * group, access entries and Kubernetes objects, state machines, ECS, Managed Flink, EMR Serverless and EMR on EKS.
 */
import { createHash } from "crypto";
import { PropertyMap } from "../previewDocument";
import { MOCK_ACCOUNT_ID, ResourceMock, ResourceTable, entriesOf, genericArn, hex, secretValue, uuid } from "./resource";

/** The part of an RDS endpoint naming the account and region (`<id>.cluster-<this>.<region>.rds.amazonaws.com`). */
const rdsEndpointInfix = (region: string): string => hex(`${MOCK_ACCOUNT_ID}:${region}`, 12);

/** A Kubernetes object: id `<namespace>/<name>` (or `<name>`), a uid in its metadata. */
const kubernetesObject: ResourceMock = (args, { inputs, seed }) => {
  const meta = (inputs.metadata ?? {}) as PropertyMap;
  const id = meta.namespace ? `${String(meta.namespace)}/${String(meta.name)}` : String(meta.name ?? args.name);
  return { id, state: { metadata: { ...meta, uid: uuid(seed) } } };
};

/** API Gateway objects identified by a short generated id. */
const apiGatewayChild: ResourceMock = (_args, { seed }) => ({ id: hex(seed, 7), state: {} });

export const RUNTIME_RESOURCES: ResourceTable = {
  "random:index/randomPassword:RandomPassword": (_args, { inputs, seed }) => {
    const length = typeof inputs.length === "number" ? inputs.length : 16;
    const generated = Buffer.from(createHash("sha256").update(`${seed}:result`).digest("hex"))
      .toString("base64")
      .replace(/[^A-Za-z0-9]/g, "")
      .slice(0, length)
      .padEnd(length, "x");
    return { id: "none", state: { result: secretValue(generated), bcryptHash: secretValue(`$2a$10$${hex(`${seed}:bcrypt`, 53)}`) } };
  },
  "aws:rds/cluster:Cluster": (args, { inputs, seed, region, arn }) => {
    const id = String(inputs.clusterIdentifier ?? args.name);
    return {
      id,
      state: {
        arn: arn("rds", `cluster:${id}`),
        endpoint: `${id}.cluster-${rdsEndpointInfix(region.code)}.${region.code}.rds.amazonaws.com`,
        readerEndpoint: `${id}.cluster-ro-${rdsEndpointInfix(region.code)}.${region.code}.rds.amazonaws.com`,
        clusterResourceId: `cluster-${hex(seed, 26).toUpperCase()}`,
        port: inputs.port ?? 5432,
        hostedZoneId: "Z1TTGA775OQIYO",
      },
    };
  },
  "aws:rds/clusterInstance:ClusterInstance": (args, { inputs, seed, region, arn }) => {
    const id = String(inputs.identifier ?? args.name);
    return {
      id,
      state: {
        arn: arn("rds", `db:${id}`),
        endpoint: `${id}.${rdsEndpointInfix(region.code)}.${region.code}.rds.amazonaws.com`,
        dbiResourceId: `db-${hex(seed, 26).toUpperCase()}`,
        port: 5432,
      },
    };
  },
  "aws:rds/subnetGroup:SubnetGroup": (_args, { name, arn }) => ({ id: name, state: { arn: arn("rds", `subgrp:${name}`) } }),
  "aws:elasticache/replicationGroup:ReplicationGroup": (args, { inputs, seed, region, arn }) => {
    const id = String(inputs.replicationGroupId ?? args.name);
    const clusters = typeof inputs.numCacheClusters === "number" ? inputs.numCacheClusters : 1;
    return {
      id,
      state: {
        arn: arn("elasticache", `replicationgroup:${id}`),
        primaryEndpointAddress: `master.${id}.${hex(seed, 6)}.${region.short}.cache.amazonaws.com`,
        readerEndpointAddress: `replica.${id}.${hex(seed, 6)}.${region.short}.cache.amazonaws.com`,
        memberClusters: Array.from({ length: clusters }, (_, i) => `${id}-00${i + 1}`),
      },
    };
  },
  "aws:elasticache/subnetGroup:SubnetGroup": (_args, { name, arn }) => ({ id: name, state: { arn: arn("elasticache", `subnetgroup:${name}`) } }),
  "aws:lambda/function:Function": (_args, { name, region, arn }) => {
    const functionArn = arn("lambda", `function:${name}`);
    return {
      id: name,
      state: {
        arn: functionArn,
        invokeArn: `arn:aws:apigateway:${region.code}:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
        qualifiedArn: `${functionArn}:$LATEST`,
        version: "$LATEST",
      },
    };
  },
  "aws:apigatewayv2/api:Api": (_args, { seed, region, arn }) => {
    const id = hex(seed, 10);
    return {
      id,
      state: {
        arn: `arn:aws:apigateway:${region.code}::/apis/${id}`,
        apiEndpoint: `https://${id}.execute-api.${region.code}.amazonaws.com`,
        executionArn: arn("execute-api", id),
      },
    };
  },
  "aws:apigatewayv2/stage:Stage": (_args, { inputs, name, region, arn }) => ({
    id: name,
    state: {
      arn: `arn:aws:apigateway:${region.code}::/apis/${String(inputs.apiId)}/stages/${name}`,
      invokeUrl: `https://${String(inputs.apiId)}.execute-api.${region.code}.amazonaws.com/${name}`,
      executionArn: arn("execute-api", `${String(inputs.apiId)}/${name}`),
    },
  }),
  "aws:apigatewayv2/integration:Integration": apiGatewayChild,
  "aws:apigatewayv2/route:Route": apiGatewayChild,
  "aws:sqs/queue:Queue": (_args, { name, region, arn }) => {
    const url = `https://sqs.${region.code}.amazonaws.com/${MOCK_ACCOUNT_ID}/${name}`;
    return { id: url, state: { arn: arn("sqs", name), url } };
  },
  "aws:cloudwatch/logGroup:LogGroup": (_args, { name, arn }) => ({ id: name, state: { arn: arn("logs", `log-group:${name}`) } }),
  "aws:cloudwatch/logStream:LogStream": (_args, { inputs, name, arn }) => ({
    id: name,
    state: { arn: arn("logs", `log-group:${String(inputs.logGroupName)}:log-stream:${name}`) },
  }),
  "eks:index:Cluster": (_args, { seed, name, region, arn }) => {
    const clusterId = hex(seed, 32).toUpperCase();
    const endpoint = `https://${clusterId}.gr7.${region.code}.eks.amazonaws.com`;
    const oidcIssuer = `oidc.eks.${region.code}.amazonaws.com/id/${clusterId}`;
    const clusterSecurityGroupId = `sg-0${hex(`${seed}:cluster-sg`, 16)}`;
    const kubeconfig = {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "kubernetes", cluster: { server: endpoint, "certificate-authority-data": Buffer.from(`mock-ca:${clusterId}`).toString("base64") } }],
      contexts: [{ name: "aws", context: { cluster: "kubernetes", user: "aws" } }],
      "current-context": "aws",
      users: [
        {
          name: "aws",
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1beta1",
              command: "aws",
              args: ["--region", region.code, "eks", "get-token", "--cluster-name", name, "--output", "json"],
            },
          },
        },
      ],
    };
    return {
      id: name,
      state: {
        oidcIssuer,
        oidcProviderUrl: `https://${oidcIssuer}`,
        oidcProviderArn: arn("iam", `oidc-provider/${oidcIssuer}`, true),
        clusterSecurityGroupId,
        nodeSecurityGroupId: clusterSecurityGroupId,
        kubeconfig,
        kubeconfigJson: JSON.stringify(kubeconfig),
      },
    };
  },
  "aws:eks/nodeGroup:NodeGroup": (args, { inputs, seed, arn }) => {
    const nodeGroupName = String(inputs.nodeGroupName ?? args.name);
    return {
      id: `${String(inputs.clusterName)}:${nodeGroupName}`,
      state: { arn: arn("eks", `nodegroup/${String(inputs.clusterName)}/${nodeGroupName}/${uuid(seed)}`), status: "ACTIVE" },
    };
  },
  ...entriesOf(["aws:eks/accessEntry:AccessEntry", "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"], genericArn),
  ...entriesOf(["kubernetes:core/v1:Namespace", "kubernetes:core/v1:ServiceAccount", "kubernetes:networking.k8s.io/v1:NetworkPolicy"], kubernetesObject),
  "aws:sfn/stateMachine:StateMachine": (_args, { seed, name, arn }) => {
    const machineArn = arn("states", `stateMachine:${name}`);
    return { id: machineArn, state: { arn: machineArn, status: "ACTIVE", revisionId: hex(seed, 12) } };
  },
  "aws:ecs/cluster:Cluster": (_args, { name, arn }) => {
    const clusterArn = arn("ecs", `cluster/${name}`);
    return { id: clusterArn, state: { arn: clusterArn } };
  },
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": genericArn,
  "aws:ecs/taskDefinition:TaskDefinition": (_args, { inputs, arn }) => {
    const arnWithoutRevision = arn("ecs", `task-definition/${String(inputs.family)}`);
    return { id: String(inputs.family), state: { revision: 1, arnWithoutRevision, arn: `${arnWithoutRevision}:1` } };
  },
  "aws:ecs/service:Service": (_args, { inputs, name, arn }) => ({ id: arn("ecs", `service/${String(inputs.cluster).split("/").pop()}/${name}`), state: {} }),
  "aws:kinesisanalyticsv2/application:Application": (_args, { name, arn }) => {
    const applicationArn = arn("kinesisanalytics", `application/${name}`);
    return { id: applicationArn, state: { arn: applicationArn, status: "READY", versionId: 1 } };
  },
  "aws:emrserverless/application:Application": (_args, { seed, arn }) => {
    const id = `00f${hex(seed, 13)}`;
    return { id, state: { arn: arn("emr-serverless", `/applications/${id}`) } };
  },
  "aws:emrcontainers/virtualCluster:VirtualCluster": (_args, { seed, arn }) => {
    const id = hex(seed, 25);
    return { id, state: { arn: arn("emr-containers", `/virtualclusters/${id}`) } };
  },
};
