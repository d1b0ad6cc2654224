/** What jest.config.js maps `@pulumi/pulumi`'s `@npmcli/arborist` request to: arborist, loaded on first use (src/lazySdk.ts). */
import { ARBORIST, lazyModule, lazySdkFile } from "../../../src/lazySdk";

// eslint-disable-next-line @typescript-eslint/no-require-imports
export = lazyModule(() => require(lazySdkFile(ARBORIST)) as object);
