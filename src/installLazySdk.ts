/** Imported first by the CLI's and the plan worker's entry: `@pulumi/pulumi` then loads with the stand-ins of src/lazySdk.ts. */
import { installLazySdkModules } from "./lazySdk";

installLazySdkModules();
