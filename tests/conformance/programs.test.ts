/**
 * Every layer's program under the real Node language runtime: `@pulumi/pulumi/cmd/run` started with the language
 * host's arguments and environment, talking gRPC to a fake engine and resource monitor (src/conformance). Each
 * layer must register the same resources as the offline plan (type, name, parent; inputs equal wherever both sides
 * know the value), read its upstream stacks through StackReferences, and export the same outputs.
 */
import { MockCloud } from "../../src/plan/mockCloud";
import { PropertyMap, PropertyValue, RecordedResource, SECRET_SIG, SIG_KEY, UNKNOWN, previewDocumentOf } from "../../src/plan/previewDocument";
import { stackConfigFor } from "../../src/plan/stackConfig";
import { MonitoredResource } from "../../src/conformance/monitorServer";
import { ProgramRun, languageHostArguments, languageHostEnv, runProgram } from "../../src/conformance/programHost";
import { PROJECT_ROOT } from "../../src/registry/registry";
import { PlanResult } from "../../src/plan/engine";
import { ALL_STACK_PINS, STACK_SECRETS } from "../helpers/pins";
import { sharedPlan } from "../helpers/sharedPlan";

const LAYERS = ["core", "streaming", "runtime", "data_ml", "ops"] as const;
/** The data_ml stack's secret config, as the shared plan sets it: the real runtime requires the token while Databricks is on. */
const TOKEN = STACK_SECRETS;

let plan: PlanResult;
const runs = new Map<string, ProgramRun>();

/** Secrets compare by their value; the plan's in-memory `pulumi.unknown` marker is the engine's unknown. */
const unwrap = (v: PropertyValue): PropertyValue => {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  if (v[SIG_KEY] === SECRET_SIG) return unwrap(v.value);
  return v.__pulumiUnknown === true ? UNKNOWN : v;
};

