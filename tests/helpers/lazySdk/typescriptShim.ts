/** What jest.config.js maps `@pulumi/pulumi`'s `typescript-shim` request to: the shim, loaded on first use (src/lazySdk.ts). */
import { TYPESCRIPT_SHIM, lazyModule, lazySdkFile } from "../../../src/lazySdk";

// eslint-disable-next-line @typescript-eslint/no-require-imports
export = lazyModule(() => require(lazySdkFile(TYPESCRIPT_SHIM)) as object);
