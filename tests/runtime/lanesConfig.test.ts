/** Runtime lanes settings (admission record, endpoint exposure, spine switch), admission tags and entrypoints. */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { eksAdmissionSchema, runtimeLanesSettingsSchema } from "../../src/config/runtimeLanesSettings";
import { ADMISSION_TAG_KEYS, admissionProblems, admissionTags, todayUtc } from "../../src/runtime/admission";
import { commandFor } from "../../src/runtime/entrypoints";

const shared = parse(fs.readFileSync(path.join(__dirname, "../../Pulumi.dev-full.yaml"), "utf8")) as { config: Record<string, unknown> };
const lanes = () => JSON.parse(JSON.stringify(shared.config["fraud-platform:runtimeLanes"])) as Record<string, Record<string, Record<string, unknown>>>;
const messages = (value: unknown) => {
  const r = runtimeLanesSettingsSchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("runtime lanes settings", () => {
  it("accept the environment's section: private endpoint, spine off, fallback off", () => {
    const s = runtimeLanesSettingsSchema.parse(lanes());
    expect(s.eks.publicAccessCidrs).toEqual([]);
    expect(s.eks.nodeGroup).toMatchObject({ desiredSize: 0, instanceTypes: ["t3.medium"] });
    expect(s.ecs.spineServicesEnabled).toBe(false);
    expect(s.eks.flinkFallback.enabled).toBe(false);
  });

  it("refuse a world-open public endpoint", () => {
    const v = lanes();
    v.eks.publicAccessCidrs = ["0.0.0.0/0"] as unknown as Record<string, unknown>;
    expect(messages(v)).toEqual([expect.stringMatching(/^eks.publicAccessCidrs: .*never 0.0.0.0\/0/)]);
  });

  it("refuse turning the spine on with a mutable image or without a run id (DA-61, DA-63)", () => {
    const v = lanes();
    v.ecs.spineServicesEnabled = true as unknown as Record<string, unknown>;
    v.ecs.image = "dev-full-latest" as unknown as Record<string, unknown>;
    expect(messages(v)).toEqual([expect.stringMatching(/^ecs.image: .*immutable.*DA-61/), expect.stringMatching(/^ecs.platformRunId: .*DA-63/)]);
    v.ecs.image = "git-0123abc-run-42" as unknown as Record<string, unknown>;
    v.ecs.platformRunId = "run-20261125-001" as unknown as Record<string, unknown>;
    expect(messages(v)).toEqual([]);
  });

  it("require an approval reference to turn the EMR-on-EKS fallback on", () => {
    const v = lanes();
    v.eks.flinkFallback = { enabled: true, approvalRef: "" };
    expect(messages(v)).toEqual([expect.stringMatching(/^eks.flinkFallback.approvalRef: /)]);
  });

  it("keep the admission review within 30 days of the last review, in tag-safe text", () => {
    const a = lanes().eks.admission;
    expect(eksAdmissionSchema.safeParse({ ...a, reviewedOn: "2026-11-25", reviewBy: "2027-01-30" }).success).toBe(false);
    expect(eksAdmissionSchema.safeParse({ ...a, reviewedOn: "2026-11-25", reviewBy: "2026-11-01" }).success).toBe(false);
    expect(eksAdmissionSchema.safeParse({ ...a, reason: "needs, commas" }).success).toBe(false);
    expect(eksAdmissionSchema.safeParse(a).success).toBe(true);
  });
});

describe("admission record as tags", () => {
  const record = eksAdmissionSchema.parse({ ...lanes().eks.admission, reviewedOn: "2026-11-25", reviewBy: "2026-12-24" });
  const tags = admissionTags(record);

  it("round-trip every field through its tag key", () => {
    expect(Object.keys(tags).sort()).toEqual(Object.values(ADMISSION_TAG_KEYS).sort());
    expect(admissionProblems(tags, record.reviewedOn, 30)).toEqual([]);
  });
  it("report an overdue review, a review too far ahead and a missing field", () => {
    expect(admissionProblems(tags, "2027-01-01", 30)).toEqual([expect.stringMatching(/overdue/)]);
    expect(admissionProblems(tags, "2026-11-01", 30)).toEqual([expect.stringMatching(/53 days ahead.*at most 30/)]);
    const { [ADMISSION_TAG_KEYS.rollbackPath]: _gone, ...partial } = tags;
    expect(admissionProblems(partial, record.reviewedOn, 30)).toEqual([expect.stringMatching(/missing fp_eks_admission_rollback_path/)]);
  });
  it("date today in UTC", () => {
    expect(todayUtc(new Date("2026-11-25T23:59:00Z"))).toBe("2026-11-25");
  });
});

describe("entrypoint commands", () => {
  const decisionLane = "python -m fraud_detection.degrade_ladder.worker; python -m fraud_detection.decision_fabric.worker";
  it("pick the workload's command from a multi-worker handle", () => {
    expect(commandFor("ENTRYPOINT_DECISION_LANE_WORKER", decisionLane, "fraud_detection.decision_fabric.worker")).toEqual([
      "python",
      "-m",
      "fraud_detection.decision_fabric.worker",
    ]);
  });
  it("take a single opaque command as it is", () => {
    expect(commandFor("ENTRYPOINT_CM_SERVICE", "/app/bin/case-mgmt --serve", "fraud_detection.case_mgmt.worker")).toEqual(["/app/bin/case-mgmt", "--serve"]);
  });
  it("fail, naming the handle, when the module is not among the commands", () => {
    expect(() => commandFor("ENTRYPOINT_DECISION_LANE_WORKER", decisionLane, "fraud_detection.action_layer.worker")).toThrow(
      /ENTRYPOINT_DECISION_LANE_WORKER: expected exactly one command running fraud_detection.action_layer.worker/,
    );
  });
});
