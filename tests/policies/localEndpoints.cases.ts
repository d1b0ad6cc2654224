import fc from "fast-check";
import { LOCAL_ENDPOINT, noLocalEndpoints } from "../../policies/rules/localEndpoints";
import { check, doc, mutate, resource } from "../helpers/policyFixtures";
import { T, runtimeCompliant } from "../helpers/runtimeFixtures";

const definition = (endpoint: string) =>
  JSON.stringify({
    StartAt: "Call",
    States: { Call: { Type: "Task", Resource: "arn:aws:states:::http:invoke", Parameters: { ApiEndpoint: endpoint }, End: true } },
  });

describe("DA-62 no local endpoints", () => {
  it("stays quiet on managed endpoints, bind addresses and other resource types", async () => {
    const r = await check(
      noLocalEndpoints,
      doc(
        resource(T.lambda, "h", runtimeCompliant.handler()),
        resource(
          T.taskDefinition,
          "td",
          runtimeCompliant.taskDefinition([
            { name: "IG_LISTEN_ADDR", value: "0.0.0.0" },
            { name: "OBJECT_STORE_ENDPOINT", value: "https://s3.eu-west-2.amazonaws.com" },
          ]),
        ),
        resource(T.stateMachine, "sm", {
          name: "fraud-platform-dev-full-platform-run-v0",
          definition: definition("https://abc.execute-api.eu-west-2.amazonaws.com/v1"),
        }),
        resource(T.queue, "q", runtimeCompliant.queue()),
      ),
    );
    expect(r.violations).toEqual([]);
  });
  it.each([
    [
      T.lambda,
      mutate(runtimeCompliant.handler(), "environment.variables.OBJECT_STORE_ENDPOINT", "http://localhost:4566"),
      /OBJECT_STORE_ENDPOINT="http:\/\/localhost:4566" references "localhost"/,
    ],
    [T.lambda, mutate(runtimeCompliant.handler(), "environment.variables.KAFKA_BOOTSTRAP", "127.0.0.1:9092"), /references "127.0.0.1"/],
    [
      T.taskDefinition,
      runtimeCompliant.taskDefinition([{ name: "S3_ENDPOINT", value: "http://minio:9000" }]),
      /container app: S3_ENDPOINT=.* references "minio"/,
    ],
    [T.stateMachine, { name: "sm", definition: definition("http://host.docker.internal:8080") }, /definition references "host.docker.internal"/],
  ])("fires on %s", async (type, inputs, message) => {
    const r = await check(noLocalEndpoints, doc(resource(type, "x", inputs)));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(message);
  });
  it("matches every loopback IPv4 address and no AWS service hostname", () => {
    fc.assert(fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)), ([a, b, c]) => LOCAL_ENDPOINT.test(`http://127.${a}.${b}.${c}:80`)));
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
        (svc) => !LOCAL_ENDPOINT.test(`https://${svc}.eu-west-2.amazonaws.com`) || /localhost|localstack|minio/.test(svc),
      ),
    );
  });
});
