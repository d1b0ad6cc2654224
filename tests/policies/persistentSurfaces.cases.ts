import { persistentSurfacesProtected } from "../../policies/rules/persistentSurfaces";
import { OPS_STACK, res, stackDoc } from "../helpers/dataMlOpsFixtures";
import { check, doc, resource } from "../helpers/policyFixtures";

const KEY = "aws:kms/key:Key";
const GLUE_REGISTRY = "aws:glue/registry:Registry";
const ECR = "aws:ecr/repository:Repository";
const surfaces = (unprotected?: string) =>
  [
    resource(KEY, "platform-key", { enableKeyRotation: true }),
    resource(GLUE_REGISTRY, "schemas", { registryName: "fraud-platform-dev-full" }),
    resource(ECR, "platform-images", { name: "fraud-platform-dev-full" }),
  ].map((s) => ({ ...s, protect: s.type !== unprotected }));

describe("DA-101 persistent surfaces protected", () => {
  it("stays quiet when key, registry and repository are protected", async () => {
    expect((await check(persistentSurfacesProtected, doc(...surfaces()))).violations).toEqual([]);
  });
  it.each([KEY, GLUE_REGISTRY, ECR])("fires when %s is not protected", async (type) => {
    const r = await check(persistentSurfacesProtected, doc(...surfaces(type)));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-101-persistent-surfaces-protected", enforcementLevel: "mandatory" });
    expect(r.violations[0].message).toMatch(/not protected/);
  });
  it("does not hold the teardown-scoped ops key", async () => {
    const r = await check(persistentSurfacesProtected, stackDoc(OPS_STACK, res(OPS_STACK, KEY, "ops-key", { enableKeyRotation: true })));
    expect(r.violations).toEqual([]);
  });
});
