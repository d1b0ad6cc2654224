/**
 * DA-80 (mandatory, medium): every log group lives under CLOUDWATCH_LOG_GROUP_PREFIX with retentionInDays =
 * LOG_RETENTION_DAYS (no never-expiring groups). A group whose name a service fixes (e.g. RDS's
 * `/aws/rds/cluster/<id>/postgresql`) is accepted when its exact name is pinned in the registry; its retention is
 * still checked.
 */
import { registry } from "../lib/registry";
import { resourceRule } from "../lib/rule";

export const logGroupRetention = resourceRule(
  {
    id: "DA-80",
    slug: "log-group-retention",
    description:
      "Log groups live under /fraud-platform/dev_full (or are service-fixed names pinned in the registry) and keep logs exactly LOG_RETENTION_DAYS (14) days.",
    severity: "medium",
  },
  (args, reportViolation) => {
    if (args.type !== "aws:cloudwatch/logGroup:LogGroup") return args.notApplicable("not a log group");
    const r = registry();
    const prefix = r.string("CLOUDWATCH_LOG_GROUP_PREFIX");
    const days = r.number("LOG_RETENTION_DAYS");
    const retention = args.props.retentionInDays;
    if (retention !== days)
      reportViolation(
        `retentionInDays is ${JSON.stringify(retention ?? null)}${retention === undefined || retention === 0 ? " (never expire)" : ""}, expected ${days}.`,
      );
    const name = args.props.name;
    if (typeof name !== "string" || name === "") return reportViolation(`log group has no explicit name; name it under ${prefix}/.`);
    if (!name.startsWith(`${prefix}/`) && !r.physicalNames().has(name))
      reportViolation(`${name} is not under ${prefix}/ (and is not a service-fixed name pinned in the registry).`);
  },
);
