/**
 * The offline stand-in for AWS and the Pulumi engine: realistic, deterministic ids and computed attributes for
 * every resource, answers for the invokes the stacks make, and upstream stack outputs for StackReferences.
 * Deterministic (hashes of the URN-ish identity), so the same program always yields the same plan and the
 * evidence built from it has stable digests. An invoke nobody answers is an error, never a silent `{}`.
 */
import { createECDH, createHash, createPublicKey } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { PropertyMap, PropertyValue, SECRET_SIG, SIG_KEY } from "./previewDocument";

/** The account id every mocked ARN carries (clearly not a real account). */
export const MOCK_ACCOUNT_ID = "123456789012";

export interface MockCloudOptions {
  region: string;
  /** Outputs of already planned stacks, by stack name (secrets still wrapped). */
  upstream: Readonly<Record<string, PropertyMap>>;
  /** Names of secret outputs per upstream stack. */
  upstreamSecrets: Readonly<Record<string, string[]>>;
}

function hex(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `aws:s3/bucket:Bucket` -> `{ service: "s3", resource: "bucket", kind: "Bucket" }`. */
function parseType(type: string): { pkg: string; service: string; resource: string; kind: string } {
  const [pkg, mod = "", kind = ""] = type.split(":");
  const [service, resource = ""] = mod.split("/");
  return { pkg, service, resource, kind };
}

/** Physical name of a resource from its inputs (the property naming it), or the logical name. */
function physicalName(inputs: PropertyMap, logicalName: string): string {
  for (const key of ["name", "bucket", "clusterName", "functionName", "tableName", "roleName", "registryName", "repositoryName"]) {
    const v = inputs[key];
    if (typeof v === "string" && v) return v;
  }
  return logicalName;
}

/** EC2-style ids (`vpc-0a1b...`) by resource type. */
const EC2_ID_PREFIX: Record<string, string> = {
  "aws:ec2/vpc:Vpc": "vpc",
  "aws:ec2/subnet:Subnet": "subnet",
  "aws:ec2/securityGroup:SecurityGroup": "sg",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
  "aws:ec2/internetGateway:InternetGateway": "igw",
  "aws:ec2/routeTable:RouteTable": "rtb",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
};

export class MockCloud implements pulumi.runtime.Mocks {
  /** Every invoke token the program called. */
  readonly invokes: Array<{ token: string }> = [];
  /** Upstream stacks whose outputs an answer of this cloud depended on (StackReferences, subnet lookups). */
  readonly upstreamRead = new Set<string>();
  /** data_ml/ops: region of each explicit provider by provider id (a resource's ARN carries its provider's region). */
  private readonly providerRegions = new Map<string, string>();

  constructor(private readonly options: MockCloudOptions) {}

  private arn(service: string, resourcePath: string, global = false): string {
    return `arn:aws:${service}:${global ? "" : this.options.region}:${MOCK_ACCOUNT_ID}:${resourcePath}`;
  }

  /** Region of the provider a resource is managed by (`<provider urn>::<id>`); the home region by default. */
  private regionOf(provider: string | undefined): string {
    const id = provider?.split("::").pop();
    return (id !== undefined && this.providerRegions.get(id)) || this.options.region;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs = (args.inputs ?? {}) as PropertyMap;
    if (args.type === "pulumi:pulumi:StackReference") return this.stackReference(inputs, args.name);
    const seed = `${args.type}::${args.name}`;
    // A read (`Resource.get`) has no inputs: its id is the physical name.
    const name = physicalName(inputs, args.id || args.name);
    const { service, kind } = parseType(args.type);
    const state: PropertyMap = { ...inputs };
    let id = `${name}`;

    const ec2Prefix = EC2_ID_PREFIX[args.type];
    if (ec2Prefix) {
      id = `${ec2Prefix}-0${hex(seed, 16)}`;
      state.arn = this.arn("ec2", `${ec2Prefix === "sg" ? "security-group" : ec2Prefix}/${id}`);
      if (args.type === "aws:ec2/vpc:Vpc") {
        state.defaultSecurityGroupId = `sg-0${hex(`${seed}:default-sg`, 16)}`;
        state.mainRouteTableId = `rtb-0${hex(`${seed}:main-rt`, 16)}`;
      }
      if (args.type === "aws:ec2/securityGroup:SecurityGroup" && !state.name) state.name = `${args.name}-${hex(seed, 7)}`;
      // runtime: a gateway endpoint exposes its service's managed prefix list; an interface endpoint its DNS names.
      if (args.type === "aws:ec2/vpcEndpoint:VpcEndpoint") {
        if (inputs.vpcEndpointType === "Gateway") state.prefixListId = `pl-${hex(`${String(inputs.serviceName)}:pl`, 8)}`;
        else state.dnsEntries = [{ dnsName: `${id}-${hex(seed, 8)}.${String(inputs.serviceName).split(".").slice(3).join(".")}.${this.options.region}.vpce.amazonaws.com`, hostedZoneId: "Z16LZFBTAWNLS5" }];
        state.state = "available";
      }
      return { id, state: { ...state, id } };
    }

    switch (args.type) {
      case "aws:s3/bucket:Bucket":
        state.arn = `arn:aws:s3:::${name}`;
        state.bucketDomainName = `${name}.s3.amazonaws.com`;
        state.bucketRegionalDomainName = `${name}.s3.${this.options.region}.amazonaws.com`;
        state.region = this.options.region;
        break;
      case "aws:kms/key:Key":
        id = uuid(seed);
        state.keyId = id;
        state.arn = `arn:aws:kms:${this.regionOf(args.provider)}:${MOCK_ACCOUNT_ID}:key/${id}`;
        break;
      case "aws:kms/alias:Alias":
        state.arn = this.arn("kms", name);
        state.targetKeyArn = this.arn("kms", `key/${String(inputs.targetKeyId ?? "")}`);
        break;
      case "aws:iam/role:Role":
        if (!state.name) state.name = name;
        state.arn = this.arn("iam", `role${String(inputs.path ?? "/")}${name}`, true);
        state.uniqueId = `AROA${hex(seed, 17).toUpperCase()}`;
        break;
      case "aws:iam/policy:Policy":
        state.arn = this.arn("iam", `policy/${name}`, true);
        break;
      case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
        id = `${String(inputs.role)}-${hex(seed, 8)}`;
        break;
      case "aws:ecr/repository:Repository":
        state.arn = this.arn("ecr", `repository/${name}`);
        state.registryId = MOCK_ACCOUNT_ID;
        state.repositoryUrl = `${MOCK_ACCOUNT_ID}.dkr.ecr.${this.options.region}.amazonaws.com/${name}`;
        break;
      // streaming: MSK Serverless (id = ARN; uuid with its -s<n> suffix), bootstrap parameter, Glue registry/schema, topics.
      case "aws:msk/serverlessCluster:ServerlessCluster":
        state.clusterUuid = `${uuid(seed)}-s1`;
        state.arn = this.arn("kafka", `cluster/${name}/${String(state.clusterUuid)}`);
        state.bootstrapBrokersSaslIam = `boot-${hex(`${seed}:boot`, 8)}.c1.kafka-serverless.${this.options.region}.amazonaws.com:9098`;
        id = String(state.arn);
        break;
      case "aws:ssm/parameter:Parameter":
        state.arn = this.arn("ssm", `parameter${name.startsWith("/") ? "" : "/"}${name}`);
        state.version = 1;
        state.tier = inputs.tier ?? "Standard";
        state.dataType = inputs.dataType ?? "text";
        break;
      case "aws:glue/registry:Registry":
        state.arn = this.arn("glue", `registry/${name}`);
        id = String(state.arn);
        break;
      case "aws:glue/schema:Schema":
        state.registryName = String(inputs.registryArn ?? "").split("/").pop() ?? "";
        state.arn = this.arn("glue", `schema/${String(state.registryName)}/${String(inputs.schemaName ?? args.name)}`);
        state.schemaCheckpoint = 1;
        state.latestSchemaVersion = 1;
        state.nextSchemaVersion = 2;
        id = String(state.arn);
        break;
      case "kafka:index/topic:Topic":
        break;
      // runtime (edge and data): generated secrets, Aurora, Redis, the ingress edge's API, function, queue and logs.
      case "random:index/randomPassword:RandomPassword": {
        const length = typeof inputs.length === "number" ? inputs.length : 16;
        state.result = secretValue(Buffer.from(createHash("sha256").update(`${seed}:result`).digest("hex")).toString("base64").replace(/[^A-Za-z0-9]/g, "").slice(0, length).padEnd(length, "x"));
        state.bcryptHash = secretValue(`$2a$10$${hex(`${seed}:bcrypt`, 53)}`);
        id = "none";
        break;
      }
      case "aws:rds/cluster:Cluster":
        id = String(inputs.clusterIdentifier ?? args.name);
        state.arn = this.arn("rds", `cluster:${id}`);
        state.endpoint = `${id}.cluster-${hex(`${MOCK_ACCOUNT_ID}:${this.options.region}`, 12)}.${this.options.region}.rds.amazonaws.com`;
        state.readerEndpoint = `${id}.cluster-ro-${hex(`${MOCK_ACCOUNT_ID}:${this.options.region}`, 12)}.${this.options.region}.rds.amazonaws.com`;
        state.clusterResourceId = `cluster-${hex(seed, 26).toUpperCase()}`;
        state.port = inputs.port ?? 5432;
        state.hostedZoneId = "Z1TTGA775OQIYO";
        break;
      case "aws:rds/clusterInstance:ClusterInstance":
        id = String(inputs.identifier ?? args.name);
        state.arn = this.arn("rds", `db:${id}`);
        state.endpoint = `${id}.${hex(`${MOCK_ACCOUNT_ID}:${this.options.region}`, 12)}.${this.options.region}.rds.amazonaws.com`;
        state.dbiResourceId = `db-${hex(seed, 26).toUpperCase()}`;
        state.port = 5432;
        break;
      case "aws:rds/subnetGroup:SubnetGroup":
        state.arn = this.arn("rds", `subgrp:${name}`);
        break;
      case "aws:elasticache/replicationGroup:ReplicationGroup":
        id = String(inputs.replicationGroupId ?? args.name);
        state.arn = this.arn("elasticache", `replicationgroup:${id}`);
        state.primaryEndpointAddress = `master.${id}.${hex(seed, 6)}.euw2.cache.amazonaws.com`;
        state.readerEndpointAddress = `replica.${id}.${hex(seed, 6)}.euw2.cache.amazonaws.com`;
        state.memberClusters = Array.from({ length: typeof inputs.numCacheClusters === "number" ? inputs.numCacheClusters : 1 }, (_, i) => `${id}-00${i + 1}`);
        break;
      case "aws:elasticache/subnetGroup:SubnetGroup":
        state.arn = this.arn("elasticache", `subnetgroup:${name}`);
        break;
      case "aws:lambda/function:Function":
        state.arn = this.arn("lambda", `function:${name}`);
        state.invokeArn = `arn:aws:apigateway:${this.options.region}:lambda:path/2015-03-31/functions/${String(state.arn)}/invocations`;
        state.qualifiedArn = `${String(state.arn)}:$LATEST`;
        state.version = "$LATEST";
        break;
      case "aws:apigatewayv2/api:Api":
        id = hex(seed, 10);
        state.arn = `arn:aws:apigateway:${this.options.region}::/apis/${id}`;
        state.apiEndpoint = `https://${id}.execute-api.${this.options.region}.amazonaws.com`;
        state.executionArn = this.arn("execute-api", id);
        break;
      case "aws:apigatewayv2/stage:Stage":
        state.arn = `arn:aws:apigateway:${this.options.region}::/apis/${String(inputs.apiId)}/stages/${name}`;
        state.invokeUrl = `https://${String(inputs.apiId)}.execute-api.${this.options.region}.amazonaws.com/${name}`;
        state.executionArn = this.arn("execute-api", `${String(inputs.apiId)}/${name}`);
        break;
      case "aws:apigatewayv2/integration:Integration":
      case "aws:apigatewayv2/route:Route":
        id = hex(seed, 7);
        break;
      case "aws:sqs/queue:Queue":
        state.arn = this.arn("sqs", name);
        state.url = `https://sqs.${this.options.region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${name}`;
        id = String(state.url);
        break;
      case "aws:cloudwatch/logGroup:LogGroup":
        state.arn = this.arn("logs", `log-group:${name}`);
        break;
      // runtime (lanes): the EKS remote component (one registration, scalar outputs only), node group, Kubernetes
      // objects, state machines, ECS, Managed Flink, EMR Serverless and EMR on EKS.
      case "eks:index:Cluster": {
        const clusterId = hex(seed, 32).toUpperCase();
        const endpoint = `https://${clusterId}.gr7.${this.options.region}.eks.amazonaws.com`;
        state.oidcIssuer = `oidc.eks.${this.options.region}.amazonaws.com/id/${clusterId}`;
        state.oidcProviderUrl = `https://${String(state.oidcIssuer)}`;
        state.oidcProviderArn = this.arn("iam", `oidc-provider/${String(state.oidcIssuer)}`, true);
        state.clusterSecurityGroupId = `sg-0${hex(`${seed}:cluster-sg`, 16)}`;
        state.nodeSecurityGroupId = state.clusterSecurityGroupId;
        const kubeconfig = {
          apiVersion: "v1",
          kind: "Config",
          clusters: [{ name: "kubernetes", cluster: { server: endpoint, "certificate-authority-data": Buffer.from(`mock-ca:${clusterId}`).toString("base64") } }],
          contexts: [{ name: "aws", context: { cluster: "kubernetes", user: "aws" } }],
          "current-context": "aws",
          users: [{ name: "aws", user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["--region", this.options.region, "eks", "get-token", "--cluster-name", name, "--output", "json"] } } }],
        };
        state.kubeconfig = kubeconfig;
        state.kubeconfigJson = JSON.stringify(kubeconfig);
        break;
      }
      case "aws:eks/nodeGroup:NodeGroup":
        id = `${String(inputs.clusterName)}:${String(inputs.nodeGroupName ?? args.name)}`;
        state.arn = this.arn("eks", `nodegroup/${String(inputs.clusterName)}/${String(inputs.nodeGroupName ?? args.name)}/${uuid(seed)}`);
        state.status = "ACTIVE";
        break;
      case "kubernetes:core/v1:Namespace":
      case "kubernetes:core/v1:ServiceAccount":
      case "kubernetes:networking.k8s.io/v1:NetworkPolicy": {
        const meta = (inputs.metadata ?? {}) as PropertyMap;
        id = meta.namespace ? `${String(meta.namespace)}/${String(meta.name)}` : String(meta.name ?? args.name);
        state.metadata = { ...meta, uid: uuid(seed) };
        return { id, state: { ...state, id } };
      }
      case "aws:sfn/stateMachine:StateMachine":
        state.arn = this.arn("states", `stateMachine:${name}`);
        state.status = "ACTIVE";
        state.revisionId = hex(seed, 12);
        id = String(state.arn);
        break;
      case "aws:cloudwatch/logStream:LogStream":
        state.arn = this.arn("logs", `log-group:${String(inputs.logGroupName)}:log-stream:${name}`);
        break;
      case "aws:ecs/cluster:Cluster":
        state.arn = this.arn("ecs", `cluster/${name}`);
        id = String(state.arn);
        break;
      case "aws:ecs/taskDefinition:TaskDefinition":
        state.revision = 1;
        state.arnWithoutRevision = this.arn("ecs", `task-definition/${String(inputs.family)}`);
        state.arn = `${String(state.arnWithoutRevision)}:1`;
        id = String(inputs.family);
        break;
      case "aws:ecs/service:Service":
        id = this.arn("ecs", `service/${String(inputs.cluster).split("/").pop()}/${name}`);
        break;
      case "aws:kinesisanalyticsv2/application:Application":
        state.arn = this.arn("kinesisanalytics", `application/${name}`);
        state.status = "READY";
        state.versionId = 1;
        id = String(state.arn);
        break;
      case "aws:emrserverless/application:Application":
        id = `00f${hex(seed, 13)}`;
        state.arn = this.arn("emr-serverless", `/applications/${id}`);
        break;
      case "aws:emrcontainers/virtualCluster:VirtualCluster":
        id = hex(seed, 25);
        state.arn = this.arn("emr-containers", `/virtualclusters/${id}`);
        break;
      // data_ml and ops: explicit providers (their region feeds the ARNs of what they manage), the learning catalogs,
      // Databricks objects, budget, alarms, dashboards, SNS, the GitHub OIDC provider and MWAA.
      case "pulumi:providers:aws":
      case "pulumi:providers:databricks":
        id = uuid(seed);
        if (typeof inputs.region === "string") this.providerRegions.set(id, inputs.region);
        return { id, state: { ...state, id } };
      case "aws:sagemaker/modelPackageGroup:ModelPackageGroup":
        id = String(inputs.modelPackageGroupName ?? args.name);
        state.arn = this.arn("sagemaker", `model-package-group/${id.toLowerCase()}`);
        break;
      case "aws:glue/catalogDatabase:CatalogDatabase":
        id = `${MOCK_ACCOUNT_ID}:${name}`;
        state.catalogId = MOCK_ACCOUNT_ID;
        state.arn = this.arn("glue", `database/${name}`);
        break;
      case "aws:budgets/budget:Budget":
        id = `${MOCK_ACCOUNT_ID}:${name}`;
        state.accountId = MOCK_ACCOUNT_ID;
        state.arn = `arn:aws:budgets::${MOCK_ACCOUNT_ID}:budget/${name}`;
        break;
      case "aws:cloudwatch/metricAlarm:MetricAlarm":
        state.arn = `arn:aws:cloudwatch:${this.regionOf(args.provider)}:${MOCK_ACCOUNT_ID}:alarm:${name}`;
        break;
      case "aws:cloudwatch/dashboard:Dashboard":
        id = String(inputs.dashboardName ?? args.name);
        state.dashboardArn = `arn:aws:cloudwatch::${MOCK_ACCOUNT_ID}:dashboard/${id}`;
        break;
      case "aws:sns/topic:Topic":
        state.arn = `arn:aws:sns:${this.regionOf(args.provider)}:${MOCK_ACCOUNT_ID}:${name}`;
        state.owner = MOCK_ACCOUNT_ID;
        id = String(state.arn);
        break;
      case "aws:sns/topicSubscription:TopicSubscription":
        id = `${String(inputs.topic)}:${uuid(seed)}`;
        state.arn = id;
        state.ownerId = MOCK_ACCOUNT_ID;
        state.pendingConfirmation = inputs.protocol === "email";
        state.confirmationWasAuthenticated = false;
        break;
      case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
        state.arn = this.arn("iam", `oidc-provider/${String(inputs.url ?? "").replace(/^https:\/\//, "")}`, true);
        id = String(state.arn);
        break;
      case "aws:mwaa/environment:Environment":
        state.arn = this.arn("airflow", `environment/${name}`);
        state.webserverUrl = `${uuid(seed)}.c2.${this.options.region}.airflow.amazonaws.com`;
        state.status = "AVAILABLE";
        break;
      case "databricks:index/storageCredential:StorageCredential":
        state.storageCredentialId = uuid(seed);
        state.metastoreId = uuid("databricks:metastore");
        state.awsIamRole = { ...((inputs.awsIamRole ?? {}) as PropertyMap), externalId: uuid("databricks:account") };
        break;
      case "databricks:index/externalLocation:ExternalLocation":
        state.metastoreId = uuid("databricks:metastore");
        break;
      case "databricks:index/clusterPolicy:ClusterPolicy":
        id = hex(seed, 16).toUpperCase();
        state.policyId = id;
        break;
      case "databricks:index/job:Job":
        id = String(parseInt(hex(seed, 12), 16));
        break;
      case "databricks:index/mlflowExperiment:MlflowExperiment":
        id = String(parseInt(hex(seed, 12), 16));
        state.experimentId = id;
        state.lifecycleStage = "active";
        break;
      case "databricks:index/mlflowModel:MlflowModel":
        state.registeredModelId = hex(seed, 32);
        break;
      default:
        if (args.custom !== false && !state.arn) state.arn = this.arn(service || "unknown", `${kind.toLowerCase() || "resource"}/${name}`);
    }
    return { id, state: { ...state, id } };
  }

  /** Upstream outputs for `new pulumi.StackReference("<org>/fraud-platform/<stack>")`. */
  private stackReference(inputs: PropertyMap, logicalName: string): pulumi.runtime.MockResourceResult {
    const fullName = String(inputs.name ?? logicalName);
    const stack = fullName.split("/").pop() ?? fullName;
    this.upstreamRead.add(stack);
    const outputs = this.options.upstream[stack];
    if (!outputs) {
      throw new Error(
        `StackReference ${fullName}: stack ${stack} has not been planned in this run; plan it first (layers run in apply order), ` +
          `e.g. npm run plan -- --layers <upstream>,<this layer>`,
      );
    }
    const secretOutputNames = this.options.upstreamSecrets[stack] ?? [];
    return { id: fullName, state: { name: fullName, outputs, secretOutputNames } };
  }

  /** A subnet of an upstream stack's `private_subnet_ids` / `public_subnet_ids` (core puts subnet i in zone i). */
  private subnet(subnetId: string): pulumi.runtime.MockCallResult {
    for (const [stack, outputs] of Object.entries(this.options.upstream)) {
      this.upstreamRead.add(stack);
      for (const tier of ["private_subnet_ids", "public_subnet_ids"]) {
        const ids = outputs[tier];
        const i = Array.isArray(ids) ? ids.indexOf(subnetId) : -1;
        if (i < 0) continue;
        const zones = INVOKES["aws:index/getAvailabilityZones:getAvailabilityZones"]({}, this.options.region);
        const names = zones.names as string[];
        const zoneIds = zones.zoneIds as string[];
        return { id: subnetId, availabilityZone: names[i], availabilityZoneId: zoneIds[i], vpcId: outputs.vpc_id ?? null, state: "available", mapPublicIpOnLaunch: false, arn: this.arn("ec2", `subnet/${subnetId}`) };
      }
    }
    throw new Error(`getSubnet ${subnetId}: no planned stack exports this subnet id (plan core first)`);
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    this.invokes.push({ token: args.token });
    if (args.token === "aws:ec2/getSubnet:getSubnet") return this.subnet(String((args.inputs as PropertyMap).id ?? ""));
    const answer = INVOKES[args.token];
    if (!answer) {
      throw new Error(`unmocked invoke ${args.token}: add a realistic answer to INVOKES in src/plan/mockCloud.ts`);
    }
    return answer(args.inputs as PropertyMap, this.options.region);
  }
}