/** Leaves where both sides know the value and disagree; `unknownInReal` counts values the plan knows and the real preview does not. */
function compare(planned: PropertyValue, real: PropertyValue, at: string, out: { diffs: string[]; unknownInReal: number }): void {
  const p = unwrap(planned);
  const r = unwrap(real);
  if (r === UNKNOWN) {
    if (p !== UNKNOWN) out.unknownInReal++;
    return;
  }
  if (p === UNKNOWN) return;
  if (Array.isArray(p) && Array.isArray(r)) {
    if (p.length !== r.length) out.diffs.push(`${at}: ${p.length} items in the plan, ${r.length} under cmd/run`);
    p.forEach((v, i) => compare(v, r[i], `${at}[${i}]`, out));
    return;
  }
  if (p !== null && r !== null && typeof p === "object" && typeof r === "object" && !Array.isArray(p) && !Array.isArray(r)) {
    for (const k of new Set([...Object.keys(p), ...Object.keys(r)])) compare(p[k] ?? null, r[k] ?? null, `${at}.${k}`, out);
    return;
  }
  // JSON documents built from outputs (policies, definitions) compare as parsed documents.
  if (typeof p === "string" && typeof r === "string" && /^[[{]/.test(p) && /^[[{]/.test(r)) {
    try {
      compare(JSON.parse(p) as PropertyValue, JSON.parse(r) as PropertyValue, `${at}(json)`, out);
      return;
    } catch {
      /* not JSON: compared as strings below */
    }
  }
  if (JSON.stringify(p) !== JSON.stringify(r))
    out.diffs.push(`${at}: ${JSON.stringify(p)?.slice(0, 80)} in the plan, ${JSON.stringify(r)?.slice(0, 80)} under cmd/run`);
}

const key = (r: { type: string; name: string; parent?: string }) => `${r.type}::${r.name}::${r.parent ?? ""}`;
const SDK_REGISTERED = (r: RecordedResource) => !(r.type.startsWith("pulumi:providers:") && r.name.startsWith("default"));

beforeAll(async () => {
  ({ result: plan } = await sharedPlan([...LAYERS], ALL_STACK_PINS));
  const upstream: Record<string, PropertyMap> = {};
  const upstreamSecrets: Record<string, string[]> = {};
  for (const o of plan.outcomes) {
    const { config, secretKeys } = stackConfigFor(PROJECT_ROOT, o.stackName, ALL_STACK_PINS);
    const extra = o.layer === "data_ml" ? TOKEN : {};
    const mocks = new MockCloud({ region: "eu-west-2", upstream: { ...upstream }, upstreamSecrets: { ...upstreamSecrets } });
    const run = await runProgram({
      projectDir: PROJECT_ROOT,
      project: "fraud-platform",
      stack: o.stackName,
      organization: "organization",
      config: { ...config, ...extra },
      secretKeys: [...secretKeys, ...Object.keys(extra)],
      preview: true,
      mocks,
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
    runs.set(o.stackName, run);
    upstream[o.stackName] = o.plan?.outputs ?? {};
    upstreamSecrets[o.stackName] = o.plan?.secretOutputNames ?? [];
  }
}, 600_000);

describe("programs under @pulumi/pulumi/cmd/run", () => {
  it("are started with the language host's arguments and environment", () => {
    const args = languageHostArguments(
      { projectDir: PROJECT_ROOT, project: "fraud-platform", stack: "dev-full-core", organization: "organization", preview: true },
      "127.0.0.1:1",
      "127.0.0.1:2",
    );
    expect(args.slice(1)).toEqual([
      "--monitor",
      "127.0.0.1:1",
      "--engine",
      "127.0.0.1:2",
      "--organization",
      "organization",
      "--project",
      "fraud-platform",
      "--root-directory",
      PROJECT_ROOT,
      "--stack",
      "dev-full-core",
      "--pwd",
      PROJECT_ROOT,
      "--dry-run",
      "--parallel",
      "16",
      ".",
    ]);
    expect(languageHostEnv(PROJECT_ROOT)).toEqual({ PULUMI_NODEJS_TYPESCRIPT: "true" });
  });

  it.each(LAYERS.map((l) => [l]))("%s runs to the end and registers the plan's resources", (layer) => {
    const outcome = plan.outcomes.find((o) => o.layer === layer);
    const run = runs.get(outcome?.stackName ?? "");
    if (!outcome?.plan || !run) throw new Error(`no plan or run for ${layer}`);
    const errors = run.engine.logs.filter((l) => l.severity >= 3).map((l) => l.message);
    expect({ exitCode: run.exitCode, errors }).toEqual({ exitCode: 0, errors: [] });

    const registered = run.monitor.resources.filter((r: MonitoredResource) => !r.read);
    const preview = outcome.preview;
    if (!preview) throw new Error(`no preview pass for ${layer}`);
    const planned = preview.resources.filter(SDK_REGISTERED);
    expect(registered.map(key).sort()).toEqual(planned.map(key).sort());

    // The plan's preview pass is the real first preview: equal wherever both know a value, and nothing known in
    // the plan that the real preview leaves unknown.
    const byKey = new Map(registered.map((r) => [key(r), r]));
    const out = { diffs: [] as string[], unknownInReal: 0 };
    for (const p of planned) compare(p.inputs, byKey.get(key(p))?.inputs ?? {}, `${p.type}::${p.name}`, out);
    expect(out.diffs).toEqual([]);
    expect(out.unknownInReal).toBe(0);
    // Same URNs, parents, providers and dependencies (StackReference URNs as the engine forms them).
    // (The engine, not the program, assigns default providers: the program's own provider references must match.)
    const explicitProvider = (ref = "") => (/::pulumi:providers:[^:]+::default(_[\d_]+)?::/.test(ref) ? "" : ref.split("::").slice(0, -1).join("::"));
    const shape = (r: { urn: string; parent?: string; provider?: string; dependencies?: string[] }) => [
      r.urn,
      r.parent ?? "",
      explicitProvider(r.provider),
      [...(r.dependencies ?? [])].sort(),
    ];
    expect(planned.map(shape).sort()).toEqual(registered.map(shape).sort());
    // The same reads (StackReferences, Resource.get), each a read step of the preview document.
    const reads = (rs: Array<{ urn: string; type: string }>) => rs.map((r) => r.urn).sort();
    expect(reads(preview.reads)).toEqual(reads(run.monitor.resources.filter((r) => r.read)));
    expect(
      previewDocumentOf(preview)
        .steps.filter((s) => s.op === "read")
        .map((s) => s.urn)
        .sort(),
    ).toEqual(reads(preview.reads));
    expect(Object.keys(run.monitor.stackOutputs).sort()).toEqual(Object.keys(preview.outputs).sort());
  });

  it("gives the remote EKS component the engine's default provider, as every custom resource without one", () => {
    const runtime = plan.outcomes.find((o) => o.layer === "runtime")?.preview;
    const cluster = runtime?.resources.find((r) => r.remote);
    expect(cluster?.type).toMatch(/^eks:index:Cluster$/);
    expect(cluster?.provider).toMatch(/^urn:pulumi:dev-full-runtime::fraud-platform::pulumi:providers:eks::default_\d+_\d+_\d+::/);
    expect(runtime?.resources.find((r) => r.type === "pulumi:providers:eks")?.name).toMatch(/^default_\d+_\d+_\d+$/);
  });

  it("reads every upstream layer through a StackReference named <org>/fraud-platform/<stack>", () => {
    const refs = [...runs.entries()].flatMap(([stack, run]) =>
      run.monitor.resources.filter((r) => r.read && r.type === "pulumi:pulumi:StackReference").map((r) => [stack, r.name]),
    );
    expect(refs.filter(([s]) => s === "dev-full-core")).toEqual([]);
    expect(refs).toContainEqual(["dev-full-streaming", "organization/fraud-platform/dev-full-core"]);
    expect(refs).toContainEqual(["dev-full-ops", "organization/fraud-platform/dev-full-runtime"]);
  });

  it("stops data_ml with a named error when Databricks is on and its token is missing", async () => {
    const outcome = plan.outcomes.find((o) => o.layer === "data_ml");
    const { config, secretKeys } = stackConfigFor(PROJECT_ROOT, "dev-full-data-ml", ALL_STACK_PINS);
    const upstream = Object.fromEntries(
      plan.outcomes.filter((o) => o.layer !== "data_ml" && o.layer !== "ops").map((o) => [o.stackName, o.plan?.outputs ?? {}]),
    );
    const run = await runProgram({
      projectDir: PROJECT_ROOT,
      project: "fraud-platform",
      stack: "dev-full-data-ml",
      organization: "organization",
      config,
      secretKeys,
      preview: true,
      mocks: new MockCloud({ region: "eu-west-2", upstream, upstreamSecrets: {} }),
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
    expect(outcome).toBeDefined();
    expect(run.exitCode).not.toBe(0);
    expect(run.engine.logs.map((l) => l.message).join("\n")).toMatch(/databricksToken/);
  }, 120_000);
});
