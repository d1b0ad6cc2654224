import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface LaneNamespaceArgs {
  /** Namespace name (registry EKS_NAMESPACE_*). */
  namespace: string;
  /** Lane label value (e.g. rtdl). */
  lane: string;
  /** Kubernetes provider of the exception-lane cluster. */
  provider: k8s.Provider;
}

/** Pure: the namespace, its default-deny policy and its DNS egress allowance (unit-testable). */
export function laneNamespaceManifests(args: Pick<LaneNamespaceArgs, "namespace" | "lane">): {
  namespace: k8s.core.v1.NamespaceArgs;
  defaultDeny: k8s.networking.v1.NetworkPolicyArgs;
  allowDns: k8s.networking.v1.NetworkPolicyArgs;
} {
  const labels = { "app.kubernetes.io/part-of": "fraud-platform", "fraud-platform/lane": args.lane };
  return {
    namespace: {
      metadata: {
        name: args.namespace,
        labels: { ...labels, "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" },
      },
    },
    // Deny all ingress and egress of every pod in the namespace; workloads add narrow allowances of their own.
    defaultDeny: {
      metadata: { name: "default-deny-all", namespace: args.namespace, labels },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    },
    allowDns: {
      metadata: { name: "allow-dns-egress", namespace: args.namespace, labels },
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [
              { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } },
            ],
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
        ],
      },
    },
  };
}

/**
 * One namespace per lane (DA-19) with a default-deny NetworkPolicy for ingress and egress, a DNS-only egress
 * allowance, and the restricted Pod Security level. Declared in code (the reference created its namespace with kubectl).
 */
export class LaneNamespace extends pulumi.ComponentResource {
  readonly namespaceName: pulumi.Output<string>;

  constructor(name: string, args: LaneNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:runtime:LaneNamespace", name, {}, opts);
    const m = laneNamespaceManifests(args);
    const childOpts = { parent: this, provider: args.provider };
    const ns = new k8s.core.v1.Namespace(name, m.namespace, childOpts);
    new k8s.networking.v1.NetworkPolicy(`${name}-default-deny`, m.defaultDeny, { ...childOpts, dependsOn: [ns] });
    new k8s.networking.v1.NetworkPolicy(`${name}-allow-dns`, m.allowDns, { ...childOpts, dependsOn: [ns] });
    this.namespaceName = ns.metadata.name;
    this.registerOutputs({ namespaceName: this.namespaceName });
  }
}
