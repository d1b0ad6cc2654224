import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../src/tags";

export interface LearningCatalogArgs {
  /** Glue database of the OFS Iceberg tables (OFS_ICEBERG_DATABASE). */
  databaseName: string;
  /** Object-store bucket holding the Iceberg warehouse (core's object store). */
  warehouseBucket: pulumi.Input<string>;
  /** Warehouse prefix inside the bucket (OFS_ICEBERG_WAREHOUSE_PREFIX_PATTERN, ends with "/"). */
  warehousePrefix: string;
  /** SageMaker model package group (SM_MODEL_PACKAGE_GROUP_NAME). */
  modelPackageGroupName: string;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/** `s3://<bucket>/<prefix>` of the warehouse; the prefix is relative and ends with "/". */
export function warehouseLocation(bucket: string, prefix: string): string {
  if (prefix.startsWith("/") || !prefix.endsWith("/")) throw new Error(`warehouse prefix must be relative and end with "/", found ${JSON.stringify(prefix)}`);
  return `s3://${bucket}/${prefix}`;
}

/**
 * The learning plane's two catalogs: the Glue database the OFS writes its Iceberg v2 tables into (location = the
 * warehouse prefix of the object store, DA-73) and the SageMaker model package group candidates are registered in
 * (DA-71). Both are registries the P17 teardown keeps (their content is governance history), so they are
 * protected and retained on delete; tables and model versions are created by runs, not here.
 */
export class LearningCatalog extends pulumi.ComponentResource {
  readonly databaseName: pulumi.Output<string>;
  readonly databaseArn: pulumi.Output<string>;
  readonly warehouseUri: pulumi.Output<string>;
  readonly modelPackageGroupName: pulumi.Output<string>;
  readonly modelPackageGroupArn: pulumi.Output<string>;

  constructor(name: string, args: LearningCatalogArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:data_ml:LearningCatalog", name, {}, opts);
    const retained = { parent: this, protect: true, retainOnDelete: true };
    const location = pulumi.output(args.warehouseBucket).apply((bucket) => warehouseLocation(bucket, args.warehousePrefix));
    const database = new aws.glue.CatalogDatabase(
      `${name}-ofs`,
      {
        name: args.databaseName,
        description: "Offline feature store: Apache Iceberg v2 tables (table_type=ICEBERG) written by the OFS jobs; Delta is disabled.",
        locationUri: location,
        tags: { ...args.tags, fp_resource: "ofs_iceberg_database" },
      },
      retained,
    );
    const group = new aws.sagemaker.ModelPackageGroup(
      `${name}-models`,
      {
        modelPackageGroupName: args.modelPackageGroupName,
        modelPackageGroupDescription:
          "fraud-platform dev_full model registry: candidates registered by P14, promoted or rolled back only through governed MPR events.",
        tags: { ...args.tags, fp_resource: "sagemaker_model_package_group" },
      },
      retained,
    );
    this.databaseName = database.name;
    this.databaseArn = database.arn;
    this.warehouseUri = location;
    this.modelPackageGroupName = group.modelPackageGroupName;
    this.modelPackageGroupArn = group.arn;
    this.registerOutputs({
      databaseName: this.databaseName,
      databaseArn: this.databaseArn,
      warehouseUri: this.warehouseUri,
      modelPackageGroupName: this.modelPackageGroupName,
      modelPackageGroupArn: this.modelPackageGroupArn,
    });
  }
}
