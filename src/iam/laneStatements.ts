/**
 * Statement builders shared by the runtime lanes, on top of the typed builder in policy.ts: S3 use of the platform
 * key (SSE-KMS), an explicit deny on oracle truth views for live lanes (DA-29), and the VPC networking a managed
 * service needs to attach ENIs in the private subnets; a lane's S3 grants and its stream access document.
 */
import * as pulumi from "@pulumi/pulumi";
import { LaneBucket, S3Grant } from "../runtime/lanes";
import { StatementSpec, s3PrefixStatements } from "./policy";
import { StreamLane } from "./streamAccess";

/** Encrypt/decrypt objects of the platform buckets (SSE-KMS with the platform key), only through S3. */
export function s3KmsStatement(sid: string, region: string, kmsKeyArn: pulumi.Input<string>): StatementSpec {
  return {
    sid: `${sid}S3Kms`,
    actions: ["kms:Decrypt", "kms:GenerateDataKey"],
    resources: [kmsKeyArn],
    conditions: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
  };
}

/** Live runtime lanes never read oracle truth views, whatever else they are granted (DA-29). */
export function denyTruthViewsStatement(sid: string, objectStoreArn: pulumi.Input<string>): StatementSpec {
  return {
    sid: `${sid}DenyTruthViews`,
    effect: "Deny",
    actions: ["s3:GetObject", "s3:GetObjectVersion"],
    resources: [pulumi.interpolate`${objectStoreArn}/oracle-store/*/truth_view/*`],
  };
}

/** ENI management for a managed service running in the VPC (the EC2 API has no resource-level scope for these). */
export function vpcAccessStatement(sid: string): StatementSpec {
  return {
    sid: `${sid}VpcAccess`,
    actions: [
      "ec2:DescribeVpcs",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeDhcpOptions",
      "ec2:DescribeNetworkInterfaces",
      "ec2:CreateNetworkInterface",
      "ec2:CreateNetworkInterfacePermission",
      "ec2:DeleteNetworkInterface",
    ],
    resources: ["*"],
    wildcardJustification: "EC2 Describe* and ENI creation have no resource-level scope before the ENI exists.",
  };
}

/** S3 statements of a lane's grants plus S3 use of the platform key; none without grants. */
export function laneS3Statements(
  sid: string,
  grants: readonly S3Grant[],
  bucketArns: pulumi.Output<Record<LaneBucket, string>>,
  region: string,
  kmsKeyArn: pulumi.Input<string>,
): StatementSpec[] {
  if (grants.length === 0) return [];
  const specs = grants.flatMap((g, i) =>
    s3PrefixStatements({ sid: `${sid}S3${i}`, bucketArn: bucketArns.apply((b) => b[g.bucket]), prefix: g.prefix, access: g.access }),
  );
  return [...specs, s3KmsStatement(sid, region, kmsKeyArn)];
}

/** A lane's stream access document from streaming's map; a lane the catalog grants but the map lacks is an error. */
export function streamPolicyOf(policies: pulumi.Input<Record<string, string>>, lane: StreamLane): pulumi.Output<string> {
  return pulumi.output(policies).apply((p) => {
    const doc = p[lane];
    if (typeof doc !== "string") throw new Error(`streaming output stream_access_policies has no document for lane ${lane}`);
    return doc;
  });
}
