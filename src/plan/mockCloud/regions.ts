/**
 * The AWS regions the mock cloud can stand in for: each region code with the short form AWS uses in zone ids and
 * ElastiCache endpoints (`euw2-az1`, `*.euw2.cache.amazonaws.com`) and the location name `getRegion` describes it by.
 * A region missing from the table is an error naming it, so a mocked id never carries another region's form.
 */

/** One AWS region as the mock cloud renders it. */
export interface AwsRegion {
  /** Region code, e.g. `eu-west-2`. */
  code: string;
  /** Short form in zone ids and cache endpoints, e.g. `euw2`. */
  short: string;
  /** Location name (`getRegion` description), e.g. `Europe (London)`. */
  location: string;
}

/** Commercial AWS regions: code -> [short form, location name]. */
const AWS_REGIONS: Readonly<Record<string, readonly [string, string]>> = {
  "us-east-1": ["use1", "US East (N. Virginia)"],
  "us-east-2": ["use2", "US East (Ohio)"],
  "us-west-1": ["usw1", "US West (N. California)"],
  "us-west-2": ["usw2", "US West (Oregon)"],
  "af-south-1": ["afs1", "Africa (Cape Town)"],
  "ap-east-1": ["ape1", "Asia Pacific (Hong Kong)"],
  "ap-south-1": ["aps1", "Asia Pacific (Mumbai)"],
  "ap-south-2": ["aps2", "Asia Pacific (Hyderabad)"],
  "ap-southeast-1": ["apse1", "Asia Pacific (Singapore)"],
  "ap-southeast-2": ["apse2", "Asia Pacific (Sydney)"],
  "ap-southeast-3": ["apse3", "Asia Pacific (Jakarta)"],
  "ap-southeast-4": ["apse4", "Asia Pacific (Melbourne)"],
  "ap-northeast-1": ["apne1", "Asia Pacific (Tokyo)"],
  "ap-northeast-2": ["apne2", "Asia Pacific (Seoul)"],
  "ap-northeast-3": ["apne3", "Asia Pacific (Osaka)"],
  "ca-central-1": ["cac1", "Canada (Central)"],
  "ca-west-1": ["caw1", "Canada West (Calgary)"],
  "eu-central-1": ["euc1", "Europe (Frankfurt)"],
  "eu-central-2": ["euc2", "Europe (Zurich)"],
  "eu-west-1": ["euw1", "Europe (Ireland)"],
  "eu-west-2": ["euw2", "Europe (London)"],
  "eu-west-3": ["euw3", "Europe (Paris)"],
  "eu-north-1": ["eun1", "Europe (Stockholm)"],
  "eu-south-1": ["eus1", "Europe (Milan)"],
  "eu-south-2": ["eus2", "Europe (Spain)"],
  "il-central-1": ["ilc1", "Israel (Tel Aviv)"],
  "me-central-1": ["mec1", "Middle East (UAE)"],
  "me-south-1": ["mes1", "Middle East (Bahrain)"],
  "sa-east-1": ["sae1", "South America (Sao Paulo)"],
};

/** The region `code` as the mock cloud renders it; an unknown code is an error naming it. */
export function awsRegion(code: string, where = "the configured region"): AwsRegion {
  const known = Object.prototype.hasOwnProperty.call(AWS_REGIONS, code) ? AWS_REGIONS[code] : undefined;
  if (!known) {
    throw new Error(
      `mock cloud: ${where} ${JSON.stringify(code)} is not a known AWS region; use a region code such as eu-west-2, ` +
        `or add it with its short form and location name to AWS_REGIONS in src/plan/mockCloud/regions.ts`,
    );
  }
  const [short, location] = known;
  return { code, short, location };
}
