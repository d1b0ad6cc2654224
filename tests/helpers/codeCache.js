/**
 * V8's code cache for the modules jest compiles. Jest compiles every module of every test file afresh in the file's
 * own context (`vm.compileFunction`), so each worker parses and compiles the SDKs once per file. With this, a
 * worker keeps the code cache V8 produces on a module's first compile and hands it back for the same source (and
 * the same wrapper parameters) in later files; V8 checks the cache against the source and rejects a stale one.
 * The cache lives in the worker's memory: a run starts cold.
 */
const { createHash } = require("crypto");

/**
 * Wraps `vmModule.compileFunction` with the cache; a call that brings or asks for cached data of its own is left
 * alone. Returns the counts: compiles answered from the cache, compiles that produced one, caches V8 rejected.
 * @param {typeof import("vm")} vmModule
 */
function installCodeCache(vmModule) {
  const original = vmModule.compileFunction;
  /** @type {Map<string, Buffer>} */
  const cache = new Map();
  const counts = { hits: 0, misses: 0, rejected: 0 };
  vmModule.compileFunction = function compileFunction(code, params, options) {
    if (options && (options.cachedData || options.produceCachedData)) return original.call(this, code, params, options);
    const key = createHash("sha1")
      .update(code)
      .update("\0")
      .update((params || []).join(","))
      .digest("hex");
    const cachedData = cache.get(key);
    const fn = original.call(this, code, params, cachedData ? { ...options, cachedData } : { ...options, produceCachedData: true });
    if (!cachedData) {
      counts.misses++;
      if (fn.cachedData) cache.set(key, fn.cachedData);
    } else if (fn.cachedDataRejected) {
      counts.rejected++;
      cache.delete(key);
    } else counts.hits++;
    return fn;
  };
  return counts;
}

module.exports = { installCodeCache };
