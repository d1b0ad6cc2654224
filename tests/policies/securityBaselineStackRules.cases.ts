/** Security baseline (SB-xx) stack rules: resources matched through names and dependencies. */
import { ecrLifecyclePolicy } from "../../policies/rules/securityBaseline/ecr";
import { cidrWithin, dataTierEgressScoped, defaultSecurityGroupClosed, vpcFlowLogs } from "../../policies/rules/securityBaseline/network";
import { bucketsTlsOnly } from "../../policies/rules/securityBaseline/s3";
import { check, doc, resource, urnOf } from "../helpers/policyFixtures";

const T = {
  vpc: "aws:ec2/vpc:Vpc",
  defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  flowLog: "aws:ec2/flowLog:FlowLog",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  rds: "aws:rds/cluster:Cluster",
  redis: "aws:elasticache/replicationGroup:ReplicationGroup",
  ecr: "aws:ecr/repository:Repository",
  lifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  bucket: "aws:s3/bucket:Bucket",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
};
const vpc = resource(T.vpc, "vpc", { cidrBlock: "10.70.0.0/16" });
const on = (...targets: { urn: string }[]) => ({ dependencies: targets.map((t) => t.urn) });
const lines = (r: { violations: Array<{ message: string }> }) => r.violations.map((v) => v.message.split("\n")[1]);

describe("SB-19 default security group closed", () => {
  it("stays quiet on a VPC with its rule-less default security group", async () => {
    const r = await check(defaultSecurityGroupClosed, doc(vpc, resource(T.defaultSg, "default", { vpcId: "vpc-1", ingress: [], egress: [] }, on(vpc))));
    expect(r.violations).toEqual([]);
  });
  it("fires on a VPC without a DefaultSecurityGroup", async () => {
    const r = await check(defaultSecurityGroupClosed, doc(vpc));
    expect(lines(r)).toEqual([
      expect.stringMatching(
        /VPC vpc has no aws\.ec2\.DefaultSecurityGroup.*Declare new aws\.ec2\.DefaultSecurityGroup\(\{ vpcId: vpc\.id, ingress: \[\], egress: \[\] \}\)/,
      ),
    ]);
    expect(r.violations[0].urn).toBe(vpc.urn);
  });
  it("fires on a default security group that keeps rules", async () => {
    const r = await check(
      defaultSecurityGroupClosed,
      doc(vpc, resource(T.defaultSg, "default", { vpcId: "vpc-1", ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }], egress: [] }, on(vpc))),
    );
    expect(lines(r)).toEqual([expect.stringMatching(/declares 1 ingress and 0 egress rule\(s\).*Set ingress: \[\] and egress: \[\]/)]);
  });
});

describe("SB-20 VPC flow logs", () => {
  const group = resource("aws:cloudwatch/logGroup:LogGroup", "flow", { name: "/fraud-platform/dev_full/vpc/flow-logs" });
  it("stays quiet on a VPC with an ALL-traffic flow log to a log group", async () => {
    const r = await check(
      vpcFlowLogs,
      doc(
        vpc,
        group,
        resource(
          T.flowLog,
          "fl",
          { vpcId: "vpc-1", trafficType: "ALL", logDestination: "arn:aws:logs:eu-west-2:123456789012:log-group:/fraud-platform/dev_full/vpc/flow-logs" },
          on(vpc, group),
        ),
      ),
    );
    expect(r.violations).toEqual([]);
  });
  it("fires on a VPC without a flow log", async () => {
    const r = await check(vpcFlowLogs, doc(vpc));
    expect(lines(r)).toEqual([expect.stringMatching(/VPC vpc has no flow log.*Declare an aws\.ec2\.FlowLog with vpcId = the VPC, trafficType "ALL"/)]);
  });
  it("fires on a flow log that records only ACCEPT traffic and has no destination", async () => {
    const r = await check(vpcFlowLogs, doc(vpc, resource(T.flowLog, "fl", { vpcId: "vpc-1", trafficType: "ACCEPT" }, on(vpc))));
    expect(lines(r)).toEqual([
      expect.stringMatching(/flow log fl: trafficType is "ACCEPT"; set "ALL"/),
      expect.stringMatching(/flow log fl: no logDestination/),
    ]);
  });
});

