import type * as policy from "@pulumi/policy";
import { stackIndex } from "../../policies/lib/stackIndex";

const res = (name: string, type: string, deps: string[] = []) =>
  ({ urn: `urn:${name}`, name, type, props: {}, dependencies: deps.map((d) => ({ urn: `urn:${d}` })) }) as unknown as policy.PolicyResource;

describe("the stack index stack rules share", () => {
  const roleB = res("role-b", "role");
  const roleA = res("role-a", "role");
  const bucket = res("bucket", "bucket");
  const attachment = res("attach", "attachment", ["role-a", "bucket", "role-b", "missing"]);
  const resources = [roleB, bucket, roleA, attachment];

  it("finds resources by URN and by type, in the list's order", () => {
    const index = stackIndex(resources);
    expect(index.byUrn.get("urn:bucket")).toBe(bucket);
    expect(index.ofType("role")).toEqual([roleB, roleA]);
    expect(index.ofType("queue")).toEqual([]);
    expect(index.position(roleA)).toBe(2);
  });

  it("lists a resource's dependencies of a type in the list's order, skipping ones not in the stack", () => {
    expect(stackIndex(resources).dependenciesOfType(attachment, "role")).toEqual([roleB, roleA]);
    expect(stackIndex(resources).dependenciesOfType(attachment, "queue")).toEqual([]);
  });

  it("is built once per resource list", () => {
    expect(stackIndex(resources)).toBe(stackIndex(resources));
    expect(stackIndex([...resources])).not.toBe(stackIndex(resources));
  });
});
