/**
 * The policies of the fraud-platform pack, as plain data. `index.ts` turns them into a PolicyPack (which starts
 * the analyzer's gRPC server); everything else (the offline plan, `policy-check`, tests) imports this module.
 */
import type * as policy from "@pulumi/policy";
import type { PolicyPackDefinition } from "../src/policy/harness";
import { bucketPosturePolicies } from "./rules/bucketPosture";
import { mandatoryTags } from "./rules/mandatoryTags";
import { pinnedPhysicalNames } from "./rules/pinnedNames";
import { regionPin } from "./rules/regionPin";

export const POLICY_PACK_NAME = "fraud-platform-dev-full";

export const policies: policy.Policies = [pinnedPhysicalNames, mandatoryTags, regionPin, ...bucketPosturePolicies];

export const policyPack: PolicyPackDefinition = { name: POLICY_PACK_NAME, enforcementLevel: "mandatory", policies };
