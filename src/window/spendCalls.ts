/** The AWS SDK commands the window's spend reader (`spend.ts`) sends and their IAM actions (the idle-guard role holds them). */
import type { SdkCall } from "../ops/ciAccess";

export const WINDOW_SPEND_CALLS: readonly SdkCall[] = [
  { client: "@aws-sdk/client-budgets", operation: "DescribeBudget", action: "budgets:ViewBudget" },
  { client: "@aws-sdk/client-cost-explorer", operation: "GetCostAndUsage", action: "ce:GetCostAndUsage" },
];
