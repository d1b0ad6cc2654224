import * as pulumi from "@pulumi/pulumi";
import { PolicyRuleError, checkStatement, irsaTrust, policyDocument, s3PrefixStatements, ssmReadStatements } from "../../src/iam/policy";

const valueOf = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply((v) => resolve(v)));

describe("typed IAM policy builder", () => {
  it("builds a document of validated statements", () => {
    const doc = policyDocument([{ sid: "Read", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/archive/*"] }]);
    expect(doc).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/archive/*"] }],
    });
  });

  it.each([
    [{ sid: "All", actions: ["*"], resources: ["*"], wildcardJustification: "x" }, /Action "\*" on Resource "\*" \(DA-20\)/],
    [{ sid: "Wild", actions: ["logs:PutLogEvents"], resources: ["*"] }, /without a wildcardJustification \(DA-21\)/],
    [{ sid: "Oracle", actions: ["s3:PutObject"], resources: ["arn:aws:s3:::b/oracle-store/*"] }, /oracle-store\/.*\(DA-28\)/],
    [{ sid: "Evidence", actions: ["s3:DeleteObject"], resources: ["arn:aws:s3:::b/evidence/*"] }, /may delete evidence.*\(DA-30\)/],
    [{ sid: "bad-sid", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/x/*"] }, /alphanumeric/],
  ])("refuses %o", (spec, message) => {
    expect(() => checkStatement(spec)).toThrow(PolicyRuleError);
    expect(() => checkStatement(spec)).toThrow(message);
  });

  it("allows reading oracle-store and a justified wildcard, and rejects duplicate sids", () => {
    expect(() => checkStatement({ sid: "OracleRead", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/oracle-store/*"] })).not.toThrow();
    expect(() =>
      checkStatement({ sid: "Logs", actions: ["logs:CreateLogGroup"], resources: ["*"], wildcardJustification: "log group names are created at run time" }),
    ).not.toThrow();
    const s = { sid: "Same", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/x/*"] };
    expect(() => policyDocument([s, s])).toThrow(/duplicate sid/);
  });

  it("scopes S3 access to one prefix and never grants delete; refuses oracle-store writes", async () => {
    const specs = s3PrefixStatements({ sid: "Archive", bucketArn: "arn:aws:s3:::store", prefix: "archive/", access: "readwrite" });
    expect(specs.flatMap((s) => s.actions).some((a) => a.startsWith("s3:Delete"))).toBe(false);
    expect(await valueOf(pulumi.output(specs[0].resources[0]))).toBe("arn:aws:s3:::store/archive/*");
    expect(specs[1].conditions).toEqual({ StringLike: { "s3:prefix": ["archive/*"] } });
    expect(() => s3PrefixStatements({ sid: "O", bucketArn: "arn:aws:s3:::store", prefix: "oracle-store/", access: "write" })).toThrow(/DA-28/);
    expect(() => s3PrefixStatements({ sid: "O", bucketArn: "arn:aws:s3:::store", prefix: "archive", access: "read" })).toThrow(/must end with "\/"/);
  });

  it("limits SSM reads to the listed parameters and decrypt to SSM use", async () => {
    const [read, decrypt] = ssmReadStatements({
      sid: "Ig",
      region: "eu-west-2",
      accountId: "123456789012",
      parameterPaths: ["/fraud-platform/dev_full/ig/api_key"],
      kmsKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/k",
    });
    expect(await valueOf(pulumi.output(read.resources[0]))).toBe("arn:aws:ssm:eu-west-2:123456789012:parameter/fraud-platform/dev_full/ig/api_key");
    expect(read.resources).toHaveLength(1);
    expect(decrypt.conditions).toEqual({ StringEquals: { "kms:ViaService": "ssm.eu-west-2.amazonaws.com" } });
    expect(ssmReadStatements({ sid: "None", region: "eu-west-2", accountId: "1", parameterPaths: [], kmsKeyArn: "k" })).toEqual([]);
  });

  it("binds an IRSA trust to one namespace and service account", async () => {
    const trust = await valueOf(
      irsaTrust(
        "arn:aws:iam::1:oidc-provider/oidc.eks.eu-west-2.amazonaws.com/id/ABC",
        "oidc.eks.eu-west-2.amazonaws.com/id/ABC",
        "fraud-platform-rtdl",
        "rtdl",
      ),
    );
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "oidc.eks.eu-west-2.amazonaws.com/id/ABC:sub": "system:serviceaccount:fraud-platform-rtdl:rtdl",
            "oidc.eks.eu-west-2.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
          },
        },
      }),
    ]);
  });
});
