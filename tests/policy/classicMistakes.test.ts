/**
 * `policy-check` on a hand-written preview document full of classic mistakes reports each of them: open security
 * group, public bucket, unencrypted store, wildcard IAM, plaintext secret, wrong region, unpinned name, an
 * over-budget size (tests/fixtures/classic-mistakes.preview.json).
 */
import * as path from "path";
import { main } from "../../src/cli/main";

const FIXTURE = path.join(__dirname, "..", "fixtures", "classic-mistakes.preview.json");

interface Reported {
  policy: string;
  urn?: string;
  enforcementLevel: string;
}

let violations: Reported[];

beforeAll(async () => {
  const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
  expect(await main(["policy-check", FIXTURE, "--json"])).toBe(1);
  violations = (JSON.parse(String(log.mock.calls[0][0])) as { violations: Reported[] }).violations;
  log.mockRestore();
  process.exitCode = undefined;
});

const mandatory = (policy: string, resource?: string): Reported[] =>
  violations.filter((v) => v.policy === policy && v.enforcementLevel === "mandatory" && (!resource || v.urn?.endsWith(`::${resource}`)));

describe("policy-check on classic mistakes", () => {
  it.each([
    ["open security group", "da-15-no-open-ingress", "open-sg"],
    ["public bucket", "da-33-bucket-public-access-blocked", "public"],
    ["unencrypted store", "da-59-redis-encrypted", "cache"],
    ["wildcard IAM", "da-20-no-admin-workload-roles", "admin"],
    ["plaintext secret", "da-23-env-holds-no-credentials", "handler"],
    ["wrong region", "da-13-region-pin", "default"],
    ["unpinned name", "da-06-pinned-physical-names", "unpinned"],
    ["node group that cannot scale to zero", "da-100-eks-node-groups-scale-to-zero", "huge"],
  ])("reports the %s (%s)", (_what, policy, resource) => {
    expect(mandatory(policy, resource).length).toBeGreaterThan(0);
  });

  it("denies the over-budget stack against its layer envelope", () => {
    expect(mandatory("da-90-stack-within-cost-envelope")).toHaveLength(1);
  });
});
