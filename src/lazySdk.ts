/**
 * Stand-ins for two modules that `@pulumi/pulumi` requires as it loads and that the plan never calls: TypeScript
 * (9 MB, for closure serialization: `pulumi.runtime.serializeFunction`) and `@npmcli/arborist` (1.5 MB with pacote,
 * tar and sigstore, for `pulumi.runtime.computeCodePaths`). Each stand-in loads the real module on its first use
 * and forwards to it, so a caller sees the same module, later.
 *
 * The plan's workers and the CLI install them in `require.cache` before the SDK loads ({@link installLazySdkModules});
 * jest maps the same requests to `tests/helpers/lazySdk/` (jest.config.js). The Pulumi CLI's own runtimes
 * (`pulumi up`, `pulumi preview --policy-pack`) load the SDK as it is.
 */
import Module from "module";
import * as path from "path";

/** A module that `@pulumi/pulumi` requires eagerly: the file a request resolves to, from the SDK's directory. */
export interface LazySdkModule {
  /** The request as the SDK writes it. */
  request: string;
  /** The SDK file whose directory the request resolves from. */
  from: string;
}

export const TYPESCRIPT_SHIM: LazySdkModule = { request: "../../typescript-shim", from: "runtime/closure/parseFunction.js" };
export const ARBORIST: LazySdkModule = { request: "@npmcli/arborist", from: "runtime/closure/codePaths.js" };
export const LAZY_SDK_MODULES: readonly LazySdkModule[] = [TYPESCRIPT_SHIM, ARBORIST];

/**
 * An object that stands for the module `load` returns: the first property read loads it. `__esModule` answers true
 * without loading, so TypeScript's `__importStar` keeps the stand-in rather than copying its keys.
 */
export function lazyModule<T extends object>(load: () => T): T {
  let real: T | undefined;
  const get = (): T => (real ??= load());
  return new Proxy({} as T, {
    get: (_, key) => (key === "__esModule" ? true : Reflect.get(get(), key)),
    has: (_, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(get(), key);
      // A proxy may report a property of its target only as configurable (its target here is an empty object).
      return d && { ...d, configurable: true };
    },
  });
}

/** The file a {@link LAZY_SDK_MODULES} request resolves to, for the `@pulumi/pulumi` this process loads. */
export function lazySdkFile(m: LazySdkModule): string {
  const dir = path.dirname(path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), m.from));
  // By path, not by name: under jest a name would resolve through jest.config.js's mapping to the stand-in.
  const target = m.request.startsWith(".") ? path.resolve(dir, m.request) : path.dirname(require.resolve(`${m.request}/package.json`, { paths: [dir] }));
  return require.resolve(target);
}

/**
 * Puts a stand-in for each {@link LAZY_SDK_MODULES} file in `require.cache`, unless the file is already loaded.
 * On first use a stand-in takes itself out of the cache and requires the real file.
 */
export function installLazySdkModules(): void {
  const cache = require.cache;
  for (const file of LAZY_SDK_MODULES.map(lazySdkFile)) {
    if (cache[file]) continue;
    const stand = new Module(file);
    stand.filename = file;
    stand.loaded = true;
    stand.exports = lazyModule(() => {
      if (cache[file] === stand) delete cache[file];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(file) as object;
    });
    cache[file] = stand;
  }
}
