/**
 * The offline stand-in for AWS and the Pulumi engine: realistic, deterministic ids and computed attributes for
 * every resource, answers for the invokes the stacks make, and upstream stack outputs for StackReferences.
 * Deterministic (hashes of the URN-ish identity), so the same program always yields the same plan and the
 * evidence built from it has stable digests. What each resource type gets is a table per layer
 * (src/plan/mockCloud/<layer>.ts); ids, ARNs and endpoints carry the configured region in its AWS forms
 * (src/plan/mockCloud/regions.ts). A resource type or invoke nobody mocked is an error, never a silent `{}`.
 */
import * as pulumi from "@pulumi/pulumi";
import { PropertyMap } from "./previewDocument";
import { BUILTIN_RESOURCES } from "./mockCloud/builtins";
import { CORE_RESOURCES } from "./mockCloud/core";
import { DATA_ML_RESOURCES } from "./mockCloud/dataMl";
import { INVOKES } from "./mockCloud/invokes";
import { OPS_RESOURCES } from "./mockCloud/ops";
import { AwsRegion, awsRegion } from "./mockCloud/regions";
import { MOCK_ACCOUNT_ID, ResourceContext, ResourceTable } from "./mockCloud/resource";
import { RUNTIME_RESOURCES } from "./mockCloud/runtime";
import { STREAMING_RESOURCES } from "./mockCloud/streaming";

export { MOCK_ACCOUNT_ID, secretValue } from "./mockCloud/resource";
export { INVOKES } from "./mockCloud/invokes";

/** Every resource type the mock cloud answers, from the layer tables; a type in two tables is an error. */
export const MOCK_RESOURCES: ResourceTable = mergeTables({
  builtins: BUILTIN_RESOURCES,
  core: CORE_RESOURCES,
  streaming: STREAMING_RESOURCES,
  runtime: RUNTIME_RESOURCES,
  data_ml: DATA_ML_RESOURCES,
  ops: OPS_RESOURCES,
});

function mergeTables(tables: Record<string, ResourceTable>): ResourceTable {
  const merged: Record<string, ResourceTable[string]> = {};
  const owner: Record<string, string> = {};
  for (const [layer, table] of Object.entries(tables)) {
    for (const [type, mock] of Object.entries(table)) {
      if (owner[type]) throw new Error(`mock cloud: ${type} has an entry in both the ${owner[type]} and the ${layer} tables (src/plan/mockCloud/); keep one`);
      owner[type] = layer;
      merged[type] = mock;
    }
  }
  return merged;
}

export interface MockCloudOptions {
  region: string;
  /** Outputs of already planned stacks, by stack name (secrets still wrapped). */
  upstream: Readonly<Record<string, PropertyMap>>;
  /** Names of secret outputs per upstream stack. */
  upstreamSecrets: Readonly<Record<string, string[]>>;
}

/** Physical name of a resource from its inputs (the property naming it), or the logical name. */
function physicalName(inputs: PropertyMap, logicalName: string): string {
  for (const key of ["name", "bucket", "clusterName", "functionName", "tableName", "roleName", "registryName", "repositoryName"]) {
    const v = inputs[key];
    if (typeof v === "string" && v) return v;
  }
  return logicalName;
}

export class MockCloud implements pulumi.runtime.Mocks {
  /** Every invoke token the program called. */
  readonly invokes: Array<{ token: string }> = [];
  /** Upstream stacks whose outputs an answer of this cloud depended on (StackReferences, subnet lookups). */
  readonly upstreamRead = new Set<string>();
  /** Region of each explicit provider by provider id (a resource's ARN carries its provider's region). */
  private readonly providerRegions = new Map<string, string>();
  private readonly region: AwsRegion;

  constructor(private readonly options: MockCloudOptions) {
    this.region = awsRegion(options.region);
  }

  private arn(service: string, resourcePath: string, global = false): string {
    return `arn:aws:${service}:${global ? "" : this.region.code}:${MOCK_ACCOUNT_ID}:${resourcePath}`;
  }

  /** Region of the provider a resource is managed by (`<provider urn>::<id>`); the home region by default. */
  private regionOf(provider: string | undefined): string {
    const id = provider?.split("::").pop();
    return (id !== undefined && this.providerRegions.get(id)) || this.region.code;
  }

  private context(args: pulumi.runtime.MockResourceArgs, inputs: PropertyMap): ResourceContext {
    return {
      inputs,
      seed: `${args.type}::${args.name}`,
      // A read (`Resource.get`) has no inputs: its id is the physical name.
      name: physicalName(inputs, args.id || args.name),
      region: this.region,
      arn: (service, resourcePath, global) => this.arn(service, resourcePath, global),
      providerRegion: () => this.regionOf(args.provider),
      recordProviderRegion: (providerId, region) => {
        this.providerRegions.set(providerId, awsRegion(region, `the region of provider ${args.name}`).code);
      },
      upstreamStack: (stack) => {
        this.upstreamRead.add(stack);
        const outputs = this.options.upstream[stack];
        return outputs ? { outputs, secretOutputNames: this.options.upstreamSecrets[stack] ?? [] } : undefined;
      },
    };
  }

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs = (args.inputs ?? {}) as PropertyMap;
    const mock = Object.prototype.hasOwnProperty.call(MOCK_RESOURCES, args.type) ? MOCK_RESOURCES[args.type] : undefined;
    const ctx = this.context(args, inputs);
    if (!mock) {
      // A component has no cloud counterpart: its state is its inputs.
      if (args.custom === false) return { id: ctx.name, state: { ...inputs, id: ctx.name } };
      throw new Error(`unmocked resource type ${args.type} (${args.name}): add a realistic entry to its layer's table in src/plan/mockCloud/`);
    }
    const { id, state, whole } = mock(args, ctx);
    return { id, state: whole ? state : { ...inputs, ...state, id } };
  }

  /** A subnet of an upstream stack's `private_subnet_ids` / `public_subnet_ids` (core puts subnet i in zone i). */
  private subnet(subnetId: string): pulumi.runtime.MockCallResult {
    for (const [stack, outputs] of Object.entries(this.options.upstream)) {
      this.upstreamRead.add(stack);
      for (const tier of ["private_subnet_ids", "public_subnet_ids"]) {
        const ids = outputs[tier];
        const i = Array.isArray(ids) ? ids.indexOf(subnetId) : -1;
        if (i < 0) continue;
        const zones = INVOKES["aws:index/getAvailabilityZones:getAvailabilityZones"]({}, this.region);
        const names = zones.names as string[];
        const zoneIds = zones.zoneIds as string[];
        return {
          id: subnetId,
          availabilityZone: names[i],
          availabilityZoneId: zoneIds[i],
          vpcId: outputs.vpc_id ?? null,
          state: "available",
          mapPublicIpOnLaunch: false,
          arn: this.arn("ec2", `subnet/${subnetId}`),
        };
      }
    }
    throw new Error(`getSubnet ${subnetId}: no planned stack exports this subnet id (plan core first)`);
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    this.invokes.push({ token: args.token });
    if (args.token === "aws:ec2/getSubnet:getSubnet") return this.subnet(String((args.inputs as PropertyMap).id ?? ""));
    const answer = Object.prototype.hasOwnProperty.call(INVOKES, args.token) ? INVOKES[args.token] : undefined;
    if (!answer) {
      throw new Error(`unmocked invoke ${args.token}: add a realistic answer to INVOKES in src/plan/mockCloud/invokes.ts`);
    }
    return answer(args.inputs as PropertyMap, this.region);
  }
}
