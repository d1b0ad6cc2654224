import { evidenceNotDeletable, liveRolesNoTruthViews, oracleReadOnly } from "../../policies/rules/oracleEvidenceAccess";
import { check, doc, resource } from "../helpers/policyFixtures";

const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const STORE = "arn:aws:s3:::fraud-platform-dev-full-object-store";
const EVIDENCE = "arn:aws:s3:::fraud-platform-dev-full-evidence";

type Stmt = { Sid: string; Effect: string; Action: string | string[]; Resource: string | string[] };
const read: Stmt = { Sid: "StreamView", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${STORE}/oracle-store/ns/run/stream_view/*`] };
const rolePolicy = (role: string, ...statements: Stmt[]) => ({
  role,
  name: "least-privilege",
  policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
});
const LIVE = "fraud-platform-dev-full-df-task";

describe("DA-28 oracle store read-only", () => {
  it("stays quiet on reads of oracle-store", async () => {
    expect((await check(oracleReadOnly, doc(resource(ROLE_POLICY, "p", rolePolicy(LIVE, read))))).violations).toEqual([]);
  });

  it("fires on s3:Put* under oracle-store/", async () => {
    const r = await check(oracleReadOnly, doc(resource(ROLE_POLICY, "p", rolePolicy(LIVE, { ...read, Action: ["s3:Put*"] }))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(/statement StreamView allows s3:Put\*/);
  });

  it("fires on s3:* on the whole bucket in a bucket policy", async () => {
    const r = await check(
      oracleReadOnly,
      doc(
        resource(BUCKET_POLICY, "bp", {
          bucket: "b",
          policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: `${STORE}/*` }] }),
        }),
      ),
    );
    expect(r.violations).toHaveLength(1);
  });
});

describe("DA-29 live roles never read truth views", () => {
  const truth: Stmt = { ...read, Resource: [`${STORE}/oracle-store/*`] };

  it("stays quiet when a live role's broad read is cancelled by the truth-view deny, or the role is not live", async () => {
    const deny: Stmt = {
      Sid: "DenyTruth",
      Effect: "Deny",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: [`${STORE}/oracle-store/*/truth_view/*`],
    };
    const r = await check(
      liveRolesNoTruthViews,
      doc(
        resource(ROLE_POLICY, "p", rolePolicy(LIVE, { ...truth, Action: ["s3:GetObject"] }, deny)),
        resource(ROLE_POLICY, "q", rolePolicy("fraud-platform-dev-full-sagemaker-execution", truth)),
      ),
    );
    expect(r.violations).toEqual([]);
  });

  it("fires when a live role can read truth views", async () => {
    const r = await check(liveRolesNoTruthViews, doc(resource(ROLE_POLICY, "p", rolePolicy(LIVE, truth))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(/live role fraud-platform-dev-full-df-task/);
  });
});

describe("DA-30 evidence not deletable", () => {
  const write: Stmt = { Sid: "Evidence", Effect: "Allow", Action: ["s3:PutObject"], Resource: [`${EVIDENCE}/evidence/runs/*`] };

  it("stays quiet on evidence writes", async () => {
    expect((await check(evidenceNotDeletable, doc(resource(ROLE_POLICY, "p", rolePolicy(LIVE, write))))).violations).toEqual([]);
  });

  it("fires on s3:DeleteObject* under evidence/", async () => {
    const r = await check(evidenceNotDeletable, doc(resource(ROLE_POLICY, "p", rolePolicy(LIVE, { ...write, Action: ["s3:DeleteObject*"] }))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(/allows s3:DeleteObject\*/);
  });
});
