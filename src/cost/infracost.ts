/**
 * `infracost.json`: the cost report in Infracost's own output format (infracost/infracost
 * `schema/infracost.schema.json`, vendored in tests/fixtures/schemas), written beside `cost-report.json` so
 * `infracost output --path infracost.json --format table` and `infracost comment` read it. One project per layer
 * stack, one resource per priced resource with its cost components; an unpriced component is `priceNotFound` with
 * null costs. Every cost is the proof-window posture (the posture the budget is judged on): the metadata's
 * `infracostCommand` and `usageFilePath` say so. Totals are copied from `cost-report.json`, never recomputed,
 * so both files agree; hourly figures are monthly / 730, as Infracost's are. There is no earlier state to diff
 * against: `pastBreakdown` is empty and `diff` equals `breakdown`.
 */
import { Decimal } from "./decimal";
import { MONEY_DECIMALS } from "./model";
import { CostReport, CostResource, Money } from "./report";

export const INFRACOST_FILE = "infracost.json";
const POSTURE = "proofWindow" as const;
const HOURS = 730;

type Cost = string | null;

export interface InfracostCostComponent {
  name: string;
  unit: string;
  hourlyQuantity: Cost;
  monthlyQuantity: Cost;
  price: Cost;
  hourlyCost: Cost;
  monthlyCost: Cost;
  priceNotFound: boolean;
}

export interface InfracostResource {
  name: string;
  resourceType: string;
  metadata: Record<string, unknown>;
  hourlyCost: Cost;
  monthlyCost: Cost;
  costComponents: InfracostCostComponent[];
}

export interface InfracostBreakdown {
  resources: InfracostResource[];
  totalHourlyCost: Cost;
  totalMonthlyCost: Cost;
  totalMonthlyUsageCost: Cost;
}

export interface InfracostSummary {
  totalResources: number;
  totalDetectedResources: number;
  totalSupportedResources: number;
  totalUnsupportedResources: number;
  totalUsageBasedResources: number;
  totalNoPriceResources: number;
  noPriceResourceCounts: Record<string, number>;
}

export interface InfracostProject {
  name: string;
  displayName: string;
  metadata: { path: string; type: string };
  pastBreakdown: InfracostBreakdown;
  breakdown: InfracostBreakdown;
  diff: InfracostBreakdown;
  summary: InfracostSummary;
}

export interface InfracostOutput {
  version: "0.2";
  metadata: {
    infracostCommand: string;
    vcsBranch: string;
    vcsCommitSha: string;
    vcsCommitAuthorName: string;
    vcsCommitAuthorEmail: string;
    vcsCommitTimestamp: string;
    vcsCommitMessage: string;
    usageFilePath: string;
    configFilePath: string;
  };
  currency: string;
  projects: InfracostProject[];
  totalHourlyCost: Cost;
  totalMonthlyCost: Cost;
  pastTotalHourlyCost: Cost;
  pastTotalMonthlyCost: Cost;
  diffTotalHourlyCost: Cost;
  diffTotalMonthlyCost: Cost;
  timeGenerated: string;
  summary: InfracostSummary;
}

export interface InfracostOptions {
  /** `timeGenerated` (default: now). */
  generatedAt?: Date;
  /** Version-control facts for the metadata (default: GitHub Actions' environment, else empty). */
  vcs?: { branch?: string; commitSha?: string; commitTimestamp?: string };
}

const hourly = (monthly: Money | null): Cost => (monthly === null ? null : Decimal.of(monthly).div(HOURS, MONEY_DECIMALS).toFixed(MONEY_DECIMALS));

