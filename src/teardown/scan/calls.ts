/**
 * The residual scan's SDK calls and IAM actions, from the checks' tables: data a stack program reads (the roles that
 * run the scan hold these actions) without loading the AWS SDK clients the checks send them with.
 */
import { SdkCall, actionsOf } from "../../ops/ciAccess";
import { SERVICE_CHECKS } from "./checks";
import { INVENTORY_CALL } from "./checks/inventory";

/** Calls grouped by SDK client, each client where the scan first uses it (the inventory read comes first). */
function groupedByClient(calls: readonly SdkCall[]): SdkCall[] {
  const byClient = new Map<string, SdkCall[]>();
  for (const c of calls) {
    const list = byClient.get(c.client) ?? [];
    if (!list.some((x) => x.operation === c.operation)) list.push(c);
    byClient.set(c.client, list);
  }
  return [...byClient.values()].flat();
}

/**
 * Every AWS SDK command the scan sends and the read-only IAM action behind it, from the checks' tables. The
 * identity that runs it (the idle-guard role, or an operator) needs them besides TEARDOWN_IAM_MIN_ACTIONS; without
 * one, its check errors and the scan fails closed. tests/ops/ciIdentities.test.ts checks this table against the
 * commands the scan's files send.
 */
export const RESIDUAL_SCAN_CALLS: readonly SdkCall[] = groupedByClient([INVENTORY_CALL, ...SERVICE_CHECKS.flatMap((c) => c.commands)]);

/** The read-only IAM actions of {@link RESIDUAL_SCAN_CALLS}. */
export const RESIDUAL_SCAN_IAM_ACTIONS: readonly string[] = actionsOf(RESIDUAL_SCAN_CALLS);
