import { dbPasswordGeneratedSecret, envHoldsNoCredentials, isSecretReference } from "../../policies/rules/plaintextCredentials";
import { check, doc, mutate, resource, urnOf } from "../helpers/policyFixtures";
import { SECRET, T, runtimeCompliant } from "../helpers/runtimeFixtures";

describe("DA-23 environment holds no credentials", () => {
  it("stays quiet on the ingress handler's environment and on ECS secrets[].valueFrom", async () => {
    const r = await check(
      envHoldsNoCredentials,
      doc(
        resource(T.lambda, "h", runtimeCompliant.handler()),
        resource(T.taskDefinition, "td", runtimeCompliant.taskDefinition([{ name: "DB_PASSWORD_PATH", value: "/fraud-platform/dev_full/aurora/password" }])),
      ),
    );
    expect(r.violations).toEqual([]);
  });

  it.each([
    ["a credential-named variable holding a value", "environment.variables.DB_PASSWORD", "hunter2", /DB_PASSWORD looks like a credential but holds "hunter2"/],
    ["a token outside the SSM root", "environment.variables.DATABRICKS_TOKEN", "/other/tree/token", /DATABRICKS_TOKEN looks like a credential/],
    ["a Pulumi secret in the environment", "environment.variables.ANYTHING", SECRET, /ANYTHING holds a secret value/],
  ])("fires on %s (Lambda)", async (_what, path, value, message) => {
    const r = await check(envHoldsNoCredentials, doc(resource(T.lambda, "h", mutate(runtimeCompliant.handler(), path, value as never))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(message);
  });

  it("fires on an ECS container variable carrying a key", async () => {
    const r = await check(
      envHoldsNoCredentials,
      doc(resource(T.taskDefinition, "td", runtimeCompliant.taskDefinition([{ name: "IG_API_KEY", value: "abc123" }]))),
    );
    expect(r.violations[0].message).toMatch(/container app: IG_API_KEY looks like a credential/);
  });

  it("accepts SSM paths under the root and SSM / Secrets Manager ARNs as references", () => {
    const root = "/fraud-platform/dev_full/";
    expect(isSecretReference("/fraud-platform/dev_full/ig/api_key", root)).toBe(true);
    expect(isSecretReference("arn:aws:secretsmanager:eu-west-2:123456789012:secret:db-AbCdEf", root)).toBe(true);
    expect(isSecretReference("arn:aws:ssm:eu-west-2:123456789012:parameter/fraud-platform/dev_full/x", root)).toBe(true);
    expect(isSecretReference(root, root)).toBe(false);
    expect(isSecretReference(42, root)).toBe(false);
  });
});

describe("DA-23 database password generated and secret", () => {
  const password = resource(T.password, "aurora-master-password", { length: 32, special: true });
  it("stays quiet on a secret password, a generated-password dependency and a managed password", async () => {
    const r = await check(
      dbPasswordGeneratedSecret,
      doc(
        resource(T.cluster, "a", runtimeCompliant.cluster()),
        password,
        resource(T.cluster, "b", mutate(runtimeCompliant.cluster(), "masterPassword", "plain-but-generated"), {
          dependencies: [urnOf(T.password, "aurora-master-password")],
        }),
        resource(T.cluster, "c", { ...mutate(runtimeCompliant.cluster(), "masterPassword", undefined), manageMasterUserPassword: true }),
      ),
    );
    expect(r.violations).toEqual([]);
  });

  it("fires on a literal master password (cluster) and a literal instance password", async () => {
    const r = await check(
      dbPasswordGeneratedSecret,
      doc(
        resource(T.cluster, "a", mutate(runtimeCompliant.cluster(), "masterPassword", "dev-full-seed-password")),
        resource(T.rdsInstance, "i", { identifier: "db", password: "p@ss" }),
      ),
    );
    expect(r.violations.map((v) => v.message.split("\n")[1])).toEqual([
      expect.stringMatching(/a: masterPassword is a plain value/),
      expect.stringMatching(/i: password is a plain value/),
    ]);
    expect(r.violations[0].urn).toBe(urnOf(T.cluster, "a"));
  });

  it("is not applicable to a stack without databases", async () => {
    const r = await check(dbPasswordGeneratedSecret, doc(resource(T.queue, "q", runtimeCompliant.queue())));
    expect(r.summary.notApplicable).toBe(1);
  });
});
