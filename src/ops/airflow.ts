/**
 * The AIRFLOW_MODE gate (DA-60). MWAA stays deferred until DAG/schedule complexity justifies it: while the registry
 * says so, no MWAA environment may exist. One function decides it for the ops stack and the DA-60 policy.
 */

/** The registry value that keeps MWAA deferred (AIRFLOW_MODE). */
export const AIRFLOW_DEFERRED = "DEFERRED_UNTIL_COMPLEXITY_THRESHOLD";

/** Whether an MWAA environment may exist under this AIRFLOW_MODE. */
export function mwaaEnvironmentAllowed(airflowMode: string): boolean {
  return airflowMode !== AIRFLOW_DEFERRED;
}
