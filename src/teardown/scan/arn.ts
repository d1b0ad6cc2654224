/** ARNs as the residual scan reads them: @aws-sdk/util-arn-parser's parts, plus the resource type and id. */
import { parse, validate } from "@aws-sdk/util-arn-parser";

export interface ParsedArn {
  arn: string;
  partition: string;
  service: string;
  region: string;
  account: string;
  /** `bucket` for S3, else the part before the first `/` or `:` of the resource (`cluster`, `log-group`, ...). */
  resourceType: string;
  /** The rest of the resource part (`/aws/x` for a log group, without a trailing `:*`). */
  resourceId: string;
}

/** The parts of an ARN, or undefined for text that is not one. */
export function parseArn(arn: string): ParsedArn | undefined {
  if (!validate(arn)) return undefined;
  const { partition, service, region, accountId, resource } = parse(arn);
  const base = { arn, partition, service, region, account: accountId };
  if (service === "s3" && !resource.includes("/")) return { ...base, resourceType: "bucket", resourceId: resource };
  const m = /^([^/:]+)[/:](.*)$/.exec(resource);
  if (!m) return { ...base, resourceType: "", resourceId: resource };
  return { ...base, resourceType: m[1], resourceId: m[2].replace(/:\*$/, "") };
}
