/**
 * Secret settings of a layer stack (for example the data-ml stack's Databricks token). A secret is only accepted
 * from a secret config key (`pulumi config set --secret`), so it is encrypted in the stack file and in state; a
 * plain value is a config error, and so is a missing one in a real run. The offline plan cannot decrypt stack
 * secrets and a fresh clone has none, so there (record mode, see `blockers.ts`) a missing secret is a recorded
 * blocker (`SECRET_MISSING:<key>`, with its `pulumi config set --secret` command) and an unknown secret value, as an
 * undecryptable `secure:` value is; it is never invented.
 */
import * as pulumi from "@pulumi/pulumi";
import { InputError } from "../errors";
import { recordBlocker, recording } from "./blockers";
import { Environment } from "./environment";
import { PROJECT_NAMESPACE } from "./settings";

export interface SecretSetting {
  /** The value as a Pulumi secret (unknown in the offline plan when the key is not set). */
  value: pulumi.Output<string>;
  /** Whether the stack config holds the key (false only in the offline plan; a real run fails instead). */
  configured: boolean;
}

/** The value of secret key `fraud-platform:<key>` of `env`'s layer stack; `value` is what the settings hold for it. */
export function secretSetting(env: Environment, key: string, value: string | undefined, what: string): SecretSetting {
  const fullKey = `${PROJECT_NAMESPACE}:${key}`;
  const file = `Pulumi.${env.stackName}.yaml`;
  const fix = `pulumi config set --secret ${fullKey} <value> --stack ${env.stackName}`;
  if (value !== undefined) {
    if (!env.secretKeys.includes(fullKey)) {
      throw new InputError(`invalid environment for stack ${env.stackName}`, [
        { file, key: fullKey, expected: `${what} stored as a secret`, found: "a plain (unencrypted) value", fix: `remove it, then ${fix}` },
      ]);
    }
    return { value: pulumi.secret(value), configured: true };
  }
  const missing = new InputError(`invalid environment for stack ${env.stackName}`, [
    { file, key: fullKey, expected: `${what} (a secret)`, found: "nothing (key missing)", fix },
  ]);
  // The plan records it like a TO_PIN handle, where `pulumi preview`/`up` stop with the InputError.
  if (!recording()) throw missing;
  recordBlocker({
    kind: "SECRET_MISSING",
    handle: fullKey,
    message: `${fullKey} (${what}) is not set in ${file}: ${env.stackName} stops here under pulumi preview and up`,
    pinCommand: fix,
  });
  return { value: pulumi.secret(pulumi.output(pulumi.unknown) as pulumi.Output<string>), configured: false };
}
