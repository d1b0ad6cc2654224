/**
 * What every part of the runtime layer shares: the environment and its registry, the account, the layer's tags and
 * log retention, the upstream readers (core, streaming: one StackReference each) and the proof window's bus switch.
 * Each part returns a {@link RuntimePart}; stacks/runtime.ts merges them and checks the handles against the registry.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment, layerSection } from "../../src/config/environment";
import { RuntimeLanesSettings } from "../../src/config/runtimeLanesSettings";
import { RuntimeSettings } from "../../src/config/runtimeSettings";
import { InputError } from "../../src/errors";
import { StreamLane, laneAccessFromCatalog } from "../../src/iam/streamAccess";
import { streamPolicyOf } from "../../src/iam/laneStatements";
import { artifactKeyProblem } from "../../src/ingress/envelope";
import { Registry } from "../../src/registry/registry";
import { Tags, tagsFor } from "../../src/tags";
import { surfaceUp } from "../../src/window/surfaces";
import { StackOutputs } from "../handleOutputs";
import { CoreOutputs, StreamingOutputs } from "../upstreamOutputs";

export interface RuntimeContext {
  readonly env: Environment;
  readonly r: Registry;
  readonly region: string;
  readonly accountId: pulumi.Output<string>;
  /** The layer's mandatory tags. */
  readonly tags: Tags;
  /** LOG_RETENTION_DAYS. */
  readonly retentionDays: number;
  readonly core: CoreOutputs;
  readonly streaming: StreamingOutputs;
  /** Proof window (fraud-platform:window): no bus between windows, so no stream grant either. */
  readonly mskUp: boolean;
  readonly settings: RuntimeSettings;
  readonly lanes: RuntimeLanesSettings;
  /** The `stream-access` policy of a lane the catalog grants access, while the bus is up; nothing otherwise. */
  streamGrant(lane: StreamLane | undefined): Record<string, pulumi.Input<string>>;
}

/** What a part of the layer exports. */
export interface RuntimePart {
  /** Outputs keyed by registry handle. */
  handles: StackOutputs;
  /** Other outputs (the reference's snake_case names). */
  outputs: StackOutputs;
  /** Keys of the reference's `runtime_handle_materialization` map that are not runtime handles (values or deferred). */
  materialization: StackOutputs;
}

/** The shared context: settings are checked and the upstream readers created once, before any resource. */
export function runtimeContext(env: Environment): RuntimeContext {
  const r = env.registry;
  const settings = runtimeSettingsOf(env);
  const lanes = runtimeLanesSettingsOf(env);
  const core = new CoreOutputs(env);
  const streaming = new StreamingOutputs(env);
  const mskUp = surfaceUp(env, "msk");
  const streamLanes = new Set(laneAccessFromCatalog(r.topics()).map((a) => a.lane));
  return {
    env,
    r,
    region: env.region,
    accountId: aws.getCallerIdentityOutput().accountId,
    tags: tagsFor(env),
    retentionDays: r.number("LOG_RETENTION_DAYS"),
    core,
    streaming,
    mskUp,
    settings,
    lanes,
    streamGrant: (lane): Record<string, pulumi.Input<string>> =>
      lane && streamLanes.has(lane) && mskUp ? { "stream-access": streamPolicyOf(streaming.streamAccessPolicies, lane) } : {},
  };
}

/** The runtime settings, which the runtime stack cannot run without; the ingress package key is checked too. */
export function runtimeSettingsOf(env: Environment): RuntimeSettings {
  const settings = layerSection(env, "runtime");
  const prefix = env.registry.string("ARTIFACTS_LAMBDA_IG_HANDLER_PREFIX");
  const problem = artifactKeyProblem(settings.ingress.handlerArtifact.s3Key, prefix);
  if (problem) {
    throw new InputError(`invalid environment for stack ${env.stackName}`, [
      {
        file: `Pulumi.${env.name}.yaml or Pulumi.${env.stackName}.yaml`,
        key: "fraud-platform:runtime.ingress.handlerArtifact.s3Key",
        expected: `the S3 key of the ingress Lambda package under ${prefix} in the artifacts bucket (${problem})`,
        found: JSON.stringify(settings.ingress.handlerArtifact.s3Key),
        fix: `upload the package, then: pulumi config set --path 'fraud-platform:runtime.ingress.handlerArtifact.s3Key' ${prefix}<name>.zip --stack ${env.stackName}`,
      },
    ]);
  }
  return settings;
}

/** The runtime lanes settings, which the runtime stack cannot run without. */
export function runtimeLanesSettingsOf(env: Environment): RuntimeLanesSettings {
  const s = layerSection(env, "runtimeLanes");
  return s;
}
