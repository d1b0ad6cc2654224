/**
 * Pay-per-use surfaces of the ingress edge and orchestration: Lambda (requests + GB-seconds), API Gateway
 * (requests), Step Functions (state transitions), SQS (requests), and ECS Fargate services (vCPU-hours and
 * GB-hours of their task size). They stay after P17 at zero traffic / zero tasks, so idle they cost nothing.
 */
import { Decimal } from "../decimal";
import { Inputs } from "../inputs";
import { gib, n, per, usage } from "./common";
import { Family } from "./types";

const LAMBDA_DEFAULT_MEMORY_MB = 128;

export const lambdaFunction: Family = (_r, inputs, ctx) => {
  const u = ctx.settings.usagePerProofHour;
  const memoryGb = gib(inputs.decimal("memorySize") ?? n(LAMBDA_DEFAULT_MEMORY_MB));
  const arm = inputs.string("architectures.0") === "arm64";
  const invocations = n(u.lambdaInvocations);
  const gbSeconds = invocations.times(n(u.lambdaAvgDurationMs)).div(1000, 12).times(memoryGb);
  return {
    surfaceClass: "runtime",
    idleSafe: "keep",
    components: [
      usage("Requests", "1M requests", "lambda.requests.million", per(invocations, 1_000_000)),
      usage(`Duration (${memoryGb.toString()} GB${arm ? ", arm64" : ""})`, "GB-seconds", arm ? "lambda.gb-second.arm" : "lambda.gb-second", gbSeconds),
    ],
    notes: ["free tier (1M requests, 400,000 GB-s a month) not deducted"],
  };
};

export const httpApi: Family = (_r, inputs, ctx) => {
  const protocol = inputs.string("protocolType") ?? "HTTP";
  const sku = protocol === "HTTP" ? "apigw.http.million" : `apigw.${protocol.toLowerCase()}.million`;
  return {
    surfaceClass: "runtime",
    idleSafe: "keep",
    components: [usage(`${protocol} API requests`, "1M requests", sku, per(n(ctx.settings.usagePerProofHour.apiRequests), 1_000_000))],
  };
};

export const restApi: Family = (_r, _inputs, ctx) => ({
  surfaceClass: "runtime",
  idleSafe: "keep",
  components: [usage("REST API requests", "1M requests", "apigw.rest.million", per(n(ctx.settings.usagePerProofHour.apiRequests), 1_000_000))],
});

export const stateMachine: Family = (_r, inputs, ctx) => {
  const transitions = n(ctx.settings.usagePerProofHour.stateTransitions);
  if ((inputs.string("type") ?? "STANDARD") === "EXPRESS") {
    return {
      surfaceClass: "runtime",
      idleSafe: "keep",
      components: [usage("Express requests", "1M requests", "sfn.express.requests.million", per(transitions, 1_000_000))],
    };
  }
  return {
    surfaceClass: "runtime",
    idleSafe: "keep",
    components: [usage("State transitions", "1k transitions", "sfn.standard.transitions.1k", per(transitions, 1000))],
    notes: ["4,000 free transitions a month not deducted"],
  };
};

export const sqsQueue: Family = (_r, inputs, ctx) => {
  const fifo = inputs.boolean("fifoQueue") === true;
  return {
    surfaceClass: "runtime",
    idleSafe: "keep",
    components: [
      usage(
        "Requests",
        "1M requests",
        fifo ? "sqs.fifo.requests.million" : "sqs.standard.requests.million",
        per(n(ctx.settings.usagePerProofHour.sqsRequests), 1_000_000),
      ),
    ],
  };
};

const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

export const ecsService: Family = (r, inputs, ctx) => {
  const strategies = inputs.array("capacityProviderStrategies") ?? [];
  const providers = strategies.map((_s, i) => inputs.string(`capacityProviderStrategies.${i}.capacityProvider`) ?? "");
  const launchType = inputs.string("launchType") ?? (providers.length ? undefined : "EC2");
  const fargate = launchType === "FARGATE" || providers.some((p) => p.startsWith("FARGATE"));
  if (!fargate) return { surfaceClass: "runtime", idleSafe: "keep", components: [], free: "EC2 launch type: billed on its container instances" };
  const spot = providers.includes("FARGATE_SPOT");
  const taskDef = ctx.stack.referenced(r, TASK_DEFINITION, { input: "taskDefinition", targetInputs: ["family"] });
  if (!taskDef) return { surfaceClass: "runtime", idleSafe: "keep", components: [], unpriced: ["its task definition (task size) is not in this stack"] };
  const t = new Inputs(taskDef.inputs);
  const cpu = t.decimal("cpu");
  const memory = t.decimal("memory");
  if (!cpu || !memory)
    return { surfaceClass: "runtime", idleSafe: "keep", components: [], unpriced: [`task definition ${taskDef.name} sets no task-level cpu/memory`] };
  const vcpu = gib(cpu);
  const gb = gib(memory);
  const arm = t.string("runtimePlatform.cpuArchitecture") === "ARM64";
  const desired = inputs.decimal("desiredCount") ?? Decimal.ZERO;
  const tasks = desired.gt(0) ? desired : n(ctx.settings.capacity.ecsTasksPerServiceInWindow);
  const notes = [
    desired.gt(0)
      ? `declared at desired ${desired.toString()}: the idle-safe switch scales it to 0 between windows (DA-93 prefers desired 0 at rest)`
      : `declared at desired 0: runs ${tasks.toString()} task(s) during runtime windows (capacity.ecsTasksPerServiceInWindow)`,
  ];
  const suffix = `${spot ? ".spot" : ""}${arm ? ".arm" : ""}`;
  return {
    surfaceClass: "runtime",
    idleSafe: "keep",
    components: [
      usage(`vCPU hours (${tasks.toString()} x ${vcpu.toString()} vCPU${arm ? ", ARM" : ""})`, "vCPU-hours", `fargate.vcpu-hour${suffix}`, tasks.times(vcpu)),
      usage(`Memory hours (${tasks.toString()} x ${gb.toString()} GB)`, "GB-hours", `fargate.gb-hour${suffix}`, tasks.times(gb)),
    ],
    notes,
  };
};
