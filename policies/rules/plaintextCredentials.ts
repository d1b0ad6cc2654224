/**
 * DA-23 (mandatory, critical): no plaintext credentials in resource inputs.
 * - `da-23-env-holds-no-credentials`: in Lambda and ECS environments, a variable whose name says credential
 *   (PASSWORD, SECRET, TOKEN, API_KEY, ...) holds an SSM parameter path under the environment's root or an
 *   SSM/Secrets Manager ARN, never a value; and no variable holds a Pulumi secret (a secret in an environment
 *   is a credential in plain text to anyone who can read the function's configuration). ECS containers take
 *   credentials through `secrets[].valueFrom`.
 * - `da-23-db-password-generated-secret`: an RDS cluster's `masterPassword` (or an instance's `password`) is a
 *   Pulumi secret - preview documents carry it as the redacted secret marker - or comes from a generated
 *   `random` password the resource depends on, or RDS manages it (`manageMasterUserPassword`). A literal fails.
 */
import { registry } from "../lib/registry";
import { resourceRule, stackRule } from "../lib/rule";
import { isRedactedSecret, workloadEnvironment } from "../lib/workloadEnv";

/** Variable names that announce a credential. */
export const CREDENTIAL_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

/** Whether a value is a reference to a secret store rather than a secret: an SSM path under `root` or an ARN. */
export function isSecretReference(value: unknown, ssmRoot: string): boolean {
  if (typeof value !== "string") return false;
  if (value.startsWith(ssmRoot) && value.length > ssmRoot.length) return true;
  return /^arn:aws[a-z-]*:(ssm:[a-z0-9-]+:\d{12}:parameter\/|secretsmanager:[a-z0-9-]+:\d{12}:secret:)/.test(value);
}

export const envHoldsNoCredentials = resourceRule(
  {
    id: "DA-23",
    slug: "env-holds-no-credentials",
    description:
      "Lambda/ECS environment variables hold paths, not credentials: a PASSWORD/SECRET/TOKEN/API_KEY variable must be an SSM path under /fraud-platform/dev_full/ (or an SSM/Secrets Manager ARN), and no variable may hold a secret value; ECS uses secrets[].valueFrom.",
    severity: "critical",
  },
  (args, reportViolation) => {
    const env = workloadEnvironment(args.type, args.props as Record<string, unknown>);
    if (!env) return args.notApplicable("not a Lambda function or ECS task definition");
    const root = registry().string("SSM_PARAMETER_ROOT");
    for (const e of env) {
      if (isRedactedSecret(e.value)) {
        reportViolation(`${e.where}: ${e.name} holds a secret value; publish it to SSM (SecureString) and pass the path instead.`);
      } else if (CREDENTIAL_NAME.test(e.name) && !isSecretReference(e.value, root)) {
        reportViolation(
          `${e.where}: ${e.name} looks like a credential but holds ${JSON.stringify(e.value)}, not an SSM path under ${root}; pass the parameter path and read it at run time.`,
        );
      }
    }
  },
);

const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";
const PASSWORD_PROPERTY: Readonly<Record<string, string>> = { "aws:rds/cluster:Cluster": "masterPassword", "aws:rds/instance:Instance": "password" };

export const dbPasswordGeneratedSecret = stackRule(
  {
    id: "DA-23",
    slug: "db-password-generated-secret",
    description:
      "Database master passwords are generated and secret: masterPassword must be a Pulumi secret from a generated random password (or manageMasterUserPassword=true), never a literal in code or config.",
    severity: "critical",
  },
  (args, reportViolation) => {
    const databases = args.resources.filter((r) => PASSWORD_PROPERTY[r.type] !== undefined);
    if (databases.length === 0) return args.notApplicable("no RDS cluster or instance in this stack");
    for (const db of databases) {
      const props = db.props as Record<string, unknown>;
      if (props.manageMasterUserPassword === true) continue;
      // A generated password is unknown until apply in a real first preview: decide on the dependency, untouched.
      if (db.dependencies.some((d) => d.type === RANDOM_PASSWORD)) continue;
      const value = props[PASSWORD_PROPERTY[db.type]];
      if (value === undefined || isRedactedSecret(value)) continue;
      reportViolation(
        `${db.name}: ${PASSWORD_PROPERTY[db.type]} is a plain value, not a secret from a generated password; use random.RandomPassword and pulumi.secret (or manageMasterUserPassword).`,
        db.urn,
      );
    }
  },
);

export const plaintextCredentialPolicies = [envHoldsNoCredentials, dbPasswordGeneratedSecret];
