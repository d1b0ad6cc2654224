/** Bad invocation of the evidence emitter (an unknown option value, an unreadable input): exit 2. */
export class EvidenceUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EvidenceUsageError";
  }
}
