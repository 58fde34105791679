// Mutation testing: `npm run mutate` (outside CI, slow; see docs/reliability.md#mutation-testing).
// On this 2-core shared machine run it as `nice -n 19 npm run mutate`.
//
// The CLI tests spawn dist/cli.js. buildCommand rebuilds dist/ once per sandbox, from the
// instrumented source, but a spawned process never activates a mutant (the vitest runner sets
// the active mutant inside its own worker only), so those tests cannot kill anything: the
// score rests on the in-process tests. With perTest coverage they are not even run for a
// mutant, as they cover none in-process.
//
// Stryker switches mutants inside one test process, and runner/machines.ts shares compiled
// machines within a process: a machine built while one mutant was active would serve the next
// (a mutant in the code that builds machines would seem killed, or survive, by another's
// machine). The test runners it starts inherit this, and compile every machine anew.
process.env.MMUTT_NO_SHARE = '1';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  mutate: ['src/engine/**/*.ts', 'src/kvm/**/*.ts', 'eras/timeline/**/*.ts'],
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.ts' },
  buildCommand: 'npx tsup --silent',
  coverageAnalysis: 'perTest',
  // test/rule-tags.test.ts runs the whole catalog in every era in its describe body, while
  // vitest collects tests: that makes nearly every engine mutant "static" (covered outside
  // any test), and a static mutant reloads everything and runs all tests, ~3.5 min each
  // here. It is left out of mutation runs; every other test file takes part.
  testFiles: ['test/!(rule-tags).test.ts'],
  // A mutant reached only while a module loads (module-level tables and constants, e.g.
  // eras/timeline/rules.ts) would still need the whole suite per mutant: reported as
  // Ignored, outside the score (docs/reliability.md gives their count).
  ignoreStatic: true,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Reruns test only the mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  concurrency: 1,
  // A busy machine: a mutant is a timeout only after 2.5 x its tests' time + 30 s.
  timeoutFactor: 2.5,
  timeoutMS: 30000,
  dryRunTimeoutMinutes: 20,
  tempDirName: '.stryker-tmp',
};
