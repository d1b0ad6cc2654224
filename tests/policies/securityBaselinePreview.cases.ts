/**
 * Security baseline rules on a real first preview: a value they need that is unknown stops the rule with the
 * analyzer's advisory "can't run" note (never a pass, never a crash); an unknown value they do not read changes
 * nothing; absent properties are judged, not thrown on.
 */
import { securityBaselinePolicies } from "../../policies/rules/securityBaseline";
import { ecrLifecyclePolicy } from "../../policies/rules/securityBaseline/ecr";
import { oidcTrustSubScoped, passRoleScoped } from "../../policies/rules/securityBaseline/iam";
import { logGroupsEncrypted } from "../../policies/rules/securityBaseline/logs";
import { queuesTopicsEncrypted } from "../../policies/rules/securityBaseline/messaging";
import { noPublicResourcePolicies } from "../../policies/rules/securityBaseline/resourcePolicies";
import { UNKNOWN } from "../../src/plan/previewDocument";
import { check, doc, resource } from "../helpers/policyFixtures";

const cantRun = [
  expect.objectContaining({
    enforcementLevel: "advisory",
    message: expect.stringMatching(/^can't run policy 'sb-\d+-[a-z0-9-]+' from policy pack 'test-pack@v0\.0\.0' during preview/),
  }),
];

describe("security baseline on values unknown at preview", () => {
  it.each([
    ["a bucket policy", noPublicResourcePolicies, "aws:s3/bucketPolicy:BucketPolicy", { bucket: "b", policy: UNKNOWN }],
    ["a trust policy", oidcTrustSubScoped, "aws:iam/role:Role", { name: "r", assumeRolePolicy: UNKNOWN }],
    ["a role policy", passRoleScoped, "aws:iam/rolePolicy:RolePolicy", { role: "r", policy: UNKNOWN }],
    ["a log group's key", logGroupsEncrypted, "aws:cloudwatch/logGroup:LogGroup", { name: "/x", kmsKeyId: UNKNOWN }],
  ])("cannot judge %s that is unknown: advisory can't-run note", async (_what, policy, type, inputs) => {
    const r = await check(policy, doc(resource(type, "r", inputs)));
    expect(r.summary.mandatory).toBe(0);
    expect(r.violations).toEqual(cantRun);
  });

  it("ignores unknown values it does not read", async () => {
    const r = await check(
      queuesTopicsEncrypted,
      doc(resource("aws:sqs/queue:Queue", "q", { name: UNKNOWN, kmsMasterKeyId: "arn:aws:kms:eu-west-2:123456789012:key/k", policy: UNKNOWN })),
    );
    expect(r.violations).toEqual([]);
  });

  it("matches a lifecycle policy through its dependency before reading an unknown repository name", async () => {
    const repo = resource("aws:ecr/repository:Repository", "images", { name: "fraud-platform-dev-full" });
    const quiet = await check(
      ecrLifecyclePolicy,
      doc(repo, resource("aws:ecr/lifecyclePolicy:LifecyclePolicy", "lc", { repository: UNKNOWN, policy: "{}" }, { dependencies: [repo.urn] })),
    );
    expect(quiet.violations).toEqual([]);
    const unknown = await check(
      ecrLifecyclePolicy,
      doc(repo, resource("aws:ecr/lifecyclePolicy:LifecyclePolicy", "lc", { repository: UNKNOWN, policy: "{}" })),
    );
    expect(unknown.violations).toEqual(cantRun);
  });

  it("never crashes on resources with none of their properties set", async () => {
    const types = [
      "aws:s3/bucketPolicy:BucketPolicy",
      "aws:sns/topicPolicy:TopicPolicy",
      "aws:sns/topic:Topic",
      "aws:sqs/queue:Queue",
      "aws:sqs/queuePolicy:QueuePolicy",
      "aws:kms/key:Key",
      "aws:ecr/repository:Repository",
      "aws:ecr/repositoryPolicy:RepositoryPolicy",
      "aws:lambda/permission:Permission",
      "aws:lambda/functionUrl:FunctionUrl",
      "aws:lambda/function:Function",
      "aws:iam/role:Role",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:iam/policy:Policy",
      "aws:cloudwatch/logGroup:LogGroup",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "aws:dynamodb/table:Table",
      "aws:rds/cluster:Cluster",
      "aws:rds/instance:Instance",
      "aws:elasticache/replicationGroup:ReplicationGroup",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "eks:index:Cluster",
      "aws:eks/cluster:Cluster",
      "aws:ec2/instance:Instance",
      "aws:ec2/launchTemplate:LaunchTemplate",
      "aws:ec2/subnet:Subnet",
      "aws:ec2/vpc:Vpc",
      "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
      "aws:ec2/flowLog:FlowLog",
      "aws:ec2/securityGroup:SecurityGroup",
      "aws:s3/bucket:Bucket",
      "aws:apigatewayv2/stage:Stage",
      "aws:sfn/stateMachine:StateMachine",
      "aws:ecs/cluster:Cluster",
    ];
    const r = await check(securityBaselinePolicies, doc(...types.map((t, i) => resource(t, `r${i}`, {}))));
    expect(r.violations.length).toBeGreaterThan(0);
    expect(r.violations.filter((v) => /can't run/.test(v.message))).toEqual([]);
  });
});
