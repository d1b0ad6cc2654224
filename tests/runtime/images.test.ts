/** DA-61 image references: digest or git-<sha>-run-<id> tag only. */
import fc from "fast-check";
import { imageFromPin, isImmutableImageReference, mutableImageReason, parseImageReference } from "../../src/runtime/images";

const REPO = "123456789012.dkr.ecr.eu-west-2.amazonaws.com/fraud-platform-dev-full";
const hexChars = (min: number, max: number) => fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: min, maxLength: max });
const runId = fc.string({ unit: fc.constantFrom(..."abcXYZ019_-"), minLength: 1, maxLength: 12 });

describe("image references", () => {
  it("accept any digest and any git-<sha>-run-<id> tag", () => {
    fc.assert(fc.property(hexChars(64, 64), (d) => isImmutableImageReference(`${REPO}@sha256:${d}`)));
    fc.assert(fc.property(hexChars(7, 40), runId, (sha, id) => isImmutableImageReference(`${REPO}:git-${sha}-run-${id}`)));
  });

  it("refuse floating tags, untagged names and short digests, saying why", () => {
    expect(mutableImageReason(`${REPO}:latest`)).toMatch(/tag "latest" is mutable/);
    expect(mutableImageReason(`${REPO}:dev-full-latest`)).toMatch(/tag "dev-full-latest" is mutable/);
    expect(mutableImageReason(`${REPO}:git-0123abc`)).toMatch(/mutable/);
    expect(mutableImageReason(REPO)).toMatch(/has no tag/);
    expect(mutableImageReason(`${REPO}@sha256:abc`)).toMatch(/not sha256:<64 hex>/);
    expect(mutableImageReason("")).toBe("no image reference");
    fc.assert(fc.property(fc.stringMatching(/^[a-z][a-z0-9.-]{0,20}$/), (tag) => !isImmutableImageReference(`${REPO}:${tag}`)));
  });

  it("split registry ports from tags", () => {
    expect(parseImageReference("localhost:5000/app:v1")).toEqual({ repository: "localhost:5000/app", tag: "v1" });
    expect(parseImageReference("localhost:5000/app")).toEqual({ repository: "localhost:5000/app" });
    expect(parseImageReference(`${REPO}:t@sha256:${"a".repeat(64)}`)).toEqual({ repository: REPO, tag: "t", digest: `sha256:${"a".repeat(64)}` });
  });

  it("build the workload image from the repository and the configured pin", () => {
    expect(imageFromPin(REPO, "git-0123abc-run-42")).toBe(`${REPO}:git-0123abc-run-42`);
    expect(imageFromPin(REPO, `sha256:${"b".repeat(64)}`)).toBe(`${REPO}@sha256:${"b".repeat(64)}`);
    expect(() => imageFromPin(REPO, "dev-full-latest")).toThrow(/image pin "dev-full-latest".*DA-61/);
  });
});
