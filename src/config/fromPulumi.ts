/**
 * Reads the running Pulumi stack's name and config and loads its {@link Environment}. This is the only place a
 * stack program touches Pulumi config; stacks receive the typed result.
 */
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { Environment, loadEnvironment } from "./environment";
import { PROJECT_DIR_ENV } from "./settings";

export { PROJECT_DIR_ENV };

/** `isConfigSecret` exists at runtime but is marked internal in the SDK's typings. */
const { isConfigSecret } = runtimeConfig as unknown as { isConfigSecret(key: string): boolean };

export function environmentFromPulumi(): Environment {
  const layerConfig = pulumi.runtime.allConfig();
  const secretKeys = Object.keys(layerConfig).filter((key) => isConfigSecret(key));
  return loadEnvironment({ stackName: pulumi.getStack(), layerConfig, secretKeys, projectDir: process.env[PROJECT_DIR_ENV] });
}
