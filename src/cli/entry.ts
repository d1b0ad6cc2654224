/** What `bin/fraud-platform.js` runs: the CLI, and the report of an internal error (exit 3). */
import "../installLazySdk";
export { main } from "./main";
export { reportInternalError } from "./exitCodes";
