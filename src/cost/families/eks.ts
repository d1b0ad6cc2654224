/**
 * EKS: the cluster control plane (cluster-hours) and managed node groups (instance-hours plus root volumes),
 * from `aws:eks/*` resources or, when a real preview shows no children, from the inputs of the `@pulumi/eks`
 * components `eks:index:Cluster` (control plane + default node group) and `eks:index:ManagedNodeGroup`.
 * Node groups run their desired size during runtime windows (the profile's node count when declared at 0) and
 * sit at their minimum size while idle: a minimum above 0 keeps billing between windows (DA-93).
 */
import { Decimal } from "../decimal";
import { CostInput, Inputs } from "../inputs";
import { ONE, hourly, n } from "./common";
import { ComponentSpec, Family, ModelContext, ResourceModel } from "./types";

/** AWS defaults of a managed node group: t3.medium, 20 GiB root volume (gp2 unless a launch template says). */
const NODE_GROUP_DEFAULT_INSTANCE = "t3.medium";
const NODE_GROUP_DEFAULT_DISK_GB = 20;
/** @pulumi/eks defaults of the default node group (see eks ClusterArgs docs). */
const EKS_COMPONENT_DEFAULTS = { desiredCapacity: 2, minSize: 1, maxSize: 2, instanceType: "t3.medium", rootVolumeGb: 20, rootVolumeType: "gp2" };

function controlPlane(inputs: Inputs, notes: string[]): ComponentSpec {
  const supportType = inputs.string("upgradePolicy.supportType");
  if (supportType !== "STANDARD") {
    notes.push(
      `upgradePolicy.supportType is ${supportType ?? "unset (AWS default EXTENDED)"}: priced at standard support; the cluster bills the extended-support rate once its version leaves standard support. Set supportType STANDARD.`,
    );
  }
  return hourly("Cluster hours (standard support)", "hours", "eks.cluster-hour", ONE);
}

export const eksCluster: Family = (_r, inputs) => {
  const notes: string[] = [];
  return { surfaceClass: "runtime", idleSafe: "retainIfProtected", components: [controlPlane(inputs, notes)], notes };
};

interface NodeGroupShape {
  desired: Decimal;
  min: Decimal;
  max: Decimal;
  instanceType: string;
  spot: boolean;
  disk?: { gb: Decimal; volumeType: string };
  diskUnknown?: string;
}

function nodeGroupComponents(shape: NodeGroupShape, ctx: ModelContext, unpriced: string[], notes: string[]): ComponentSpec[] {
  const inWindow = shape.desired.gt(0) ? shape.desired : Decimal.min(shape.max, n(ctx.settings.capacity.nodesPerNodeGroupInWindow));
  if (shape.desired.isZero())
    notes.push(`declared at desired 0: runs ${inWindow.toString()} node(s) during runtime windows (capacity.nodesPerNodeGroupInWindow, capped at maxSize)`);
  const idle = Decimal.min(shape.min, inWindow);
  if (shape.min.gt(0)) notes.push(`minSize ${shape.min.toString()} keeps ${shape.min.toString()} node(s) billing between windows; DA-93 wants minSize 0`);
  const sku = shape.spot ? `ec2.${shape.instanceType}.spot` : `ec2.${shape.instanceType}`;
  if (shape.spot) unpriced.push("SPOT capacity: the price table has no spot prices");
  const components = [hourly(`Instance hours (${shape.instanceType}${shape.spot ? ", spot" : ""})`, "instance-hours", sku, inWindow, idle)];
  if (shape.disk) {
    components.push({
      name: `Root volumes (${shape.disk.volumeType}, ${shape.disk.gb.toString()} GB per node)`,
      unit: "GB-month",
      sku: `ebs.${shape.disk.volumeType}.gb-month`,
      active: inWindow.times(shape.disk.gb),
      idle: idle.times(shape.disk.gb),
      per: "month",
    });
  } else if (shape.diskUnknown) {
    unpriced.push(shape.diskUnknown);
  }
  return components;
}

