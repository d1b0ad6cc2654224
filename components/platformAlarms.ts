import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmSettings } from "../src/config/opsSettings";
import { AlarmSpec, metricAlarmArgs } from "../src/ops/alarms";
import { Tags } from "../src/tags";

export interface PlatformAlarmsArgs {
  /** The alarms (src/ops/alarms.ts: names from the registry, dimensions from upstream outputs). */
  specs: AlarmSpec[];
  /** Period, evaluation and thresholds (ops settings). */
  settings: AlarmSettings;
  /** Topic every alarm notifies on ALARM and OK. */
  topicArn: pulumi.Input<string>;
  /** Mandatory tags of the layer. */
  tags: Tags;
}

/** The platform's metric alarms in the home region, each notifying the ops topic. */
export class PlatformAlarms extends pulumi.ComponentResource {
  /** Alarm ARNs and names by registry handle. */
  readonly arns: Record<string, pulumi.Output<string>> = {};
  readonly names: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: PlatformAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-platform:ops:PlatformAlarms", name, {}, opts);
    const seen = new Set<string>();
    for (const spec of args.specs) {
      if (seen.has(spec.name)) throw new Error(`${name}: alarm ${spec.name} is declared twice`);
      seen.add(spec.name);
      const alarm = new aws.cloudwatch.MetricAlarm(`${name}-${spec.key}`, metricAlarmArgs(spec, args.settings, args.topicArn, args.tags), { parent: this });
      this.arns[spec.handle] = alarm.arn;
      this.names[spec.handle] = alarm.name;
    }
    this.registerOutputs({ arns: this.arns, names: this.names });
  }
}
