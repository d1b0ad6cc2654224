/**
 * The anchor schema of the Glue schema registry: the JSON Schema of the control envelope every message on
 * `fp.bus.control.v1` carries. Glue registers each distinct definition text as a new schema version, so the text
 * is rendered in one fixed form (2-space indent, trailing newline), the text the registry already holds:
 * re-applying the stack never adds a version.
 */

/** Fields of the control envelope, in order; all strings, all required. */
export const CONTROL_ENVELOPE_FIELDS = ["platform_run_id", "phase_id", "event_type", "written_at_utc"] as const;

export interface JsonSchemaObject {
  $schema: string;
  title: string;
  type: "object";
  properties: Record<string, { type: "string" }>;
  required: string[];
}

export function controlEnvelopeSchema(): JsonSchemaObject {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "ControlEnvelope",
    type: "object",
    properties: Object.fromEntries(CONTROL_ENVELOPE_FIELDS.map((f) => [f, { type: "string" as const }])),
    required: [...CONTROL_ENVELOPE_FIELDS],
  };
}

/** The definition text registered with Glue. */
export function controlEnvelopeDefinition(): string {
  return `${JSON.stringify(controlEnvelopeSchema(), null, 2)}\n`;
}