/** Root volume of a node group that names a launch template: the template's first EBS mapping, when in the stack. */
function launchTemplateDisk(r: CostInput, inputs: Inputs, ctx: ModelContext): { gb: Decimal; volumeType: string } | undefined {
  const lt = ctx.stack.referenced(r, "aws:ec2/launchTemplate:LaunchTemplate", { input: "launchTemplate.name", targetInputs: ["name"] });
  if (!lt) return undefined;
  const ltInputs = new Inputs(lt.inputs);
  const mappings = ltInputs.array("blockDeviceMappings") ?? [];
  for (let i = 0; i < mappings.length; i++) {
    const gb = ltInputs.decimal(`blockDeviceMappings.${i}.ebs.volumeSize`);
    if (gb) return { gb, volumeType: ltInputs.string(`blockDeviceMappings.${i}.ebs.volumeType`) ?? "gp2" };
  }
  return undefined;
}

export const eksNodeGroup: Family = (r, inputs, ctx) => {
  const unpriced: string[] = [];
  const notes: string[] = [];
  const desired = inputs.decimal("scalingConfig.desiredSize") ?? ONE;
  const shape: NodeGroupShape = {
    desired,
    min: inputs.decimal("scalingConfig.minSize") ?? desired,
    max: inputs.decimal("scalingConfig.maxSize") ?? desired,
    instanceType: inputs.string("instanceTypes.0") ?? NODE_GROUP_DEFAULT_INSTANCE,
    spot: inputs.string("capacityType") === "SPOT",
  };
  if (inputs.has("launchTemplate")) {
    const disk = launchTemplateDisk(r, inputs, ctx);
    if (disk) shape.disk = disk;
    else shape.diskUnknown = "root volumes come from a launch template that is not in this stack (or sets no EBS size)";
  } else {
    shape.disk = { gb: inputs.decimal("diskSize") ?? n(NODE_GROUP_DEFAULT_DISK_GB), volumeType: "gp2" };
  }
  return { surfaceClass: "runtime", idleSafe: "keep", components: nodeGroupComponents(shape, ctx, unpriced, notes), unpriced, notes };
};

/** `eks:index:Cluster` priced from its inputs (only when its children are not in the document). */
export const eksClusterComponent: Family = (_r, inputs, ctx) => {
  const unpriced: string[] = [];
  const notes: string[] = ["priced from the eks:index:Cluster component's inputs (its children are not in the document)"];
  const components = [controlPlane(inputs, notes)];
  const fargate = inputs.value("fargate");
  const skipNodes =
    inputs.boolean("skipDefaultNodeGroup") === true || (fargate !== undefined && fargate !== false) || inputs.boolean("autoMode.enabled") === true;
  if (!skipNodes) {
    const opt = (key: string) => inputs.value(`nodeGroupOptions.${key}`) ?? inputs.value(key);
    const num = (key: string, fallback: number) => Decimal.tryOf(opt(key)) ?? n(fallback);
    const d = EKS_COMPONENT_DEFAULTS;
    const volumeType = opt("nodeRootVolumeType");
    components.push(
      ...nodeGroupComponents(
        {
          desired: num("desiredCapacity", d.desiredCapacity),
          min: num("minSize", d.minSize),
          max: num("maxSize", d.maxSize),
          instanceType: typeof opt("instanceType") === "string" ? String(opt("instanceType")) : d.instanceType,
          spot: opt("spotPrice") !== undefined,
          disk: { gb: num("nodeRootVolumeSize", d.rootVolumeGb), volumeType: typeof volumeType === "string" ? volumeType : d.rootVolumeType },
        },
        ctx,
        unpriced,
        notes,
      ),
    );
  }
  if (inputs.has("autoMode")) unpriced.push("EKS Auto Mode compute is not modelled");
  return { surfaceClass: "runtime", idleSafe: "retainIfProtected", components, unpriced, notes };
};

/** `eks:index:ManagedNodeGroup` priced from its inputs (only when its children are not in the document). */
export const eksManagedNodeGroupComponent: Family = (r, inputs, ctx) => {
  const model: ResourceModel = eksNodeGroup(r, inputs, ctx);
  return { ...model, notes: ["priced from the eks:index:ManagedNodeGroup component's inputs (its children are not in the document)", ...(model.notes ?? [])] };
};
