/**
 * ARNs composed from what is known before a resource exists: the account (an invoke, answered at preview), the
 * region and the physical name the program chose. A policy document built from these is judged by the PR's
 * `pulumi preview --policy-pack`; one built from a resource's `arn` output is unknown until `pulumi up` creates
 * it, so its checks would run only then. The formats are the services' own (AWS Service Authorization Reference,
 * "Resource types defined by <service>").
 */
import * as pulumi from "@pulumi/pulumi";

/** Where a regional resource lives. */
export interface ArnScope {
  region: pulumi.Input<string>;
  accountId: pulumi.Input<string>;
}

const regional = (service: string, scope: ArnScope, resource: pulumi.Input<string>): pulumi.Output<string> =>
  pulumi.interpolate`arn:aws:${service}:${scope.region}:${scope.accountId}:${resource}`;

export const arns = {
  /** `arn:aws:s3:::<bucket>` (bucket names are global). */
  s3Bucket: (bucket: pulumi.Input<string>): pulumi.Output<string> => pulumi.interpolate`arn:aws:s3:::${bucket}`,
  /** `arn:aws:logs:<region>:<account>:log-group:<name>`. */
  logGroup: (scope: ArnScope, name: pulumi.Input<string>) => regional("logs", scope, pulumi.interpolate`log-group:${name}`),
  /** `arn:aws:sns:<region>:<account>:<topic>`. */
  snsTopic: (scope: ArnScope, name: pulumi.Input<string>) => regional("sns", scope, name),
  /** `arn:aws:sqs:<region>:<account>:<queue>`. */
  sqsQueue: (scope: ArnScope, name: pulumi.Input<string>) => regional("sqs", scope, name),
  /** `https://sqs.<region>.amazonaws.com/<account>/<queue>`, the queue URL SQS returns. */
  sqsQueueUrl: (scope: ArnScope, name: pulumi.Input<string>): pulumi.Output<string> =>
    pulumi.interpolate`https://sqs.${scope.region}.amazonaws.com/${scope.accountId}/${name}`,
  /** `arn:aws:dynamodb:<region>:<account>:table/<name>`. */
  dynamodbTable: (scope: ArnScope, name: pulumi.Input<string>) => regional("dynamodb", scope, pulumi.interpolate`table/${name}`),
  /** `arn:aws:states:<region>:<account>:stateMachine:<name>`. */
  stateMachine: (scope: ArnScope, name: pulumi.Input<string>) => regional("states", scope, pulumi.interpolate`stateMachine:${name}`),
  /** `arn:aws:lambda:<region>:<account>:function:<name>`. */
  lambdaFunction: (scope: ArnScope, name: pulumi.Input<string>) => regional("lambda", scope, pulumi.interpolate`function:${name}`),
  /** `arn:aws:kms:<region>:<account>:alias/<name>` from an alias name `alias/<name>`. */
  kmsAlias: (scope: ArnScope, alias: pulumi.Input<string>) => regional("kms", scope, alias),
  /** `arn:aws:iam::<account>:role<path><name>`. */
  iamRole: (accountId: pulumi.Input<string>, name: pulumi.Input<string>, path = "/"): pulumi.Output<string> =>
    pulumi.interpolate`arn:aws:iam::${accountId}:role${path}${name}`,
  /** `arn:aws:iam::<account>:oidc-provider/<host>`, e.g. `token.actions.githubusercontent.com`. */
  oidcProvider: (accountId: pulumi.Input<string>, host: pulumi.Input<string>): pulumi.Output<string> =>
    pulumi.interpolate`arn:aws:iam::${accountId}:oidc-provider/${host}`,
  /** `arn:aws:execute-api:<region>:<account>:<api id>/<stage>/<method>/<path>`. */
  executeApi: (scope: ArnScope, apiId: pulumi.Input<string>, rest: pulumi.Input<string>) =>
    regional("execute-api", scope, pulumi.interpolate`${apiId}/${rest}`),
};
