/** The runtime section of the environment: explicit values, a clear error for a missing or misplaced artifact key. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadEnvironment } from "../../src/config/environment";
import { PROJECT_ROOT } from "../../src/registry/registry";
import { runtimeSettingsOf } from "../../stacks/runtimeParts/context";
import { problemsOf } from "../helpers/inputProblems";

const SHARED = fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.dev-full.yaml"), "utf8");
const LAYER = { "aws:region": "eu-west-2" };

function loadWith(shared: string, layerConfig: Record<string, string> = LAYER) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "env-runtime-"));
  fs.writeFileSync(path.join(dir, "Pulumi.dev-full.yaml"), shared);
  return loadEnvironment({ stackName: "dev-full-runtime", layerConfig, projectDir: dir });
}

describe("runtime settings", () => {
  it("loads the shipped values", () => {
    const settings = runtimeSettingsOf(loadEnvironment({ stackName: "dev-full-runtime", layerConfig: LAYER }));
    expect(settings.redis).toMatchObject({ nodeType: "cache.t4g.micro", nodeCount: 1 });
    expect(settings.aurora).toMatchObject({ readerCount: 1, deletionProtection: false });
    expect(settings.vpcEndpoints.interfaceServices).toHaveLength(8);
  });

  it("reports a blank artifact key as a config error with file and key", () => {
    const blank = SHARED.replace(/s3Key: \S+/, 's3Key: ""');
    expect(problemsOf(() => loadWith(blank))).toEqual([
      expect.stringMatching(
        /^Pulumi\.dev-full\.yaml: fraud-platform:runtime\.ingress\.handlerArtifact\.s3Key: expected the S3 key of the ingress Lambda package.*found ""/,
      ),
    ]);
  });

  it("reports a key outside the CI prefix (set in the layer stack) with the command that fixes it", () => {
    const env = loadWith(SHARED, { ...LAYER, "fraud-platform:runtime": JSON.stringify({ ingress: { handlerArtifact: { s3Key: "artifacts/flink/x.zip" } } }) });
    expect(problemsOf(() => runtimeSettingsOf(env))).toEqual([
      expect.stringMatching(
        /fraud-platform:runtime\.ingress\.handlerArtifact\.s3Key: expected .*under artifacts\/lambda\/ig_handler\/.*found "artifacts\/flink\/x\.zip"/,
      ),
    ]);
  });

  it("has no defaults: an omitted decision is an error, and the runtime stack needs the section", () => {
    expect(problemsOf(() => loadWith(SHARED.replace(/\n {6}nodeCount: 1\n/, "\n")))).toEqual([
      expect.stringMatching(/fraud-platform:runtime\.redis\.nodeCount: expected a whole number 1\.\.6, found nothing/),
    ]);
    const withoutRuntime = SHARED.replace(/ {2}fraud-platform:runtime:\n(?: {4}.*\n| *#.*\n)+/, "");
    expect(problemsOf(() => runtimeSettingsOf(loadWith(withoutRuntime)))).toEqual([
      expect.stringMatching(/fraud-platform:runtime: expected the runtime layer's settings/),
    ]);
  });
});
