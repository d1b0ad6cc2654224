/**
 * Mocks of the core layer's types: the network (EC2-style ids such as `vpc-0a1b...`), buckets, KMS keys, IAM
 * roles and policies, and the container registry.
 */
import { PropertyMap } from "../previewDocument";
import { MOCK_ACCOUNT_ID, ResourceMock, ResourceTable, entriesOf, genericArn, hex, uuid } from "./resource";

/** EC2-style id prefixes by resource type. */
const EC2_ID_PREFIX: Readonly<Record<string, string>> = {
  "aws:ec2/vpc:Vpc": "vpc",
  "aws:ec2/subnet:Subnet": "subnet",
  "aws:ec2/securityGroup:SecurityGroup": "sg",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
  "aws:ec2/internetGateway:InternetGateway": "igw",
  "aws:ec2/routeTable:RouteTable": "rtb",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
};

/** An EC2 resource: `<prefix>-0<17 hex>` id, its ARN, and the attributes particular to VPCs, groups and endpoints. */
const ec2: ResourceMock = (args, { inputs, seed, region, arn }) => {
  const prefix = EC2_ID_PREFIX[args.type];
  const id = `${prefix}-0${hex(seed, 16)}`;
  const state: PropertyMap = { arn: arn("ec2", `${prefix === "sg" ? "security-group" : prefix}/${id}`) };
  if (args.type === "aws:ec2/vpc:Vpc") {
    state.defaultSecurityGroupId = `sg-0${hex(`${seed}:default-sg`, 16)}`;
    state.mainRouteTableId = `rtb-0${hex(`${seed}:main-rt`, 16)}`;
  }
  if (args.type === "aws:ec2/securityGroup:SecurityGroup" && !inputs.name) state.name = `${args.name}-${hex(seed, 7)}`;
  // A gateway endpoint exposes its service's managed prefix list; an interface endpoint its DNS names.
  if (args.type === "aws:ec2/vpcEndpoint:VpcEndpoint") {
    if (inputs.vpcEndpointType === "Gateway") state.prefixListId = `pl-${hex(`${String(inputs.serviceName)}:pl`, 8)}`;
    else
      state.dnsEntries = [
        {
          dnsName: `${id}-${hex(seed, 8)}.${String(inputs.serviceName).split(".").slice(3).join(".")}.${region.code}.vpce.amazonaws.com`,
          hostedZoneId: "Z16LZFBTAWNLS5",
        },
      ];
    state.state = "available";
  }
  return { id, state };
};

export const CORE_RESOURCES: ResourceTable = {
  ...entriesOf(Object.keys(EC2_ID_PREFIX), ec2),
  ...entriesOf(["aws:ec2/flowLog:FlowLog", "aws:ec2/launchTemplate:LaunchTemplate", "aws:dynamodb/table:Table"], genericArn),
  "aws:s3/bucket:Bucket": (_args, { name, region }) => ({
    id: name,
    state: {
      arn: `arn:aws:s3:::${name}`,
      bucketDomainName: `${name}.s3.amazonaws.com`,
      bucketRegionalDomainName: `${name}.s3.${region.code}.amazonaws.com`,
      region: region.code,
    },
  }),
  ...entriesOf(
    [
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
      "aws:s3/bucketPolicy:BucketPolicy",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "aws:s3/bucketVersioning:BucketVersioning",
    ],
    genericArn,
  ),
  "aws:kms/key:Key": (_args, { seed, providerRegion }) => {
    const id = uuid(seed);
    return { id, state: { keyId: id, arn: `arn:aws:kms:${providerRegion()}:${MOCK_ACCOUNT_ID}:key/${id}` } };
  },
  "aws:kms/alias:Alias": (_args, { inputs, name, arn }) => ({
    id: name,
    state: { arn: arn("kms", name), targetKeyArn: arn("kms", `key/${String(inputs.targetKeyId ?? "")}`) },
  }),
  "aws:iam/role:Role": (_args, { inputs, seed, name, arn }) => ({
    id: name,
    state: {
      ...(inputs.name ? {} : { name }),
      arn: arn("iam", `role${String(inputs.path ?? "/")}${name}`, true),
      uniqueId: `AROA${hex(seed, 17).toUpperCase()}`,
    },
  }),
  "aws:iam/policy:Policy": (_args, { name, arn }) => ({ id: name, state: { arn: arn("iam", `policy/${name}`, true) } }),
  "aws:iam/rolePolicy:RolePolicy": genericArn,
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (_args, { inputs, seed }) => ({ id: `${String(inputs.role)}-${hex(seed, 8)}`, state: {} }),
  "aws:ecr/repository:Repository": (_args, { name, region, arn }) => ({
    id: name,
    state: {
      arn: arn("ecr", `repository/${name}`),
      registryId: MOCK_ACCOUNT_ID,
      repositoryUrl: `${MOCK_ACCOUNT_ID}.dkr.ecr.${region.code}.amazonaws.com/${name}`,
    },
  }),
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": genericArn,
};
