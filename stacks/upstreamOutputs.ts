/**
 * Typed reads of upstream stack outputs for the runtime, data_ml and ops layers. A missing or malformed output stops the
 * program with the stack and output named (the reference hard-coded these values as variable defaults instead).
 */
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../src/config/environment";
import { Layer } from "../src/layers";

export type Check<T> = (value: unknown) => value is T;
export const isString: Check<string> = (v): v is string => typeof v === "string" && v !== "";
export const isStringList: Check<string[]> = (v): v is string[] => Array.isArray(v) && v.length > 0 && v.every(isString);
export const isStringMap: Check<Record<string, string>> = (v): v is Record<string, string> => typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every(isString);

/** Core's bucket maps (`s3_bucket_names`, `s3_bucket_arns`). */
export type PlatformBuckets = Record<"object_store" | "evidence" | "artifacts", string>;
export const isBuckets: Check<PlatformBuckets> = (v): v is PlatformBuckets =>
  typeof v === "object" && v !== null && ["object_store", "evidence", "artifacts"].every((k) => isString((v as Record<string, unknown>)[k]));

/** One StackReference per upstream layer, with typed, required reads. */
export class Upstream {
  readonly ref: pulumi.StackReference;

  constructor(
    env: Environment,
    readonly layer: Layer,
  ) {
    this.ref = new pulumi.StackReference(env.stackReference(layer));
  }

  /** A required output that must pass `check`; the error names the stack, the output and what was found. */
  read<T>(output: string, check: Check<T>, expected: string): pulumi.Output<T> {
    return this.ref.requireOutput(output).apply((value: unknown) => {
      if (!check(value)) {
        throw new Error(`stack ${this.layer}: output ${output} must be ${expected}, found ${JSON.stringify(value ?? null)} (apply dev-full-${this.layer.replace("_", "-")} first)`);
      }
      return value;
    });
  }

  string(output: string, expected: string): pulumi.Output<string> {
    return this.read(output, isString, expected);
  }
}
