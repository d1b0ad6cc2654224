/**
 * DA-61 (mandatory, high): container images are referenced immutably, by digest (@sha256:...) or by the CI tag
 * git-<sha>-run-<ci_run_id>; never :latest, :dev-full-latest or an untagged name. Checks ECS container
 * definitions, Lambda image functions and EMR Serverless custom images.
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { mutableImageReason } from "../../src/runtime/images";
import { resourceRule } from "../lib/rule";

/** Images of an ECS task definition's containerDefinitions (JSON text). */
export function containerImages(containerDefinitions: unknown): string[] {
  const defs = typeof containerDefinitions === "string" ? (JSON.parse(containerDefinitions) as unknown) : containerDefinitions;
  if (!Array.isArray(defs)) return [];
  return defs.map((d) => (d !== null && typeof d === "object" ? String((d as Record<string, unknown>).image ?? "") : ""));
}

const META = {
  id: "DA-61",
  description: "Container images must be immutable: a digest (@sha256:<64 hex>) or a git-<sha>-run-<ci_run_id> tag, never :latest or :dev-full-latest.",
  severity: "high",
} as const;

export const taskDefinitionImagesImmutable = resourceRule(
  { ...META, slug: "task-definition-images-immutable" },
  policy.validateResourceOfType(aws.ecs.TaskDefinition, (td, _args, reportViolation) => {
    for (const image of containerImages(td.containerDefinitions)) {
      const reason = mutableImageReason(image);
      if (reason) reportViolation(`container image ${JSON.stringify(image)}: ${reason}.`);
    }
  }),
);

export const lambdaImageImmutable = resourceRule(
  { ...META, slug: "lambda-image-immutable" },
  policy.validateResourceOfType(aws.lambda.Function, (fn, args, reportViolation) => {
    if (fn.packageType !== "Image" && !fn.imageUri) return args.notApplicable("zip package");
    const reason = mutableImageReason(fn.imageUri ?? "");
    if (reason) reportViolation(`imageUri ${JSON.stringify(fn.imageUri ?? null)}: ${reason}.`);
  }),
);

export const emrServerlessImageImmutable = resourceRule(
  { ...META, slug: "emr-serverless-image-immutable" },
  policy.validateResourceOfType(aws.emrserverless.Application, (app, args, reportViolation) => {
    if (!app.imageConfiguration) return args.notApplicable("release image");
    const reason = mutableImageReason(app.imageConfiguration.imageUri);
    if (reason) reportViolation(`imageConfiguration.imageUri ${JSON.stringify(app.imageConfiguration.imageUri)}: ${reason}.`);
  }),
);

export const imageReferencePolicies = [taskDefinitionImagesImmutable, lambdaImageImmutable, emrServerlessImageImmutable];
