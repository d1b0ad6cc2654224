import { runScopeTags } from "../../policies/rules/runScopeTags";
import { PropertyMap } from "../../src/plan/previewDocument";
import { TAGS, check, doc, mutate, resource } from "../helpers/policyFixtures";

const SERVICE = "aws:ecs/service:Service";
const runService = (): PropertyMap => ({
  name: "fraud-platform-dev-full-wsp",
  desiredCount: 0,
  tags: { ...TAGS, fp_scope: "run", fp_run_id: "platform_20260101T000000Z", fp_phase_id: "P2" },
});

describe("DA-11 run scope tags", () => {
  it("stays quiet on a fully tagged run-scoped service and on substrate", async () => {
    const substrate = resource(SERVICE, "df", { name: "fraud-platform-dev-full-df", tags: TAGS });
    expect((await check(runScopeTags, doc(resource(SERVICE, "wsp", runService()), substrate))).violations).toEqual([]);
  });

  it("fires when a run-scoped service lacks the phase tag", async () => {
    const r = await check(runScopeTags, doc(resource(SERVICE, "wsp", mutate(runService(), "tags.fp_phase_id", undefined))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(/lacks tag\(s\) fp_phase_id/);
  });

  it("fires when an ephemeral resource has no expires_at", async () => {
    const r = await check(runScopeTags, doc(resource(SERVICE, "wsp", mutate(runService(), "tags.fp_scope", "ephemeral"))));
    expect(r.violations[0].message).toMatch(/expires_at/);
  });
});
