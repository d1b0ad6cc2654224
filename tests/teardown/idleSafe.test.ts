/**
 * The idle-safe sizing functions (pure): with the switch off every declared size passes through; with it on every
 * non-essential surface is at zero and the zero is enforced on apply; state (Aurora's range) is never touched.
 */
import fc from "fast-check";
import {
  IdleSafeSettingsView,
  idleSafeAurora,
  idleSafeDesiredCount,
  idleSafeEmrServerless,
  idleSafeNodeGroup,
  idleSafeSizing,
  idleSafeStartApplication,
} from "../../src/teardown/idleSafe";

const window: IdleSafeSettingsView = {
  idleSafe: false,
  runtimeLanes: {
    eks: { nodeGroup: { desiredSize: 2, maxSize: 3 } },
    flink: { startApplication: true },
    emrServerless: { idleTimeoutMinutes: 15 },
    ecs: { spineServicesEnabled: true, desiredCount: 2 },
  },
};
const ACU = { min: 0.5, max: 8 };

describe("idle-safe sizing", () => {
  it("passes the declared sizes through with the switch off (a window-time rescale is kept)", () => {
    expect(idleSafeSizing(window, ACU)).toEqual({
      idleSafe: false,
      eksNodeGroup: { minSize: 0, desiredSize: 2, maxSize: 3, enforced: false },
      ecsServices: { declared: true, desiredCount: 2, enforced: false },
      flink: { startApplication: true },
      emrServerless: { autoStopEnabled: true, idleTimeoutMinutes: 15 },
      aurora: { minAcu: 0.5, maxAcu: 8, idleAcu: 0.5 },
      runningCapacity: { nodes: 2, tasksPerService: 2, flinkApplications: 1 },
    });
  });

  it("puts every non-essential surface at zero with the switch on, enforced, and leaves state alone", () => {
    expect(idleSafeSizing({ ...window, idleSafe: true }, ACU)).toEqual({
      idleSafe: true,
      eksNodeGroup: { minSize: 0, desiredSize: 0, maxSize: 3, enforced: true },
      ecsServices: { declared: true, desiredCount: 0, enforced: true },
      flink: { startApplication: false },
      emrServerless: { autoStopEnabled: true, idleTimeoutMinutes: 15 },
      aurora: { minAcu: 0.5, maxAcu: 8, idleAcu: 0.5 },
      runningCapacity: { nodes: 0, tasksPerService: 0, flinkApplications: 0 },
    });
  });

  it("keeps the other node group settings and lets the component see the enforcement", () => {
    const ng = { desiredSize: 1, maxSize: 2, instanceTypes: ["t3.medium"], diskSizeGib: 20 };
    expect(idleSafeNodeGroup(true, ng)).toEqual({ ...ng, minSize: 0, desiredSize: 0, enforceDesiredSize: true });
    expect(idleSafeNodeGroup(false, ng)).toEqual({ ...ng, minSize: 0, enforceDesiredSize: false });
  });

  it("reports no ECS capacity while the spine services are not declared, and no lanes without runtime settings", () => {
    const off = idleSafeSizing({ ...window, runtimeLanes: { ...window.runtimeLanes!, ecs: { spineServicesEnabled: false, desiredCount: 2 } } }, ACU);
    expect(off.ecsServices).toEqual({ declared: false, desiredCount: 0, enforced: false });
    expect(idleSafeSizing({ idleSafe: true }, ACU)).toEqual({
      idleSafe: true,
      aurora: { minAcu: 0.5, maxAcu: 8, idleAcu: 0.5 },
      runningCapacity: { nodes: 0, tasksPerService: 0, flinkApplications: 0 },
    });
  });

  it("never leaves capacity running with the switch on, whatever is declared (property)", () => {
    fc.assert(
      fc.property(
        fc.nat(50),
        fc.integer({ min: 1, max: 50 }),
        fc.nat(20),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 10080 }),
        (desired, max, count, start, spine, timeout) => {
          const s = idleSafeSizing(
            {
              idleSafe: true,
              runtimeLanes: {
                eks: { nodeGroup: { desiredSize: desired, maxSize: max } },
                flink: { startApplication: start },
                emrServerless: { idleTimeoutMinutes: timeout },
                ecs: { spineServicesEnabled: spine, desiredCount: count },
              },
            },
            ACU,
          );
          expect(s.runningCapacity).toEqual({ nodes: 0, tasksPerService: 0, flinkApplications: 0 });
          expect(s.eksNodeGroup?.maxSize).toBe(max);
          expect(s.emrServerless).toEqual({ autoStopEnabled: true, idleTimeoutMinutes: timeout });
        },
      ),
    );
    fc.assert(fc.property(fc.nat(100), (n) => idleSafeDesiredCount(false, n) === n && idleSafeDesiredCount(true, n) === 0));
    expect([idleSafeStartApplication(true, true), idleSafeStartApplication(false, true), idleSafeStartApplication(false, false)]).toEqual([false, true, false]);
    expect(idleSafeAurora(true, ACU)).toEqual(idleSafeAurora(false, ACU));
    expect(idleSafeEmrServerless(true, 15)).toEqual(idleSafeEmrServerless(false, 15));
  });
});
