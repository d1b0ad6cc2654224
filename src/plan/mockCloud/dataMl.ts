/**
 * Mocks of the data_ml layer's types: the SageMaker model registry, the Glue learning catalog, and the Databricks
 * objects (ids shaped like the workspace's: numeric job ids, upper-case policy ids, uuids for Unity Catalog).
 */
import { PropertyMap } from "../previewDocument";
import { MOCK_ACCOUNT_ID, ResourceMock, ResourceTable, hex, uuid } from "./resource";

const METASTORE_ID = uuid("databricks:metastore");

/** A numeric id, as Databricks gives jobs and experiments. */
const numericId = (seed: string): string => String(parseInt(hex(seed, 12), 16));

const job: ResourceMock = (_args, { seed }) => ({ id: numericId(seed), state: {} });

export const DATA_ML_RESOURCES: ResourceTable = {
  "aws:sagemaker/modelPackageGroup:ModelPackageGroup": (args, { inputs, arn }) => {
    const id = String(inputs.modelPackageGroupName ?? args.name);
    return { id, state: { arn: arn("sagemaker", `model-package-group/${id.toLowerCase()}`) } };
  },
  "aws:glue/catalogDatabase:CatalogDatabase": (_args, { name, arn }) => ({
    id: `${MOCK_ACCOUNT_ID}:${name}`,
    state: { catalogId: MOCK_ACCOUNT_ID, arn: arn("glue", `database/${name}`) },
  }),
  "databricks:index/storageCredential:StorageCredential": (_args, { inputs, seed, name }) => ({
    id: name,
    state: {
      storageCredentialId: uuid(seed),
      metastoreId: METASTORE_ID,
      awsIamRole: { ...((inputs.awsIamRole ?? {}) as PropertyMap), externalId: uuid("databricks:account") },
    },
  }),
  "databricks:index/externalLocation:ExternalLocation": (_args, { name }) => ({ id: name, state: { metastoreId: METASTORE_ID } }),
  "databricks:index/clusterPolicy:ClusterPolicy": (_args, { seed }) => {
    const id = hex(seed, 16).toUpperCase();
    return { id, state: { policyId: id } };
  },
  "databricks:index/job:Job": job,
  "databricks:index/mlflowExperiment:MlflowExperiment": (_args, { seed }) => {
    const id = numericId(seed);
    return { id, state: { experimentId: id, lifecycleStage: "active" } };
  },
  "databricks:index/mlflowModel:MlflowModel": (_args, { seed, name }) => ({ id: name, state: { registeredModelId: hex(seed, 32) } }),
};
