/**
 * DA-72 (mandatory, high): MLflow is Databricks-managed (MLFLOW_HOSTING_MODE). No self-hosted tracking server:
 * no ECS task or Kubernetes workload running an MLflow server image or command, no EC2 instance or launch template
 * whose user data starts one, and no SageMaker-hosted MLflow tracking server.
 */
import { recordsOf } from "../lib/knownValues";
import { resourceRule } from "../lib/rule";

/** An MLflow server start (`mlflow server`, `mlflow ui`, `mlflow.server`) or an MLflow server image. */
const SERVER_COMMAND = /\bmlflow(\s+(server|ui)\b|\.server\b)/i;
const SERVER_IMAGE = /(^|[/:@])(mlflow|[\w.-]*mlflow-server)[\w.-]*(:|@|$)/i;

const asText = (v: unknown): string => (typeof v === "string" ? v : Array.isArray(v) ? v.map(asText).join(" ") : "");

/** Why one container definition runs an MLflow server (undefined: it does not). */
export function mlflowContainerProblem(container: Record<string, unknown>): string | undefined {
  const image = typeof container.image === "string" ? container.image : "";
  const command = [container.command, container.entryPoint, container.args].map(asText).join(" ");
  if (SERVER_COMMAND.test(command)) return `container ${JSON.stringify(container.name ?? "?")} starts an MLflow server (${command.trim()})`;
  if (image && SERVER_IMAGE.test(image.split("/").pop() ?? image)) return `container ${JSON.stringify(container.name ?? "?")} runs MLflow image ${image}`;
  return undefined;
}

function decodeUserData(props: Record<string, unknown>): string {
  const plain = asText(props.userData);
  const b64 = asText(props.userDataBase64);
  return `${plain}\n${b64 ? Buffer.from(b64, "base64").toString("utf8") : ""}`;
}

function containersOf(props: Record<string, unknown>, type: string): Record<string, unknown>[] {
  if (type === "aws:ecs/taskDefinition:TaskDefinition") {
    const raw = props.containerDefinitions;
    try {
      return recordsOf(typeof raw === "string" ? JSON.parse(raw) : raw);
    } catch {
      return [];
    }
  }
  const spec = (props.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template?.spec ?? {};
  return [...recordsOf(spec.containers), ...recordsOf(spec.initContainers)];
}

const K8S_WORKLOADS = new Set(["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet", "kubernetes:batch/v1:Job"]);

export const noSelfHostedMlflow = resourceRule(
  {
    id: "DA-72",
    slug: "no-self-hosted-mlflow",
    description:
      "MLflow is the Databricks-managed service: no ECS/Kubernetes workload, EC2 instance or SageMaker tracking server hosts an MLflow server. Log to MLFLOW_EXPERIMENT_PATH through the tracking URI in SSM.",
    severity: "high",
  },
  (args, reportViolation) => {
    const props = args.props as Record<string, unknown>;
    if (args.type === "aws:sagemaker/mlflowTrackingServer:MlflowTrackingServer") {
      return reportViolation(
        `SageMaker MLflow tracking server ${JSON.stringify(props.trackingServerName ?? args.name)}: MLflow is Databricks-managed (MLFLOW_HOSTING_MODE).`,
      );
    }
    if (args.type === "aws:ec2/instance:Instance" || args.type === "aws:ec2/launchTemplate:LaunchTemplate") {
      if (SERVER_COMMAND.test(decodeUserData(props))) reportViolation("user data starts an MLflow server; MLflow is Databricks-managed (MLFLOW_HOSTING_MODE).");
      return;
    }
    if (args.type === "aws:ecs/taskDefinition:TaskDefinition" || K8S_WORKLOADS.has(args.type)) {
      for (const c of containersOf(props, args.type)) {
        const problem = mlflowContainerProblem(c);
        if (problem) reportViolation(`${problem}; MLflow is Databricks-managed (MLFLOW_HOSTING_MODE).`);
      }
      return;
    }
    return args.notApplicable("cannot host an MLflow server");
  },
);
