/**
 * The runtime path governance contract (single active runtime path per phase execution, DA-110) as the runtime layer
 * publishes it: registry values only.
 */
import { Registry } from "../../src/registry/registry";
import { RuntimePart } from "./context";

export function runtimePathGovernance(r: Registry): RuntimePart {
  return {
    handles: {},
    outputs: {
      runtime_path_governance_contract: {
        PHASE_RUNTIME_PATH_MODE: r.string("PHASE_RUNTIME_PATH_MODE"),
        PHASE_RUNTIME_PATH_PIN_REQUIRED: r.boolean("PHASE_RUNTIME_PATH_PIN_REQUIRED"),
        RUNTIME_PATH_SWITCH_IN_PHASE_ALLOWED: r.boolean("RUNTIME_PATH_SWITCH_IN_PHASE_ALLOWED"),
        RUNTIME_FALLBACK_REQUIRES_NEW_PHASE_EXECUTION_ID: r.boolean("RUNTIME_FALLBACK_REQUIRES_NEW_PHASE_EXECUTION_ID"),
        PHASE_RUNTIME_PATH_EVIDENCE_PATH_PATTERN: r.string("PHASE_RUNTIME_PATH_EVIDENCE_PATH_PATTERN"),
      },
    },
    materialization: {
      SR_READY_COMMIT_AUTHORITY: r.value("SR_READY_COMMIT_AUTHORITY"),
      PHASE_RUNTIME_PATH_MODE: r.value("PHASE_RUNTIME_PATH_MODE"),
      PHASE_RUNTIME_PATH_EVIDENCE_TARGET: r.value("PHASE_RUNTIME_PATH_EVIDENCE_PATH_PATTERN"),
    },
  };
}
