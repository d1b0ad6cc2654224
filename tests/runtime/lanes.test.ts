/** The runtime lanes as data (src/runtime/lanes.ts) and the pure helpers of the runtime parts. */
import { loadRegistry } from "../../src/registry/registry";
import { STREAM_LANES } from "../../src/iam/streamAccess";
import {
  EVIDENCE_RUNS,
  IRSA_LANES,
  LANE_NAMESPACES,
  REFERENCE_IRSA_OUTPUTS,
  SPINE_SERVICES,
  STATE_MACHINES,
  WSP_TASK,
  fillPattern,
  flinkExecutionTrust,
  flinkS3Grants,
  irsaLogicalName,
  statementSid,
  touchesObjectStore,
} from "../../src/runtime/lanes";
import { mergeDisjoint } from "../../stacks/runtime";

const registry = loadRegistry();
const runtimeHandles = new Set(registry.exportedBy("runtime").map((h) => h.name));

describe("lane tables", () => {
  it("name only runtime handles of the registry: namespaces, IRSA roles, spine names and roles, state machines", () => {
    const named = [
      ...LANE_NAMESPACES.map((n) => n.handle),
      ...IRSA_LANES.flatMap((l) => [l.roleHandle, l.namespaceHandle]),
      ...[...SPINE_SERVICES, WSP_TASK].flatMap((w) => [w.nameHandle, w.taskRoleHandle, w.executionRoleHandle]),
      ...STATE_MACHINES.map((m) => m.handle),
      ...REFERENCE_IRSA_OUTPUTS.map(([, handle]) => handle),
    ];
    expect(named.filter((h) => !runtimeHandles.has(h))).toEqual([]);
  });

  it("give each IRSA lane its own role and service account, in a declared namespace, with registry SSM paths", () => {
    expect(new Set(IRSA_LANES.map((l) => l.roleHandle)).size).toBe(IRSA_LANES.length);
    expect(new Set(IRSA_LANES.map((l) => l.serviceAccount)).size).toBe(IRSA_LANES.length);
    const namespaces = new Set(LANE_NAMESPACES.map((n) => n.handle));
    for (const l of IRSA_LANES) {
      expect([l.lane, namespaces.has(l.namespaceHandle)]).toEqual([l.lane, true]);
      for (const h of l.ssm) expect(registry.string(h)).toMatch(/^\/fraud-platform\/dev_full\//);
      if (l.stream) expect(STREAM_LANES).toContain(l.stream);
    }
  });

  it("never grant a delete, a write under oracle-store or anything under truth views (DA-28/29/30)", () => {
    const grants = [...IRSA_LANES.flatMap((l) => l.s3), ...[...SPINE_SERVICES, WSP_TASK].flatMap((w) => w.s3), ...flinkS3Grants("checkpoints/app/")];
    expect(grants.filter((g) => g.prefix.startsWith("oracle-store/") && g.access !== "read")).toEqual([]);
    expect(grants.filter((g) => g.prefix.includes("truth_view"))).toEqual([]);
    expect(grants.filter((g) => g.bucket === "evidence" && !g.prefix.startsWith("evidence/"))).toEqual([]);
  });

  it("give every workload an entrypoint handle and a placement pin of the registry, one key each", () => {
    const all = [...SPINE_SERVICES, WSP_TASK];
    expect(new Set(all.map((w) => w.key)).size).toBe(all.length);
    for (const w of all) {
      expect([w.key, registry.has(w.entrypointHandle), registry.has(w.placementHandle)]).toEqual([w.key, true, true]);
      expect(w.s3).toContain(EVIDENCE_RUNS);
    }
    // Only the case-management and label services connect to Aurora (DA-56).
    expect(SPINE_SERVICES.filter((w) => w.aurora).map((w) => w.key)).toEqual(["cm", "ls"]);
  });

  it("pin three state machines, platform-run first", () => {
    expect(STATE_MACHINES.map((m) => [m.handle, m.name])).toEqual([
      ["SFN_PLATFORM_RUN_ORCHESTRATOR_V0", "platform-run"],
      ["SFN_LEARNING_PIPELINE_GATE_V0", "learning-gate"],
      ["SFN_FINAL_VERDICT_AGGREGATOR_V0", "final-verdict"],
    ]);
  });
});

describe("lane helpers", () => {
  it("case statement ids from lane and workload keys the same way", () => {
    expect(["ig", "decision_lane", "case_labels", "case-trigger", "dla"].map(statementSid)).toEqual(["Ig", "DecisionLane", "CaseLabels", "CaseTrigger", "Dla"]);
    expect(irsaLogicalName("decision_lane")).toBe("irsa-decision-lane");
  });

  it("fill a registry pattern and refuse one without the placeholder", () => {
    expect(fillPattern("/fraud-platform/dev_full/ecs/{family}", "family", "fraud-platform-dev-full-df")).toBe(
      "/fraud-platform/dev_full/ecs/fraud-platform-dev-full-df",
    );
    expect(() => fillPattern("/fraud-platform/dev_full/ecs", "family", "x")).toThrow('pattern "/fraud-platform/dev_full/ecs" has no {family}');
  });

  it("tell grants that reach the object store (those carry the truth-view deny)", () => {
    expect(touchesObjectStore([EVIDENCE_RUNS])).toBe(false);
    expect(touchesObjectStore([EVIDENCE_RUNS, { bucket: "object_store", prefix: "archive/", access: "read" }])).toBe(true);
  });

  it("trust MSF and EMR Serverless for the account, and the EMR job accounts of one namespace only with the fallback", () => {
    const plain = flinkExecutionTrust("123456789012");
    expect(plain.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: ["kinesisanalytics.amazonaws.com", "emr-serverless.amazonaws.com"] },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
    ]);
    const withFallback = flinkExecutionTrust("123456789012", {
      oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks",
      issuer: "oidc.eks/id/ABC",
      namespace: "fraud-platform-rtdl",
    });
    expect((withFallback.Statement as unknown[])[1]).toEqual({
      Effect: "Allow",
      Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks" },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: { "oidc.eks/id/ABC:aud": "sts.amazonaws.com" },
        StringLike: { "oidc.eks/id/ABC:sub": "system:serviceaccount:fraud-platform-rtdl:emr-containers-sa-*" },
      },
    });
  });
});

describe("mergeDisjoint (the runtime parts' maps)", () => {
  it("merges disjoint maps and refuses a key two parts supply", () => {
    expect(mergeDisjoint([{ A: 1 }, { B: 2 }], "handle")).toEqual({ A: 1, B: 2 });
    expect(() => mergeDisjoint([{ A: 1 }, { A: 2 }], "handle")).toThrow("runtime: handle A is supplied by two parts of the layer");
  });
});
