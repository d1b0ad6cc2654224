import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { StatementSpec, irsaTrust } from "../src/iam/policy";
import { Tags } from "../src/tags";
import { WorkloadRole } from "./workloadRole";

export interface IrsaServiceAccountArgs {
  /** Physical IAM role name (registry IRSA role; may be TO_PIN, then unknown until pinned). */
  roleName: pulumi.Input<string>;
  /** Namespace the service account lives in. */
  namespace: pulumi.Input<string>;
  /** Service account name (the trust policy pins exactly this subject). */
  serviceAccount: string;
  /** Lane label value. */
  lane: string;
  /** The cluster's IAM OIDC provider ARN. */
  oidcProviderArn: pulumi.Input<string>;
  /** The cluster's OIDC issuer without https://. */
  oidcIssuer: pulumi.Input<string>;
  /** Least-privilege statements of the lane (typed builder). */
  statements: StatementSpec[];
  /** Extra policy documents (the streaming layer's lane access JSON), by policy name. */
  extraPolicyJson?: Record<string, pulumi.Input<string>>;
  /** Kubernetes provider of the exception-lane cluster. */
  provider: k8s.Provider;
  /** Account of the role (its ARN in the service account's annotation is composed from it: known at preview). */
  accountId: pulumi.Input<string>;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/**
 * The workload identity of one EKS lane (IRSA): an IAM role whose trust pins the OIDC audience and the exact
 * `system:serviceaccount:<namespace>:<name>` subject, and the Kubernetes ServiceAccount annotated with it. The
 * reference declared the roles but never the service accounts.
 */
export class IrsaServiceAccount extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;
  readonly serviceAccountName: pulumi.Output<string>;
  readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: IrsaServiceAccountArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:runtime:IrsaServiceAccount", name, {}, opts);
    const trust = pulumi.output(args.namespace).apply((ns) => irsaTrust(args.oidcProviderArn, args.oidcIssuer, ns, args.serviceAccount));
    const role = new WorkloadRole(
      name,
      {
        roleName: args.roleName,
        accountId: args.accountId,
        trust,
        statements: args.statements,
        extraPolicyJson: args.extraPolicyJson,
        tags: { ...args.tags, fp_resource: `eks_irsa_${args.lane}` },
      },
      { parent: this },
    );
    const sa = new k8s.core.v1.ServiceAccount(
      name,
      {
        metadata: {
          name: args.serviceAccount,
          namespace: args.namespace,
          labels: { "app.kubernetes.io/part-of": "fraud-platform", "fraud-platform/lane": args.lane },
          annotations: { "eks.amazonaws.com/role-arn": role.roleArn, "eks.amazonaws.com/sts-regional-endpoints": "true" },
        },
      },
      { parent: this, provider: args.provider },
    );
    this.roleArn = role.roleArn;
    this.serviceAccountName = sa.metadata.name;
    this.namespace = sa.metadata.namespace;
    this.registerOutputs({ roleArn: this.roleArn, serviceAccountName: this.serviceAccountName, namespace: this.namespace });
  }
}