type InvokeAnswer = (inputs: PropertyMap, region: string) => Record<string, PropertyValue>;

/** Answers for every invoke the stacks make, shaped like the provider's real results. */
export const INVOKES: Readonly<Record<string, InvokeAnswer>> = {
  "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, region) => ({
    id: region,
    names: ["a", "b", "c"].map((z) => `${region}${z}`),
    zoneIds: ["az1", "az2", "az3"].map((z) => `euw2-${z}`),
    groupNames: [region],
    state: "available",
  }),
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    id: MOCK_ACCOUNT_ID,
    accountId: MOCK_ACCOUNT_ID,
    arn: `arn:aws:sts::${MOCK_ACCOUNT_ID}:assumed-role/fraud-platform-dev-full-ci/plan`,
    userId: "AROAEXAMPLEPLANNER:plan",
  }),
  "aws:index/getRegion:getRegion": (_inputs, region) => ({ id: region, name: region, region, description: "Europe (London)", endpoint: `ec2.${region}.amazonaws.com` }),
  "aws:index/getPartition:getPartition": () => ({ id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" }),
  // An ECC_NIST_P256 public key derived from the key id, so the same plan gives the same PEM.
  "aws:kms/getPublicKey:getPublicKey": (inputs) => {
    const keyId = String(inputs.keyId ?? "");
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(createHash("sha256").update(`mock-kms-public-key:${keyId}`).digest());
    const spki = Buffer.concat([Buffer.from("3059301306072a8648ce3d020106082a8648ce3d030107034200", "hex"), ecdh.getPublicKey()]);
    const publicKeyPem = createPublicKey({ key: spki, format: "der", type: "spki" }).export({ type: "spki", format: "pem" }).toString();
    return { id: keyId, arn: keyId, keyId, publicKey: spki.toString("base64"), publicKeyPem, keyUsage: "SIGN_VERIFY", customerMasterKeySpec: "ECC_NIST_P256", signingAlgorithms: ["ECDSA_SHA_256"], encryptionAlgorithms: [] };
  },
};

/** Wraps a value as a serialized secret (how StackReference hands secret outputs back). */
export function secretValue(value: PropertyValue): PropertyValue {
  return { [SIG_KEY]: SECRET_SIG, value };
}
