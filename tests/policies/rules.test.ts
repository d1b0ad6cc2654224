/** Every policy's cases (`*.cases.ts`): each policy fires on what it forbids and stays quiet on what it allows. */
import { runCaseFiles } from "../helpers/caseFiles";

runCaseFiles(__dirname);
