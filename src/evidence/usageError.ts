import { UsageError } from "../errors";

/** Bad invocation of the evidence emitter (an unknown option value, an unreadable input): exit 2. */
export class EvidenceUsageError extends UsageError {
  constructor(message: string) {
    super(message);
  }
}
