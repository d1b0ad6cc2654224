/**
 * Immutable container image references (DA-61). A workload image is pinned either by digest
 * (`<repo>@sha256:<64 hex>`) or by the CI tag `git-<sha>-run-<ci_run_id>` (IMAGE_TAG_IMMUTABLE_PATTERN); a
 * floating tag such as `:latest` or `:dev-full-latest`, or no tag at all, is mutable. Pure functions, shared by
 * the stacks (which fail closed before declaring a task) and the DA-61 policy (which denies what slipped through).
 */

/** `git-{git_sha}-run-{ci_run_id}` as a regular expression (sha: 7..40 hex; run id: CI run id). */
export const IMMUTABLE_TAG = /^git-[0-9a-f]{7,40}-run-[0-9A-Za-z_-]+$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

export interface ImageReference {
  /** Registry and repository, e.g. `123456789012.dkr.ecr.eu-west-2.amazonaws.com/fraud-platform-dev-full`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits `repo[:tag][@digest]`; the tag separator is the last `:` after the last `/`. */
export function parseImageReference(ref: string): ImageReference {
  const [nameAndTag, digest] = ref.split("@", 2) as [string, string | undefined];
  const slash = nameAndTag.lastIndexOf("/");
  const colon = nameAndTag.lastIndexOf(":");
  const hasTag = colon > slash;
  return {
    repository: hasTag ? nameAndTag.slice(0, colon) : nameAndTag,
    ...(hasTag ? { tag: nameAndTag.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** Why a reference is mutable, or undefined when it is pinned by digest or by an immutable CI tag. */
export function mutableImageReason(ref: string): string | undefined {
  if (ref.trim() === "") return "no image reference";
  const { repository, tag, digest } = parseImageReference(ref);
  if (repository === "") return `${JSON.stringify(ref)} names no repository`;
  if (digest !== undefined) return DIGEST.test(digest) ? undefined : `digest ${JSON.stringify(digest)} is not sha256:<64 hex>`;
  if (tag === undefined) return `${JSON.stringify(ref)} has no tag (resolves to :latest)`;
  if (IMMUTABLE_TAG.test(tag)) return undefined;
  return `tag ${JSON.stringify(tag)} is mutable; use a digest (@sha256:...) or a git-<sha>-run-<ci_run_id> tag`;
}

export function isImmutableImageReference(ref: string): boolean {
  return mutableImageReason(ref) === undefined;
}

/**
 * The full image reference of a workload from the platform repository URL and the configured pin: a
 * `git-<sha>-run-<id>` tag becomes `<repo>:<tag>`, a `sha256:<digest>` becomes `<repo>@sha256:<digest>`.
 * Throws, naming the value, when the pin is not immutable.
 */
export function imageFromPin(repositoryUrl: string, pin: string): string {
  const ref = DIGEST.test(pin) ? `${repositoryUrl}@${pin}` : `${repositoryUrl}:${pin}`;
  const reason = mutableImageReason(ref);
  if (reason) throw new Error(`image pin ${JSON.stringify(pin)}: ${reason} (DA-61)`);
  return ref;
}
