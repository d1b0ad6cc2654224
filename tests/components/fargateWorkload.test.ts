/** The Fargate workload's container definition (pure: no mocks). */
import { containerDefinitionsJson } from "../../components/fargateWorkload";

const args = {
  family: "fraud-platform-dev-full-df",
  runIdEnvKey: "REQUIRED_PLATFORM_RUN_ID",
  secrets: { KAFKA_BOOTSTRAP_BROKERS: "/fraud-platform/dev_full/msk/bootstrap_brokers" },
  region: "eu-west-2",
};
const resolved = {
  image: "123456789012.dkr.ecr.eu-west-2.amazonaws.com/fraud-platform-dev-full:git-0123abc-run-42",
  command: ["python", "-m", "fraud_detection.decision_fabric.worker"],
  environment: { RUNTIME_LANE: "decision_lane", REQUIRED_PLATFORM_RUN_ID: "run-1" },
  logGroupName: "/fraud-platform/dev_full/ecs/fraud-platform-dev-full-df",
  accountId: "123456789012",
};

describe("containerDefinitionsJson", () => {
  it("runs the pinned image read-only, with the environment sorted and secrets only as SSM parameter ARNs", () => {
    const [container] = JSON.parse(containerDefinitionsJson(args, resolved)) as Array<Record<string, unknown>>;
    expect(container).toMatchObject({ name: args.family, image: resolved.image, readonlyRootFilesystem: true, command: resolved.command });
    expect(container.environment).toEqual([
      { name: "REQUIRED_PLATFORM_RUN_ID", value: "run-1" },
      { name: "RUNTIME_LANE", value: "decision_lane" },
    ]);
    expect(container.secrets).toEqual([
      { name: "KAFKA_BOOTSTRAP_BROKERS", valueFrom: "arn:aws:ssm:eu-west-2:123456789012:parameter/fraud-platform/dev_full/msk/bootstrap_brokers" },
    ]);
  });

  it("refuses a mutable image (DA-61) and an environment without the run id (DA-63)", () => {
    expect(() => containerDefinitionsJson(args, { ...resolved, image: "repo:latest" })).toThrow(/^workload fraud-platform-dev-full-df: .*\(DA-61\)$/);
    expect(() => containerDefinitionsJson(args, { ...resolved, environment: { RUNTIME_LANE: "decision_lane" } })).toThrow(
      "workload fraud-platform-dev-full-df: environment lacks REQUIRED_PLATFORM_RUN_ID (DA-63)",
    );
  });
});
