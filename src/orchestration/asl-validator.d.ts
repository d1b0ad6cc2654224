/** Types of the asl-validator package (it ships none): the validator function of its `main`. */
declare module "asl-validator" {
  interface AslValidationError {
    "Error code": string;
    Message: string;
  }
  interface AslValidationResult {
    isValid: boolean;
    errors: AslValidationError[];
    errorsText(separator?: string): string;
  }
  interface AslValidatorOptions {
    checkPaths: boolean;
    checkArn: boolean;
  }
  function validator(definition: unknown, options?: AslValidatorOptions): AslValidationResult;
  export = validator;
}
