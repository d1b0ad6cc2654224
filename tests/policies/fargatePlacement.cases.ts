import { caseLabelServicesUseAurora, spineServicesOnFargate } from "../../policies/rules/fargatePlacement";
import { PropertyMap, UNKNOWN } from "../../src/plan/previewDocument";
import { check, doc, mutate, resource } from "../helpers/policyFixtures";

const SERVICE = "aws:ecs/service:Service";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const PARAM = "arn:aws:ssm:eu-west-2:123456789012:parameter";

const service = (name = "fraud-platform-dev-full-cm"): PropertyMap => ({
  name,
  cluster: UNKNOWN,
  taskDefinition: UNKNOWN,
  launchType: "FARGATE",
  desiredCount: 0,
});
const taskDefinition = (family = "fraud-platform-dev-full-cm"): PropertyMap => ({
  family,
  requiresCompatibilities: ["FARGATE"],
  networkMode: "awsvpc",
  containerDefinitions: JSON.stringify([
    {
      name: family,
      image: "123456789012.dkr.ecr.eu-west-2.amazonaws.com/fraud-platform-dev-full:git-abc1234",
      environment: [{ name: "PLATFORM_RUN_ID", value: "run-1" }],
      secrets: [
        { name: "AURORA_ENDPOINT", valueFrom: `${PARAM}/fraud-platform/dev_full/aurora/endpoint` },
        { name: "AURORA_PASSWORD", valueFrom: `${PARAM}/fraud-platform/dev_full/aurora/password` },
        { name: "AURORA_USERNAME", valueFrom: `${PARAM}/fraud-platform/dev_full/aurora/username` },
      ],
    },
  ]),
});

describe("DA-56 spine services on Fargate", () => {
  it("stays quiet on FARGATE launch type and compatibility", async () => {
    const r = await check(spineServicesOnFargate, doc(resource(SERVICE, "cm", service()), resource(TASK_DEFINITION, "cm", taskDefinition())));
    expect(r.violations).toEqual([]);
  });
  it("stays quiet on a FARGATE_SPOT capacity-provider strategy", async () => {
    const inputs = mutate(mutate(service("fraud-platform-dev-full-case-trigger"), "launchType", undefined), "capacityProviderStrategies", [
      { capacityProvider: "FARGATE_SPOT", weight: 1 },
    ]);
    expect((await check(spineServicesOnFargate, doc(resource(SERVICE, "case-trigger", inputs)))).violations).toEqual([]);
  });
  it.each(["fraud-platform-dev-full-al", "fraud-platform-dev-full-case-trigger", "fraud-platform-dev-full-cm", "fraud-platform-dev-full-ls"])(
    "fires when %s uses the EC2 launch type",
    async (name) => {
      const r = await check(spineServicesOnFargate, doc(resource(SERVICE, "svc", mutate(service(name), "launchType", "EC2"))));
      expect(r.violations).toHaveLength(1);
      expect(r.violations[0]).toMatchObject({ policy: "da-56-spine-services-on-fargate", enforcementLevel: "mandatory" });
      expect(r.violations[0].message).toContain(name);
    },
  );
  it("fires when the task definition does not require FARGATE", async () => {
    const r = await check(
      spineServicesOnFargate,
      doc(resource(TASK_DEFINITION, "ls", mutate(taskDefinition("fraud-platform-dev-full-ls"), "requiresCompatibilities", ["EC2"]))),
    );
    expect(r.violations.map((v) => v.message)).toEqual([expect.stringMatching(/FARGATE compatibility/)]);
  });
  it("ignores DF (custom-semantics ECS service)", async () => {
    const r = await check(spineServicesOnFargate, doc(resource(SERVICE, "df", mutate(service("fraud-platform-dev-full-df"), "launchType", "EC2"))));
    expect(r.violations).toEqual([]);
  });
});

describe("DA-56 CM/LS connect to Aurora", () => {
  it("stays quiet when CM receives the Aurora paths", async () => {
    expect((await check(caseLabelServicesUseAurora, doc(resource(TASK_DEFINITION, "cm", taskDefinition())))).violations).toEqual([]);
  });
  it("fires when LS lacks the Aurora endpoint path", async () => {
    const td = taskDefinition("fraud-platform-dev-full-ls");
    const containers = JSON.parse(td.containerDefinitions as string);
    containers[0].secrets = containers[0].secrets.filter((s: { name: string }) => s.name !== "AURORA_ENDPOINT");
    const r = await check(caseLabelServicesUseAurora, doc(resource(TASK_DEFINITION, "ls", mutate(td, "containerDefinitions", JSON.stringify(containers)))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ policy: "da-56-case-label-services-use-aurora", enforcementLevel: "mandatory" });
    expect(r.violations[0].message).toContain("SSM_AURORA_ENDPOINT_PATH");
  });
  it("does not require Aurora of AL", async () => {
    const r = await check(
      caseLabelServicesUseAurora,
      doc(resource(TASK_DEFINITION, "al", mutate(taskDefinition("fraud-platform-dev-full-al"), "containerDefinitions", "[]"))),
    );
    expect(r.violations).toEqual([]);
  });
});
