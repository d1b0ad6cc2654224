/**
 * Builds the raw config the Pulumi CLI would hand a layer's program: the layer stack file's `config:` values
 * (scalars as strings, objects JSON-encoded), the project's declared defaults from `Pulumi.yaml`, and pins given
 * on the command line. `secure:` values cannot be decrypted offline: they are passed as secrets whose value is
 * the redaction marker, never invented.
 */
import * as fs from "fs";
import * as path from "path";
import { readYamlFile } from "../yamlFile";
import { InputError, renderFound } from "../errors";
import { PROJECT_NAMESPACE } from "../config/settings";
import { REDACTED } from "./previewDocument";

export interface RawConfig {
  config: Record<string, string>;
  secretKeys: string[];
}

function encode(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function readYaml(file: string): Record<string, unknown> {
  const raw = readYamlFile(file, path.basename(file), "stack config");
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new InputError(`invalid stack config ${path.basename(file)}`, [
      { file: path.basename(file), key: "(document)", expected: "a map with a config: section", found: renderFound(raw) },
    ]);
  }
  return raw as Record<string, unknown>;
}

/** Config of stack `stackName` as the CLI would pass it, plus `pins` overlaid on `fraud-platform:pins`. */
export function stackConfigFor(projectDir: string, stackName: string, pins: Record<string, string> = {}): RawConfig {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const project = readYaml(path.join(projectDir, "Pulumi.yaml"));
  const declared = (project.config ?? {}) as Record<string, { default?: unknown }>;
  for (const [key, decl] of Object.entries(declared)) {
    if (decl && typeof decl === "object" && decl.default !== undefined) config[`${PROJECT_NAMESPACE}:${key}`] = encode(decl.default);
  }
  const stackFile = path.join(projectDir, `Pulumi.${stackName}.yaml`);
  if (fs.existsSync(stackFile)) {
    const values = (readYaml(stackFile).config ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(values)) {
      if (value && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
        config[key] = REDACTED;
        secretKeys.push(key);
      } else {
        config[key] = encode(value);
      }
    }
  }
  if (Object.keys(pins).length) {
    const key = `${PROJECT_NAMESPACE}:pins`;
    const existing = config[key] ? (JSON.parse(config[key]) as Record<string, string>) : {};
    config[key] = JSON.stringify({ ...existing, ...pins });
    secretKeys.push(key);
  }
  return { config, secretKeys };
}
