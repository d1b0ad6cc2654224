/**
 * What a value for a TO_PIN handle must look like, by handle: an IAM role name for role handles, an email
 * address for notification handles, a command line for entrypoints. `withPins` refuses anything else (exit 2
 * with the expected form), so a typo never reaches AWS.
 */
export interface PinForm {
  /** Handles the form applies to. */
  matches(handle: string): boolean;
  /** What a value must be, for the error message. */
  expected: string;
  valid(value: string): boolean;
  example: string;
  /** A fix more precise than "a value of that form" for a recognisable mistake (e.g. a role ARN for a role name). */
  fixFor?(value: string): string | undefined;
}

/** A role ARN (`arn:aws:iam::123456789012:role/path/name`), whose last segment is the role name. */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[^/]+\/)*([^/]+)$/;

/** IAM role names: 1-64 of `[A-Za-z0-9+=,.@_-]` (IAM API reference, CreateRole RoleName). */
const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** A single mailbox `local@domain.tld`, as AWS Budgets' EMAIL subscriber takes it. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const PIN_FORMS: readonly PinForm[] = [
  {
    matches: (h) => h.startsWith("ROLE_"),
    expected: "an IAM role name (1-64 characters of A-Z a-z 0-9 + = , . @ _ -)",
    valid: (v) => IAM_ROLE_NAME.test(v),
    example: "fraud-platform-dev-full-irsa-learning",
    fixFor: (v) => {
      const name = ROLE_ARN.exec(v)?.[1];
      return name ? `pin the role's name, not its ARN: ${name}` : undefined;
    },
  },
  { matches: (h) => h.endsWith("_EMAIL"), expected: "an email address (name@example.com)", valid: (v) => EMAIL.test(v), example: "ops@example.com" },
  {
    matches: (h) => h.startsWith("ENTRYPOINT_"),
    expected: "a command line (one line, no control characters)",
    // eslint-disable-next-line no-control-regex -- control characters are what the check refuses
    valid: (v) => v.trim() !== "" && !/[\u0000-\u001f]/.test(v),
    example: "python -m fraud_detection.case_trigger.worker",
  },
];

/** The form a handle's pinned value must take, when one is known. */
export function pinFormOf(handle: string): PinForm | undefined {
  return PIN_FORMS.find((f) => f.matches(handle));
}

/** `undefined` when `value` is acceptable for `handle`, else the form it must take. */
export function pinValueProblem(handle: string, value: string): PinForm | undefined {
  const form = pinFormOf(handle);
  return form && !form.valid(value) ? form : undefined;
}