function resourceOf(r: CostResource): InfracostResource {
  return {
    name: r.name,
    resourceType: r.resourceType,
    metadata: { urn: r.urn, layer: r.layer, ...(r.unpricedReason ? { unpricedReason: r.unpricedReason } : {}) },
    hourlyCost: hourly(r.monthlyCost[POSTURE]),
    monthlyCost: r.monthlyCost[POSTURE],
    costComponents: r.costComponents.map((c) => ({
      name: c.name,
      unit: c.unit,
      hourlyQuantity: Decimal.of(c.monthlyQuantity[POSTURE]).div(HOURS, 6).toFixed(6),
      monthlyQuantity: c.monthlyQuantity[POSTURE],
      price: c.price,
      hourlyCost: hourly(c.monthlyCost[POSTURE]),
      monthlyCost: c.monthlyCost[POSTURE],
      priceNotFound: c.price === null,
    })),
  };
}

function summaryOf(resources: readonly CostResource[]): InfracostSummary {
  const unpriced = resources.filter((r) => r.unpriced);
  const noPriceResourceCounts: Record<string, number> = {};
  for (const r of unpriced) noPriceResourceCounts[r.resourceType] = (noPriceResourceCounts[r.resourceType] ?? 0) + 1;
  return {
    totalResources: resources.length,
    totalDetectedResources: resources.length,
    totalSupportedResources: resources.length - unpriced.length,
    totalUnsupportedResources: 0,
    totalUsageBasedResources: 0,
    totalNoPriceResources: unpriced.length,
    noPriceResourceCounts,
  };
}

const empty = (): InfracostBreakdown => ({ resources: [], totalHourlyCost: "0", totalMonthlyCost: "0", totalMonthlyUsageCost: null });

/** The Infracost document of a cost report. */
export function infracostOf(report: CostReport, options: InfracostOptions = {}): InfracostOutput {
  const generated = (options.generatedAt ?? new Date()).toISOString();
  const projects: InfracostProject[] = report.layers
    .filter((l) => l.planned !== false)
    .map((l) => {
      const resources = report.resources.filter((r) => r.layer === l.layer);
      const breakdown: InfracostBreakdown = {
        resources: resources.map(resourceOf),
        totalHourlyCost: hourly(l.monthlyCost[POSTURE]),
        totalMonthlyCost: l.monthlyCost[POSTURE],
        totalMonthlyUsageCost: null,
      };
      return {
        name: l.stackName,
        displayName: `${l.stackName} (${l.layer} layer, envelope ${l.envelopeUsd} USD/month)`,
        metadata: { path: `Pulumi.${l.stackName}.yaml`, type: "pulumi_preview_json" },
        pastBreakdown: empty(),
        breakdown,
        diff: breakdown,
        summary: summaryOf(resources),
      };
    });
  const total = report.postures[POSTURE].monthlyCost;
  return {
    version: "0.2",
    metadata: {
      infracostCommand: `fraud-platform cost (posture ${POSTURE}: every surface at proof-window capacity for the profile's window hours)`,
      vcsBranch: options.vcs?.branch ?? process.env.GITHUB_HEAD_REF ?? process.env.GITHUB_REF_NAME ?? "",
      vcsCommitSha: options.vcs?.commitSha ?? process.env.GITHUB_SHA ?? "",
      vcsCommitAuthorName: "",
      vcsCommitAuthorEmail: "",
      // The schema requires a date-time: the commit's when given, else the generation time.
      vcsCommitTimestamp: options.vcs?.commitTimestamp ?? generated,
      vcsCommitMessage: "",
      usageFilePath: report.profile?.source ?? "",
      configFilePath: report.priceTable.file,
    },
    currency: report.currency,
    projects,
    totalHourlyCost: hourly(total),
    totalMonthlyCost: total,
    pastTotalHourlyCost: "0",
    pastTotalMonthlyCost: "0",
    diffTotalHourlyCost: hourly(total),
    diffTotalMonthlyCost: total,
    timeGenerated: generated,
    summary: summaryOf(report.resources.filter((r) => projects.some((p) => p.name === report.layers.find((l) => l.layer === r.layer)?.stackName))),
  };
}
