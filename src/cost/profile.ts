/**
 * The cost model's inputs besides the plan: the environment's usage profile (`fraud-platform:cost` in
 * `Pulumi.<env>.yaml`, schema in src/config/costSettings.ts) and the budget pins of the handles registry. The
 * layer envelopes must add up to the registry's budget limit; the budget figures are read, never repeated.
 */
import * as fs from "fs";
import * as path from "path";
import { readYamlFile, validateInput } from "../yamlFile";
import { CostSettings, costSettingsSchema } from "../config/costSettings";
import { PROJECT_NAMESPACE } from "../config/settings";
import { InputError } from "../errors";
import { LAYERS, Layer } from "../layers";
import { PROJECT_ROOT, Registry, loadRegistry } from "../registry/registry";
import { Decimal } from "./decimal";

export const COST_KEY = `${PROJECT_NAMESPACE}:cost`;

/** Budget pins of the registry (DA-90), as the model uses them. */
export interface BudgetPins {
  name: string;
  limitUsd: Decimal;
  /** Alert thresholds 1..3, ascending. */
  alertsUsd: Decimal[];
  currency: string;
  costCaptureScope: string;
}

export function budgetPins(registry: Registry = loadRegistry()): BudgetPins {
  return {
    name: registry.string("AWS_BUDGET_NAME"),
    limitUsd: Decimal.of(registry.number("DEV_FULL_MONTHLY_BUDGET_LIMIT_USD")),
    alertsUsd: [1, 2, 3].map((i) => Decimal.of(registry.number(`DEV_FULL_BUDGET_ALERT_${i}_USD`))),
    currency: registry.string("BUDGET_CURRENCY"),
    costCaptureScope: registry.string("COST_CAPTURE_SCOPE"),
  };
}

export interface CostProfile {
  env: string;
  /** File the profile came from, relative to the project root. */
  source: string;
  settings: CostSettings;
  /** Availability zones of the environment's VPC: the fallback AZ count of endpoints whose subnets are unknown. */
  availabilityZoneCount?: number;
  budget: BudgetPins;
}

/** Validates a `fraud-platform:cost` value and checks the envelopes against the registry's budget limit. */
export function parseCostSettings(raw: unknown, file: string, budget: BudgetPins): CostSettings {
  if (raw === undefined) {
    throw new InputError(`no usage profile in ${file}`, [
      {
        file,
        key: COST_KEY,
        expected: "the environment's usage profile (fields in src/config/costSettings.ts)",
        found: "nothing (key missing)",
        fix: `copy the ${COST_KEY} section of Pulumi.dev-full.yaml and adapt it`,
      },
    ]);
  }
  const settings = validateInput(costSettingsSchema, raw, file, "usage profile in", {
    keyPrefix: `${COST_KEY}.`,
    declaredIn: () => "src/config/costSettings.ts",
  });
  const total = Decimal.sum(LAYERS.map((l: Layer) => Decimal.of(settings.envelopesUsd[l])));
  if (!total.eq(budget.limitUsd)) {
    throw new InputError(`invalid usage profile in ${file}`, [
      {
        file,
        key: `${COST_KEY}.envelopesUsd`,
        expected: `layer envelopes adding up to the monthly budget limit ${budget.limitUsd.toString()} ${budget.currency} (DEV_FULL_MONTHLY_BUDGET_LIMIT_USD)`,
        found: `a total of ${total.toString()}`,
      },
    ]);
  }
  return settings;
}

const cache = new Map<string, { stamp: string; registry: Registry; profile: CostProfile }>();

/**
 * Loads the usage profile of an environment from `Pulumi.<env>.yaml` in the project directory (cached until the
 * file changes: the DA-90 policies ask for it once per stack and policy).
 */
export function loadCostProfile(env: string, projectDir: string = PROJECT_ROOT, registry: Registry = loadRegistry()): CostProfile {
  const file = path.join(projectDir, `Pulumi.${env}.yaml`);
  const rel = path.relative(projectDir, file);
  if (!fs.existsSync(file)) {
    throw new InputError(`no settings file for environment ${env}`, [
      { file: rel, key: "(file)", expected: "the environment's shared settings file", found: "no such file" },
    ]);
  }
  const stat = fs.statSync(file);
  const stamp = `${stat.mtimeMs}:${stat.size}`;
  const hit = cache.get(file);
  if (hit && hit.stamp === stamp && hit.registry === registry) return hit.profile;
  const profile = readCostProfile(env, file, rel, registry);
  cache.set(file, { stamp, registry, profile });
  return profile;
}

function readCostProfile(env: string, file: string, rel: string, registry: Registry): CostProfile {
  const doc = readYamlFile(file, rel, "environment settings file");
  const config = (
    doc !== null && typeof doc === "object" && "config" in doc && doc.config !== null && typeof doc.config === "object" ? doc.config : {}
  ) as Record<string, unknown>;
  const budget = budgetPins(registry);
  const settings = parseCostSettings(config[COST_KEY], rel, budget);
  const network = config[`${PROJECT_NAMESPACE}:network`] as { availabilityZoneCount?: unknown } | undefined;
  const azs = typeof network?.availabilityZoneCount === "number" ? network.availabilityZoneCount : undefined;
  return { env, source: rel, settings, budget, ...(azs !== undefined ? { availabilityZoneCount: azs } : {}) };
}
