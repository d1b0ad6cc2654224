import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arns } from "../src/iam/arns";
import { Tags } from "../src/tags";

export interface AlarmTopicArgs {
  /** Topic name (SNS_OPS_ALARMS_TOPIC or SNS_BILLING_ALARMS_TOPIC). */
  topicName: string;
  /** Key the topic is encrypted with, by key or alias ARN (same region; its policy admits CloudWatch alarms). */
  kmsKeyArn: pulumi.Input<string>;
  /** Account id (topic policy conditions). */
  accountId: pulumi.Input<string>;
  /** Region of the topic and of the alarms that publish to it. */
  region: string;
  /** E-mail address subscribed to the topic (AWS_BUDGET_NOTIFICATION_EMAIL; unknown until pinned, never invented). */
  email: pulumi.Input<string>;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/**
 * An encrypted SNS topic the platform's alarms notify, with the pinned address subscribed (the reference's alarms
 * notified nobody). Only CloudWatch alarms of this account may publish besides the owner, only over TLS.
 */
export class AlarmTopic extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  readonly topicName: pulumi.Output<string>;

  constructor(name: string, args: AlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:ops:AlarmTopic", name, {}, opts);
    // The policy names the topic by the ARN composed from its name (known at preview, so the PR's preview judges it).
    const topic = new aws.sns.Topic(
      name,
      { name: args.topicName, kmsMasterKeyId: args.kmsKeyArn, tags: { ...args.tags, Name: args.topicName } },
      { parent: this },
    );
    const topicArn = arns.snsTopic({ region: args.region, accountId: args.accountId }, topic.name);
    new aws.sns.TopicPolicy(
      `${name}-policy`,
      {
        arn: topicArn,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "OwnerManagement",
              Effect: "Allow",
              Principal: { AWS: pulumi.interpolate`arn:aws:iam::${args.accountId}:root` },
              Action: ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"],
              Resource: topicArn,
            },
            {
              Sid: "CloudWatchAlarmsPublish",
              Effect: "Allow",
              Principal: { Service: "cloudwatch.amazonaws.com" },
              Action: "sns:Publish",
              Resource: topicArn,
              Condition: {
                StringEquals: { "aws:SourceAccount": args.accountId },
                ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:aws:cloudwatch:${args.region}:${args.accountId}:alarm:*` },
              },
            },
            {
              Sid: "TlsOnly",
              Effect: "Deny",
              Principal: "*",
              Action: "sns:Publish",
              Resource: topicArn,
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
      },
      { parent: this },
    );
    new aws.sns.TopicSubscription(`${name}-email`, { topic: topicArn, protocol: "email", endpoint: pulumi.secret(args.email) }, { parent: this });
    this.topicArn = topicArn;
    this.topicName = topic.name;
    this.registerOutputs({ topicArn: this.topicArn, topicName: this.topicName });
  }
}
