/**
 * The environment variables of runtime workloads as policies see them: a Lambda function's
 * `environment.variables`, and each container's `environment` in an ECS task definition (whose
 * `containerDefinitions` is a JSON string). Shared by DA-23 (no credentials), DA-53 (API key path) and DA-62
 * (no local endpoints).
 */
import { REDACTED } from "../../src/plan/previewDocument";

/** One environment variable of a workload (`where` names the container for ECS). */
export interface EnvEntry {
  where: string;
  name: string;
  value: unknown;
}

export const LAMBDA_FUNCTION = "aws:lambda/function:Function";
export const ECS_TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

/** Env entries of a Lambda function's props. */
export function lambdaEnvironment(props: Record<string, unknown>): EnvEntry[] {
  const variables = (props.environment as { variables?: Record<string, unknown> } | undefined)?.variables ?? {};
  return Object.entries(variables).map(([name, value]) => ({ where: "environment.variables", name, value }));
}

/** Env entries of every container of an ECS task definition's props (unparseable definitions yield none). */
export function ecsEnvironment(props: Record<string, unknown>): EnvEntry[] {
  const raw = props.containerDefinitions;
  let containers: unknown;
  try {
    containers = typeof raw === "string" ? JSON.parse(raw) : raw;
  } catch {
    return [];
  }
  if (!Array.isArray(containers)) return [];
  return containers.flatMap((c: { name?: unknown; environment?: Array<{ name?: unknown; value?: unknown }> }) =>
    (c.environment ?? []).map((e) => ({ where: `container ${String(c.name ?? "?")}`, name: String(e.name ?? ""), value: e.value })),
  );
}

/** Env entries of a Lambda function or ECS task definition; undefined for other types. */
export function workloadEnvironment(type: string, props: Record<string, unknown>): EnvEntry[] | undefined {
  if (type === LAMBDA_FUNCTION) return lambdaEnvironment(props);
  if (type === ECS_TASK_DEFINITION) return ecsEnvironment(props);
  return undefined;
}

/** A Pulumi secret as a preview document carries it (the analyzer unwraps the signature to this marker). */
export function isRedactedSecret(value: unknown): boolean {
  return value === REDACTED;
}
