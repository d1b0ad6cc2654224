/** The residual scan's sorting of findings (pure): retained, residual, idle cost, deleting, or nothing. */
import { loadRegistry } from "../../src/registry/registry";
import { SERVICE_CHECKS, classify, retainedSetOf } from "../../src/teardown/residualScan";
import { ARN } from "./fakes";

const retained = retainedSetOf(loadRegistry(), { kmsKeyArns: [ARN.kmsKey] });
const resource = (arn: string, extra: { running?: boolean; billsAtRest?: boolean; runningRemedy?: string } = {}) => ({
  kind: "resource" as const,
  arn,
  name: "x",
  check: "c",
  running: false,
  ...extra,
});

describe("classify", () => {
  it("keeps the retained set in both modes, whatever runs", () => {
    for (const mode of ["teardown", "idle"] as const) {
      expect(classify(resource(ARN.evidenceBucket, { running: true }), mode, retained)).toEqual({
        bucket: "retained",
        item: { arn: ARN.evidenceBucket, surface: "evidence bucket", why: expect.any(String) },
      });
    }
  });

  it("after a teardown, anything else is residual with the teardown remedy", () => {
    const sorted = classify(resource(ARN.msk), "teardown", retained);
    expect(sorted).toMatchObject({
      bucket: "residual",
      item: { arn: ARN.msk, service: "kafka", resource_type: "cluster", check: "c", costly: true, remedy: expect.stringMatching(/npm run teardown/) },
    });
    expect(classify(resource(ARN.nodeGroup, { billsAtRest: false }), "teardown", retained).bucket).toBe("residual");
  });

  it("when idle: running capacity is residual, a surface billing at rest is an idle cost, capacity at zero is nothing", () => {
    expect(classify(resource(ARN.nodeGroup, { running: true, billsAtRest: false }), "idle", retained)).toMatchObject({
      bucket: "residual",
      item: { remedy: expect.stringMatching(/idleSafe true/) },
    });
    expect(classify(resource(ARN.endpoint, { running: true, runningRemedy: "delete the endpoint" }), "idle", retained)).toMatchObject({
      bucket: "residual",
      item: { remedy: "delete the endpoint" },
    });
    expect(classify(resource(ARN.msk), "idle", retained)).toMatchObject({ bucket: "idle_cost", item: { remedy: expect.stringMatching(/only a teardown/) } });
    expect(classify(resource(ARN.nodeGroup, { billsAtRest: false }), "idle", retained)).toEqual({ bucket: "none" });
  });

  it("passes deleting, check-retained and counted findings through", () => {
    expect(classify({ kind: "deleting", arn: ARN.aurora, state: "deleting", check: "rds" }, "teardown", retained)).toEqual({
      bucket: "deleting",
      item: { arn: ARN.aurora, state: "deleting" },
    });
    expect(
      classify(
        { kind: "retained", arn: "arn:aws:s3:::locked", surface: "locked objects in locked", why: "Object Lock", check: "tagging" },
        "teardown",
        retained,
      ),
    ).toEqual({
      bucket: "retained",
      item: { arn: "arn:aws:s3:::locked", surface: "locked objects in locked", why: "Object Lock" },
    });
    expect(classify({ kind: "counted", arn: ARN.msk, check: "tagging" }, "teardown", retained)).toEqual({ bucket: "none" });
  });
});

describe("the check table", () => {
  it("runs the direct checks before the inventory, each with the IAM actions of its commands", () => {
    expect(SERVICE_CHECKS.map((c) => c.id)).toEqual([
      "eks",
      "ecs",
      "msk",
      "rds",
      "elasticache",
      "sagemaker",
      "ec2.nat",
      "elbv2",
      "ec2.instances",
      "tagging",
      "msf",
      "emr-serverless",
    ]);
    for (const c of SERVICE_CHECKS) expect({ id: c.id, actions: c.iamActions }).toEqual({ id: c.id, actions: [...new Set(c.commands.map((x) => x.action))] });
  });
});
