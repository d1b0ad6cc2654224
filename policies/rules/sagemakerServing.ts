/**
 * DA-71 (mandatory, high): SageMaker serving stays within one active model slot.
 * - `da-71-single-online-endpoint` (stack): at most SM_ENDPOINT_COUNT_V0 real-time endpoints, each named
 *   SM_ENDPOINT_NAME (`...-online-v0`); the data_ml stack declares the model package group.
 * - `da-71-model-package-group-pinned`: a model package group is SM_MODEL_PACKAGE_GROUP_NAME.
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { registry } from "../lib/registry";
import { resourceRule, stackRule } from "../lib/rule";
import { layerOfStack, rootUrnOf } from "../lib/stackLayer";

const ENDPOINT = "aws:sagemaker/endpoint:Endpoint";
const GROUP = "aws:sagemaker/modelPackageGroup:ModelPackageGroup";

export const singleOnlineEndpoint = stackRule(
  {
    id: "DA-71",
    slug: "single-online-endpoint",
    description:
      "At most SM_ENDPOINT_COUNT_V0 (1) SageMaker real-time endpoint, named SM_ENDPOINT_NAME; the data_ml stack declares the model package group SM_MODEL_PACKAGE_GROUP_NAME.",
    severity: "high",
  },
  (args, reportViolation) => {
    const r = registry();
    const max = r.number("SM_ENDPOINT_COUNT_V0");
    const name = r.string("SM_ENDPOINT_NAME");
    const endpoints = args.resources.filter((res) => res.type === ENDPOINT);
    if (endpoints.length > max)
      reportViolation(`${endpoints.length} SageMaker endpoints declared; at most ${max} (one active model slot).`, rootUrnOf(args.resources));
    for (const e of endpoints) {
      if (e.props.name !== name) reportViolation(`endpoint ${JSON.stringify(e.props.name ?? null)} is not ${name}.`, e.urn);
    }
    if (layerOfStack(args.resources) === "data_ml" && !args.resources.some((res) => res.type === GROUP)) {
      reportViolation(`the data_ml stack declares no model package group (${r.string("SM_MODEL_PACKAGE_GROUP_NAME")}).`, rootUrnOf(args.resources));
    }
  },
);

export const modelPackageGroupPinned = resourceRule(
  {
    id: "DA-71",
    slug: "model-package-group-pinned",
    description: "The SageMaker model registry is the model package group SM_MODEL_PACKAGE_GROUP_NAME (fraud-platform-dev-full-models).",
    severity: "high",
  },
  policy.validateResourceOfType(aws.sagemaker.ModelPackageGroup, (group, _args, reportViolation) => {
    const name = registry().string("SM_MODEL_PACKAGE_GROUP_NAME");
    if (group.modelPackageGroupName !== name)
      reportViolation(`modelPackageGroupName ${JSON.stringify(group.modelPackageGroupName ?? null)}, expected ${name}.`);
  }),
);

export const sagemakerServingPolicies = [singleOnlineEndpoint, modelPackageGroupPinned];
