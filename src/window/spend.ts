/**
 * Actual spend for the proof windows (AWS SDK v3, billing data read in the billing region, us-east-1):
 * - month to date: the budget's calculated actual spend (AWS Budgets `DescribeBudget`) when the account id is
 *   known, else Cost Explorer `GetCostAndUsage` over the month so far (whole account, as the budget sees it);
 * - a window: Cost Explorer `GetCostAndUsage`, daily, from the window's opening day to the day after it closed,
 *   filtered by the mandatory tags `project` and `env`. Cost Explorer has day granularity (hourly data needs an
 *   opt-in), so the figure covers whole days: an upper bound of the window's own spend.
 * A missing or non-USD figure is an error, never 0.
 */
import { BudgetsClient, DescribeBudgetCommand } from "@aws-sdk/client-budgets";
import { CostExplorerClient, Expression, GetCostAndUsageCommand, GetCostAndUsageCommandOutput } from "@aws-sdk/client-cost-explorer";
import { Decimal } from "../cost/decimal";

export { WINDOW_SPEND_CALLS } from "./spendCalls";

export interface SpendFigure {
  amount: Decimal;
  currency: string;
  /** Where it came from, for the receipt's `cost_sources`. */
  source: string;
}

export interface SpendReader {
  monthToDate(now: Date): Promise<SpendFigure>;
  window(start: Date, end: Date, tags: Record<string, string>): Promise<SpendFigure>;
}

export class SpendReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SpendReadError";
  }
}

const day = (d: Date): string => d.toISOString().slice(0, 10);
const nextDay = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));

function sumResults(out: GetCostAndUsageCommandOutput, what: string): { amount: Decimal; currency: string } {
  const amounts = (out.ResultsByTime ?? []).map((r) => r.Total?.UnblendedCost);
  if (amounts.length === 0 || amounts.some((a) => a?.Amount === undefined)) throw new SpendReadError(`Cost Explorer returned no UnblendedCost for ${what}`);
  const units = new Set(amounts.map((a) => a?.Unit ?? ""));
  if (units.size !== 1) throw new SpendReadError(`Cost Explorer returned mixed or missing units for ${what}: ${[...units].join(", ")}`);
  return { amount: Decimal.sum(amounts.map((a) => Decimal.of(a?.Amount ?? "0"))), currency: [...units][0] };
}

export interface AwsSpendReaderOptions {
  costExplorer: CostExplorerClient;
  budgets?: BudgetsClient;
  /** Needed by AWS Budgets; without it the month to date comes from Cost Explorer. */
  accountId?: string;
  budgetName: string;
}

export function awsSpendReader(o: AwsSpendReaderOptions): SpendReader {
  return {
    async monthToDate(now: Date): Promise<SpendFigure> {
      if (o.budgets && o.accountId) {
        const out = await o.budgets.send(new DescribeBudgetCommand({ AccountId: o.accountId, BudgetName: o.budgetName }));
        const actual = out.Budget?.CalculatedSpend?.ActualSpend;
        if (!actual?.Amount || !actual.Unit) throw new SpendReadError(`budget ${o.budgetName} has no calculated actual spend`);
        return { amount: Decimal.of(actual.Amount), currency: actual.Unit, source: `aws-budgets:${o.budgetName}` };
      }
      const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
      const out = await o.costExplorer.send(
        new GetCostAndUsageCommand({ TimePeriod: { Start: day(start), End: day(nextDay(now)) }, Granularity: "MONTHLY", Metrics: ["UnblendedCost"] }),
      );
      const { amount, currency } = sumResults(out, "the month to date");
      return { amount, currency, source: "aws-cost-explorer:month-to-date" };
    },
    async window(start: Date, end: Date, tags: Record<string, string>): Promise<SpendFigure> {
      const filters: Expression[] = Object.entries(tags).map(([Key, value]) => ({ Tags: { Key, Values: [value], MatchOptions: ["EQUALS"] } }));
      const filter: Expression | undefined = filters.length > 1 ? { And: filters } : filters[0];
      const out = await o.costExplorer.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: day(start), End: day(nextDay(end)) },
          Granularity: "DAILY",
          Metrics: ["UnblendedCost"],
          ...(filter ? { Filter: filter } : {}),
        }),
      );
      const { amount, currency } = sumResults(out, `the window ${day(start)}..${day(end)}`);
      return {
        amount,
        currency,
        source: `aws-cost-explorer:daily ${day(start)}..${day(end)} tags ${Object.entries(tags)
          .map(([k, v]) => `${k}=${v}`)
          .join(",")}`,
      };
    },
  };
}
