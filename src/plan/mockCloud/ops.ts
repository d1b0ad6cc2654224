/**
 * Mocks of the ops layer's types: the budget, alarms (in their provider's region), dashboards, SNS topics and
 * subscriptions, the GitHub OIDC provider and MWAA.
 */
import { MOCK_ACCOUNT_ID, ResourceTable, genericArn, uuid } from "./resource";

export const OPS_RESOURCES: ResourceTable = {
  "aws:budgets/budget:Budget": (_args, { name }) => ({
    id: `${MOCK_ACCOUNT_ID}:${name}`,
    state: { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:budgets::${MOCK_ACCOUNT_ID}:budget/${name}` },
  }),
  "aws:cloudwatch/metricAlarm:MetricAlarm": (_args, { name, providerRegion }) => ({
    id: name,
    state: { arn: `arn:aws:cloudwatch:${providerRegion()}:${MOCK_ACCOUNT_ID}:alarm:${name}` },
  }),
  "aws:cloudwatch/dashboard:Dashboard": (args, { inputs }) => {
    const id = String(inputs.dashboardName ?? args.name);
    return { id, state: { dashboardArn: `arn:aws:cloudwatch::${MOCK_ACCOUNT_ID}:dashboard/${id}` } };
  },
  "aws:sns/topic:Topic": (_args, { name, providerRegion }) => {
    const topicArn = `arn:aws:sns:${providerRegion()}:${MOCK_ACCOUNT_ID}:${name}`;
    return { id: topicArn, state: { arn: topicArn, owner: MOCK_ACCOUNT_ID } };
  },
  "aws:sns/topicPolicy:TopicPolicy": genericArn,
  "aws:sns/topicSubscription:TopicSubscription": (_args, { inputs, seed }) => {
    const id = `${String(inputs.topic)}:${uuid(seed)}`;
    return { id, state: { arn: id, ownerId: MOCK_ACCOUNT_ID, pendingConfirmation: inputs.protocol === "email", confirmationWasAuthenticated: false } };
  },
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (_args, { inputs, arn }) => {
    const providerArn = arn("iam", `oidc-provider/${String(inputs.url ?? "").replace(/^https:\/\//, "")}`, true);
    return { id: providerArn, state: { arn: providerArn } };
  },
  "aws:mwaa/environment:Environment": (_args, { seed, name, region, arn }) => ({
    id: name,
    state: { arn: arn("airflow", `environment/${name}`), webserverUrl: `${uuid(seed)}.c2.${region.code}.airflow.amazonaws.com`, status: "AVAILABLE" },
  }),
};
