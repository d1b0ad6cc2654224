/**
 * The upstream readers: each value is read from one named output and checked; a missing or malformed output is an
 * error naming the upstream stack and the output. The check is pure (tested directly); the readers run under Pulumi
 * mocks for the values they pass on.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../src/config/environment";
import {
  CORE_OUTPUTS,
  CoreOutputs,
  RUNTIME_OUTPUTS,
  RuntimeOutputs,
  STREAMING_OUTPUTS,
  StreamingOutputs,
  checkedOutput,
  isBuckets,
  isStringList,
  isStringMap,
} from "../../stacks/upstreamOutputs";

describe("checkedOutput (pure)", () => {
  it("returns a value that passes the check", () => {
    expect(checkedOutput("dev-full-core", "core", CORE_OUTPUTS.vpcId, "vpc-1")).toBe("vpc-1");
    expect(checkedOutput("dev-full-core", "core", CORE_OUTPUTS.privateSubnetIds, ["subnet-a", "subnet-b"])).toEqual(["subnet-a", "subnet-b"]);
  });

  it("refuses a malformed or empty value, naming the stack, the output, what it must be and how to fix it", () => {
    expect(() => checkedOutput("dev-full-core", "core", CORE_OUTPUTS.vpcId, "")).toThrow(
      'stack core: output vpc_id must be a VPC id, found "" (apply dev-full-core first)',
    );
    expect(() => checkedOutput("dev-full-core", "core", CORE_OUTPUTS.bucketNames, { object_store: "a", evidence: "b" })).toThrow(
      /^stack core: output s3_bucket_names must be a map of object_store, evidence, artifacts bucket names, found \{"object_store":"a","evidence":"b"\}/,
    );
    expect(() => checkedOutput("dev-full-streaming", "streaming", STREAMING_OUTPUTS.mskClusterArn, null)).toThrow(
      "stack streaming: output MSK_CLUSTER_ARN must be an MSK cluster ARN, found null (apply dev-full-streaming first)",
    );
    expect(() => checkedOutput("dev-full-core", "core", CORE_OUTPUTS.privateSubnetIds, [])).toThrow(/private_subnet_ids must be a non-empty list/);
  });

  it("refuses a missing output (the reader's StackReference answers undefined), naming the stack and the output", () => {
    expect(() => checkedOutput("dev-full-core", "core", CORE_OUTPUTS.kmsKeyArn, undefined)).toThrow(
      "stack core: output kms_key_arn must be a KMS key ARN, found no such output (apply dev-full-core first)",
    );
    expect(() => checkedOutput("dev-full-runtime", "runtime", RUNTIME_OUTPUTS.ecsClusterName, undefined)).toThrow(
      /^stack runtime: output WSP_ECS_CLUSTER_NAME .* found no such output/,
    );
  });

  it("has checks that tell lists, maps and bucket maps apart", () => {
    expect(isStringList(["a"])).toBe(true);
    expect(isStringList(["a", 1])).toBe(false);
    expect(isStringMap({ ig: "{}" })).toBe(true);
    expect(isStringMap({})).toBe(true);
    expect(isStringMap(["{}"])).toBe(false);
    expect(isBuckets({ object_store: "o", evidence: "e", artifacts: "a" })).toBe(true);
    expect(isBuckets({ object_store: "o", evidence: "e", artifacts: "" })).toBe(false);
  });

  it("gives every value one spelling: no output is read under two names, and no name holds two values", () => {
    for (const specs of [CORE_OUTPUTS, STREAMING_OUTPUTS, RUNTIME_OUTPUTS]) {
      const outputs = Object.values(specs).map((s) => s.output);
      expect(new Set(outputs).size).toBe(outputs.length);
    }
    // The MSK security group is read under its handle everywhere (core also exports a snake_case copy).
    expect(CORE_OUTPUTS.mskSecurityGroupId.output).toBe("MSK_SECURITY_GROUP_ID");
  });
});

describe("the readers under Pulumi mocks", () => {
  const upstreamOutputs: Record<string, Record<string, unknown>> = {
    "organization/fraud-platform/dev-full-core": {
      vpc_id: "vpc-0abc",
      private_subnet_ids: ["subnet-a", "subnet-b"],
      MSK_SECURITY_GROUP_ID: "sg-msk",
    },
    "organization/fraud-platform/dev-full-streaming": { stream_access_policies: { ig: "{}" } },
    "organization/fraud-platform/dev-full-runtime": { APIGW_IG_API_ID: "abc123defg" },
  };
  beforeAll(() =>
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          if (args.type !== "pulumi:pulumi:StackReference") throw new Error(`unexpected resource ${args.type}`);
          return { id: args.name, state: { name: args.name, outputs: upstreamOutputs[args.name] ?? {}, secretOutputNames: [] } };
        },
        call: () => {
          throw new Error("no invokes expected");
        },
      },
      "fraud-platform",
      "dev-full-ops",
      true,
    ),
  );
  const env = {
    name: "dev-full",
    stackReference: (layer: string) => `organization/fraud-platform/dev-full-${layer.replace("_", "-")}`,
  } as unknown as Environment;
  /** The value an output settles to. */
  const settle = (o: pulumi.Output<unknown>): Promise<unknown> => (o as unknown as { promise(): Promise<unknown> }).promise();

  it("reads checked values from the upstream stack's outputs (a failing read is the pure check above)", async () => {
    const core = new CoreOutputs(env);
    await expect(settle(core.vpcId)).resolves.toBe("vpc-0abc");
    await expect(settle(core.privateSubnetIds)).resolves.toEqual(["subnet-a", "subnet-b"]);
    await expect(settle(core.mskSecurityGroupId)).resolves.toBe("sg-msk");
    await expect(settle(new StreamingOutputs(env).streamAccessPolicies)).resolves.toEqual({ ig: "{}" });
    await expect(settle(new RuntimeOutputs(env).ingressApiId)).resolves.toBe("abc123defg");
  });
});
