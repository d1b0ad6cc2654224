/**
 * The offline stand-in for AWS and the Pulumi engine: realistic, deterministic ids and computed attributes for
 * every resource, answers for the invokes the stacks make, and upstream stack outputs for StackReferences.
 * Deterministic (hashes of the URN-ish identity), so the same program always yields the same plan and the
 * evidence built from it has stable digests. An invoke nobody answers is an error, never a silent `{}`.
 */
import { createHash } from "crypto";
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

  constructor(private readonly options: MockCloudOptions) {}

  private arn(service: string, resourcePath: string, global = false): string {
    return `arn:aws:${service}:${global ? "" : this.options.region}:${MOCK_ACCOUNT_ID}:${resourcePath}`;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs = (args.inputs ?? {}) as PropertyMap;
    if (args.type === "pulumi:pulumi:StackReference") return this.stackReference(inputs, args.name);
    const seed = `${args.type}::${args.name}`;
    const name = physicalName(inputs, args.name);
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
        state.arn = this.arn("kms", `key/${id}`);
        break;
      case "aws:kms/alias:Alias":
        state.arn = this.arn("kms", name);
        state.targetKeyArn = this.arn("kms", `key/${String(inputs.targetKeyId ?? "")}`);
        break;
      case "aws:iam/role:Role":
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
      default:
        if (args.custom !== false && !state.arn) state.arn = this.arn(service || "unknown", `${kind.toLowerCase() || "resource"}/${name}`);
    }
    return { id, state: { ...state, id } };
  }

  /** Upstream outputs for `new pulumi.StackReference("<org>/fraud-platform/<stack>")`. */
  private stackReference(inputs: PropertyMap, logicalName: string): pulumi.runtime.MockResourceResult {
    const fullName = String(inputs.name ?? logicalName);
    const stack = fullName.split("/").pop() ?? fullName;
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

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    this.invokes.push({ token: args.token });
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
};

/** Wraps a value as a serialized secret (how StackReference hands secret outputs back). */
export function secretValue(value: PropertyValue): PropertyValue {
  return { [SIG_KEY]: SECRET_SIG, value };
}
