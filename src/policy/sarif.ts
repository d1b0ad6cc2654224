/**
 * SARIF 2.1.0 rendering of a policy report, for code-scanning upload: one rule per policy (id = DA id + policy
 * name), one result per violation located at the resource URN, level from the enforcement level.
 */
import { PolicyPackDefinition, PolicyReport } from "./harness";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

export function sarifOf(report: PolicyReport, pack: PolicyPackDefinition): object {
  const rules = pack.policies.map((p) => ({
    id: p.name,
    name: p.name,
    shortDescription: { text: p.description.split("\n")[0] },
    properties: { severity: p.severity ?? "medium", enforcementLevel: p.enforcementLevel ?? pack.enforcementLevel },
  }));
  const results = report.violations.map((v) => ({
    ruleId: v.policy,
    level: v.enforcementLevel === "mandatory" ? "error" : "warning",
    message: { text: v.message },
    locations: [
      {
        logicalLocations: [{ fullyQualifiedName: v.urn ?? v.stack ?? pack.name, kind: "resource" }],
        physicalLocation: { artifactLocation: { uri: v.stack ? `Pulumi.${v.stack}.yaml` : "Pulumi.yaml" } },
      },
    ],
    properties: { stack: v.stack, type: v.type, rule: v.rule },
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [{ tool: { driver: { name: pack.name, informationUri: "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/", rules } }, results }],
  };
}
