import { mlflowContainerProblem, noSelfHostedMlflow } from "../../policies/rules/selfHostedMlflow";
import { DATA_ML_STACK, T, dataMlCompliant, res, stackDoc } from "../helpers/dataMlOpsFixtures";
import { check, mutate } from "../helpers/policyFixtures";

const one = (type: string, inputs: Record<string, unknown>) =>
  check(noSelfHostedMlflow, stackDoc(DATA_ML_STACK, res(DATA_ML_STACK, type, "x", inputs as never)));

describe("DA-72 no self-hosted MLflow", () => {
  it("stays quiet on ordinary tasks and instances", async () => {
    expect((await one(T.taskDefinition, dataMlCompliant.taskDefinition())).violations).toEqual([]);
    expect((await one(T.instance, dataMlCompliant.instance())).violations).toEqual([]);
  });

  it.each([
    [{ name: "tracking", image: "ghcr.io/mlflow/mlflow:v2.16.0" }, /runs MLflow image ghcr.io\/mlflow\/mlflow:v2.16.0/],
    [{ name: "tracking", image: "python:3.12", command: ["mlflow", "server", "--host", "0.0.0.0"] }, /starts an MLflow server/],
    [{ name: "tracking", image: "python:3.12", entryPoint: ["sh", "-c", "pip install mlflow && mlflow ui"] }, /starts an MLflow server/],
  ])("fires on an ECS task running %p", async (container, message) => {
    const r = await one(T.taskDefinition, mutate(dataMlCompliant.taskDefinition(), "containerDefinitions", JSON.stringify([container])));
    expect(r.violations).toEqual([
      expect.objectContaining({ policy: "da-72-no-self-hosted-mlflow", enforcementLevel: "mandatory", message: expect.stringMatching(message) }),
    ]);
  });

  it("fires on EC2 user data (plain or base64) that starts a server", async () => {
    expect((await one(T.instance, mutate(dataMlCompliant.instance(), "userData", "#!/bin/bash\nmlflow server --port 5000"))).violations).toHaveLength(1);
    const b64 = Buffer.from("#!/bin/bash\npython -m mlflow.server").toString("base64");
    expect((await one(T.instance, { ami: "ami-0abc", userDataBase64: b64 })).violations).toHaveLength(1);
  });

  it("fires on a Kubernetes deployment and on a SageMaker MLflow tracking server", async () => {
    const deployment = { spec: { template: { spec: { containers: [{ name: "mlflow", image: "mlflow-server:2.16" }] } } } };
    expect((await one(T.deployment, deployment)).violations).toHaveLength(1);
    expect((await one(T.mlflowServer, { trackingServerName: "tracking" })).violations).toEqual([
      expect.objectContaining({ message: expect.stringContaining("Databricks-managed") }),
    ]);
  });

  it("does not take the word mlflow in a client image or argument for a server", () => {
    expect(
      mlflowContainerProblem({
        name: "train",
        image: "fraud-platform-dev-full:git-abc1234-run-1",
        command: ["python", "train.py", "--mlflow-uri", "databricks"],
      }),
    ).toBeUndefined();
  });
});
