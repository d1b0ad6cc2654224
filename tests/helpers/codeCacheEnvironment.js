/**
 * jest.config.js's test environment: jest's Node environment, in a worker whose `vm.compileFunction` keeps V8's
 * code cache across test files (tests/helpers/codeCache.js), installed once per worker process.
 */
const vm = require("vm");
const { TestEnvironment } = require("jest-environment-node");
const { installCodeCache } = require("./codeCache");

const INSTALLED = Symbol.for("fraud-platform.jestCodeCache");
if (!vm[INSTALLED]) vm[INSTALLED] = installCodeCache(vm);

module.exports = TestEnvironment;
