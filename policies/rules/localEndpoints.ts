/**
 * DA-62 (mandatory, high): no local or laptop endpoints in runtime configuration. Lambda and ECS environment
 * values and Step Functions definitions must not point at localhost, loopback addresses, LocalStack, MinIO or
 * the Docker host. (A container's own health check on 127.0.0.1 is not configuration of an endpoint and is not
 * inspected; nor are bind addresses such as 0.0.0.0.)
 */
import { resourceRule } from "../lib/rule";
import { workloadEnvironment } from "../lib/workloadEnv";

/** What a local endpoint looks like in a value. */
export const LOCAL_ENDPOINT = /\blocalhost\b|\b127(?:\.\d{1,3}){3}\b|\[::1\]|\blocalstack\b|\bminio\b|host\.docker\.internal/i;

export const noLocalEndpoints = resourceRule(
  {
    id: "DA-62",
    slug: "no-local-endpoints",
    description:
      "Runtime configuration (Lambda/ECS environment, Step Functions definitions) must not reference localhost, 127.x, ::1, LocalStack, MinIO or host.docker.internal; use the managed service endpoints.",
    severity: "high",
  },
  (args, reportViolation) => {
    if (args.type === "aws:sfn/stateMachine:StateMachine") {
      const definition = args.props.definition;
      const match = typeof definition === "string" ? LOCAL_ENDPOINT.exec(definition) : null;
      if (match) reportViolation(`definition references ${JSON.stringify(match[0])}; state machines call managed endpoints only.`);
      return;
    }
    const env = workloadEnvironment(args.type, args.props as Record<string, unknown>);
    if (!env) return args.notApplicable("not a Lambda function, ECS task definition or state machine");
    for (const e of env) {
      const match = typeof e.value === "string" ? LOCAL_ENDPOINT.exec(e.value) : null;
      if (match) reportViolation(`${e.where}: ${e.name}=${JSON.stringify(e.value)} references ${JSON.stringify(match[0])}; point it at the managed service.`);
    }
  },
);
