import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../src/tags";
import { AlarmTopic } from "./alarmTopic";
import { OpsKey } from "./opsKey";

export interface CostGuardrailArgs {
  /** Budget name (AWS_BUDGET_NAME). */
  budgetName: string;
  /** Monthly limit (DEV_FULL_MONTHLY_BUDGET_LIMIT_USD) in `currency` (BUDGET_CURRENCY). */
  limit: number;
  currency: string;
  /** Absolute actual-spend alert levels (DEV_FULL_BUDGET_ALERT_1..3_USD), ascending. */
  alerts: number[];
  /** Subscriber of every notification (AWS_BUDGET_NOTIFICATION_EMAIL): unknown until pinned, never dropped. */
  email: pulumi.Input<string>;
  /** Region billing metrics exist in (AWS_BILLING_REGION). */
  billingRegion: string;
  /** Billing alarm name (ALARM_BILLING_ESTIMATED_CHARGES); it fires at the last alert level. */
  billingAlarmName: string;
  /** Topic and key of the billing alarm in the billing region. */
  billingTopicName: string;
  billingKeyAlias: string;
  keyDeletionWindowInDays: number;
  accountId: pulumi.Input<string>;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/** Why a budget shape is wrong (empty when it is right); checked before anything is declared. */
export function costGuardrailProblems(args: Pick<CostGuardrailArgs, "limit" | "alerts">): string[] {
  const problems: string[] = [];
  if (!(args.limit > 0)) problems.push(`limit must be > 0, found ${args.limit}`);
  if (args.alerts.length === 0) problems.push("at least one alert level");
  args.alerts.forEach((a, i) => {
    if (!(a > 0 && a <= args.limit)) problems.push(`alert ${i + 1} (${a}) must be > 0 and <= the limit ${args.limit}`);
    if (i > 0 && a <= args.alerts[i - 1]) problems.push(`alert ${i + 1} (${a}) must be above alert ${i} (${args.alerts[i - 1]})`);
  });
  return problems;
}

/**
 * The monthly cost guardrail: an AWS Budget over the whole account (COST, MONTHLY, no cost filters) with one
 * ACTUAL absolute-value notification per alert level, always declared (the reference dropped the budget when no
 * e-mail was set), and a billing alarm on AWS/Billing EstimatedCharges in the billing region (the metric exists
 * nowhere else), through an explicit provider, notifying an encrypted topic of that region at the last alert level
 * so automation can react to alert 3 (the budget's own e-mails are for people).
 */
export class CostGuardrail extends pulumi.ComponentResource {
  readonly budgetName: pulumi.Output<string>;
  readonly billingAlarmName: pulumi.Output<string>;
  readonly billingAlarmArn: pulumi.Output<string>;
  readonly billingTopicArn: pulumi.Output<string>;
  readonly billingKeyAlias: pulumi.Output<string>;

  constructor(name: string, args: CostGuardrailArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:ops:CostGuardrail", name, {}, opts);
    const problems = costGuardrailProblems(args);
    if (problems.length) throw new Error(`${name}: ${problems.join("; ")}`);

    const budget = new aws.budgets.Budget(
      `${name}-monthly`,
      {
        name: args.budgetName,
        budgetType: "COST",
        timeUnit: "MONTHLY",
        limitAmount: String(args.limit),
        limitUnit: args.currency,
        notifications: args.alerts.map((threshold) => ({
          comparisonOperator: "GREATER_THAN",
          threshold,
          thresholdType: "ABSOLUTE_VALUE",
          notificationType: "ACTUAL",
          // Plain in the budget's inputs (AWS stores it there anyway) so policies can see a subscriber is set;
          // secret everywhere else (subscriptions, outputs).
          subscriberEmailAddresses: [args.email],
        })),
        tags: args.tags,
      },
      { parent: this },
    );

    const billing = new aws.Provider(`${name}-billing-region`, { region: args.billingRegion as aws.Region }, { parent: this });
    const inBilling = { parent: this, providers: [billing] };
    const key = new OpsKey(
      `${name}-billing`,
      {
        alias: args.billingKeyAlias,
        accountId: args.accountId,
        region: args.billingRegion,
        cloudWatchAlarms: true,
        deletionWindowInDays: args.keyDeletionWindowInDays,
        tags: args.tags,
      },
      inBilling,
    );
    const topic = new AlarmTopic(
      `${name}-billing-alarms`,
      { topicName: args.billingTopicName, kmsKeyArn: key.aliasArn, accountId: args.accountId, region: args.billingRegion, email: args.email, tags: args.tags },
      inBilling,
    );
    const alarmAt = args.alerts[args.alerts.length - 1];
    const alarm = new aws.cloudwatch.MetricAlarm(
      `${name}-estimated-charges`,
      {
        name: args.billingAlarmName,
        alarmDescription: `Estimated charges of the account above ${alarmAt} ${args.currency} (alert ${args.alerts.length} of budget ${args.budgetName}): phase advancement stops until remediation is approved. Needs "Receive Billing Alerts" on the account.`,
        namespace: "AWS/Billing",
        metricName: "EstimatedCharges",
        dimensions: { Currency: args.currency },
        statistic: "Maximum",
        period: 21600,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: alarmAt,
        treatMissingData: "notBreaching",
        actionsEnabled: true,
        alarmActions: [topic.topicArn],
        okActions: [topic.topicArn],
        tags: args.tags,
      },
      { parent: this, provider: billing },
    );
    this.budgetName = budget.name;
    this.billingAlarmName = alarm.name;
    this.billingAlarmArn = alarm.arn;
    this.billingTopicArn = topic.topicArn;
    this.billingKeyAlias = key.aliasName;
    this.registerOutputs({
      budgetName: this.budgetName,
      billingAlarmName: this.billingAlarmName,
      billingAlarmArn: this.billingAlarmArn,
      billingTopicArn: this.billingTopicArn,
      billingKeyAlias: this.billingKeyAlias,
    });
  }
}
