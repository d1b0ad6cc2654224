/**
 * Batch, ML and orchestration: EMR Serverless (vCPU/GB-hours per batch hour), Databricks jobs and clusters
 * (DBUs; billed by Databricks outside AWS), SageMaker endpoints, notebooks, domains, model registry and MLflow
 * tracking servers, and MWAA environments (no scale to zero). Most of their SKUs have no London price yet.
 */
import { Inputs } from "../inputs";
import { ONE, hourly, monthly, n, usage } from "./common";
import { Family } from "./types";

export const emrServerless: Family = (_r, inputs, ctx) => {
  const u = ctx.settings.usagePerProofHour;
  const notes = ["auto-stopped between batch windows; pre-initialised capacity is not modelled"];
  if (inputs.boolean("autoStopConfiguration.enabled") === false) notes.push("autoStopConfiguration.enabled is false (DA-93 wants auto-stop on)");
  return {
    surfaceClass: "batch",
    idleSafe: "keep",
    components: [
      usage("vCPU hours", "vCPU-hours", "emrserverless.vcpu-hour", n(u.emrVcpuHours)),
      usage("Memory hours", "GB-hours", "emrserverless.gb-hour", n(u.emrGbHours)),
    ],
    notes,
  };
};

/** A Databricks job runs on classic job compute when it (or a task) declares a cluster; else serverless. */
function classicCompute(inputs: Inputs): boolean {
  if (inputs.has("newCluster") || inputs.has("existingClusterId") || (inputs.array("jobClusters") ?? []).length > 0) return true;
  const tasks = inputs.array("tasks") ?? [];
  return tasks.some((_t, i) => inputs.has(`tasks.${i}.newCluster`) || inputs.has(`tasks.${i}.jobClusterKey`) || inputs.has(`tasks.${i}.existingClusterId`));
}

export const databricksJob: Family = (_r, inputs, ctx) => {
  const dbus = n(ctx.settings.usagePerProofHour.databricksDbus);
  const notes = ["billed by Databricks, outside AWS Budgets (COST_CAPTURE_SCOPE)"];
  if (classicCompute(inputs)) {
    return {
      surfaceClass: "batch",
      idleSafe: "keep",
      components: [usage("Jobs compute DBUs (classic, Premium)", "DBUs", "databricks.jobs-compute.premium.dbu", dbus)],
      unpriced: ["classic job compute also bills EC2/EBS in the AWS account, which is not modelled"],
      notes,
    };
  }
  return {
    surfaceClass: "batch",
    idleSafe: "keep",
    components: [usage("Serverless jobs DBUs (Premium)", "DBUs", "databricks.jobs-serverless.premium.dbu", dbus)],
    notes,
  };
};

export const databricksCluster: Family = (_r, _inputs, ctx) => ({
  surfaceClass: "batch",
  idleSafe: "keep",
  components: [usage("All-purpose compute DBUs (Premium)", "DBUs", "databricks.all-purpose.premium.dbu", n(ctx.settings.usagePerProofHour.databricksDbus))],
  unpriced: ["all-purpose clusters also bill EC2/EBS in the AWS account, which is not modelled"],
  notes: ["DA-70 forbids all-purpose clusters", "billed by Databricks, outside AWS Budgets"],
});

const ENDPOINT_CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration";

export const sagemakerEndpoint: Family = (r, _inputs, ctx) => {
  const config = ctx.stack.referenced(r, ENDPOINT_CONFIG, { input: "endpointConfigName", targetInputs: ["name"] });
  if (!config) return { surfaceClass: "ml", idleSafe: "retainIfProtected", components: [], unpriced: ["its endpoint configuration is not in this stack"] };
  const c = new Inputs(config.inputs);
  const variants = c.array("productionVariants") ?? [];
  const components = variants.flatMap((_v, i) => {
    if (c.has(`productionVariants.${i}.serverlessConfig`)) return [hourly("Serverless inference", "hours", "sagemaker.serverless-inference.hour", ONE)];
    const type = c.string(`productionVariants.${i}.instanceType`) ?? "unknown";
    const count = c.decimal(`productionVariants.${i}.initialInstanceCount`) ?? ONE;
    return [hourly(`Hosting instance hours (${count.toString()} x ${type})`, "instance-hours", `sagemaker.${type}.hosting-hour`, count)];
  });
  return { surfaceClass: "ml", idleSafe: "retainIfProtected", components };
};

export const sagemakerNotebook: Family = (_r, inputs) => {
  const type = inputs.string("instanceType") ?? "unknown";
  return {
    surfaceClass: "ml",
    idleSafe: "retainIfProtected",
    components: [hourly(`Notebook instance hours (${type})`, "instance-hours", `sagemaker.${type}.notebook-hour`, ONE)],
    notes: ["its ML storage volume is not modelled"],
  };
};

export const sagemakerDomain: Family = () => ({
  surfaceClass: "alwaysOn",
  idleSafe: "keep",
  components: [monthly("Domain", "domain-months", "sagemaker.domain", ONE)],
  notes: ["Studio apps are billed by the instances they run (run-time, not stack resources)"],
});

export const sagemakerModelPackageGroup: Family = () => ({
  surfaceClass: "alwaysOn",
  idleSafe: "keep",
  components: [monthly("Model registry", "group-months", "sagemaker.model-registry", ONE)],
});

export const mlflowTrackingServer: Family = (_r, inputs) => {
  const size = (inputs.string("trackingServerSize") ?? "Small").toLowerCase();
  return {
    surfaceClass: "ml",
    idleSafe: "retainIfProtected",
    components: [hourly(`Tracking server hours (${size})`, "hours", `sagemaker.mlflow.tracking-server.${size}.hour`, ONE)],
    notes: ["DA-72: MLflow is Databricks-managed; a SageMaker tracking server is not in the design"],
  };
};

export const mwaaEnvironment: Family = (_r, inputs) => {
  const envClass = inputs.string("environmentClass") ?? "mw1.small";
  const minWorkers = inputs.decimal("minWorkers") ?? ONE;
  const components = [hourly(`Environment hours (${envClass})`, "hours", `mwaa.${envClass}.hour`, ONE)];
  const extra = minWorkers.minus(1);
  if (extra.gt(0)) components.push(hourly(`Additional workers (${extra.toString()})`, "worker-hours", `mwaa.${envClass}.worker-hour`, extra));
  return {
    surfaceClass: "orchestration",
    idleSafe: "retainIfProtected",
    components,
    notes: ["MWAA has no scale to zero; DA-60 forbids an environment while AIRFLOW_MODE is deferred"],
  };
};