describe("SB-21 data-tier egress scoped", () => {
  const sg = resource(T.sg, "aurora-sg", { name: "fraud-platform-dev-full-aurora-sg", vpcId: "vpc-1" });
  const cluster = resource(T.rds, "aurora", { clusterIdentifier: "c", vpcSecurityGroupIds: ["sg-1"] }, on(sg));
  it("stays quiet on egress to the VPC CIDR, a subnet of it and a prefix list", async () => {
    const r = await check(
      dataTierEgressScoped,
      doc(
        vpc,
        sg,
        cluster,
        resource(T.egress, "to-vpc", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.70.0.0/16" }, on(sg)),
        resource(T.egress, "to-subnet", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.70.128.0/20" }, on(sg)),
        resource(T.egress, "to-s3", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-1" }, on(sg)),
      ),
    );
    expect(r.violations).toEqual([]);
  });
  it("fires on a data-tier group's egress to anywhere (standalone rule, legacy rule, inline block)", async () => {
    const inline = resource(T.sg, "redis-sg", {
      name: "fraud-platform-dev-full-redis-sg",
      vpcId: "vpc-1",
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    });
    const r = await check(
      dataTierEgressScoped,
      doc(
        vpc,
        sg,
        cluster,
        inline,
        resource(T.redis, "redis", { replicationGroupId: "r", securityGroupIds: ["sg-2"] }, on(inline)),
        resource(T.egress, "open", { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }, on(sg)),
        resource(T.sgRule, "open-v6", { securityGroupId: "sg-1", type: "egress", protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }, on(sg)),
      ),
    );
    expect(lines(r)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /data-tier security group redis-sg: inline egress\[0\] allows egress to 0\.0\.0\.0\/0, outside the VPC \(10\.70\.0\.0\/16\)\. Limit egress to the VPC CIDR or a prefix list/,
        ),
        expect.stringMatching(/data-tier security group aurora-sg: rule open allows egress to 0\.0\.0\.0\/0/),
        expect.stringMatching(/data-tier security group aurora-sg: rule open-v6 allows egress to IPv6 ::\/0/),
      ]),
    );
    expect(r.violations).toHaveLength(3);
  });
  it("counts RFC 1918 space as inside when the stack does not declare the VPC, and never a public range", async () => {
    const quiet = await check(
      dataTierEgressScoped,
      doc(sg, cluster, resource(T.egress, "to-vpc", { securityGroupId: "sg-1", ipProtocol: "tcp", cidrIpv4: "10.70.0.0/16" }, on(sg))),
    );
    expect(quiet.violations).toEqual([]);
    const loud = await check(
      dataTierEgressScoped,
      doc(sg, cluster, resource(T.egress, "public", { securityGroupId: "sg-1", ipProtocol: "tcp", cidrIpv4: "52.0.0.0/8" }, on(sg))),
    );
    expect(lines(loud)).toEqual([
      expect.stringMatching(/rule public allows egress to 52\.0\.0\.0\/8, outside the VPC \(10\.0\.0\.0\/8, 172\.16\.0\.0\/12, 192\.168\.0\.0\/16\)/),
    ]);
  });
  it("leaves groups outside the data tier to DA-18", async () => {
    const lambdaSg = resource(T.sg, "fn-sg", { name: "fn", vpcId: "vpc-1" });
    const r = await check(
      dataTierEgressScoped,
      doc(vpc, lambdaSg, resource(T.egress, "open", { securityGroupId: "sg-3", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }, on(lambdaSg))),
    );
    expect(r.violations).toEqual([]);
  });
  it("compares CIDRs by range (pure)", () => {
    expect(cidrWithin("10.70.128.0/20", "10.70.0.0/16")).toBe(true);
    expect(cidrWithin("10.71.0.0/16", "10.70.0.0/16")).toBe(false);
    expect(cidrWithin("10.0.0.0/8", "10.70.0.0/16")).toBe(false);
    expect(cidrWithin("not-a-cidr", "10.70.0.0/16")).toBe(false);
  });
});

describe("SB-18 ECR lifecycle policy", () => {
  const repo = resource(T.ecr, "images", { name: "fraud-platform-dev-full" });
  it("stays quiet when a lifecycle policy names the repository or depends on it", async () => {
    expect(
      (await check(ecrLifecyclePolicy, doc(repo, resource(T.lifecycle, "lc", { repository: "fraud-platform-dev-full", policy: "{}" })))).violations,
    ).toEqual([]);
    expect((await check(ecrLifecyclePolicy, doc(repo, resource(T.lifecycle, "lc", { repository: "other", policy: "{}" }, on(repo))))).violations).toEqual([]);
  });
  it("fires on a repository without one", async () => {
    const r = await check(ecrLifecyclePolicy, doc(repo, resource(T.lifecycle, "lc", { repository: "other", policy: "{}" })));
    expect(lines(r)).toEqual([
      expect.stringMatching(
        /repository "fraud-platform-dev-full" has no lifecycle policy.*Declare an aws\.ecr\.LifecyclePolicy with repository = this repository's name/,
      ),
    ]);
    expect(r.violations[0].urn).toBe(urnOf(T.ecr, "images"));
  });
});

describe("SB-28 buckets TLS only", () => {
  const bucket = resource(T.bucket, "b", { bucket: "fraud-platform-dev-full-artifacts" });
  const policyWith = (statements: unknown[], extra = {}) =>
    resource(
      T.bucketPolicy,
      "bp",
      { bucket: "fraud-platform-dev-full-artifacts", policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) },
      extra,
    );
  const deny = {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: ["arn:aws:s3:::fraud-platform-dev-full-artifacts/*"],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
  it("stays quiet on a bucket whose policy denies insecure transport", async () => {
    expect(await check(bucketsTlsOnly, doc(bucket, policyWith([deny])))).toMatchObject({ violations: [] });
  });
  it("fires on a bucket without such a policy", async () => {
    const r = await check(bucketsTlsOnly, doc(bucket, policyWith([{ ...deny, Condition: { Bool: { "aws:SecureTransport": "true" } } }])));
    expect(lines(r)).toEqual([expect.stringMatching(/bucket "fraud-platform-dev-full-artifacts" accepts plain HTTP.*Add the DenyInsecureTransport statement/)]);
    expect((await check(bucketsTlsOnly, doc(bucket))).violations).toHaveLength(1);
  });
  it("fires on a bucket policy it cannot read (fail closed)", async () => {
    const r = await check(bucketsTlsOnly, doc(bucket, resource(T.bucketPolicy, "bp", { bucket: "fraud-platform-dev-full-artifacts", policy: "nope" })));
    expect(lines(r)).toEqual([expect.stringMatching(/bucket policy bp: policy is not valid JSON/), expect.stringMatching(/accepts plain HTTP/)]);
  });
});
