/**
 * The idle-safe switch (`fraud-platform:idleSafe`, DA-100): one environment setting that
 * scales every non-essential runtime surface to zero without destroying state. These pure functions map the
 * declared sizes to the effective ones; the runtime stack calls them where it sizes a surface, so the plan, the
 * policy pack and the cost model see the switch like any other config.
 *
 * | surface | switch off (declared) | switch on (idle-safe) |
 * | --- | --- | --- |
 * | EKS managed node group | min 0, desired as declared (a window-time rescale is kept) | min 0, desired 0, enforced on apply |
 * | ECS spine services | desired as declared (a window-time rescale is kept) | desired 0, enforced on apply |
 * | MSF Flink application | started when `flink.startApplication` | not running (force-stopped on apply) |
 * | EMR Serverless | auto-stop after `idleTimeoutMinutes` | the same: auto-stop is always on |
 * | Aurora Serverless v2 | AURORA_ACU_RANGE | the same range: with no connections it sits at its minimum ACU |
 *
 * The switch never touches state: buckets, keys, registries, Aurora data, MSK and its topics stay as they are.
 * Aurora's range is pinned by the registry and held to it by the DA-58 policy, so the switch does not narrow it;
 * Serverless v2 scales itself down to the floor when idle, which is what the cost model prices at idle.
 * "Enforced" means the component drops its `ignoreChanges` on the size, so `pulumi up --refresh` resets a size
 * that CI or an operator raised for a proof window.
 */
import { AcuRange } from "../datastores/aurora";

/** Node group sizing as the environment declares it (runtimeLanes.eks.nodeGroup). */
export interface DeclaredNodeGroup {
  desiredSize: number;
  maxSize: number;
}

/** The node group sizing a stack applies, plus whether the desired size is enforced on every apply. */
export type EffectiveNodeGroup<T extends DeclaredNodeGroup> = T & { minSize: 0; enforceDesiredSize: boolean };

/** EKS managed node group: min is always 0 (DA-93); idle-safe forces desired 0 and enforces it. */
export function idleSafeNodeGroup<T extends DeclaredNodeGroup>(idleSafe: boolean, nodeGroup: T): EffectiveNodeGroup<T> {
  return { ...nodeGroup, minSize: 0, desiredSize: idleSafe ? 0 : nodeGroup.desiredSize, enforceDesiredSize: idleSafe };
}

/** ECS service desired count: 0 under idle-safe, else as declared. */
export function idleSafeDesiredCount(idleSafe: boolean, desiredCount: number): number {
  return idleSafe ? 0 : desiredCount;
}

/** MSF application: never started under idle-safe (the provider stops a running one on apply). */
export function idleSafeStartApplication(idleSafe: boolean, startApplication: boolean): boolean {
  return idleSafe ? false : startApplication;
}

/** EMR Serverless: auto-stop stays on in both postures; the application bills nothing once stopped. */
export function idleSafeEmrServerless(_idleSafe: boolean, idleTimeoutMinutes: number): { autoStopEnabled: true; idleTimeoutMinutes: number } {
  return { autoStopEnabled: true, idleTimeoutMinutes };
}

/** Aurora Serverless v2: the pinned range in both postures; idle capacity is its minimum ACU. */
export function idleSafeAurora(_idleSafe: boolean, range: AcuRange): { minAcu: number; maxAcu: number; idleAcu: number } {
  return { minAcu: range.min, maxAcu: range.max, idleAcu: range.min };
}

/** The parts of the environment the switch reads (a subset of EnvironmentSettings, so tests need no full env). */
export interface IdleSafeSettingsView {
  idleSafe: boolean;
  runtimeLanes?: {
    eks: { nodeGroup: DeclaredNodeGroup };
    flink: { startApplication: boolean };
    emrServerless: { idleTimeoutMinutes: number };
    ecs: { spineServicesEnabled: boolean; desiredCount: number };
  };
}

/** Effective sizes of every non-essential surface, for the dry run, the docs and the tests. */
export interface IdleSafeSizing {
  idleSafe: boolean;
  eksNodeGroup?: { minSize: 0; desiredSize: number; maxSize: number; enforced: boolean };
  /** Per spine service (only declared when `ecs.spineServicesEnabled`). */
  ecsServices?: { declared: boolean; desiredCount: number; enforced: boolean };
  flink?: { startApplication: boolean };
  emrServerless?: { autoStopEnabled: true; idleTimeoutMinutes: number };
  aurora: { minAcu: number; maxAcu: number; idleAcu: number };
  /** Capacity left running by the switch: nodes, tasks per service, Flink applications started. */
  runningCapacity: { nodes: number; tasksPerService: number; flinkApplications: number };
}

export function idleSafeSizing(settings: IdleSafeSettingsView, auroraRange: AcuRange): IdleSafeSizing {
  const on = settings.idleSafe;
  const lanes = settings.runtimeLanes;
  const aurora = idleSafeAurora(on, auroraRange);
  if (!lanes) return { idleSafe: on, aurora, runningCapacity: { nodes: 0, tasksPerService: 0, flinkApplications: 0 } };
  const ng = idleSafeNodeGroup(on, lanes.eks.nodeGroup);
  const declared = lanes.ecs.spineServicesEnabled;
  const desiredCount = declared ? idleSafeDesiredCount(on, lanes.ecs.desiredCount) : 0;
  const start = idleSafeStartApplication(on, lanes.flink.startApplication);
  return {
    idleSafe: on,
    eksNodeGroup: { minSize: ng.minSize, desiredSize: ng.desiredSize, maxSize: ng.maxSize, enforced: ng.enforceDesiredSize },
    ecsServices: { declared, desiredCount, enforced: on },
    flink: { startApplication: start },
    emrServerless: idleSafeEmrServerless(on, lanes.emrServerless.idleTimeoutMinutes),
    aurora,
    runningCapacity: { nodes: ng.desiredSize, tasksPerService: desiredCount, flinkApplications: start ? 1 : 0 },
  };
}
