/**
 * DA-04 (mandatory, critical): stack outputs never carry secret values, only ids, ARNs and paths. CrossGuard sees
 * outputs as the props of the `pulumi:pulumi:Stack` resource (after an update; during preview they are empty and
 * the rule is not applicable). An output is flagged when it is not secret-wrapped and either its key names a
 * secret (password, token, api key, secret, private key, credential) while the value is not a reference (an ARN,
 * an SSM/Secrets path, or a key ending in _path/_arn/_name/_id), or its value looks like credential material.
 */
import { isRedactedSecret } from "../lib/workloadEnv";
import { forEachKnownString, rawOf } from "../lib/knownValues";
import { stackRule } from "../lib/rule";

const SECRET_KEY = /pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential/i;
const REFERENCE_KEY = /(_|-|^)(path|arn|name|id|param|parameter)s?$/i;
const REFERENCE_VALUE = /^(arn:|\/|alias\/|\[secret\]$)/;
const SECRET_VALUE = [/^AKIA[0-9A-Z]{16}$/, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, /^dapi[0-9a-f]{32}/, /^gh[pousr]_[A-Za-z0-9]{30,}$/, /^xox[abpr]-/];

export const noSecretOutputs = stackRule(
  {
    id: "DA-04",
    slug: "no-secret-outputs",
    description:
      "Stack outputs must not carry secret values: export the SSM/Secrets Manager path or ARN instead (or at the very least wrap the value with pulumi.secret).",
    severity: "critical",
  },
  (args, reportViolation) => {
    const root = args.resources.find((r) => r.type === "pulumi:pulumi:Stack");
    const outputs = rawOf<Record<string, unknown>>(root?.props ?? {});
    if (!root || Object.keys(outputs).length === 0) return args.notApplicable("no stack outputs to inspect");
    forEachKnownString(outputs, (path, value) => {
      if (isRedactedSecret(value)) return;
      const key = path.split(/[.[]/)[0];
      const leaf = path.split(".").pop() ?? path;
      if (SECRET_VALUE.some((re) => re.test(value))) reportViolation(`output ${path} looks like a credential.`, root.urn);
      else if ((SECRET_KEY.test(key) || SECRET_KEY.test(leaf)) && !REFERENCE_KEY.test(leaf) && !REFERENCE_VALUE.test(value)) {
        reportViolation(`output ${path} names a secret and holds a plain value.`, root.urn);
      }
    });
  },
);
