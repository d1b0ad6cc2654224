import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DashboardBody } from "../src/ops/dashboards";

export interface OpsDashboardsArgs {
  /** Dashboards by name (CW_DASHBOARD_*): bodies built by src/ops/dashboards.ts from upstream outputs. */
  dashboards: Array<{ key: string; name: string; body: DashboardBody }>;
}

/** The operator dashboards. Bodies may hold outputs (ids of upstream stacks); they are serialised once resolved. */
export class OpsDashboards extends pulumi.ComponentResource {
  /** Dashboard names and ARNs by key. */
  readonly names: Record<string, pulumi.Output<string>> = {};
  readonly arns: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: OpsDashboardsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:ops:OpsDashboards", name, {}, opts);
    for (const d of args.dashboards) {
      const dashboard = new aws.cloudwatch.Dashboard(
        `${name}-${d.key}`,
        { dashboardName: d.name, dashboardBody: pulumi.jsonStringify(d.body) },
        { parent: this },
      );
      this.names[d.key] = dashboard.dashboardName;
      this.arns[d.key] = dashboard.dashboardArn;
    }
    this.registerOutputs({ names: this.names, arns: this.arns });
  }
}
