/**
 * DA-63 (mandatory, high): every containerised runtime workload receives the platform run it is pinned to in env
 * REQUIRED_PLATFORM_RUN_ID (key from the registry, REQUIRED_PLATFORM_RUN_ID_ENV_KEY), with a non-empty value.
 * Checks ECS task definitions (every container).
 */
import * as aws from "@pulumi/aws";
import * as policy from "@pulumi/policy";
import { listOf } from "../lib/knownValues";
import { registry } from "../lib/registry";
import { resourceRule } from "../lib/rule";

export const taskDefinitionRunId = resourceRule(
  {
    id: "DA-63",
    slug: "task-definition-run-id",
    description: "Every container of an ECS task definition has env REQUIRED_PLATFORM_RUN_ID with the platform run id (set runtimeLanes.ecs.platformRunId).",
    severity: "high",
  },
  policy.validateResourceOfType(aws.ecs.TaskDefinition, (td, _args, reportViolation) => {
    const key = registry().string("REQUIRED_PLATFORM_RUN_ID_ENV_KEY");
    const defs = typeof td.containerDefinitions === "string" ? (JSON.parse(td.containerDefinitions) as unknown) : td.containerDefinitions;
    for (const d of listOf(defs)) {
      const c = d as { name?: string; environment?: Array<{ name?: string; value?: string }> };
      const entry = (c.environment ?? []).find((e) => e.name === key);
      if (!entry || !entry.value) reportViolation(`container ${JSON.stringify(c.name ?? null)} has no non-empty ${key}.`);
    }
  }),
);
