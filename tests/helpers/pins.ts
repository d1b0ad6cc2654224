/** Pins the tests use for TO_PIN handles (the values a user would set; the registry keeps them TO_PIN). */
export const LEARNING_PIN = { ROLE_EKS_IRSA_LEARNING: "fraud-platform-dev-full-irsa-learning" };

/** Both TO_PIN handles the five stacks need on their shipped defaults. */
export const ALL_STACK_PINS = { ...LEARNING_PIN, AWS_BUDGET_NOTIFICATION_EMAIL: "ops@example.com" };

/** Entrypoints of the spine workloads (their reference commands), for plans with the spine services switched on. */
export const ENTRYPOINT_PINS = {
  ENTRYPOINT_DECISION_LANE_WORKER:
    "python -m fraud_detection.degrade_ladder.worker; python -m fraud_detection.decision_fabric.worker; python -m fraud_detection.action_layer.worker; python -m fraud_detection.decision_log_audit.worker",
  ENTRYPOINT_CASE_TRIGGER_WORKER: "python -m fraud_detection.case_trigger.worker",
  ENTRYPOINT_CM_SERVICE: "python -m fraud_detection.case_mgmt.worker",
  ENTRYPOINT_LS_SERVICE: "python -m fraud_detection.label_store.worker",
  ENTRYPOINT_RTDL_CORE_WORKER: "python -m fraud_detection.archive_writer.worker; python -m fraud_detection.identity_entity_graph.service",
  ENTRYPOINT_WSP: "python -m fraud_detection.world_streamer_producer.cli",
};

/** Secrets of the layer stacks a configured user has set (`pulumi config set --secret`); the plan's `--secret`. */
export const STACK_SECRETS = { "fraud-platform:databricksToken": "dapi-plan-example" };
