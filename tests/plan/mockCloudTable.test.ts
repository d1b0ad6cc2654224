/**
 * The mock cloud's tables against the shipped plan: every resource type the five stacks register or read has an
 * entry, and the same resources mocked in a second region carry that region (ids, ARNs, endpoints, zones) and no
 * trace of the first.
 */
import { INVOKES, MOCK_RESOURCES, MockCloud } from "../../src/plan/mockCloud";
import { PlanResult } from "../../src/plan/engine";
import { PropertyMap, PropertyValue, RecordedResource, UNKNOWN } from "../../src/plan/previewDocument";
import { ALL_STACK_PINS } from "../helpers/pins";
import { sharedPlan } from "../helpers/sharedPlan";

const LAYERS = ["core", "streaming", "runtime", "data_ml", "ops"] as const;
const HOME = { code: "eu-west-2", short: "euw2", location: "Europe (London)" };
const SECOND = { code: "us-east-1", short: "use1", location: "US East (N. Virginia)" };

let plan: PlanResult;

beforeAll(async () => {
  ({ result: plan } = await sharedPlan([...LAYERS], ALL_STACK_PINS));
});

/** Every registration and read of both passes of every stack. */
function planned(): RecordedResource[] {
  return plan.outcomes.flatMap((o) => [o.preview, o.plan].flatMap((p) => (p ? [...p.resources, ...p.reads] : [])));
}

/** The stack outputs of every planned stack, as the layers after it read them. */
function upstreamOf(): { upstream: Record<string, PropertyMap>; upstreamSecrets: Record<string, string[]> } {
  const upstream: Record<string, PropertyMap> = {};
  const upstreamSecrets: Record<string, string[]> = {};
  for (const o of plan.outcomes) {
    if (!o.plan) throw new Error(`${o.stackName} was not planned: ${o.failure?.message ?? o.status}`);
    upstream[o.stackName] = o.plan.outputs;
    upstreamSecrets[o.stackName] = o.plan.secretOutputNames;
  }
  return { upstream, upstreamSecrets };
}

const inRegion = (value: PropertyValue, region: typeof HOME): PropertyValue =>
  JSON.parse(JSON.stringify(value).split(HOME.code).join(region.code).split(HOME.short).join(region.short)) as PropertyValue;

/** What the cloud computed for a resource: state keys it added or changed (the id included). */
function computed(state: PropertyMap, inputs: PropertyMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(state)) {
    if (JSON.stringify(v) !== JSON.stringify(inputs[k])) out[k] = JSON.stringify(v);
  }
  return out;
}

/**
 * The up pass of every stack mocked again by a fresh cloud per stack (as the plan's layer jobs do), in `region`,
 * with the inputs and upstream outputs moved to that region: URN -> the id and the attributes the cloud computed.
 */
function replay(region: typeof HOME): Map<string, { id: string; attributes: Record<string, string> }> {
  const { upstream: planned, upstreamSecrets } = upstreamOf();
  const upstream = inRegion(planned, region) as Record<string, PropertyMap>;
  const out = new Map<string, { id: string; attributes: Record<string, string> }>();
  for (const o of plan.outcomes) {
    const cloud = new MockCloud({ region: region.code, upstream, upstreamSecrets });
    for (const r of [...o.plan!.reads, ...o.plan!.resources]) {
      const inputs = inRegion(r.inputs, region) as PropertyMap;
      const result = cloud.newResource({ type: r.type, name: r.name, inputs, provider: r.provider, custom: r.custom, ...(r.external ? { id: r.id } : {}) });
      out.set(r.urn, { id: String(result.id), attributes: computed(result.state as PropertyMap, inputs) });
    }
  }
  return out;
}

/** Attributes hashed from an input naming the region (a gateway endpoint's service name): per region, unnamed. */
const HASHED_FROM_REGIONAL_INPUT = new Set(["prefixListId"]);

const mentions = (text: string, region: typeof HOME): boolean =>
  text.includes(region.code) || text.includes(`${region.short}-`) || text.includes(`.${region.short}.`) || text.includes(region.location);

