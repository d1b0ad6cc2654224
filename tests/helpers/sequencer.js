/**
 * jest.config.js's test order: jest's own (a file that failed last time first, then the slowest by the last run's
 * timings), except that on a run without timings (a fresh clone: jest orders those by file size) the conformance
 * files go first. They are small but each waits 20-40 s on real Pulumi CLI processes (`cmd/run`,
 * `cmd/run-policy-pack`); started late, they would run on alone at the end.
 */
const path = require("path");
const Sequencer = require("@jest/test-sequencer").default;

const FIRST_WITHOUT_TIMINGS = `${path.sep}tests${path.sep}conformance${path.sep}`;

class ConformanceFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const first = sorted.filter((t) => t.duration == null && t.path.includes(FIRST_WITHOUT_TIMINGS));
    return [...first, ...sorted.filter((t) => !first.includes(t))];
  }
}

module.exports = ConformanceFirstSequencer;
