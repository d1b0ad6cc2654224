/** The handles registry as the policy pack sees it: the same file the stacks read. */
import { Registry, loadRegistry } from "../../src/registry/registry";

export function registry(): Registry {
  return loadRegistry();
}