describe("mock cloud tables", () => {
  it("have an entry for every custom or remote resource type the shipped plan registers or reads", () => {
    const resources = planned();
    const mocked = [...new Set(resources.filter((r) => r.custom || r.remote).map((r) => r.type))];
    expect(mocked.length).toBeGreaterThan(50);
    expect(mocked.filter((type) => !(type in MOCK_RESOURCES))).toEqual([]);
    // What has no entry is a local component, whose state is its inputs.
    const unlisted = resources.filter((r) => !(r.type in MOCK_RESOURCES));
    expect(unlisted.length).toBeGreaterThan(0);
    expect(unlisted.filter((r) => r.custom || r.remote).map((r) => r.type)).toEqual([]);
  });

  it("reproduce the plan's ids when replayed in the plan's region", () => {
    const replayed = replay(HOME);
    // The engine's default providers are not mocked: the plan adds them with the engine's unknown id.
    const withIds = plan.outcomes.flatMap((o) => [...o.plan!.resources, ...o.plan!.reads]).filter((r) => r.id && r.id !== UNKNOWN);
    expect(withIds.length).toBeGreaterThan(300);
    expect(withIds.filter((r) => replayed.get(r.urn)?.id !== r.id).map((r) => r.urn)).toEqual([]);
  });

  it("carry a second region in every id, ARN and endpoint that names the region, and the same values elsewhere", () => {
    const home = replay(HOME);
    const second = replay(SECOND);
    expect([...second.keys()]).toEqual([...home.keys()]);
    let regional = 0;
    for (const [urn, h] of home) {
      const s = second.get(urn)!;
      expect(Object.keys(s.attributes).sort()).toEqual(Object.keys(h.attributes).sort());
      for (const [key, value] of Object.entries(s.attributes)) {
        const at = `${urn} ${key}`;
        expect([at, mentions(value, HOME)]).toEqual([at, false]);
        if (mentions(h.attributes[key], HOME)) {
          regional++;
          expect([at, mentions(value, SECOND)]).toEqual([at, true]);
        } else if (HASHED_FROM_REGIONAL_INPUT.has(key)) {
          expect([at, value]).not.toEqual([at, h.attributes[key]]);
        } else {
          expect([at, value]).toEqual([at, h.attributes[key]]);
        }
      }
    }
    expect(regional).toBeGreaterThan(100);
  });

  it("name zones, cache endpoints and the region's description in the region's own forms", () => {
    for (const region of [HOME, SECOND]) {
      const cloud = new MockCloud({ region: region.code, upstream: {}, upstreamSecrets: {} });
      const zones = cloud.call({ token: "aws:index/getAvailabilityZones:getAvailabilityZones", inputs: {} });
      expect(zones).toMatchObject({
        names: ["a", "b", "c"].map((z) => `${region.code}${z}`),
        zoneIds: ["az1", "az2", "az3"].map((z) => `${region.short}-${z}`),
      });
      expect(cloud.call({ token: "aws:index/getRegion:getRegion", inputs: {} })).toMatchObject({ name: region.code, description: region.location });
      const cache = cloud.newResource({
        type: "aws:elasticache/replicationGroup:ReplicationGroup",
        name: "cache",
        inputs: { replicationGroupId: "rg" },
        custom: true,
      });
      expect(cache.state.primaryEndpointAddress).toMatch(new RegExp(`^master\\.rg\\.[0-9a-f]{6}\\.${region.short}\\.cache\\.amazonaws\\.com$`));
      const key = cloud.newResource({ type: "aws:kms/key:Key", name: "key", inputs: {}, custom: true });
      expect(key.state.arn).toBe(`arn:aws:kms:${region.code}:123456789012:key/${key.id}`);
    }
    expect(Object.keys(INVOKES)).toContain("aws:index/getRegion:getRegion");
  });

  it("give a resource the region of the explicit provider managing it", () => {
    const cloud = new MockCloud({ region: HOME.code, upstream: {}, upstreamSecrets: {} });
    const provider = cloud.newResource({ type: "pulumi:providers:aws", name: "billing", inputs: { region: SECOND.code }, custom: true });
    const topic = cloud.newResource({
      type: "aws:sns/topic:Topic",
      name: "alarms",
      inputs: { name: "alarms" },
      custom: true,
      provider: `urn:pulumi:s::p::pulumi:providers:aws::billing::${provider.id}`,
    });
    expect(topic.id).toBe(`arn:aws:sns:${SECOND.code}:123456789012:alarms`);
  });

  it("refuse an unknown region, an unknown provider region and an unmocked custom type, naming it", () => {
    expect(() => new MockCloud({ region: "eu-west-9", upstream: {}, upstreamSecrets: {} })).toThrow(
      /configured region "eu-west-9" is not a known AWS region.*src\/plan\/mockCloud\/regions\.ts/,
    );
    const cloud = new MockCloud({ region: HOME.code, upstream: {}, upstreamSecrets: {} });
    expect(() => cloud.newResource({ type: "pulumi:providers:aws", name: "far", inputs: { region: "mars-north-1" }, custom: true })).toThrow(
      /region of provider far "mars-north-1" is not a known AWS region/,
    );
    expect(() => cloud.newResource({ type: "aws:example/widget:Widget", name: "w", inputs: {}, custom: true })).toThrow(
      /unmocked resource type aws:example\/widget:Widget \(w\)/,
    );
    expect(cloud.newResource({ type: "fraud-platform:example:Thing", name: "thing", inputs: { size: 1 }, custom: false })).toEqual({
      id: "thing",
      state: { size: 1, id: "thing" },
    });
  });
});
