/**
 * The policies of the fraud-platform pack, as plain data. `index.ts` turns them into a PolicyPack (which starts
 * the analyzer's gRPC server); everything else (the offline plan, `policy-check`, tests) imports this module.
 */
import type * as policy from "@pulumi/policy";
import type { PolicyPackDefinition } from "../src/policy/harness";
import packageJson from "./package.json";
import { budgetPolicies } from "./rules/budget";
import { noMwaaWhileDeferred } from "./rules/airflowDeferred";
import { billingRegionPolicies } from "./rules/billingRegion";
import { budgetGuardrailPolicies } from "./rules/budgetGuardrail";
import { databricksComputePolicies } from "./rules/databricksCompute";
import { databricksJobTimeout } from "./rules/jobTimeouts";
import { lakehouseCatalogPolicies } from "./rules/lakehouseCatalog";
import { logGroupRetention } from "./rules/logRetention";
import { dashboardsAndAlarms } from "./rules/observability";
import { sagemakerServingPolicies } from "./rules/sagemakerServing";
import { noSelfHostedMlflow } from "./rules/selfHostedMlflow";
import { teardownIdentityPolicies } from "./rules/teardownIdentity";
import { bucketPosturePolicies } from "./rules/bucketPosture";
import { bucketNamePolicies } from "./rules/bucketNames";
import { bucketLifecyclePolicies } from "./rules/bucketLifecycle";
import { oracleDataSingleCopy } from "./rules/oracleIsolation";
import { bucketOwnershipPolicies } from "./rules/bucketOwnership";
import { persistentSurfacesProtected } from "./rules/persistentSurfaces";
import { fargatePlacementPolicies } from "./rules/fargatePlacement";
import { requiredSignalsAlarmed } from "./rules/signalCoverage";
import { mandatoryTags } from "./rules/mandatoryTags";
import { pinnedPhysicalNames } from "./rules/pinnedNames";
import { regionPin } from "./rules/regionPin";
import { kafkaTopicPolicies } from "./rules/kafkaTopics";
import { mskBusPolicies } from "./rules/mskBus";
import { glueSchemaRegistryPinned } from "./rules/schemaRegistry";
import { secretParametersEncrypted } from "./rules/secretParameters";
import { eksExceptionLanePolicies } from "./rules/eksExceptionLane";
import { flinkPlacementPolicies } from "./rules/flinkPlacement";
import { imageReferencePolicies } from "./rules/imageReferences";
import { orchestrationPolicies } from "./rules/orchestration";
import { taskDefinitionRunId } from "./rules/runIdEnv";
import { scaleToZeroPolicies } from "./rules/scaleToZero";
import { auroraPolicies } from "./rules/auroraServerless";
import { ingressEdgePolicies } from "./rules/ingressEdge";
import { noLocalEndpoints } from "./rules/localEndpoints";
import { plaintextCredentialPolicies } from "./rules/plaintextCredentials";
import { privatePlacement } from "./rules/privatePlacement";
import { redisEncrypted } from "./rules/redisEncryption";
import { noAdminRoles } from "./rules/runtimeRoleAdmin";
import { noOpenIngress } from "./rules/securityGroupIngress";
import { stackDomain } from "./rules/stackDomain";
import { noSecretOutputs } from "./rules/secretOutputs";
import { noUnpinnedDefaults } from "./rules/unpinnedDefaults";
import { runScopeTags } from "./rules/runScopeTags";
import { namingConvention } from "./rules/namingConvention";
import { egressScoped } from "./rules/egressScope";
import { wildcardResources } from "./rules/wildcardResources";
import { platformKeyRotated } from "./rules/platformKey";
import { oracleEvidenceAccessPolicies } from "./rules/oracleEvidenceAccess";
import { requiredHandlePolicies } from "./rules/requiredHandles";
import { evidenceObjectLockPolicies } from "./rules/evidenceObjectLock";
import { securityBaselinePolicies } from "./rules/securityBaseline";
import { awsLimitsPolicies } from "./rules/awsLimits";

export const POLICY_PACK_NAME = "fraud-platform-dev-full";
/** The version `new PolicyPack` reads from `policies/package.json`, as the analyzer reports it. */
export const POLICY_PACK_VERSION: string = packageJson.version;

export const policies: policy.Policies = [
  pinnedPhysicalNames,
  mandatoryTags,
  regionPin,
  ...bucketPosturePolicies,
  // storage (bucket names, lifecycle, oracle isolation, ownership) and persistent surfaces.
  ...bucketNamePolicies,
  ...bucketLifecyclePolicies,
  oracleDataSingleCopy,
  ...bucketOwnershipPolicies,
  persistentSurfacesProtected,
  ...mskBusPolicies,
  ...kafkaTopicPolicies,
  glueSchemaRegistryPinned,
  secretParametersEncrypted,
  // runtime lanes (EKS exception lane, orchestration, stream/batch placement, images, idle safety).
  ...eksExceptionLanePolicies,
  ...orchestrationPolicies,
  ...flinkPlacementPolicies,
  ...imageReferencePolicies,
  ...scaleToZeroPolicies,
  taskDefinitionRunId,
  ...fargatePlacementPolicies,
  // runtime edge and data (network exposure, identities, credentials, ingress envelope, Aurora, Redis, local endpoints).
  noOpenIngress,
  privatePlacement,
  noAdminRoles,
  ...plaintextCredentialPolicies,
  ...ingressEdgePolicies,
  ...auroraPolicies,
  redisEncrypted,
  noLocalEndpoints,
  ...budgetPolicies,
  // data_ml and ops (Databricks, SageMaker, MLflow, lakehouse, logs, observability, budget, billing, MWAA, CI).
  ...databricksComputePolicies,
  ...sagemakerServingPolicies,
  noSelfHostedMlflow,
  ...lakehouseCatalogPolicies,
  databricksJobTimeout,
  logGroupRetention,
  dashboardsAndAlarms,
  requiredSignalsAlarmed,
  ...budgetGuardrailPolicies,
  ...billingRegionPolicies,
  noMwaaWhileDeferred,
  ...teardownIdentityPolicies,
  // structure, naming, network egress, identity and keys (DA-01/04/09/11/12/18/21/26/28/29/30).
  stackDomain,
  noSecretOutputs,
  noUnpinnedDefaults,
  runScopeTags,
  namingConvention,
  egressScoped,
  wildcardResources,
  platformKeyRotated,
  ...oracleEvidenceAccessPolicies,
  // each stack's share of the cross-stack rules (DA-24/25); the whole-environment part is src/policy/crossStack.ts.
  ...requiredHandlePolicies,
  // evidence immutability (DA-114: Object Lock on the evidence bucket).
  ...evidenceObjectLockPolicies,
  // security baseline beyond the checklist (SB-xx: AWS FSBP controls for the declared services, docs/security-baseline.md).
  ...securityBaselinePolicies,
  // AWS service limits checked at preview (SB-40..44: names, tags, IAM policy sizes, Lambda environment, security-group rules).
  ...awsLimitsPolicies,
];

export const policyPack: PolicyPackDefinition = { name: POLICY_PACK_NAME, version: POLICY_PACK_VERSION, enforcementLevel: "mandatory", policies };
