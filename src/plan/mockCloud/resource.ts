/**
 * The shape of the mock cloud's per-layer tables: a resource type maps to a function that gives the resource's id
 * and the attributes the cloud computes for it (ARNs, endpoints, generated ids), from its inputs and a context
 * holding the region and a deterministic seed. Values are hashes of the resource's identity, so the same program
 * always yields the same plan.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { PropertyMap, PropertyValue, SECRET_SIG, SIG_KEY } from "../previewDocument";
import { AwsRegion } from "./regions";

/** The account id every mocked ARN carries (clearly not a real account). */
export const MOCK_ACCOUNT_ID = "123456789012";

/** The first `length` hex digits of the SHA-256 of `seed`. */
export function hex(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** A version-4-shaped UUID derived from `seed`. */
export function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Wraps a value as a serialized secret (how StackReference hands secret outputs back). */
export function secretValue(value: PropertyValue): PropertyValue {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** What a table entry knows about the resource being created or read, and the cloud it is created in. */
export interface ResourceContext {
  /** The resource's inputs. */
  readonly inputs: PropertyMap;
  /** `<type>::<logical name>`: the seed of every generated value. */
  readonly seed: string;
  /** Physical name: the input naming the resource (`name`, `bucket`, ...), the read id, or the logical name. */
  readonly name: string;
  /** The home region (the stack's configured region). */
  readonly region: AwsRegion;
  /** `arn:aws:<service>:<home region>:<account>:<path>`; a global ARN has an empty region. */
  arn(service: string, resourcePath: string, global?: boolean): string;
  /** Region code of the provider managing the resource (an explicit provider's region, else the home region). */
  providerRegion(): string;
  /** Notes the region of an explicit provider, for the ARNs of the resources it manages; an unknown code is an error. */
  recordProviderRegion(providerId: string, region: string): void;
  /** Outputs of an upstream stack planned in this run (noted as read), for a StackReference; undefined when it was not. */
  upstreamStack(stack: string): { outputs: PropertyMap; secretOutputNames: string[] } | undefined;
}

/** A resource's id and the attributes the cloud computes; they are laid over the inputs (and the id) to form its state. */
export interface MockedResource {
  id: string;
  state: PropertyMap;
  /** The state is the resource's whole state as the engine reports it (a StackReference's), inputs and id not added. */
  whole?: boolean;
}

export type ResourceMock = (args: pulumi.runtime.MockResourceArgs, ctx: ResourceContext) => MockedResource;

/** Resource type token -> its mock. */
export type ResourceTable = Readonly<Record<string, ResourceMock>>;

/** `aws:s3/bucket:Bucket` -> `{ service: "s3", kind: "Bucket" }`. */
function parseType(type: string): { service: string; kind: string } {
  const [, mod = "", kind = ""] = type.split(":");
  const [service] = mod.split("/");
  return { service, kind };
}

/**
 * A resource the cloud computes nothing for but an ARN of the generic form `<service>:...:<kind>/<name>` (kept when
 * the inputs carry one); its id is its physical name.
 */
export const genericArn: ResourceMock = (args, ctx) => {
  const { service, kind } = parseType(args.type);
  const state: PropertyMap = ctx.inputs.arn ? {} : { arn: ctx.arn(service || "unknown", `${kind.toLowerCase() || "resource"}/${ctx.name}`) };
  return { id: ctx.name, state };
};

/** Table entries for types that all share one mock. */
export function entriesOf(types: readonly string[], mock: ResourceMock): ResourceTable {
  return Object.fromEntries(types.map((type) => [type, mock]));
}
