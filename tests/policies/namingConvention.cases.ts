import { namingConvention } from "../../policies/rules/namingConvention";
import { check, compliant, doc, mutate, resource } from "../helpers/policyFixtures";

const PARAM = "aws:ssm/parameter:Parameter";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

describe("DA-12 naming convention (advisory)", () => {
  it("stays quiet on conventional names", async () => {
    const r = await check(
      namingConvention,
      doc(
        resource("aws:s3/bucket:Bucket", "b", compliant.bucket()),
        resource(PARAM, "p", { name: "/fraud-platform/dev_full/msk/bootstrap_brokers", type: "String", value: "x" }),
        resource(LOG_GROUP, "l", { name: "/fraud-platform/dev_full/ecs/wsp", retentionInDays: 14 }),
      ),
    );
    expect(r.violations).toEqual([]);
  });

  it("fires (advisory) on a name without the prefix", async () => {
    const r = await check(namingConvention, doc(resource("aws:s3/bucket:Bucket", "b", mutate(compliant.bucket(), "bucket", "my-bucket"))));
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].enforcementLevel).toBe("advisory");
  });

  it("fires on an SSM parameter outside the root and a log group outside the prefix", async () => {
    const r = await check(
      namingConvention,
      doc(resource(PARAM, "p", { name: "/other/x", type: "String", value: "x" }), resource(LOG_GROUP, "l", { name: "/aws/lambda/x", retentionInDays: 14 })),
    );
    expect(r.violations.map((v) => v.message)).toEqual([
      expect.stringMatching(/not under \/fraud-platform\/dev_full\//),
      expect.stringMatching(/log group \/aws\/lambda\/x/),
    ]);
  });
});
