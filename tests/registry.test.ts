import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { InputError, UnpinnedHandleError } from "../src/errors";
import { DEFAULT_REGISTRY_FILE, loadRegistry, parseRegistry } from "../src/registry/registry";

/** The spec registry the project registry is derived from (an exact copy of ../shared/spec/handles.yaml). */
const SPEC_FILE = path.resolve(__dirname, "../registry/source/handles.spec.yaml");
const registry = loadRegistry();

describe("handles registry", () => {
  it("keeps every value of the spec registry exact, except the recorded Terraform repins", () => {
    const spec = parse(fs.readFileSync(SPEC_FILE, "utf8")) as { handles: Array<{ name: string; value?: unknown; status: string }> };
    for (const h of spec.handles) {
      const ours = registry.handle(h.name);
      if (ours.repinned_from !== undefined) {
        expect({ name: h.name, value: ours.repinned_from }).toEqual({ name: h.name, value: h.value });
        expect(ours.repin_decision).toBe("docs/decisions/0001-pulumi-replaces-terraform.md");
      } else {
        expect({ name: h.name, value: ours.value ?? null, status: ours.status }).toEqual({ name: h.name, value: h.value ?? null, status: h.status });
      }
    }
  });

  it("repins every Terraform state handle to its Pulumi equivalent", () => {
    const tf = registry.handles.filter((h) => /^TF_(STATE_KEY|LOCK_TABLE|STACK_)/.test(h.name));
    expect(tf).toHaveLength(11);
    for (const h of tf) expect(h.repinned_from).toBeDefined();
    expect(registry.string("TF_STACK_DATA_ML_DIR")).toBe("dev-full-data-ml");
    expect(registry.string("TF_STATE_KEY_CORE")).toBe(".pulumi/stacks/fraud-platform/dev-full-core.json");
    expect(registry.string("PULUMI_BACKEND_URL")).toMatch(/^s3:\/\/fraud-platform-dev-full-tfstate\?region=eu-west-2$/);
    expect(registry.string("PULUMI_SECRETS_PROVIDER")).toBe("awskms://alias/fraud-platform-dev-full?region=eu-west-2");
  });

  it("derives its summary from the handles", () => {
    const s = registry.summary();
    expect(s.handles).toBe(registry.handles.length);
    expect(s.toPin).toBe(17);
    expect(s.pinned + s.toPin).toBe(s.handles);
  });

  it("types values and fails closed on TO_PIN handles with the command that pins them", () => {
    expect(registry.number("DEV_FULL_MONTHLY_BUDGET_LIMIT_USD")).toBe(300);
    expect(registry.topics()).toHaveLength(14);
    expect(() => registry.string("AWS_BUDGET_NOTIFICATION_EMAIL")).toThrow(UnpinnedHandleError);
    expect(() => registry.string("AWS_BUDGET_NOTIFICATION_EMAIL")).toThrow(
      /AWS_BUDGET_NOTIFICATION_EMAIL is TO_PIN.*pulumi config set --secret --path 'fraud-platform:pins.AWS_BUDGET_NOTIFICATION_EMAIL' <value> --stack dev-full-ops/,
    );
    expect(() => registry.roleName("ROLE_EKS_IRSA_LEARNING")).toThrow(UnpinnedHandleError);
    expect(() => registry.number("AWS_REGION")).toThrow(/expected a number, found "eu-west-2"/);
    expect(() => registry.string("NO_SUCH_HANDLE")).toThrow(/unknown handle NO_SUCH_HANDLE[\s\S]*registry first/);
  });

  it("applies pins to TO_PIN handles only", () => {
    const pinned = registry.withPins({ AWS_BUDGET_NOTIFICATION_EMAIL: "ops@example.com", ROLE_EKS_IRSA_LEARNING: "fraud-platform-dev-full-irsa-learning" });
    expect(pinned.string("AWS_BUDGET_NOTIFICATION_EMAIL")).toBe("ops@example.com");
    expect(pinned.roleName("ROLE_EKS_IRSA_LEARNING")).toBe("fraud-platform-dev-full-irsa-learning");
    expect(pinned.unresolved()).not.toContain("AWS_BUDGET_NOTIFICATION_EMAIL");
    expect(() => registry.withPins({ AWS_REGION: "us-east-1" })).toThrow(/AWS_REGION: expected a TO_PIN handle/);
    expect(() => registry.withPins({ NOPE: "x" })).toThrow(/NOPE: expected the name of a TO_PIN handle/);
    expect(() => registry.withPins({ AWS_BUDGET_NOTIFICATION_EMAIL: " " })).toThrow(/expected a non-empty value/);
  });

  it("lists what each layer must export and every pinned physical name", () => {
    const core = registry.exportedBy("core").map((h) => h.name);
    expect(core).toEqual(expect.arrayContaining(["S3_EVIDENCE_BUCKET", "KMS_KEY_ALIAS_PLATFORM", "MSK_SECURITY_GROUP_ID", "ECR_REPO_URI"]));
    const names = registry.physicalNames();
    expect(names.has("fraud-platform-dev-full-evidence")).toBe(true);
    expect(names.has("fraud-platform-dev-full-eks-nodegroup")).toBe(true);
    expect(names.has("fp.bus.control.v1")).toBe(true);
    expect(names.has("/fraud-platform/dev_full/ig/api_key")).toBe(true);
  });

  it("rejects a malformed registry, naming the entry and key", () => {
    const text = fs.readFileSync(DEFAULT_REGISTRY_FILE, "utf8").replace(/(- name: ECR_REPO_NAME\n {2}value: )fraud-platform-dev-full/, "$1null");
    expect(() => parseRegistry(text, DEFAULT_REGISTRY_FILE)).toThrow(InputError);
    expect(() => parseRegistry(text, DEFAULT_REGISTRY_FILE)).toThrow(/handles\[name=ECR_REPO_NAME\]\.value: expected pinned handle ECR_REPO_NAME has no value/);
    expect(() => parseRegistry("handles: [", DEFAULT_REGISTRY_FILE)).toThrow(/expected valid YAML/);
    const dup = fs
      .readFileSync(DEFAULT_REGISTRY_FILE, "utf8")
      .replace(
        "handles:\n",
        "handles:\n- name: AWS_REGION\n  value: eu-west-2\n  section: region\n  owner: config\n  status: pinned\n  kind: constant\n  description: dup\n",
      );
    expect(() => parseRegistry(dup, DEFAULT_REGISTRY_FILE)).toThrow(/handles\[name=AWS_REGION\]: expected unique handle names, found a duplicate/);
  });
});
