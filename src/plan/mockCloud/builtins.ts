/**
 * Mocks of the Pulumi engine's own types: providers (an explicit AWS provider's region feeds the ARNs of what it
 * manages) and StackReferences (the outputs of the upstream stacks planned before this one).
 */
import { ResourceMock, ResourceTable, entriesOf, genericArn, uuid } from "./resource";

/** A provider with a uuid id; its `region` input, when it has one, is the region of the resources it manages. */
const regionalProvider: ResourceMock = (_args, { inputs, seed, recordProviderRegion }) => {
  const id = uuid(seed);
  if (typeof inputs.region === "string") recordProviderRegion(id, inputs.region);
  return { id, state: {} };
};

/** `new pulumi.StackReference("<org>/fraud-platform/<stack>")`: the upstream stack's outputs. */
const stackReference: ResourceMock = (args, { inputs, upstreamStack }) => {
  const fullName = String(inputs.name ?? args.name);
  const stack = fullName.split("/").pop() ?? fullName;
  const upstream = upstreamStack(stack);
  if (!upstream) {
    throw new Error(
      `StackReference ${fullName}: stack ${stack} has not been planned in this run; plan it first (layers run in apply order), ` +
        `e.g. npm run plan -- --layers <upstream>,<this layer>`,
    );
  }
  return { id: fullName, state: { name: fullName, outputs: upstream.outputs, secretOutputNames: upstream.secretOutputNames }, whole: true };
};

export const BUILTIN_RESOURCES: ResourceTable = {
  ...entriesOf(["pulumi:providers:aws", "pulumi:providers:databricks"], regionalProvider),
  ...entriesOf(["pulumi:providers:eks", "pulumi:providers:kafka", "pulumi:providers:kubernetes", "pulumi:providers:random"], genericArn),
  "pulumi:pulumi:StackReference": stackReference,
};
